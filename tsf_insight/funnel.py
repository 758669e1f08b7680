"""The funnel: from a conversation to a delivered lead, per ISO week (Monday to Sunday, UTC).

Each stage counts **conversations** (distinct sender ids), not events, from the events Rasa
keeps in its SQL tracker store, and leads from the lead store:

- *conversations*: a user message;
- *enquiries answered*: an answer from the facts (the ``last_fact_id`` slot set to a fact);
- *checks started*: the eligibility form activated (an ``active_loop`` event);
- *checks finished*: a verdict (the ``eligibility_verdict`` slot), split into eligible,
  borderline and not eligible; a not-eligible verdict by the criterion that ruled the
  organisation out (the ``disqualified_by`` slot when the verdict was given);
- *consent given*: the ``consent_given`` slot set to yes;
- *leads*: leads created, then those *delivered* to every destination and those with a
  *dead-lettered* delivery (their status in the lead store now).

A conversation counts once per stage in each week it reached that stage, and once in the
period's totals; its latest verdict in a week (or the period) is the one counted. Only the
events of the stages are read (filtered by type and time in SQL) and they are streamed, not
loaded per conversation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import inspect, or_, select
from sqlalchemy.engine import Engine

from tsf_config.tracker_events import EVENTS_TABLE, events
from tsf_knowledge.eligibility import CRITERION_TITLES
from tsf_leads.db import LEAD_DEAD, LEAD_DELIVERED
from tsf_leads.repository import LeadStore

# What the actions write (actions/enquiries.py, eligibility_form.py, eligibility_verdict.py,
# lead_form.py; a test checks these against them).
LAST_FACT_SLOT = "last_fact_id"
VERDICT_SLOT = "eligibility_verdict"
DISQUALIFIED_SLOT = "disqualified_by"
CONSENT_SLOT = "consent_given"
ELIGIBILITY_FORM = "eligibility_form"
YES = "yes"
ELIGIBLE, BORDERLINE, NOT_ELIGIBLE = "eligible", "borderline", "not_eligible"
UNKNOWN_REASON = "unknown"

STAGES: tuple[tuple[str, str], ...] = (
    ("conversations", "Conversations"),
    ("enquiries_answered", "Enquiries answered"),
    ("checks_started", "Checks started"),
    ("checks_finished", "Checks finished"),
    ("eligible", "Eligible"),
    ("borderline", "Borderline"),
    ("not_eligible", "Not eligible"),
    ("consent_given", "Consent given"),
    ("leads", "Leads"),
    ("delivered", "Leads delivered"),
    ("dead_lettered", "Leads dead-lettered"),
)
"""Each stage's key and label, in funnel order."""

WEEK = timedelta(days=7)
_STREAM = {"stream_results": True}


def week_of(moment: datetime | float) -> date:
    """The Monday (UTC) of the ISO week ``moment`` (a datetime or epoch seconds) falls in."""
    if not isinstance(moment, datetime):
        moment = datetime.fromtimestamp(moment, timezone.utc)
    day = moment.astimezone(timezone.utc).date()
    return day - timedelta(days=day.weekday())


def reason_label(reason: str) -> str:
    """The criterion's title (``A public sector spin-out``), or the reason as stored."""
    return CRITERION_TITLES.get(
        reason, "reason not recorded" if reason == UNKNOWN_REASON else reason
    )


@dataclass(frozen=True)
class Counts:
    """How many conversations (and leads) reached each stage."""

    conversations: int = 0
    enquiries_answered: int = 0
    checks_started: int = 0
    checks_finished: int = 0
    eligible: int = 0
    borderline: int = 0
    not_eligible_by_reason: dict[str, int] = field(default_factory=dict)
    consent_given: int = 0
    leads: int = 0
    delivered: int = 0
    dead_lettered: int = 0

    @property
    def not_eligible(self) -> int:
        """Not-eligible verdicts, whatever the reason."""
        return sum(self.not_eligible_by_reason.values())

    def stage(self, key: str) -> int:
        """The count of the stage ``key`` (one of :data:`STAGES`)."""
        return int(getattr(self, key))

    def as_dict(self) -> dict[str, Any]:
        """Every stage's count, and the not-eligible reasons, for JSON."""
        found: dict[str, Any] = {key: self.stage(key) for key, _ in STAGES}
        found["not_eligible_by_reason"] = dict(sorted(self.not_eligible_by_reason.items()))
        return found


@dataclass(frozen=True)
class Funnel:
    """The funnel over ``[start, end)``: each week's counts and the period's."""

    start: datetime
    end: datetime
    weeks: tuple[tuple[date, Counts], ...]
    total: Counts

    def reasons(self) -> list[str]:
        """Every not-eligible reason seen in a week, most frequent over the period first."""
        seen = {reason for _, counts in self.weeks for reason in counts.not_eligible_by_reason}
        totals = self.total.not_eligible_by_reason
        return sorted(seen | set(totals), key=lambda reason: (-totals.get(reason, 0), reason))

    def as_dict(self) -> dict[str, Any]:
        """The funnel for JSON: the period, each week (by its Monday) and the totals."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "weeks": [
                {"week": week.isoformat(), **counts.as_dict()} for week, counts in self.weeks
            ],
            "total": self.total.as_dict(),
        }


@dataclass
class _Tally:
    """The conversations seen at each stage (mutable, while reading)."""

    conversations: set[str] = field(default_factory=set)
    answered: set[str] = field(default_factory=set)
    started: set[str] = field(default_factory=set)
    verdicts: dict[str, tuple[str, str]] = field(default_factory=dict)
    consent: set[str] = field(default_factory=set)
    leads: int = 0
    delivered: int = 0
    dead: int = 0

    def counts(self) -> Counts:
        outcomes = [verdict for verdict, _ in self.verdicts.values()]
        reasons: dict[str, int] = {}
        for verdict, reason in self.verdicts.values():
            if verdict == NOT_ELIGIBLE:
                reasons[reason] = reasons.get(reason, 0) + 1
        return Counts(
            conversations=len(self.conversations),
            enquiries_answered=len(self.answered),
            checks_started=len(self.started),
            checks_finished=len(self.verdicts),
            eligible=outcomes.count(ELIGIBLE),
            borderline=outcomes.count(BORDERLINE),
            not_eligible_by_reason=reasons,
            consent_given=len(self.consent),
            leads=self.leads,
            delivered=self.delivered,
            dead_lettered=self.dead,
        )


def weeks_between(start: datetime, end: datetime) -> list[date]:
    """The Mondays of every week that ``[start, end)`` touches."""
    first, last = week_of(start), week_of(end - timedelta(microseconds=1))
    return [first + WEEK * n for n in range((last - first) // WEEK + 1)]


class _Reader:
    """Reads the stage events of ``[start, end)`` into one tally per week and one in all."""

    def __init__(self, start: datetime, end: datetime) -> None:
        self.start, self.end = start, end
        self.weeks = {week: _Tally() for week in weeks_between(start, end)}
        self.total = _Tally()
        self.disqualified: dict[str, str | None] = {}

    def tallies(self, timestamp: float) -> Iterator[_Tally]:
        yield self.weeks[week_of(timestamp)]
        yield self.total

    def _range(self) -> Any:
        column = events.c.timestamp
        return (column >= self.start.timestamp()) & (column < self.end.timestamp())

    def read_tracker(self, engine: Engine) -> None:
        if not inspect(engine).has_table(EVENTS_TABLE):
            return  # Rasa has not started on this database yet
        users = select(events.c.sender_id, events.c.timestamp).where(
            events.c.type_name == "user", self._range()
        )
        names = (LAST_FACT_SLOT, VERDICT_SLOT, DISQUALIFIED_SLOT, CONSENT_SLOT, ELIGIBILITY_FORM)
        mentioned = or_(*(events.c.data.like(f'%"{name}"%') for name in names))
        stages = (
            select(events.c.sender_id, events.c.timestamp, events.c.data)
            .where(events.c.type_name.in_(("slot", "active_loop")), self._range(), mentioned)
            .order_by(events.c.id)
        )
        with engine.connect() as connection:
            for sender, timestamp in connection.execution_options(**_STREAM).execute(users):
                for tally in self.tallies(timestamp):
                    tally.conversations.add(sender)
            for sender, timestamp, data in connection.execution_options(**_STREAM).execute(stages):
                self.take(sender, timestamp, _event(data))

    def take(self, sender: str, timestamp: float, event: dict[str, Any]) -> None:
        name, value = event.get("name"), event.get("value")
        if event.get("event") == "active_loop":
            if name == ELIGIBILITY_FORM:
                for tally in self.tallies(timestamp):
                    tally.started.add(sender)
            return
        if name == DISQUALIFIED_SLOT:
            self.disqualified[sender] = value if isinstance(value, str) else None
        elif name == LAST_FACT_SLOT and value:
            for tally in self.tallies(timestamp):
                tally.answered.add(sender)
        elif name == CONSENT_SLOT and value == YES:
            for tally in self.tallies(timestamp):
                tally.consent.add(sender)
        elif name == VERDICT_SLOT and value in (ELIGIBLE, BORDERLINE, NOT_ELIGIBLE):
            reason = self.disqualified.get(sender) or UNKNOWN_REASON
            for tally in self.tallies(timestamp):
                tally.verdicts[sender] = (value, reason if value == NOT_ELIGIBLE else "")

    def read_leads(self, store: LeadStore) -> None:
        with store.transaction() as repository:
            rows = repository.statuses_created_between(self.start, self.end)
        for created_at, status in rows:
            for tally in self.tallies(created_at.timestamp()):
                tally.leads += 1
                tally.delivered += status == LEAD_DELIVERED
                tally.dead += status == LEAD_DEAD

    def funnel(self) -> Funnel:
        weeks = tuple((week, tally.counts()) for week, tally in self.weeks.items())
        return Funnel(self.start, self.end, weeks, self.total.counts())


def _event(data: str | None) -> dict[str, Any]:
    try:
        found = json.loads(data or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def compute_funnel(
    tracker: Engine, leads: LeadStore | None, start: datetime, end: datetime
) -> Funnel:
    """The funnel of ``[start, end)`` (aware datetimes) from the tracker database and, when
    given, the lead store."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("the funnel's period needs aware datetimes")
    if end <= start:
        raise ValueError("the funnel's period must end after it starts")
    reader = _Reader(start, end)
    reader.read_tracker(tracker)
    if leads is not None:
        reader.read_leads(leads)
    return reader.funnel()


def _rows(funnel: Funnel) -> Iterable[tuple[str, list[int], int]]:
    """Each line of the table: its label, the weekly counts and the period's."""
    for key, label in STAGES:
        yield label, [counts.stage(key) for _, counts in funnel.weeks], funnel.total.stage(key)
        if key == "not_eligible":
            for reason in funnel.reasons():
                weekly = [
                    counts.not_eligible_by_reason.get(reason, 0) for _, counts in funnel.weeks
                ]
                yield (
                    f"  {reason_label(reason)}",
                    weekly,
                    funnel.total.not_eligible_by_reason.get(reason, 0),
                )


def funnel_table(funnel: Funnel) -> str:
    """The funnel as a plain-text table: a line per stage, a column per week (headed by its
    Monday) and the period's total."""
    headers = ["Stage", *(f"w/c {week:%d %b}" for week, _ in funnel.weeks), "Total"]
    lines = [[label, *map(str, weekly), str(total)] for label, weekly, total in _rows(funnel)]
    widths = [max(len(row[n]) for row in [headers, *lines]) for n in range(len(headers))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(cells) for cells in lines)])
