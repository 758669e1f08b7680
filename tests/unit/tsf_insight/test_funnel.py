"""The funnel's weeks, its table and the slot names it reads."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine

from actions.eligibility_form import DISQUALIFIED_SLOT
from actions.eligibility_verdict import VERDICT_SLOT
from actions.enquiries import LAST_FACT_SLOT
from actions.lead_form import CONSENT_SLOT
from actions.questions import YES
from tsf_insight import funnel as funnel_module
from tsf_insight.funnel import Counts, Funnel, compute_funnel, funnel_table, week_of, weeks_between
from tsf_knowledge.eligibility import Verdict

UTC = timezone.utc


def test_the_funnel_reads_the_slots_the_actions_write() -> None:
    assert funnel_module.LAST_FACT_SLOT == LAST_FACT_SLOT
    assert funnel_module.VERDICT_SLOT == VERDICT_SLOT
    assert funnel_module.DISQUALIFIED_SLOT == DISQUALIFIED_SLOT
    assert funnel_module.CONSENT_SLOT == CONSENT_SLOT
    assert funnel_module.YES == YES
    verdicts = {funnel_module.ELIGIBLE, funnel_module.BORDERLINE, funnel_module.NOT_ELIGIBLE}
    assert verdicts == {verdict.value for verdict in Verdict}


def test_the_funnel_watches_the_form_the_domain_declares() -> None:
    import yaml

    with open("rasa_project/domain/eligibility_form.yml", encoding="utf-8") as file:
        forms = yaml.safe_load(file)["forms"]

    assert funnel_module.ELIGIBILITY_FORM in forms


@pytest.mark.parametrize(
    ("moment", "monday"),
    [
        (datetime(2026, 11, 23, 0, 0, tzinfo=UTC), date(2026, 11, 23)),
        (datetime(2026, 11, 29, 23, 59, tzinfo=UTC), date(2026, 11, 23)),
        (datetime(2026, 11, 30, 0, 0, tzinfo=UTC), date(2026, 11, 30)),
        (datetime(2026, 11, 30, 0, 30, tzinfo=timezone(timedelta(hours=1))), date(2026, 11, 23)),
    ],
)
def test_a_week_starts_on_monday_in_utc(moment: datetime, monday: date) -> None:
    assert week_of(moment) == monday
    assert week_of(moment.timestamp()) == monday


def test_the_weeks_of_a_period_include_both_partial_ends_but_not_the_week_it_ends_at() -> None:
    start = datetime(2026, 11, 11, 12, tzinfo=UTC)  # a Wednesday
    end = datetime(2026, 11, 30, tzinfo=UTC)  # the Monday after

    assert weeks_between(start, end) == [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]


def test_a_period_must_be_aware_and_end_after_it_starts() -> None:
    engine = create_engine("sqlite://", future=True)
    start = datetime(2026, 11, 11, tzinfo=UTC)

    with pytest.raises(ValueError, match="aware"):
        compute_funnel(engine, None, start.replace(tzinfo=None), start + timedelta(days=1))
    with pytest.raises(ValueError, match="end after"):
        compute_funnel(engine, None, start, start)


def test_the_table_has_a_column_per_week_a_total_and_a_line_per_reason() -> None:
    weeks = (
        (date(2026, 11, 16), Counts(conversations=5, not_eligible_by_reason={"launched": 1})),
        (date(2026, 11, 23), Counts(conversations=12, not_eligible_by_reason={"amount": 2})),
    )
    total = Counts(conversations=16, not_eligible_by_reason={"launched": 1, "amount": 2})
    funnel = Funnel(
        datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC), weeks, total
    )

    lines = funnel_table(funnel).splitlines()

    assert lines[0].split() == ["Stage", "w/c", "16", "Nov", "w/c", "23", "Nov", "Total"]
    assert lines[2].split() == ["Conversations", "5", "12", "16"]
    not_eligible = next(n for n, line in enumerate(lines) if line.startswith("Not eligible"))
    assert lines[not_eligible].split()[-3:] == ["1", "2", "3"]
    assert lines[not_eligible + 1].split() == ["Loan", "amount", "0", "2", "2"]
    assert lines[not_eligible + 2].split() == ["Already", "launched", "1", "0", "1"]


def test_the_json_form_names_every_stage_and_week() -> None:
    weeks = ((date(2026, 11, 16), Counts(leads=2, delivered=1)),)
    funnel = Funnel(
        datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC), weeks, weeks[0][1]
    )

    document = funnel.as_dict()

    assert document["weeks"][0]["week"] == "2026-11-16"
    assert document["weeks"][0]["leads"] == 2
    assert document["total"]["delivered"] == 1
    assert set(document["total"]) == {key for key, _ in funnel_module.STAGES} | {
        "not_eligible_by_reason"
    }


def test_a_reason_seen_only_in_one_week_still_gets_its_line() -> None:
    # The conversation was ruled out one week and found eligible the next: its latest verdict
    # (eligible) is the period's, but the first week still shows why it was ruled out.
    weeks = (
        (date(2026, 11, 16), Counts(not_eligible_by_reason={"launched": 1})),
        (date(2026, 11, 23), Counts(eligible=1)),
    )
    funnel = Funnel(
        datetime(2026, 11, 16, tzinfo=UTC),
        datetime(2026, 11, 30, tzinfo=UTC),
        weeks,
        Counts(eligible=1),
    )

    assert funnel.reasons() == ["launched"]
    lines = [line.split() for line in funnel_table(funnel).splitlines()]
    assert ["Already", "launched", "1", "0", "0"] in lines
