"""Build ``StoredLead``s for tests: sensible defaults, any field overridable."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from tsf_leads.contracts import (
    Consent,
    Contact,
    CriterionOutcome,
    InterviewAnswer,
    LeadSummary,
    StoredLead,
)

REFERENCE = "TSF-2026-000123"
CREATED_AT = datetime(2026, 3, 2, 10, 15, 30, tzinfo=timezone.utc)


def make_contact(**overrides: Any) -> Contact:
    """A contact; pass keyword arguments to change any field."""
    values: dict[str, Any] = {
        "name": "Jane Smith",
        "role": "Finance Director",
        "email": "jane.smith@example.org",
        "phone": "020 7946 0000",
        "preferred_time": "weekday mornings",
    }
    values.update(overrides)
    return Contact(**values)


def make_summary(**overrides: Any) -> LeadSummary:
    """A lead summary for an eligible health spin-out; keyword arguments override fields."""
    values: dict[str, Any] = {
        "organisation": "Northshire Health Tech CIC",
        "contact": make_contact(),
        "answers": (
            InterviewAnswer(
                slot="organisation_type",
                question="What kind of organisation are you?",
                own_words="We spun out of the NHS trust in 2019 as a CIC",
                value="public_sector_spin_out",
            ),
            InterviewAnswer(
                slot="loan_amount",
                question="How much would you like to borrow?",
                own_words="about half a million",
                value="500000",
            ),
        ),
        "amount": 500_000,
        "purpose": "Remote monitoring kit for care homes",
        "verdict": "eligible",
        "criteria": (
            CriterionOutcome(
                criterion="spin_out",
                title="Public-sector spin-out",
                status="met",
                reason="You spun out of an NHS trust.",
            ),
            CriterionOutcome(
                criterion="amount",
                title="Loan size",
                status="met",
                reason="£500,000 is between £250,000 and £1 million.",
            ),
        ),
        "priority": "high",
        "score": 85,
        "channel": "web",
        "conversation_id": "conv-0001",
        "created_at": CREATED_AT,
        "notes": (),
    }
    values.update(overrides)
    return LeadSummary(**values)


def make_markdown(reference: str, summary: LeadSummary) -> str:
    """A small Markdown summary (the real one comes from ``tsf_leads.summary``)."""
    lines = [
        f"# Lead {reference}: {summary.organisation}",
        "",
        f"- **Contact:** {summary.contact.name} ({summary.contact.role}), {summary.contact.email}",
        f"- **Verdict:** {summary.verdict}, {summary.priority} priority (score {summary.score})",
        "",
        "## Answers",
        "",
    ]
    lines += [f"- {answer.question} _{answer.own_words}_" for answer in summary.answers]
    return "\n".join(lines) + "\n"


def make_lead(
    reference: str = REFERENCE,
    *,
    markdown: str | None = None,
    summary: LeadSummary | None = None,
    **summary_overrides: Any,
) -> StoredLead:
    """A stored lead; keyword arguments not named here override summary fields.

    Example: ``make_lead("TSF-2026-000124", organisation="<b>Acme</b>", amount=None)``.
    """
    lead_summary = summary or make_summary()
    if summary_overrides:
        lead_summary = replace(lead_summary, **summary_overrides)
    return StoredLead(
        reference=reference,
        summary=lead_summary,
        consent=Consent(
            given_at=CREATED_AT,
            notice_version="2026-01",
            purpose="Pass my details to the Social Investment Team so they can contact me.",
        ),
        markdown=markdown if markdown is not None else make_markdown(reference, lead_summary),
    )
