"""The weekly digest of a seeded week, printed and sent through the team's notifiers (the
Slack and Teams webhook fakes and a real SMTP server), and sent once a week by the schedule,
on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from tests.fakes.chat import FakeSlackWebhook, FakeTeamsWebhook
from tests.fakes.smtp import FakeSmtpServer
from tests.integration.conftest import Databases
from tests.support import funnel_data
from tsf_insight.cli import main
from tsf_insight.digest import Digest, build_digest
from tsf_insight.schedule import DigestSchedule, SendLog, send_if_due
from tsf_insight.store import InsightStore
from tsf_leads.contracts import TeamMessage
from tsf_leads.notify import build_notifiers
from tsf_leads.repository import LeadStore, open_store


@pytest.fixture
async def seeded(databases: Databases) -> Iterator[tuple[Engine, LeadStore, dict[str, str]]]:
    """Conversations (written by Rasa), gaps and feedback, and leads, seeded."""
    await funnel_data.seed_tracker(databases.tracker_url)
    store = open_store(databases.leads_url)
    references = funnel_data.seed_leads(store)
    engine = create_engine(databases.tracker_url, future=True)
    funnel_data.seed_insight(InsightStore(engine))
    yield engine, store, references
    engine.dispose()
    store.dispose()


@pytest.fixture
def digest(seeded: tuple[Engine, LeadStore, dict[str, str]]) -> Digest:
    tracker, leads, _ = seeded
    return build_digest(tracker, InsightStore(tracker), leads, funnel_data.NOW)


def section(digest: Digest, heading: str) -> tuple[str, ...]:
    return next(s.lines for s in digest.sections() if s.heading.startswith(heading))


def test_the_funnel_covers_the_last_seven_days(digest: Digest) -> None:
    # 18 Nov noon to 25 Nov noon: b3, b4, b5 (b1 and b2 were earlier) and a1, b4, c1-c3.
    assert digest.funnel.start == funnel_data.NOW - timedelta(days=7)
    assert digest.funnel.total.conversations == 7
    assert digest.funnel.total.leads == 1  # c2's; b1's and b2's are older
    assert "Conversations" in "\n".join(section(digest, "Funnel"))


def test_the_top_gaps_are_grouped_with_counts_and_an_example(digest: Digest) -> None:
    assert section(digest, "Top content gaps") == (
        '3 times, e.g. "what are the arrangement fees"',
        '2 times, e.g. "can we reclaim VAT on the loan"',
        '1 time, e.g. "when is the application deadline"',
    )
    assert digest.gap_count == 6  # the question of 12 Nov is older than the week


def test_only_answers_marked_unhelpful_this_week_are_listed(digest: Digest) -> None:
    assert section(digest, "Answers marked unhelpful") == (
        "loan_term: 2 unhelpful, 1 helpful",
        "loan_amounts: 1 unhelpful, 0 helpful",
    )


def test_dead_lettered_and_waiting_leads_are_named_by_reference(
    digest: Digest, seeded: tuple[Engine, LeadStore, dict[str, str]]
) -> None:
    references = seeded[2]

    [failing] = section(digest, "Leads failing")
    [waiting] = section(digest, "Leads waiting")

    assert failing.startswith(f"{references['b2']}: dead-lettered at {funnel_data.DEAD}")
    assert f"tsf-leads retry {references['b2']}" in failing
    assert waiting.startswith(f"{references['c2']}: since 24 Nov")
    assert funnel_data.WAITING in waiting


def test_the_markdown_has_every_section_and_no_personal_data(digest: Digest) -> None:
    text = digest.markdown()

    assert text.startswith("# TSF Assistant weekly digest: 18 Nov to 25 Nov 2026\n")
    for heading in ("Funnel", "Top content gaps", "Answers marked unhelpful", "Leads failing"):
        assert f"\n## {heading}" in text
    assert "@example.org" not in text and "Jo Bloggs" not in text


def test_printing_the_digest_needs_no_notifier(
    databases: Databases, seeded: tuple[Engine, LeadStore, dict[str, str]]
) -> None:
    out, err = io.StringIO(), io.StringIO()

    status = main(
        ["digest"], environ=databases.environ, stdout=out, stderr=err, clock=lambda: funnel_data.NOW
    )

    assert (status, err.getvalue()) == (0, "")
    assert out.getvalue().startswith("# TSF Assistant weekly digest: 18 Nov to 25 Nov 2026")


@pytest.fixture
def team() -> Iterator[tuple[FakeSlackWebhook, FakeTeamsWebhook, FakeSmtpServer]]:
    with FakeSlackWebhook() as slack, FakeTeamsWebhook() as teams, FakeSmtpServer() as smtp:
        yield slack, teams, smtp


def team_environ(
    databases: Databases, team: tuple[FakeSlackWebhook, FakeTeamsWebhook, FakeSmtpServer]
) -> dict[str, str]:
    slack, teams, smtp = team
    return {
        **databases.environ,
        "TSF_NOTIFY_SLACK_WEBHOOK_URL": slack.hook_url,
        "TSF_NOTIFY_TEAMS_WEBHOOK_URL": teams.hook_url,
        "TSF_NOTIFY_SMTP_HOST": smtp.host,
        "TSF_NOTIFY_SMTP_PORT": str(smtp.port),
        "TSF_NOTIFY_SMTP_STARTTLS": "false",
        "TSF_NOTIFY_EMAIL_FROM": "assistant@example.gov.uk",
        "TSF_NOTIFY_EMAIL_TO": "team@example.gov.uk",
    }


def test_send_delivers_exactly_one_digest_to_each_notifier(
    databases: Databases,
    seeded: tuple[Engine, LeadStore, dict[str, str]],
    team: tuple[FakeSlackWebhook, FakeTeamsWebhook, FakeSmtpServer],
) -> None:
    slack, teams, smtp = team
    out, err = io.StringIO(), io.StringIO()

    status = main(
        ["digest", "--send"],
        environ=team_environ(databases, team),
        stdout=out,
        stderr=err,
        clock=lambda: funnel_data.NOW,
    )

    assert status == 0, err.getvalue()
    assert out.getvalue().strip() == "Sent the digest to slack, teams, email."
    [slack_message] = slack.messages
    [card] = teams.cards
    [email] = smtp.messages
    assert slack_message["blocks"][0]["text"]["text"].startswith("TSF Assistant weekly digest")
    assert "Top content gaps" in json.dumps(card)
    assert email["Subject"].startswith("TSF Assistant weekly digest")
    plain = email.get_body(("plain",)).get_content()
    assert '3 times, e.g. "what are the arrangement fees"' in plain
    assert "Leads waiting (1)" in plain


def test_send_without_a_notifier_says_how_to_configure_one(
    databases: Databases, seeded: tuple[Engine, LeadStore, dict[str, str]]
) -> None:
    err = io.StringIO()

    status = main(["digest", "--send"], environ=databases.environ, stdout=io.StringIO(), stderr=err)

    assert status == 2
    assert "TSF_NOTIFY_SLACK_WEBHOOK_URL" in err.getvalue()
    assert "Traceback" not in err.getvalue()


def test_a_failing_notifier_is_reported_and_the_others_still_get_it(
    databases: Databases,
    seeded: tuple[Engine, LeadStore, dict[str, str]],
    team: tuple[FakeSlackWebhook, FakeTeamsWebhook, FakeSmtpServer],
) -> None:
    slack, teams, smtp = team
    slack.fail_next(404)
    out, err = io.StringIO(), io.StringIO()

    status = main(
        ["digest", "--send"],
        environ=team_environ(databases, team),
        stdout=out,
        stderr=err,
        clock=lambda: funnel_data.NOW,
    )

    assert status == 1
    assert "could not go to slack" in err.getvalue()
    assert (len(slack.messages), len(teams.cards), len(smtp.messages)) == (0, 1, 1)


MONDAY_9 = DigestSchedule.parse("mon 09:00")
# Monday 23 November 2026, 09:00 in London is 09:00 UTC (GMT).
DUE = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_the_schedule_sends_once_a_week_however_often_it_runs(
    databases: Databases,
    seeded: tuple[Engine, LeadStore, dict[str, str]],
    team: tuple[FakeSlackWebhook, FakeTeamsWebhook, FakeSmtpServer],
) -> None:
    slack, teams, smtp = team
    tracker, leads, _ = seeded
    notifiers = build_notifiers(team_environ(databases, team))
    assert MONDAY_9 is not None

    def build(now: datetime) -> TeamMessage:
        return build_digest(tracker, InsightStore(tracker), leads, now).message()

    before = send_if_due(MONDAY_9, SendLog(tracker), notifiers, build, DUE - timedelta(minutes=1))
    first = send_if_due(MONDAY_9, SendLog(tracker), notifiers, build, DUE)
    # a restart, or a second replica, later the same week
    again = send_if_due(MONDAY_9, SendLog(tracker), notifiers, build, DUE + timedelta(days=2))
    next_week = send_if_due(MONDAY_9, SendLog(tracker), notifiers, build, DUE + timedelta(days=7))

    assert (before, first, again, next_week) == (False, True, False, True)
    assert (len(slack.messages), len(teams.cards), len(smtp.messages)) == (2, 2, 2)
    assert SendLog(tracker).weeks() == [DUE.date(), (DUE + timedelta(days=7)).date()]


def test_when_every_notifier_fails_the_week_is_tried_again(
    databases: Databases,
    seeded: tuple[Engine, LeadStore, dict[str, str]],
) -> None:
    tracker, leads, _ = seeded
    with FakeSlackWebhook() as slack:
        notifiers = build_notifiers({"TSF_NOTIFY_SLACK_WEBHOOK_URL": slack.hook_url})
        slack.fail_next(503)
        assert MONDAY_9 is not None

        def build(now: datetime) -> TeamMessage:
            return build_digest(tracker, InsightStore(tracker), leads, now).message()

        failed = send_if_due(MONDAY_9, SendLog(tracker), notifiers, build, DUE)
        retried = send_if_due(
            MONDAY_9, SendLog(tracker), notifiers, build, DUE + timedelta(minutes=1)
        )

        assert (failed, retried) == (False, True)
        assert len(slack.messages) == 1
