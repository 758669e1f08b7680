"""Lead summaries, consents and clocks for the lead tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from tsf_leads.contracts import (
    Consent,
    Contact,
    CriterionOutcome,
    InterviewAnswer,
    LeadSummary,
)
from tsf_leads.repository import LeadStore, open_store

NOW = datetime(2026, 3, 2, 10, 15, tzinfo=timezone.utc)


def opened_store(url: str) -> Iterator[LeadStore]:
    """The lead store at ``url``, migrated, for a fixture: ``yield from opened_store(url)``."""
    store = open_store(url)
    try:
        yield store
    finally:
        store.dispose()


def make_contact(**changes: object) -> Contact:
    """Jo Bloggs, the director of a spin-out."""
    contact = Contact(
        name="Jo Bloggs",
        role="Managing director",
        email="jo.bloggs@example.org",
        phone="01632 960123",
        preferred_time="weekday mornings",
    )
    return replace(contact, **changes)  # type: ignore[arg-type]


def make_criteria(*statuses: str) -> tuple[CriterionOutcome, ...]:
    """Outcomes for the five criteria, all met unless ``statuses`` says otherwise."""
    names = ["spin_out", "launched", "technology", "amount", "repayment"]
    titles = ["Public sector spin-out", "Already launched", "Technology", "Amount", "Repayment"]
    chosen = list(statuses) + ["met"] * (len(names) - len(statuses))
    return tuple(
        CriterionOutcome(
            criterion=name, title=title, status=status, reason=f"Reason for {name} ({status})."
        )
        for name, title, status in zip(names, titles, chosen, strict=True)
    )


def make_summary(**changes: object) -> LeadSummary:
    """An eligible lead from the website; override any field with ``changes``."""
    summary = LeadSummary(
        organisation="Riverside Care Partnership CIC",
        contact=make_contact(),
        answers=(
            InterviewAnswer(
                slot="is_spin_out",
                question="Was your organisation set up by former public service staff?",
                own_words="Yes, we span out of the county council in 2019.",
                value="yes",
            ),
            InterviewAnswer(
                slot="investment_purpose",
                question="What would the loan pay for?",
                own_words="A new care records system and tablets for our carers.",
                value="care records system and tablets",
            ),
        ),
        amount=450_000,
        purpose="care records system and tablets",
        verdict="eligible",
        criteria=make_criteria(),
        priority="high",
        score=100,
        channel="website",
        conversation_id="conversation-1",
        created_at=NOW,
    )
    return replace(summary, **changes)  # type: ignore[arg-type]


def make_consent(**changes: object) -> Consent:
    """Consent given a minute before the lead was created."""
    consent = Consent(
        given_at=NOW - timedelta(minutes=1),
        notice_version="2026-01",
        purpose="To pass your details to the Social Investment Team so they can contact you.",
    )
    return replace(consent, **changes)  # type: ignore[arg-type]


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        """Start at ``now``."""
        self.now = now

    def __call__(self) -> datetime:
        """The current fake time."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += timedelta(seconds=seconds)
