"""The lead store: its engine, and the statements the service, worker and tools run on it.

``LeadStore.transaction()`` is one database transaction (committed when the block ends,
rolled back if it raises) and yields a :class:`LeadRepository`, whose methods are SQLAlchemy
Core statements (2.0-style ``select()``) on that transaction's connection.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine

from tsf_leads.contracts import Alert, StatusUpdate, StoredLead, TeamStatus
from tsf_leads.db import (
    DEAD,
    IN_FLIGHT,
    JOB_ALERT,
    JOB_LEAD,
    JOB_STATUS,
    LEAD_DEAD,
    LEAD_DELIVERED,
    LEAD_PENDING,
    LEAD_STORED,
    PENDING,
    SENT,
    alerts,
    destination_health,
    lead_sequences,
    lead_status_changes,
    leads,
    make_engine,
    migrate,
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
    """A stored lead with its delivery status, the state of each delivery and its team status.

    ``status`` and ``deliveries`` are about the lead itself reaching its destinations;
    ``team`` is what the team did with it (``None`` while new) and ``status_deliveries`` the
    outbox rows that pass each team status change on to the CRM.
    """

    lead: StoredLead
    status: str
    created_at: datetime
    deliveries: tuple[Delivery, ...]
    team: TeamStatus | None = None
    status_deliveries: tuple[Delivery, ...] = ()

    @property
    def reference(self) -> str:
        """The lead's reference, e.g. ``TSF-2026-000123``."""
        return self.lead.reference

    @property
    def has_dead_letters(self) -> bool:
        """Whether a delivery (of the lead or of a status change) gave up and needs someone to
        look at it."""
        jobs = (*self.deliveries, *self.status_deliveries)
        return any(delivery.status == DEAD for delivery in jobs)


@dataclass(frozen=True)
class Claim:
    """An outbox row a worker has claimed, with the lead to deliver."""

    outbox_id: int
    destination: str
    idempotency_key: str
    attempts: int
    lead: StoredLead
    update: StatusUpdate | None = None
    alert: Alert | None = None
    lead_created_at: datetime | None = None

    @property
    def job(self) -> str:
        """What the row delivers: the lead, a status change of it, or an alert about it."""
        return JOB_ALERT if self.alert else JOB_STATUS if self.update else JOB_LEAD


@dataclass(frozen=True)
class StatusChangeRow:
    """One change in a lead's team status history."""

    status: str
    previous_status: str | None
    team: TeamStatus
    interaction_id: str | None


#: Destinations that are told about team status changes (the CRM or webhook, not chat).
STATUS_DESTINATION_PREFIX = "crm:"


def status_job_key(reference: str, change_id: int) -> str:
    """The idempotency key of a status job: ``TSF-2026-000123/status/7``."""
    return f"{reference}/status/{change_id}"


def lead_status(delivery_statuses: Sequence[str]) -> str:
    """A lead's status from the status of its deliveries."""
    if not delivery_statuses:
        return LEAD_STORED
    if DEAD in delivery_statuses:
        return LEAD_DEAD
    if all(status == SENT for status in delivery_statuses):
        return LEAD_DELIVERED
    return LEAD_PENDING


def _stored_lead(row: Any) -> StoredLead:
    summary, consent = load_lead(row.payload)
    return StoredLead(
        reference=row.reference, summary=summary, consent=consent, markdown=row.markdown
    )


def _delivery(row: Any) -> Delivery:
    return Delivery(**{column.name: getattr(row, column.name) for column in fields(Delivery)})


def _team(row: Any) -> TeamStatus | None:
    if row.team_status is None:
        return None
    return TeamStatus(
        status=row.team_status,
        staff_id=row.team_status_by_id,
        staff_name=row.team_status_by_name,
        changed_at=row.team_status_at,
        reason=row.team_status_reason,
    )


def _ready() -> Any:
    """Whether an outbox row may be delivered now: a lead row always; a status row once the
    lead itself was sent to that destination and every earlier status row there is settled
    (sent or dead), so a CRM sees the changes in order."""
    first, earlier = outbox.alias("first_delivery"), outbox.alias("earlier_status")
    lead_sent = exists().where(
        first.c.lead_id == outbox.c.lead_id,
        first.c.destination == outbox.c.destination,
        first.c.job == JOB_LEAD,
        first.c.status == SENT,
    )
    earlier_open = exists().where(
        earlier.c.lead_id == outbox.c.lead_id,
        earlier.c.destination == outbox.c.destination,
        earlier.c.job == JOB_STATUS,
        earlier.c.id < outbox.c.id,
        earlier.c.status.in_([PENDING, IN_FLIGHT]),
    )
    return or_(outbox.c.job != JOB_STATUS, and_(lead_sent, ~earlier_open))


def _update(row: Any) -> StatusUpdate | None:
    if row.change_status is None:
        return None
    team = TeamStatus(
        status=row.change_status,
        staff_id=row.staff_id,
        staff_name=row.staff_name,
        changed_at=row.changed_at,
        reason=row.reason,
    )
    return StatusUpdate(row.reference, team, row.previous_status, row.crm_record_id)


def _alert(row: Any) -> Alert | None:
    if row.alert_kind is None:
        return None
    return Alert(
        row.alert_kind, row.reference, row.alert_destination, row.alert_reason, row.alert_at
    )


def _insert_ignoring_duplicates(connection: Connection, table: Any, **values: Any) -> bool:
    """``INSERT … ON CONFLICT DO NOTHING``; whether a row went in (so two workers racing to
    record the same thing record it once)."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    result = connection.execute(dialect_insert(table).values(**values).on_conflict_do_nothing())
    return bool(result.rowcount)


class LeadRepository:
    """Leads, their outbox rows and the per-year reference sequence, in one transaction."""

    def __init__(self, connection: Connection) -> None:
        """Work inside ``connection``'s transaction (see :meth:`LeadStore.transaction`)."""
        self.connection = connection

    def _execute(self, statement: Any) -> Any:
        return self.connection.execute(statement)

    def next_sequence(self, year: int) -> int:
        """The next reference number for ``year``: an UPSERT, row-locked until commit.

        Concurrent writers on PostgreSQL queue on the row lock, so numbers are unique; a
        rolled-back transaction gives its number back (gaps are possible and harmless).
        """
        if self.connection.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            statement = pg_insert(lead_sequences).values(year=year, last_value=1)
            statement = statement.on_conflict_do_update(
                index_elements=[lead_sequences.c.year],
                set_={"last_value": lead_sequences.c.last_value + 1},
            ).returning(lead_sequences.c.last_value)
            return int(self._execute(statement).scalar_one())
        # SQLite: the transaction already holds the write lock (BEGIN IMMEDIATE).
        updated = self._execute(
            update(lead_sequences)
            .where(lead_sequences.c.year == year)
            .values(last_value=lead_sequences.c.last_value + 1)
        )
        if updated.rowcount == 0:
            self._execute(insert(lead_sequences).values(year=year, last_value=1))
        return int(
            self._execute(
                select(lead_sequences.c.last_value).where(lead_sequences.c.year == year)
            ).scalar_one()
        )

    def add(
        self,
        lead: StoredLead,
        *,
        year: int,
        sequence: int,
        email_hash: str,
        destinations: Sequence[str],
        now: datetime,
    ) -> None:
        """Insert the lead and one pending outbox row per destination, due now."""
        summary, consent = lead.summary, lead.consent
        inserted = self._execute(
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
                status=LEAD_PENDING if destinations else LEAD_STORED,
                payload=dump_lead(summary, consent),
                markdown=lead.markdown,
                created_at=summary.created_at,
                consent_given_at=consent.given_at,
                consent_notice_version=consent.notice_version,
                consent_purpose=consent.purpose,
            )
        )
        lead_id = inserted.inserted_primary_key[0]
        for destination in destinations:
            self._execute(
                insert(outbox).values(
                    lead_id=lead_id,
                    destination=destination,
                    idempotency_key=lead.reference,
                    job=JOB_LEAD,
                    status=PENDING,
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )

    def find_for_conversation(self, conversation_id: str, email_hash: str) -> StoredLead | None:
        """The lead already submitted in this conversation for this email, if any."""
        row = self._execute(
            select(leads).where(
                leads.c.conversation_id == conversation_id, leads.c.email_hash == email_hash
            )
        ).first()
        return None if row is None else _stored_lead(row)

    def _records(self, statement: Any) -> list[LeadRecord]:
        rows = self._execute(statement).all()
        deliveries: dict[int, list[Delivery]] = {row.id: [] for row in rows}
        status_jobs: dict[int, list[Delivery]] = {row.id: [] for row in rows}
        if deliveries:
            outbox_rows = self._execute(
                select(outbox)
                .where(outbox.c.lead_id.in_(list(deliveries)))
                .order_by(outbox.c.lead_id, outbox.c.destination, outbox.c.id)
            ).all()
            for row in outbox_rows:
                if row.job == JOB_ALERT:
                    continue
                kind = deliveries if row.job == JOB_LEAD else status_jobs
                kind[row.lead_id].append(_delivery(row))
        return [
            LeadRecord(
                lead=_stored_lead(row),
                status=row.status,
                created_at=row.created_at,
                deliveries=tuple(deliveries[row.id]),
                team=_team(row),
                status_deliveries=tuple(status_jobs[row.id]),
            )
            for row in rows
        ]

    def get(self, reference: str) -> LeadRecord | None:
        """The lead with this reference and its deliveries, or ``None``."""
        records = self._records(select(leads).where(leads.c.reference == reference))
        return records[0] if records else None

    def list(self, limit: int | None = None) -> list[LeadRecord]:
        """Leads with their deliveries, newest first."""
        statement = select(leads).order_by(leads.c.created_at.desc(), leads.c.id.desc())
        return self._records(statement if limit is None else statement.limit(limit))

    def for_email(self, email_hash: str) -> list[LeadRecord]:
        """The leads from the contact with this email hash, oldest first."""
        return self._records(
            select(leads)
            .where(leads.c.email_hash == email_hash)
            .order_by(leads.c.created_at, leads.c.id)
        )

    def with_status(self, statuses: Sequence[str]) -> list[LeadRecord]:
        """Leads whose status is one of ``statuses`` (e.g. pending and dead), oldest first."""
        return self._records(
            select(leads)
            .where(leads.c.status.in_(list(statuses)))
            .order_by(leads.c.created_at, leads.c.id)
        )

    def statuses_created_between(
        self, start: datetime, end: datetime
    ) -> list[tuple[datetime, str]]:
        """When each lead created in ``[start, end)`` was created and its status, oldest first."""
        rows = self._execute(
            select(leads.c.created_at, leads.c.status)
            .where(leads.c.created_at >= start, leads.c.created_at < end)
            .order_by(leads.c.created_at, leads.c.id)
        ).all()
        return [(row.created_at, row.status) for row in rows]

    def references_created_before(self, cutoff: datetime) -> list[str]:
        """References of the leads created before ``cutoff``, oldest first."""
        return list(
            self._execute(
                select(leads.c.reference)
                .where(leads.c.created_at < cutoff)
                .order_by(leads.c.created_at, leads.c.id)
            ).scalars()
        )

    def delete(self, references: Sequence[str]) -> None:
        """Delete these leads, their outbox rows first (so no cascade is needed)."""
        if references:
            lead_ids = select(leads.c.id).where(leads.c.reference.in_(list(references)))
            self._execute(delete(outbox).where(outbox.c.lead_id.in_(lead_ids)))
            self._execute(delete(alerts).where(alerts.c.lead_id.in_(lead_ids)))
            self._execute(
                delete(lead_status_changes).where(lead_status_changes.c.lead_id.in_(lead_ids))
            )
            self._execute(delete(leads).where(leads.c.reference.in_(list(references))))

    def claim(
        self,
        destinations: Sequence[str],
        worker_id: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
    ) -> list[Claim]:
        """Claim due rows (pending and due, or in flight with an expired lease).

        ``SELECT ... FOR UPDATE SKIP LOCKED`` then the rows are marked in flight: on
        PostgreSQL concurrent workers skip each other's rows; on SQLite the clause is not
        rendered and the transaction's write lock (``BEGIN IMMEDIATE``) makes the select and
        the update one step. Each claim counts as an attempt.
        """
        if not destinations or limit < 1:
            return []
        due = or_(
            and_(outbox.c.status == PENDING, outbox.c.next_attempt_at <= now),
            and_(outbox.c.status == IN_FLIGHT, outbox.c.claimed_until <= now),
        )
        ids = list(
            self._execute(
                select(outbox.c.id)
                .where(due, outbox.c.destination.in_(list(destinations)), _ready())
                .order_by(outbox.c.next_attempt_at, outbox.c.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).scalars()
        )
        if not ids:
            return []
        self._execute(
            update(outbox)
            .where(outbox.c.id.in_(ids))
            .values(
                status=IN_FLIGHT,
                claimed_by=worker_id,
                claimed_until=lease_until,
                attempts=outbox.c.attempts + 1,
                updated_at=now,
            )
        )
        first = outbox.alias("first_delivery")
        record_id = (
            select(first.c.external_id)
            .where(
                first.c.lead_id == outbox.c.lead_id,
                first.c.destination == outbox.c.destination,
                first.c.job == JOB_LEAD,
            )
            .scalar_subquery()
        )
        changes = lead_status_changes
        rows = self._execute(
            select(
                outbox.c.id,
                outbox.c.destination,
                outbox.c.idempotency_key,
                outbox.c.attempts,
                leads.c.reference,
                leads.c.payload,
                leads.c.markdown,
                changes.c.status.label("change_status"),
                changes.c.previous_status,
                changes.c.staff_id,
                changes.c.staff_name,
                changes.c.reason,
                changes.c.changed_at,
                record_id.label("crm_record_id"),
                leads.c.created_at.label("lead_created_at"),
                alerts.c.kind.label("alert_kind"),
                alerts.c.destination.label("alert_destination"),
                alerts.c.reason.label("alert_reason"),
                alerts.c.created_at.label("alert_at"),
            )
            .join(leads, leads.c.id == outbox.c.lead_id)
            .outerjoin(changes, changes.c.id == outbox.c.status_change_id)
            .outerjoin(alerts, alerts.c.id == outbox.c.alert_id)
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
                update=_update(row),
                alert=_alert(row),
                lead_created_at=row.lead_created_at,
            )
            for row in rows
        ]

    def lead_for_update(self, reference: str) -> Any:
        """The lead's row, locked until commit (PostgreSQL; SQLite holds the write lock)."""
        return self._execute(
            select(leads).where(leads.c.reference == reference).with_for_update()
        ).first()

    def change_for_interaction(self, lead_id: int, interaction_id: str) -> bool:
        """Whether a status change with this interaction id was recorded for the lead."""
        found = self._execute(
            select(lead_status_changes.c.id).where(
                lead_status_changes.c.lead_id == lead_id,
                lead_status_changes.c.interaction_id == interaction_id,
            )
        ).first()
        return found is not None

    def record_status_change(
        self,
        lead_id: int,
        reference: str,
        team: TeamStatus,
        previous_status: str | None,
        interaction_id: str | None,
        now: datetime,
    ) -> int:
        """Set the lead's team status, add it to the history, and queue one status job per
        CRM destination of the lead (due now; held back until the lead itself is sent there).

        Returns:
            How many status jobs were queued.
        """
        change_id = self._execute(
            insert(lead_status_changes).values(
                lead_id=lead_id,
                interaction_id=interaction_id,
                status=team.status,
                previous_status=previous_status,
                staff_id=team.staff_id,
                staff_name=team.staff_name,
                reason=team.reason,
                changed_at=team.changed_at,
            )
        ).inserted_primary_key[0]
        self._execute(
            update(leads)
            .where(leads.c.id == lead_id)
            .values(
                team_status=team.status,
                team_status_by_id=team.staff_id,
                team_status_by_name=team.staff_name,
                team_status_at=team.changed_at,
                team_status_reason=team.reason,
            )
        )
        destinations = list(
            self._execute(
                select(outbox.c.destination)
                .where(
                    outbox.c.lead_id == lead_id,
                    outbox.c.job == JOB_LEAD,
                    outbox.c.destination.startswith(STATUS_DESTINATION_PREFIX),
                )
                .order_by(outbox.c.destination)
            ).scalars()
        )
        for destination in destinations:
            self._execute(
                insert(outbox).values(
                    lead_id=lead_id,
                    destination=destination,
                    idempotency_key=status_job_key(reference, change_id),
                    job=JOB_STATUS,
                    status_change_id=change_id,
                    status=PENDING,
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )
        return len(destinations)

    def status_history(self, reference: str) -> list[StatusChangeRow]:
        """The lead's team status changes, oldest first."""
        changes = lead_status_changes
        rows = self._execute(
            select(changes)
            .join(leads, leads.c.id == changes.c.lead_id)
            .where(leads.c.reference == reference)
            .order_by(changes.c.id)
        ).all()
        return [
            StatusChangeRow(
                status=row.status,
                previous_status=row.previous_status,
                team=TeamStatus(
                    row.status, row.staff_id, row.staff_name, row.changed_at, row.reason
                ),
                interaction_id=row.interaction_id,
            )
            for row in rows
        ]

    def _refresh_lead_status(self, lead_id: int) -> None:
        statuses = list(
            self._execute(
                select(outbox.c.status).where(outbox.c.lead_id == lead_id, outbox.c.job == JOB_LEAD)
            ).scalars()
        )
        self._execute(
            update(leads).where(leads.c.id == lead_id).values(status=lead_status(statuses))
        )

    def _settle(self, outbox_id: int, condition: Any, **values: Any) -> bool:
        """Update one outbox row if ``condition`` holds, ending its claim; refresh its lead."""
        result = self._execute(
            update(outbox)
            .where(outbox.c.id == outbox_id, condition)
            .values(claimed_by=None, claimed_until=None, **values)
        )
        if not result.rowcount:
            return False
        lead_id = self._execute(select(outbox.c.lead_id).where(outbox.c.id == outbox_id))
        self._refresh_lead_status(lead_id.scalar_one())
        return True

    def mark_sent(self, outbox_id: int, now: datetime, external_id: str | None) -> bool:
        """Record a delivery the destination accepted; sent wins over anything else (even
        if another worker's lease took the row)."""
        return self._settle(
            outbox_id,
            outbox.c.status != SENT,
            status=SENT,
            sent_at=now,
            external_id=external_id,
            last_error=None,
            updated_at=now,
        )

    @staticmethod
    def _held_by(worker_id: str) -> Any:
        return and_(outbox.c.status == IN_FLIGHT, outbox.c.claimed_by == worker_id)

    def schedule_retry(
        self, outbox_id: int, worker_id: str, now: datetime, next_attempt_at: datetime, error: str
    ) -> bool:
        """Put a row this worker still holds back as pending, due at ``next_attempt_at``."""
        return self._settle(
            outbox_id,
            self._held_by(worker_id),
            status=PENDING,
            next_attempt_at=next_attempt_at,
            last_error=error,
            updated_at=now,
        )

    def mark_dead(self, outbox_id: int, worker_id: str, now: datetime, error: str) -> bool:
        """Give up on a row this worker still holds, keeping the reason."""
        return self._settle(
            outbox_id, self._held_by(worker_id), status=DEAD, last_error=error, updated_at=now
        )

    def release(self, outbox_id: int, worker_id: str, now: datetime) -> bool:
        """Hand back a row this worker holds but did not attempt: pending, due now, and the
        claim's attempt not counted."""
        return self._settle(
            outbox_id,
            self._held_by(worker_id),
            status=PENDING,
            next_attempt_at=now,
            attempts=outbox.c.attempts - 1,
            updated_at=now,
        )

    def requeue_dead(self, reference: str, now: datetime) -> int:
        """Make the lead's dead rows pending and due now, with a fresh count of attempts
        (the last error is kept for the record); how many."""
        lead_id = self._execute(
            select(leads.c.id).where(leads.c.reference == reference)
        ).scalar_one_or_none()
        if lead_id is None:
            return 0
        result = self._execute(
            update(outbox)
            .where(outbox.c.lead_id == lead_id, outbox.c.status == DEAD)
            .values(status=PENDING, attempts=0, next_attempt_at=now, updated_at=now)
        )
        self._refresh_lead_status(lead_id)
        return int(result.rowcount or 0)

    def raise_alert(self, key: str, alert: Alert, outbox_id: int, channels: Sequence[str]) -> bool:
        """Record ``alert`` under ``key`` and queue it for each of the team's ``channels``,
        unless an alert with that key exists already; whether it was new.

        Args:
            key: What makes the alert unique (``dead/<outbox id>/<n>``,
                ``failing/<destination>/<since>``).
            alert: What to tell the team.
            outbox_id: The outbox row that failed (its lead is the alert's lead).
            channels: The notifier destinations that take the alert.
        """
        lead_id = self._execute(
            select(outbox.c.lead_id).where(outbox.c.id == outbox_id)
        ).scalar_one()
        created = _insert_ignoring_duplicates(
            self.connection,
            alerts,
            key=key,
            kind=alert.kind,
            lead_id=lead_id,
            reference=alert.reference,
            destination=alert.destination,
            reason=alert.reason,
            created_at=alert.created_at,
        )
        if not created:
            return False
        alert_id = self._execute(select(alerts.c.id).where(alerts.c.key == key)).scalar_one()
        for channel in channels:
            self._execute(
                insert(outbox).values(
                    lead_id=lead_id,
                    destination=channel,
                    idempotency_key=f"alert/{alert_id}",
                    job=JOB_ALERT,
                    alert_id=alert_id,
                    status=PENDING,
                    attempts=0,
                    next_attempt_at=alert.created_at,
                    created_at=alert.created_at,
                    updated_at=alert.created_at,
                )
            )
        return True

    def alert_count(self, key_prefix: str) -> int:
        """How many alerts have keys starting with ``key_prefix``."""
        return int(
            self._execute(
                select(func.count()).select_from(alerts).where(alerts.c.key.startswith(key_prefix))
            ).scalar_one()
        )

    def raised_alerts(self) -> list[Alert]:
        """Every alert raised, oldest first."""
        rows = self._execute(select(alerts).order_by(alerts.c.id)).all()
        return [
            Alert(row.kind, row.reference, row.destination, row.reason, row.created_at)
            for row in rows
        ]

    def destination_failed(self, destination: str, now: datetime) -> datetime:
        """Note a failed attempt at ``destination``; since when it has failed without a
        success in between."""
        _insert_ignoring_duplicates(
            self.connection,
            destination_health,
            destination=destination,
            failing_since=None,
            updated_at=now,
        )
        health = destination_health.c
        self._execute(
            update(destination_health)
            .where(health.destination == destination, health.failing_since.is_(None))
            .values(failing_since=now, updated_at=now)
        )
        since = self._execute(
            select(health.failing_since).where(health.destination == destination)
        ).scalar_one()
        return since if since is not None else now

    def destination_succeeded(self, destination: str, now: datetime) -> None:
        """Note a successful attempt: ``destination`` is no longer failing."""
        health = destination_health.c
        self._execute(
            update(destination_health)
            .where(health.destination == destination, health.failing_since.is_not(None))
            .values(failing_since=None, updated_at=now)
        )

    def lead_counts(self) -> dict[str, int]:
        """How many leads there are of each status."""
        rows = self._execute(select(leads.c.status, func.count()).group_by(leads.c.status))
        return {status: int(count) for status, count in rows.all()}

    def backlog(self) -> tuple[int, datetime | None]:
        """How many outbox rows are waiting or in flight, and when the oldest was queued."""
        row = self._execute(
            select(func.count(), func.min(outbox.c.created_at)).where(
                outbox.c.status.in_([PENDING, IN_FLIGHT])
            )
        ).one()
        oldest = row[1]
        if isinstance(oldest, str):  # SQLite's MIN() loses the column type
            oldest = datetime.fromisoformat(oldest)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=timezone.utc)
        return int(row[0]), oldest


class LeadStore:
    """The lead database; thread-safe, so one per process is enough."""

    def __init__(self, engine: Engine) -> None:
        """Wrap an engine from :func:`tsf_leads.db.make_engine`."""
        self.engine = engine

    @contextmanager
    def transaction(self) -> Iterator[LeadRepository]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self.engine.begin() as connection:
            yield LeadRepository(connection)

    def dispose(self) -> None:
        """Close the engine's pooled connections."""
        self.engine.dispose()


def open_store(url: str, *, migrate_schema: bool = True) -> LeadStore:
    """Open the lead store at ``url``, first migrating it to the latest schema.

    Args:
        url: SQLAlchemy URL (``sqlite:///var/leads.db``, ``postgresql://...``).
        migrate_schema: Run ``alembic upgrade head`` first (safe at every start).
    """
    engine = make_engine(url)
    if migrate_schema:
        migrate(engine)
    return LeadStore(engine)
