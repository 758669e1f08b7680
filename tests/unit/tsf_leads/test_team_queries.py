"""Staff questions about leads: the three phrasings, answered from a real lead store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.support.leads import make_consent, make_contact, make_summary
from tsf_leads.repository import open_store
from tsf_leads.service import LeadService
from tsf_leads.team_queries import (
    MAX_LISTED,
    TeamQuery,
    answer_team_query,
    parse_team_query,
)

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("leads today", TeamQuery("today")),
        ("  Leads   TODAY? ", TeamQuery("today")),
        ("today's leads", TeamQuery("today")),
        ("show me the new leads today", TeamQuery("today")),
        ("open leads", TeamQuery("open")),
        ("Show all open leads.", TeamQuery("open")),
        ("lead tsf-2026-000123", TeamQuery("one", "TSF-2026-000123")),
        ("lead TSF-2026-000123?", TeamQuery("one", "TSF-2026-000123")),
        ("how many leads do we get?", None),
        ("lead TSF-26-1", None),
        ("what is the maximum loan?", None),
        ("", None),
    ],
)
def test_the_three_questions_are_recognised_and_nothing_else(
    text: str, query: TeamQuery | None
) -> None:
    assert parse_team_query(text) == query


@pytest.fixture
def service(tmp_path: Path) -> LeadService:
    return LeadService(open_store(f"sqlite:///{tmp_path / 'leads.db'}"), ["crm:webhook"])


def add(service: LeadService, organisation: str, created: datetime) -> str:
    summary = make_summary(
        organisation=organisation,
        contact=make_contact(email=f"{organisation.split()[0].lower()}@example.org"),
        created_at=created,
    )
    return service.submit(summary, make_consent(given_at=created)).reference


def test_leads_today_are_those_created_today_in_uk_time(service: LeadService) -> None:
    add(service, "Yesterday Care CIC", NOW - timedelta(days=1))
    today = add(service, "Today Health CIC", NOW - timedelta(hours=2))
    answer = answer_team_query(TeamQuery("today"), service, NOW)
    assert [record.reference for record in answer.leads] == [today]
    assert answer.text.startswith("Leads today (1):")
    assert "Today Health CIC" in answer.text and "Yesterday" not in answer.text


def test_open_leads_are_new_or_claimed_but_not_contacted_or_turned_down(
    service: LeadService,
) -> None:
    new = add(service, "New Care CIC", NOW)
    claimed = add(service, "Claimed Care CIC", NOW)
    contacted = add(service, "Contacted Care CIC", NOW)
    service.set_team_status(claimed, "claimed", "U1", "Sam Jones")
    service.set_team_status(contacted, "contacted", "U1", "Sam Jones")
    answer = answer_team_query(TeamQuery("open"), service, NOW)
    assert {record.reference for record in answer.leads} == {new, claimed}
    assert "claimed by Sam Jones" in answer.text
    assert "Contacted Care" not in answer.text


def test_one_lead_is_found_by_reference_and_an_unknown_one_is_said_so(
    service: LeadService,
) -> None:
    reference = add(service, "Riverside Care CIC", NOW)
    answer = answer_team_query(TeamQuery("one", reference), service, NOW)
    assert [record.reference for record in answer.leads] == [reference]
    assert answer.text.startswith(f"{reference} · Riverside Care CIC")
    missing = answer_team_query(TeamQuery("one", "TSF-2026-999999"), service, NOW)
    assert (missing.text, missing.leads) == ("There is no lead TSF-2026-999999.", ())


def test_a_long_list_is_cut_and_says_how_many_more(service: LeadService) -> None:
    for number in range(MAX_LISTED + 3):
        add(service, f"Org{number} CIC", NOW)
    answer = answer_team_query(TeamQuery("open"), service, NOW)
    assert len(answer.leads) == MAX_LISTED
    assert "…and 3 more" in answer.text
    assert answer_team_query(TeamQuery("today"), service, NOW + timedelta(days=2)).text == (
        "No new leads today."
    )
