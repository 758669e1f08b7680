"""What staff can ask the assistant about leads in Slack or Teams: "leads today", "open
leads" and "lead TSF-2026-000123". Only the staff channels call this; the website never does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from tsf_knowledge.amounts import format_pounds
from tsf_leads.repository import LeadRecord
from tsf_leads.service import LeadService
from tsf_leads.summary import VERDICT_LABELS
from tsf_leads.team_status import CLAIMED

LONDON = ZoneInfo("Europe/London")
MAX_LISTED = 20
STATUS_WORDS = {
    "claimed": "claimed by",
    "contacted": "contacted by",
    "not_a_fit": "not a fit, said",
}

_TODAY = re.compile(r"^(?:show (?:me )?)?(?:the )?(?:new )?leads (?:from )?today$|^today'?s leads$")
_OPEN = re.compile(r"^(?:show (?:me )?)?(?:the |all )?open leads$")
_ONE = re.compile(r"^(?:show (?:me )?)?lead\s+(tsf-\d{4}-\d{6})$")


@dataclass(frozen=True)
class TeamQuery:
    """A question about leads: ``today``, ``open`` or ``one`` (with its reference)."""

    kind: str
    reference: str | None = None


@dataclass(frozen=True)
class TeamAnswer:
    """The reply: its text, and the leads it is about (one, for a card with buttons)."""

    text: str
    leads: tuple[LeadRecord, ...] = ()


def parse_team_query(text: str) -> TeamQuery | None:
    """The question ``text`` asks, if it is one of the three (case, spaces and a final
    question mark or full stop forgiven)."""
    words = " ".join(text.lower().replace("’", "'").split()).rstrip("?.! ")
    if _TODAY.match(words):
        return TeamQuery("today")
    if _OPEN.match(words):
        return TeamQuery("open")
    one = _ONE.match(words)
    if one:
        return TeamQuery("one", one.group(1).upper())
    return None


def describe(record: LeadRecord) -> str:
    """One line about a lead: reference, organisation, verdict, amount and team status."""
    summary = record.lead.summary
    amount = "amount not given" if summary.amount is None else format_pounds(summary.amount)
    parts = [
        record.reference,
        summary.organisation,
        VERDICT_LABELS.get(summary.verdict, summary.verdict),
        amount,
    ]
    team = record.team
    parts.append("new" if team is None else f"{STATUS_WORDS[team.status]} {team.staff_name}")
    return " · ".join(parts)


def _listing(title: str, records: list[LeadRecord], empty: str) -> TeamAnswer:
    if not records:
        return TeamAnswer(empty)
    shown = records[:MAX_LISTED]
    lines = [f"{title} ({len(records)}):", *(f"• {describe(record)}" for record in shown)]
    if len(records) > len(shown):
        lines.append(f"…and {len(records) - len(shown)} more (tsf-leads list shows them all).")
    lines.append('Ask "lead TSF-…" for a lead\'s card and its buttons.')
    return TeamAnswer("\n".join(lines), tuple(shown))


def answer_team_query(query: TeamQuery, service: LeadService, now: datetime) -> TeamAnswer:
    """The answer to ``query`` from the lead store, as of ``now`` (an aware time)."""
    if query.kind == "one" and query.reference:
        try:
            record = service.get(query.reference)
        except (LookupError, ValueError):
            return TeamAnswer(f"There is no lead {query.reference}.")
        return TeamAnswer(describe(record), (record,))
    records = service.list()
    if query.kind == "today":
        today = now.astimezone(LONDON).date()
        chosen = [r for r in records if r.created_at.astimezone(LONDON).date() == today]
        return _listing("Leads today", chosen, "No new leads today.")
    waiting = [r for r in records if r.team is None or r.team.status == CLAIMED]
    return _listing("Open leads", waiting, "No open leads: every lead has been contacted.")
