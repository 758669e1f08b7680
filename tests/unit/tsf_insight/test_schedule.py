"""When the weekly digest is due: a day and a time in UK time."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests.fakes.chat import FakeSlackWebhook
from tsf_insight.schedule import DigestSchedule, SendLog, run_schedule
from tsf_leads.contracts import MessageSection, TeamMessage
from tsf_leads.notify import build_notifiers

UTC = timezone.utc


@pytest.mark.parametrize(
    ("spec", "weekday", "at"),
    [("mon 09:00", 0, time(9)), ("Friday 16:30", 4, time(16, 30)), (" sun 0:05 ", 6, time(0, 5))],
)
def test_a_day_and_a_time_are_read(spec: str, weekday: int, at: time) -> None:
    assert DigestSchedule.parse(spec) == DigestSchedule(weekday, at)


def test_off_means_never() -> None:
    assert DigestSchedule.parse("OFF") is None


@pytest.mark.parametrize("spec", ["monday", "09:00", "xyz 09:00", "mon 24:00", "mon 9:60", ""])
def test_anything_else_is_refused_with_an_example(spec: str) -> None:
    with pytest.raises(ValueError, match="TSF_DIGEST_SCHEDULE"):
        DigestSchedule.parse(spec)


def test_it_describes_itself() -> None:
    assert DigestSchedule(0, time(9)).describe() == "Mondays at 09:00 UK time"


def test_it_is_due_from_the_moment_until_the_end_of_the_week_in_uk_time() -> None:
    schedule = DigestSchedule(0, time(9))
    monday = date(2026, 11, 23)

    assert schedule.week_due(datetime(2026, 11, 23, 8, 59, tzinfo=UTC)) is None
    assert schedule.week_due(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)) == monday
    assert schedule.week_due(datetime(2026, 11, 29, 23, 59, tzinfo=UTC)) == monday
    assert schedule.week_due(datetime(2026, 11, 30, 8, 0, tzinfo=UTC)) is None


def test_summer_time_moves_the_moment_an_hour_earlier_in_utc() -> None:
    schedule = DigestSchedule(0, time(9))

    assert schedule.moment(date(2026, 6, 1)) == datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    assert schedule.week_due(datetime(2026, 6, 1, 8, 0, tzinfo=UTC)) == date(2026, 6, 1)
    # Sunday 23:30 UTC is already Monday in London: a new week, not yet due.
    assert schedule.week_due(datetime(2026, 5, 31, 23, 30, tzinfo=UTC)) is None


def test_the_service_loop_sends_when_due_and_stops_when_asked(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}", future=True)
    stop = threading.Event()
    message = TeamMessage("Digest", (MessageSection("Funnel", ("none",)),), "tsf-digest-test")

    def build(now: datetime) -> TeamMessage:
        stop.set()  # one round is enough
        return message

    with FakeSlackWebhook() as slack:
        notifiers = build_notifiers({"TSF_NOTIFY_SLACK_WEBHOOK_URL": slack.hook_url})
        sent = run_schedule(
            stop,
            DigestSchedule(0, time(9)),
            SendLog(engine),
            notifiers,
            build,
            clock=lambda: datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
            poll_seconds=0.01,
        )

    assert sent == 1
    assert len(slack.messages) == 1
    assert SendLog(engine).weeks() == [date(2026, 11, 23)]
    engine.dispose()
