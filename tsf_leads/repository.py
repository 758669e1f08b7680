"""Repositories of the lead store: leads and their outbox, over one SQLAlchemy session.

The abstract classes are the ports the services and the worker use; the ``Sql*`` classes
implement them with SQLAlchemy Core statements (2.0-style ``select()``). They never commit:
the unit of work does.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from tsf_leads.contracts import StoredLead
from tsf_leads.db import (
    DEAD,
    IN_FLIGHT,
    LEAD_DEAD,
    LEAD_DELIVERED,
    LEAD_PENDING,
    LEAD_STORED,
    PENDING,
    SENT,
    lead_sequences,
    leads,
    outbox,
)
from tsf_leads.payload import dump_lead, load_lead


@dataclass(frozen=True)
class Delivery:
    """Where one lead goes and how its delivery stands."""

    destination: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None = None
    sent_at: datetime | None = None
    external_id: str | None = None


@dataclass(frozen=True)
class LeadRecord:
    """A stored lead with its status and the state of each delivery."""

    lead: StoredLead
    status: str
    created_at: datetime
    deliveries: tuple[Delivery, ...]

    @property
    def reference(self) -> str:
        """The lead's reference, e.g. ``TSF-2026-000123``."""
        return self.lead.reference

    @property
    def has_dead_letters(self) -> bool:
        """Whether a delivery gave up and needs someone to look at it."""
        return any(delivery.status == DEAD for delivery in self.deliveries)


@dataclass(frozen=True)
class Claim:
    """An outbox row a worker has claimed, with the lead to deliver."""

    outbox_id: int
    destination: str
    idempotency_key: str
    attempts: int
    lead: StoredLead


def lead_status(delivery_statuses: Sequence[str]) -> str:
    """A lead's status from the status of its deliveries."""
    if not delivery_statuses:
        return LEAD_STORED
    if DEAD in delivery_statuses:
        return LEAD_DEAD
    if all(status == SENT for status in delivery_statuses):
        return LEAD_DELIVERED
    return LEAD_PENDING


class LeadRepository(abc.ABC):
    """Leads and the per-year reference sequence."""

    @abc.abstractmethod
    def next_sequence(self, year: int) -> int:
        """The next reference number for ``year``, locked until the transaction ends."""

    @abc.abstractmethod
    def add(self, lead: StoredLead, *, year: int, sequence: int, email_hash: str) -> None:
        """Add a new lead (status ``stored`` until it gets deliveries)."""

    @abc.abstractmethod
    def find_for_conversation(self, conversation_id: str, email_hash: str) -> StoredLead | None:
        """The lead already submitted in this conversation for this email, if any."""

    @abc.abstractmethod
    def get(self, reference: str) -> LeadRecord | None:
        """The lead with its deliveries, or ``None``."""

    @abc.abstractmethod
    def list(self, limit: int | None = None) -> list[LeadRecord]:
        """Leads with their deliveries, newest first."""

    @abc.abstractmethod
    def references_created_before(self, cutoff: datetime) -> list[str]:
        """References of the leads created before ``cutoff``."""

    @abc.abstractmethod
    def references_for_email(self, email_hash: str) -> list[str]:
        """References of the leads from the contact with this email hash."""

    @abc.abstractmethod
    def delete(self, references: Sequence[str]) -> int:
        """Delete these leads and their outbox rows; how many leads went."""


class OutboxRepository(abc.ABC):
    """The deliveries waiting to be made, one row per lead and destination."""

    @abc.abstractmethod
    def add(self, reference: str, destination: str, idempotency_key: str, now: datetime) -> None:
        """Queue the lead for ``destination``, due now."""

    @abc.abstractmethod
    def claim(
        self,
        destinations: Sequence[str],
        worker_id: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
    ) -> list[Claim]:
        """Claim due rows (pending and due, or in flight with an expired lease)."""

    @abc.abstractmethod
    def mark_sent(self, outbox_id: int, now: datetime, external_id: str | None) -> bool:
        """Record a delivery the destination accepted."""

    @abc.abstractmethod
    def schedule_retry(
        self, outbox_id: int, worker_id: str, now: datetime, next_attempt_at: datetime, error: str
    ) -> bool:
        """Put a claimed row back as pending, due at ``next_attempt_at``."""

    @abc.abstractmethod
    def mark_dead(self, outbox_id: int, worker_id: str, now: datetime, error: str) -> bool:
        """Give up on a claimed row, keeping the reason."""

    @abc.abstractmethod
    def release(self, outbox_id: int, worker_id: str, now: datetime) -> bool:
        """Hand back a claimed row that was not attempted (the worker is stopping)."""

    @abc.abstractmethod
    def requeue_dead(self, reference: str, now: datetime) -> int:
        """Make the lead's dead rows pending again, with a fresh count of attempts."""


def _stored_lead(row: Any) -> StoredLead:
    summary, consent = load_lead(row.payload)
    return StoredLead(
        reference=row.reference, summary=summary, consent=consent, markdown=row.markdown
    )


def _delivery(row: Any) -> Delivery:
    return Delivery(
        destination=row.destination,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        sent_at=row.sent_at,
        external_id=row.external_id,
    )


class SqlLeadRepository(LeadRepository):
    """Leads in the ``leads`` and ``lead_sequences`` tables."""

    def __init__(self, session: Session) -> None:
        """Work inside ``session``'s transaction."""
        self.session = session

    def next_sequence(self, year: int) -> int:
        """An UPSERT that increments and returns the counter, row-locked until commit.

        Concurrent writers on PostgreSQL queue on the row lock, so numbers are unique; a
        rolled-back transaction gives its number back (gaps are possible and harmless).
        """
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            statement = pg_insert(lead_sequences).values(year=year, last_value=1)
            statement = statement.on_conflict_do_update(
                index_elements=[lead_sequences.c.year],
                set_={"last_value": lead_sequences.c.last_value + 1},
            ).returning(lead_sequences.c.last_value)
            return int(self.session.execute(statement).scalar_one())
        # SQLite: the transaction already holds the write lock (BEGIN IMMEDIATE).
        updated = self.session.execute(
            update(lead_sequences)
            .where(lead_sequences.c.year == year)
            .values(last_value=lead_sequences.c.last_value + 1)
        )
        if updated.rowcount == 0:
            self.session.execute(insert(lead_sequences).values(year=year, last_value=1))
        return int(
            self.session.execute(
                select(lead_sequences.c.last_value).where(lead_sequences.c.year == year)
            ).scalar_one()
        )

    def add(self, lead: StoredLead, *, year: int, sequence: int, email_hash: str) -> None:
        """Insert the lead row."""
        summary, consent = lead.summary, lead.consent
        self.session.execute(
            insert(leads).values(
                reference=lead.reference,
                year=year,
                sequence=sequence,
                conversation_id=summary.conversation_id,
                email_hash=email_hash,
                organisation=summary.organisation,
                verdict=summary.verdict,
                priority=summary.priority,
                score=summary.score,
                status=LEAD_STORED,
                payload=dump_lead(summary, consent),
                markdown=lead.markdown,
                created_at=summary.created_at,
                consent_given_at=consent.given_at,
                consent_notice_version=consent.notice_version,
                consent_purpose=consent.purpose,
            )
        )

    def find_for_conversation(self, conversation_id: str, email_hash: str) -> StoredLead | None:
        """Look up by the (conversation, email) pair, which is unique."""
        row = self.session.execute(
            select(leads).where(
                leads.c.conversation_id == conversation_id, leads.c.email_hash == email_hash
            )
        ).first()
        return None if row is None else _stored_lead(row)

    def _records(self, rows: Sequence[Any]) -> list[LeadRecord]:
        ids = [row.id for row in rows]
        deliveries: dict[int, list[Delivery]] = {lead_id: [] for lead_id in ids}
        if ids:
            outbox_rows = self.session.execute(
                select(outbox)
                .where(outbox.c.lead_id.in_(ids))
                .order_by(outbox.c.lead_id, outbox.c.destination)
            ).all()
            for row in outbox_rows:
                deliveries[row.lead_id].append(_delivery(row))
        return [
            LeadRecord(
                lead=_stored_lead(row),
                status=row.status,
                created_at=row.created_at,
                deliveries=tuple(deliveries[row.id]),
            )
            for row in rows
        ]

    def get(self, reference: str) -> LeadRecord | None:
        """The lead with this reference and its deliveries."""
        row = self.session.execute(select(leads).where(leads.c.reference == reference)).first()
        return None if row is None else self._records([row])[0]

    def list(self, limit: int | None = None) -> list[LeadRecord]:
        """Newest first."""
        statement = select(leads).order_by(leads.c.created_at.desc(), leads.c.id.desc())
        if limit is not None:
            statement = statement.limit(limit)
        return self._records(self.session.execute(statement).all())

    def references_created_before(self, cutoff: datetime) -> list[str]:
        """Oldest first."""
        return list(
            self.session.execute(
                select(leads.c.reference)
                .where(leads.c.created_at < cutoff)
                .order_by(leads.c.created_at, leads.c.id)
            ).scalars()
        )

    def references_for_email(self, email_hash: str) -> list[str]:
        """Oldest first."""
        return list(
            self.session.execute(
                select(leads.c.reference)
                .where(leads.c.email_hash == email_hash)
                .order_by(leads.c.created_at, leads.c.id)
            ).scalars()
        )

    def delete(self, references: Sequence[str]) -> int:
        """Outbox rows first, so this works even without foreign-key cascades."""
        if not references:
            return 0
        lead_ids = select(leads.c.id).where(leads.c.reference.in_(list(references)))
        self.session.execute(
            delete(outbox)
            .where(outbox.c.lead_id.in_(lead_ids))
            .execution_options(synchronize_session=False)
        )
        result = self.session.execute(
            delete(leads)
            .where(leads.c.reference.in_(list(references)))
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)


class SqlOutboxRepository(OutboxRepository):
    """Deliveries in the ``outbox`` table."""

    def __init__(self, session: Session) -> None:
        """Work inside ``session``'s transaction."""
        self.session = session

    def _lead_id(self, reference: str) -> int | None:
        return self.session.execute(
            select(leads.c.id).where(leads.c.reference == reference)
        ).scalar_one_or_none()

    def _refresh_lead_status(self, lead_ids: Sequence[int]) -> None:
        for lead_id in set(lead_ids):
            statuses = list(
                self.session.execute(
                    select(outbox.c.status).where(outbox.c.lead_id == lead_id)
                ).scalars()
            )
            self.session.execute(
                update(leads).where(leads.c.id == lead_id).values(status=lead_status(statuses))
            )

    def add(self, reference: str, destination: str, idempotency_key: str, now: datetime) -> None:
        """Insert a pending row and mark the lead pending."""
        lead_id = self._lead_id(reference)
        if lead_id is None:
            raise LookupError(f"no lead {reference}")
        self.session.execute(
            insert(outbox).values(
                lead_id=lead_id,
                destination=destination,
                idempotency_key=idempotency_key,
                status=PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
        )
        self.session.execute(update(leads).where(leads.c.id == lead_id).values(status=LEAD_PENDING))

    def claim(
        self,
        destinations: Sequence[str],
        worker_id: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
    ) -> list[Claim]:
        """``SELECT ... FOR UPDATE SKIP LOCKED`` then mark the rows in flight.

        On PostgreSQL, concurrent workers skip each other's rows. On SQLite the clause is
        not rendered; the transaction's write lock (``BEGIN IMMEDIATE``) makes the select
        and the update one step. Each claim counts as an attempt.
        """
        if not destinations or limit < 1:
            return []
        due = or_(
            and_(outbox.c.status == PENDING, outbox.c.next_attempt_at <= now),
            and_(outbox.c.status == IN_FLIGHT, outbox.c.claimed_until <= now),
        )
        ids = list(
            self.session.execute(
                select(outbox.c.id)
                .where(due, outbox.c.destination.in_(list(destinations)))
                .order_by(outbox.c.next_attempt_at, outbox.c.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).scalars()
        )
        if not ids:
            return []
        self.session.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids))
            .values(
                status=IN_FLIGHT,
                claimed_by=worker_id,
                claimed_until=lease_until,
                attempts=outbox.c.attempts + 1,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        rows = self.session.execute(
            select(
                outbox.c.id,
                outbox.c.destination,
                outbox.c.idempotency_key,
                outbox.c.attempts,
                leads.c.reference,
                leads.c.payload,
                leads.c.markdown,
            )
            .join(leads, leads.c.id == outbox.c.lead_id)
            .where(outbox.c.id.in_(ids))
            .order_by(outbox.c.next_attempt_at, outbox.c.id)
        ).all()
        return [
            Claim(
                outbox_id=row.id,
                destination=row.destination,
                idempotency_key=row.idempotency_key,
                attempts=row.attempts,
                lead=_stored_lead(row),
            )
            for row in rows
        ]

    def _lead_of(self, outbox_id: int) -> int | None:
        return self.session.execute(
            select(outbox.c.lead_id).where(outbox.c.id == outbox_id)
        ).scalar_one_or_none()

    def _update_claimed(self, outbox_id: int, worker_id: str, **values: Any) -> bool:
        result = self.session.execute(
            update(outbox)
            .where(
                outbox.c.id == outbox_id,
                outbox.c.status == IN_FLIGHT,
                outbox.c.claimed_by == worker_id,
            )
            .values(claimed_by=None, claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        )
        changed = bool(result.rowcount)
        lead_id = self._lead_of(outbox_id)
        if changed and lead_id is not None:
            self._refresh_lead_status([lead_id])
        return changed

    def mark_sent(self, outbox_id: int, now: datetime, external_id: str | None) -> bool:
        """Sent wins over anything else (even if another worker's lease took the row)."""
        result = self.session.execute(
            update(outbox)
            .where(outbox.c.id == outbox_id, outbox.c.status != SENT)
            .values(
                status=SENT,
                sent_at=now,
                external_id=external_id,
                last_error=None,
                claimed_by=None,
                claimed_until=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        lead_id = self._lead_of(outbox_id)
        if result.rowcount and lead_id is not None:
            self._refresh_lead_status([lead_id])
        return bool(result.rowcount)

    def schedule_retry(
        self, outbox_id: int, worker_id: str, now: datetime, next_attempt_at: datetime, error: str
    ) -> bool:
        """Only while this worker still holds the claim."""
        return self._update_claimed(
            outbox_id,
            worker_id,
            status=PENDING,
            next_attempt_at=next_attempt_at,
            last_error=error,
            updated_at=now,
        )

    def mark_dead(self, outbox_id: int, worker_id: str, now: datetime, error: str) -> bool:
        """Only while this worker still holds the claim."""
        return self._update_claimed(
            outbox_id, worker_id, status=DEAD, last_error=error, updated_at=now
        )

    def release(self, outbox_id: int, worker_id: str, now: datetime) -> bool:
        """Pending again, due now, and the claim's attempt is not counted."""
        return self._update_claimed(
            outbox_id,
            worker_id,
            status=PENDING,
            next_attempt_at=now,
            attempts=outbox.c.attempts - 1,
            updated_at=now,
        )

    def requeue_dead(self, reference: str, now: datetime) -> int:
        """Dead rows become pending and due now; the last error is kept for the record."""
        lead_id = self._lead_id(reference)
        if lead_id is None:
            return 0
        result = self.session.execute(
            update(outbox)
            .where(outbox.c.lead_id == lead_id, outbox.c.status == DEAD)
            .values(status=PENDING, attempts=0, next_attempt_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        self._refresh_lead_status([lead_id])
        return int(result.rowcount or 0)
