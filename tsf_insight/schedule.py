"""When the weekly digest goes out, and the record that it went, so it goes once a week.

``TSF_DIGEST_SCHEDULE`` names a day and a time in UK time (``mon 09:00``). Once that moment
of the current week (Monday to Sunday, UK time) has passed, :func:`send_if_due` claims the
week in the ``tsf_digest_sends`` table (its primary key is the week's Monday, so a restart,
a second run or a second replica finds it taken) and sends the digest through every
notifier. If every notifier fails the claim is given back, to try again at the next poll;
if some succeed the week stays claimed (the others are logged), so nobody hears it twice.
A service started after the moment sends that week's digest at once.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Float, MetaData, String, Table, delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from tsf_knowledge.office_hours import DAY_NAMES, DAYS, LONDON
from tsf_leads.contracts import CrmError, Notifier, TeamMessage

logger = logging.getLogger(__name__)

OFF = "off"
POLL_SECONDS = 60.0
_SPEC = re.compile(r"^\s*([a-z]{3})[a-z]*\s+(\d{1,2}):(\d{2})\s*$", re.IGNORECASE)

sends = Table(
    "tsf_digest_sends",
    MetaData(),
    Column("week", String(10), primary_key=True),  # the Monday, 2026-11-23
    Column("sent_at", Float, nullable=False),
)


@dataclass(frozen=True)
class DigestSchedule:
    """A day of the week and a time of day, UK time."""

    weekday: int
    at: time

    @classmethod
    def parse(cls, spec: str) -> DigestSchedule | None:
        """``mon 09:00`` (or ``Monday 9:00``); ``None`` for ``off``.

        Raises:
            ValueError: saying what is expected.
        """
        if spec.strip().lower() == OFF:
            return None
        match = _SPEC.match(spec)
        day = match.group(1).lower() if match else ""
        if match is None or day not in DAYS:
            raise ValueError(
                f"TSF_DIGEST_SCHEDULE {spec!r} is not a day and a time: use e.g. 'mon 09:00'"
                " (UK time) or 'off'"
            )
        hours, minutes = int(match.group(2)), int(match.group(3))
        if hours > 23 or minutes > 59:
            raise ValueError(f"TSF_DIGEST_SCHEDULE {spec!r}: the time must be 00:00 to 23:59")
        return cls(DAYS.index(day), time(hours, minutes))

    def describe(self) -> str:
        """``Mondays at 09:00 UK time``."""
        return f"{DAY_NAMES[self.weekday]}s at {self.at:%H:%M} UK time"

    def moment(self, week: date) -> datetime:
        """When the digest of the week beginning ``week`` (a Monday) is due, in UTC."""
        day = week + timedelta(days=self.weekday)
        local = datetime.combine(day, self.at, tzinfo=ZoneInfo(LONDON))
        return local.astimezone(timezone.utc)

    def week_due(self, now: datetime) -> date | None:
        """The Monday of the current UK week if its digest is due by ``now``, else ``None``."""
        local = now.astimezone(ZoneInfo(LONDON)).date()
        week = local - timedelta(days=local.weekday())
        return week if now >= self.moment(week) else None


class SendLog:
    """The weeks whose digest has gone, in the conversations' database."""

    def __init__(self, engine: Engine) -> None:
        """Work on ``engine``'s database; create the table if it is missing."""
        self.engine = engine
        sends.metadata.create_all(engine)

    def claim(self, week: date, now: datetime) -> bool:
        """Take ``week`` for sending; ``False`` when it was already taken."""
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(sends).values(week=week.isoformat(), sent_at=now.timestamp())
                )
        except IntegrityError:
            return False
        return True

    def release(self, week: date) -> None:
        """Give ``week`` back (its digest could not be sent)."""
        with self.engine.begin() as connection:
            connection.execute(delete(sends).where(sends.c.week == week.isoformat()))

    def weeks(self) -> list[date]:
        """Every week sent, oldest first."""
        with self.engine.connect() as connection:
            found = connection.execute(select(sends.c.week).order_by(sends.c.week)).scalars()
            return [date.fromisoformat(week) for week in found]


def send_message(notifiers: Sequence[Notifier], message: TeamMessage) -> list[str]:
    """Send ``message`` through every notifier; the names of those that failed (logged)."""
    failed = []
    for notifier in notifiers:
        try:
            notifier.send_message(message)
        except CrmError as error:
            logger.warning("The digest could not go to %s: %s", notifier.name, type(error).__name__)
            failed.append(notifier.name)
    return failed


def send_if_due(
    schedule: DigestSchedule,
    log: SendLog,
    notifiers: Sequence[Notifier],
    build: Callable[[datetime], TeamMessage],
    now: datetime,
) -> bool:
    """Send this week's digest (built for ``now``) if it is due and nobody has yet; whether
    it went to at least one notifier."""
    week = schedule.week_due(now)
    if not notifiers or week is None or not log.claim(week, now):
        return False
    try:
        failed = send_message(notifiers, build(now))
    except BaseException:
        log.release(week)
        raise
    if len(failed) == len(notifiers):
        log.release(week)
        return False
    logger.info("Sent the weekly digest of the week of %s", week.isoformat())
    return True


def run_schedule(
    stop: threading.Event,
    schedule: DigestSchedule,
    log: SendLog,
    notifiers: Sequence[Notifier],
    build: Callable[[datetime], TeamMessage],
    clock: Callable[[], datetime],
    poll_seconds: float = POLL_SECONDS,
) -> int:
    """Check every ``poll_seconds`` until ``stop`` is set; how many digests were sent."""
    sent = 0
    while not stop.is_set():
        try:
            sent += send_if_due(schedule, log, notifiers, build, clock())
        except Exception as error:  # a database outage: try again at the next poll
            logger.warning("The digest check failed: %s", type(error).__name__)
        stop.wait(poll_seconds)
    return sent
