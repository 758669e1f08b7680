"""An in-memory unit of work for service tests that need no database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tsf_leads.contracts import StoredLead
from tsf_leads.repository import (
    Claim,
    Delivery,
    LeadRecord,
    LeadRepository,
    OutboxRepository,
    lead_status,
)
from tsf_leads.unit_of_work import AbstractUnitOfWork


class FakeLeadRepository(LeadRepository):
    """Leads in a dict; sequences per year in another."""

    def __init__(self) -> None:
        """Empty."""
        self.sequences: dict[int, int] = {}
        self.leads: dict[str, tuple[StoredLead, str]] = {}
        self.deliveries: dict[str, list[Delivery]] = {}

    def next_sequence(self, year: int) -> int:
        """Count per year."""
        self.sequences[year] = self.sequences.get(year, 0) + 1
        return self.sequences[year]

    def add(self, lead: StoredLead, *, year: int, sequence: int, email_hash: str) -> None:
        """Keep the lead."""
        self.leads[lead.reference] = (lead, email_hash)
        self.deliveries[lead.reference] = []

    def find_for_conversation(self, conversation_id: str, email_hash: str) -> StoredLead | None:
        """Linear search."""
        for lead, key in self.leads.values():
            if lead.summary.conversation_id == conversation_id and key == email_hash:
                return lead
        return None

    def get(self, reference: str) -> LeadRecord | None:
        """The lead, if kept."""
        if reference not in self.leads:
            return None
        lead = self.leads[reference][0]
        deliveries = tuple(self.deliveries[reference])
        status = lead_status([delivery.status for delivery in deliveries])
        return LeadRecord(lead, status, lead.summary.created_at, deliveries)

    def list(self, limit: int | None = None) -> list[LeadRecord]:
        """Newest first."""
        records = [self.get(reference) for reference in reversed(self.leads)]
        return [record for record in records if record is not None][:limit]

    def references_created_before(self, cutoff: datetime) -> list[str]:
        """By creation time."""
        return [ref for ref, (lead, _) in self.leads.items() if lead.summary.created_at < cutoff]

    def references_for_email(self, email_hash: str) -> list[str]:
        """By email hash."""
        return [ref for ref, (_, key) in self.leads.items() if key == email_hash]

    def delete(self, references: Sequence[str]) -> int:
        """Forget the leads."""
        for reference in references:
            self.leads.pop(reference, None)
            self.deliveries.pop(reference, None)
        return len(references)


class FakeOutboxRepository(OutboxRepository):
    """Records queued deliveries on the lead repository; the worker side is not faked."""

    def __init__(self, leads: FakeLeadRepository) -> None:
        """Share the leads' delivery lists."""
        self.leads = leads

    def add(self, reference: str, destination: str, idempotency_key: str, now: datetime) -> None:
        """Queue a pending delivery."""
        self.leads.deliveries[reference].append(Delivery(destination, "pending", 0, now))

    def claim(
        self,
        destinations: Sequence[str],
        worker_id: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
    ) -> list[Claim]:
        """Not used by the service."""
        raise NotImplementedError

    def mark_sent(self, outbox_id: int, now: datetime, external_id: str | None) -> bool:
        """Not used by the service."""
        raise NotImplementedError

    def schedule_retry(
        self, outbox_id: int, worker_id: str, now: datetime, next_attempt_at: datetime, error: str
    ) -> bool:
        """Not used by the service."""
        raise NotImplementedError

    def mark_dead(self, outbox_id: int, worker_id: str, now: datetime, error: str) -> bool:
        """Not used by the service."""
        raise NotImplementedError

    def release(self, outbox_id: int, worker_id: str, now: datetime) -> bool:
        """Not used by the service."""
        raise NotImplementedError

    def requeue_dead(self, reference: str, now: datetime) -> int:
        """Not used here."""
        raise NotImplementedError


class FakeUnitOfWork(AbstractUnitOfWork):
    """Commits are counted; rollback after a commit keeps the work (no real transaction)."""

    def __init__(self) -> None:
        """Empty store."""
        self.leads = FakeLeadRepository()
        self.outbox = FakeOutboxRepository(self.leads)
        self.commits = 0

    def commit(self) -> None:
        """Count the commit."""
        self.commits += 1

    def rollback(self) -> None:
        """Nothing to undo in this fake."""
