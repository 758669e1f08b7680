"""Fakes for action tests: a lead gateway that keeps submissions in memory."""

from __future__ import annotations

from dataclasses import dataclass, field

from actions.services import Services, get_services
from tsf_leads.contracts import Consent, LeadSummary, StoredLead


@dataclass
class InMemoryLeads:
    """Keeps submitted leads; can be told to fail like a dead database."""

    submitted: list[StoredLead] = field(default_factory=list)
    failing: bool = False

    def submit(self, summary: LeadSummary, consent: Consent) -> StoredLead:
        """Store the lead in memory with the next reference."""
        if self.failing:
            raise ConnectionError("database is down for jo@example.org")
        stored = StoredLead(
            reference=f"TSF-2026-{len(self.submitted) + 1:06d}",
            summary=summary,
            consent=consent,
            markdown="",
        )
        self.submitted.append(stored)
        return stored


def services_with(leads: InMemoryLeads) -> Services:
    """The real knowledge services with ``leads`` in place of the database."""
    real = get_services()
    return Services(knowledge=real.knowledge, retriever=real.retriever, leads=leads)
