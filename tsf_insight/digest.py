"""The weekly digest for the team: the last 7 days' funnel, the top content gaps, the answers
marked unhelpful, and the leads still waiting for a destination or dead-lettered.

:func:`build_digest` reads the stores; :meth:`Digest.message` is the ``TeamMessage`` the
notifiers send (Slack, Teams, email) and :meth:`Digest.markdown` the same for a terminal.
Questions are shown as the gap store keeps them (personal data redacted); leads only by
reference, destination and state, never by who they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine

from tsf_insight.funnel import Funnel, compute_funnel, funnel_table, week_of
from tsf_insight.grouping import Group, group_questions
from tsf_insight.store import FactFeedback, InsightStore
from tsf_leads.contracts import MessageSection, TeamMessage
from tsf_leads.db import DEAD, LEAD_DEAD, LEAD_PENDING, SENT
from tsf_leads.repository import LeadRecord, LeadStore

PERIOD = timedelta(days=7)
TOP_GAPS = 5
MAX_LEADS_LISTED = 20
EXAMPLE_LENGTH = 160


@dataclass(frozen=True)
class Digest:
    """What the team hears about the 7 days before ``end``."""

    end: datetime
    funnel: Funnel
    gap_groups: tuple[Group, ...]
    gap_count: int
    unhelpful: tuple[FactFeedback, ...]
    waiting: tuple[LeadRecord, ...]
    failing: tuple[LeadRecord, ...]

    @property
    def week(self) -> date:
        """The Monday (UTC) of the week the digest is sent in."""
        return week_of(self.end)

    @property
    def title(self) -> str:
        """``TSF Assistant weekly digest: 18 Nov to 25 Nov 2026``."""
        start = self.end - PERIOD
        return f"TSF Assistant weekly digest: {start:%d %b} to {self.end:%d %b %Y}"

    def sections(self) -> tuple[MessageSection, ...]:
        """The funnel table, the gaps, the unhelpful answers, the waiting and failing leads."""
        return (
            MessageSection(
                "Funnel, last 7 days", tuple(funnel_table(self.funnel).splitlines()), True
            ),
            MessageSection(
                f"Top content gaps ({self.gap_count} questions not answered well)",
                tuple(_gap_line(group) for group in self.gap_groups) or ("None this week.",),
            ),
            MessageSection(
                "Answers marked unhelpful",
                tuple(
                    f"{item.fact_id}: {item.unhelpful} unhelpful, {item.helpful} helpful"
                    for item in self.unhelpful
                )
                or ("None this week.",),
            ),
            MessageSection(
                f"Leads failing ({len(self.failing)})",
                _lead_lines(self.failing, _failing_line, "None: nothing is dead-lettered."),
            ),
            MessageSection(
                f"Leads waiting ({len(self.waiting)})",
                _lead_lines(self.waiting, _waiting_line, "None: every lead has been delivered."),
            ),
        )

    def message(self) -> TeamMessage:
        """The digest for the notifiers, keyed by its week (``tsf-digest-2026-11-23``)."""
        return TeamMessage(self.title, self.sections(), key=f"tsf-digest-{self.week.isoformat()}")

    def markdown(self) -> str:
        """The digest as Markdown: the table fenced, the rest as lists."""
        parts = [f"# {self.title}"]
        for section in self.sections():
            parts += ["", f"## {section.heading}", ""]
            if section.fixed_width:
                parts += ["```", *section.lines, "```"]
            else:
                parts += [f"- {line}" for line in section.lines]
        return "\n".join(parts) + "\n"


def _shorten(text: str, limit: int = EXAMPLE_LENGTH) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _gap_line(group: Group) -> str:
    asked = "time" if group.count == 1 else "times"
    return f'{group.count} {asked}, e.g. "{_shorten(group.examples[0])}"'


def _lead_lines(
    records: tuple[LeadRecord, ...], line: Callable[[LeadRecord], str], empty: str
) -> tuple[str, ...]:
    shown = tuple(line(record) for record in records[:MAX_LEADS_LISTED])
    more = len(records) - len(shown)
    return (*shown, f"… and {more} more (tsf-leads list)") if more > 0 else shown or (empty,)


def _attempts(count: int) -> str:
    return f"{count} attempt{'' if count == 1 else 's'}"


def _failing_line(record: LeadRecord) -> str:
    dead = [d for d in record.deliveries if d.status == DEAD]
    where = ", ".join(f"{d.destination} after {_attempts(d.attempts)}" for d in dead)
    return f"{record.reference}: dead-lettered at {where} (tsf-leads retry {record.reference})"


def _waiting_line(record: LeadRecord) -> str:
    waiting = [d for d in record.deliveries if d.status != SENT]
    where = ", ".join(f"{d.destination} ({_attempts(d.attempts)} so far)" for d in waiting)
    return f"{record.reference}: since {record.created_at:%d %b %H:%M} UTC, waiting for {where}"


def build_digest(
    tracker: Engine, insight: InsightStore, leads: LeadStore | None, end: datetime
) -> Digest:
    """The digest of the 7 days before ``end`` (aware), from the conversations' database, the
    gap and feedback store and, when given, the lead store."""
    start = end - PERIOD
    gaps = [gap for gap in insight.gaps_since(start) if gap.asked_at < end.timestamp()]
    groups = tuple(group_questions([gap.question for gap in gaps])[:TOP_GAPS]) if gaps else ()
    unhelpful = tuple(item for item in insight.feedback_by_fact(start) if item.unhelpful)
    waiting: tuple[LeadRecord, ...] = ()
    failing: tuple[LeadRecord, ...] = ()
    if leads is not None:
        with leads.transaction() as repository:
            records = repository.with_status([LEAD_PENDING, LEAD_DEAD])
        failing = tuple(record for record in records if record.status == LEAD_DEAD)
        waiting = tuple(record for record in records if record.status == LEAD_PENDING)
    return Digest(
        end=end,
        funnel=compute_funnel(tracker, leads, start, end),
        gap_groups=groups,
        gap_count=len(gaps),
        unhelpful=unhelpful,
        waiting=waiting,
        failing=failing,
    )
