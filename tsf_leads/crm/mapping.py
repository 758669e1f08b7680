"""Small, pure helpers shared by the CRM mappings and the notifiers."""

from __future__ import annotations

from datetime import datetime

from tsf_knowledge.amounts import format_pounds
from tsf_leads.contracts import CriterionOutcome, StoredLead
from tsf_leads.payload import as_utc
from tsf_leads.summary import STATUS_LABELS, VERDICT_LABELS

__all__ = [
    "criterion_outcome",
    "iso_utc",
    "lead_facts",
    "one_line",
    "split_name",
    "subject_line",
    "truncate",
]

TRUNCATION_MARK = "\n… (shortened: the full summary is in the TSF Assistant's lead store)"


def truncate(text: str, limit: int, mark: str = "…") -> str:
    """``text`` cut to at most ``limit`` characters, ending with ``mark`` when it was cut."""
    if len(text) <= limit:
        return text
    if limit <= len(mark):
        return text[:limit]
    return text[: limit - len(mark)].rstrip() + mark


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (newlines included) collapsed to one space."""
    return " ".join(text.split())


def split_name(name: str) -> tuple[str, str]:
    """Split a full name into (first names, last name) for CRMs that want both.

    ``"Dr Jane Smith"`` -> ``("Dr Jane", "Smith")``; a single word is a last name.
    """
    words = name.split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds and a ``Z`` (naive datetimes are taken as UTC)."""
    return as_utc(moment).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def subject_line(lead: StoredLead) -> str:
    """A one-line title for the lead: reference, organisation, verdict and priority."""
    summary = lead.summary
    verdict = VERDICT_LABELS.get(summary.verdict, summary.verdict)
    return (
        f"TSF lead {lead.reference}: {one_line(summary.organisation)} "
        f"({verdict}, {summary.priority} priority)"
    )


def lead_facts(lead: StoredLead) -> list[tuple[str, str]]:
    """The lead's facts as (label, one-line value) pairs, in the order the notifiers list them."""
    summary = lead.summary
    contact = summary.contact
    return [
        ("Organisation", one_line(summary.organisation)),
        ("Contact", one_line(f"{contact.name}, {contact.role}")),
        ("Email", contact.email.strip()),
        ("Phone", one_line(contact.phone or "not given")),
        ("Preferred time", one_line(contact.preferred_time or "not given")),
        ("Amount", format_pounds(summary.amount)),
        ("Purpose", one_line(summary.purpose or "not given")),
        ("Verdict", VERDICT_LABELS.get(summary.verdict, summary.verdict)),
        ("Priority", f"{summary.priority} (score {summary.score})"),
        ("Channel", one_line(summary.channel)),
    ]


def criterion_outcome(criterion: CriterionOutcome) -> str:
    """What became of a criterion, on one line: its status in words, then the reason."""
    return f"{STATUS_LABELS.get(criterion.status, criterion.status)}. {one_line(criterion.reason)}"
