"""The delivery worker: takes due outbox rows and hands each lead to its destination.

A row is claimed (in flight, with a lease) in one transaction, delivered outside any
transaction, and its outcome recorded in another. It is marked sent only after the adapter
returns (a 2xx). If the process dies at any point the row stays in flight until its lease
expires and a worker claims it again; the lead reference is the idempotency key, so a second
send after a crash mid-delivery does not duplicate the lead at the CRM.

Logs carry references, destinations and statuses only: never names, emails or phone numbers.
"""

from __future__ import annotations

import logging
import os
import random as random_module
import socket
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass, field, fields
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from tsf_config.metrics import Metrics, metrics
from tsf_leads import heartbeat
from tsf_leads.alerts import alert_channels, alert_dead_letter, alert_if_failing_too_long
from tsf_leads.backoff import retry_delay
from tsf_leads.clock import utc_now
from tsf_leads.contracts import (
    Alert,
    CrmAdapter,
    CrmAuthError,
    CrmRejected,
    CrmUnavailable,
    DeliveryReceipt,
    Notifier,
    StatusUpdate,
    StoredLead,
)
from tsf_leads.db import JOB_LEAD, LEAD_DEAD, LEAD_DELIVERED, LEAD_PENDING, LEAD_STORED
from tsf_leads.repository import Claim, LeadRepository, LeadStore
from tsf_leads.settings import LeadSettings

logger = logging.getLogger(__name__)

Destination = CrmAdapter | Notifier
Registry = Mapping[str, Destination]
MAX_ERROR_LENGTH = 1000
DEFAULT_LEASE_SECONDS = 300.0
DEFAULT_BATCH_SIZE = 20
LEAD_STATUSES = (LEAD_STORED, LEAD_PENDING, LEAD_DELIVERED, LEAD_DEAD)


@dataclass
class DeliveryCounts:
    """What one or more delivery rounds did."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    dead: int = 0
    released: int = 0

    def add(self, other: DeliveryCounts) -> None:
        """Add another round's counts to these."""
        for count in fields(self):
            setattr(self, count.name, getattr(self, count.name) + getattr(other, count.name))


def new_worker_id() -> str:
    """A name for this worker that is unique across hosts and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _describe(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".strip()
    if isinstance(error, CrmRejected) and error.status_code is not None:
        text = f"HTTP {error.status_code}: {text}"
    return text[:MAX_ERROR_LENGTH]


def _status_of(error: BaseException) -> str:
    """For logs: the kind of error and its status code, never its message."""
    status = getattr(error, "status_code", None)
    return f"{type(error).__name__}" + (f" (HTTP {status})" if status is not None else "")


def send(
    target: Destination,
    lead: StoredLead,
    idempotency_key: str,
    update: StatusUpdate | None = None,
    alert: Alert | None = None,
) -> DeliveryReceipt | None:
    """Deliver ``lead`` through a CRM adapter (``deliver``) or a notifier (``notify``); or,
    with ``update``, pass a team status change on (the adapter's ``update_status``); or, with
    ``alert``, tell the team (a notifier's ``send_message``)."""
    if alert is not None:
        send_message = getattr(target, "send_message", None)
        if send_message is None:
            raise CrmRejected(f"{target.name} cannot take alerts")
        send_message(alert.message())
        return None
    if update is not None:
        update_status = getattr(target, "update_status", None)
        if update_status is None:
            raise CrmRejected(f"{target.name} cannot take team status changes")
        return update_status(update, idempotency_key)  # type: ignore[no-any-return]
    deliver = getattr(target, "deliver", None)
    if deliver is not None:
        return deliver(lead, idempotency_key)
    target.notify(lead)  # type: ignore[union-attr]
    return None


@dataclass(eq=False)
class DeliveryWorker:
    """Delivers due outbox rows through the adapters of a registry.

    Several workers may run against PostgreSQL (rows are claimed with ``SKIP LOCKED``). On
    SQLite claims are serialised by the database lock, so one worker is the norm.

    Args:
        store: The lead store (workers and threads may share one).
        registry: Destination name (``crm:hubspot``, ``notify:slack``) to adapter. Rows for
            destinations not in it are left alone.
        max_attempts: Attempts before a row is dead-lettered.
        base_delay: First backoff ceiling, in seconds.
        max_delay: Largest backoff ceiling, in seconds (Retry-After may ask for longer).
        poll_seconds: How long :meth:`run_forever` waits when there is nothing due.
        lease_seconds: How long a claim lasts before another worker may take the row over;
            longer than any single delivery can take.
        batch_size: Rows claimed per round.
        worker_id: Name recorded on claims (generated when omitted).
        clock: Returns the current UTC time.
        random: Returns a float in [0, 1), for the backoff jitter.
        alert_after: How long a destination may fail without a success before the team is
            alerted (once per failing period).
        heartbeat_file: Rewritten on every round of :meth:`run_forever` (``None``: none).
        metrics: Where deliveries and the lead and outbox gauges are counted.
    """

    store: LeadStore
    registry: Registry
    _: KW_ONLY
    max_attempts: int = 8
    base_delay: float = 30.0
    max_delay: float = 3600.0
    poll_seconds: float = 5.0
    lease_seconds: float = DEFAULT_LEASE_SECONDS
    batch_size: int = DEFAULT_BATCH_SIZE
    worker_id: str = field(default_factory=new_worker_id)
    clock: Callable[[], datetime] = utc_now
    random: Callable[[], float] = random_module.random
    alert_after: timedelta = timedelta(minutes=30)
    heartbeat_file: Path | None = None
    metrics: Metrics = field(default_factory=metrics)

    def __post_init__(self) -> None:
        """Refuse settings that cannot work; nothing is opened here."""
        if self.max_attempts < 1 or self.batch_size < 1 or self.lease_seconds <= 0:
            raise ValueError("max_attempts, batch_size and lease_seconds must be positive")
        self.registry = dict(self.registry)
        self.worker_id = self.worker_id or new_worker_id()

    @classmethod
    def from_settings(
        cls, settings: LeadSettings, store: LeadStore, registry: Registry, **options: object
    ) -> DeliveryWorker:
        """A worker with the attempts, delays and poll interval of ``settings``."""
        values: dict[str, object] = {
            "max_attempts": settings.max_attempts,
            "base_delay": settings.base_delay_seconds,
            "max_delay": settings.max_delay_seconds,
            "poll_seconds": settings.poll_seconds,
            "alert_after": timedelta(minutes=settings.alert_after_minutes),
            "heartbeat_file": settings.heartbeat_file,
        }
        values.update(options)
        return cls(store, registry, **values)  # type: ignore[arg-type]

    def claim(self) -> list[Claim]:
        """Claim up to ``batch_size`` due rows for the destinations in the registry."""
        now = self.clock()
        until = now + timedelta(seconds=self.lease_seconds)
        with self.store.transaction() as leads:
            return leads.claim(sorted(self.registry), self.worker_id, now, until, self.batch_size)

    def deliver_once(self, stop_event: threading.Event | None = None) -> DeliveryCounts:
        """Claim one batch of due rows and deliver each.

        When ``stop_event`` is set part-way, the rows not yet attempted are handed back.

        Returns:
            What happened to the rows claimed.
        """
        counts = DeliveryCounts()
        claims = self.claim()
        counts.claimed = len(claims)
        for claim in claims:
            if stop_event is not None and stop_event.is_set():
                self._release(claim, counts)
                continue
            self._touch(self.clock())  # a long batch is still a live worker
            self._deliver(claim, counts)
        return counts

    def run_forever(self, stop_event: threading.Event) -> DeliveryCounts:
        """Deliver until ``stop_event`` is set, waiting ``poll_seconds`` when idle.

        Database errors are logged and retried after a poll interval, so a database restart
        does not stop the worker.

        Returns:
            The totals over the run.
        """
        totals = DeliveryCounts()
        logger.info("Delivery worker %s started for %s", self.worker_id, sorted(self.registry))
        while not stop_event.is_set():
            try:
                self.beat()
                counts = self.deliver_once(stop_event)
            except SQLAlchemyError as error:
                logger.warning("Lead store unavailable (%s); trying again", type(error).__name__)
                stop_event.wait(self.poll_seconds)
                continue
            totals.add(counts)
            if counts.claimed == 0:
                stop_event.wait(self.poll_seconds)
        logger.info("Delivery worker %s stopped", self.worker_id)
        return totals

    def beat(self) -> None:
        """Rewrite the heartbeat, then set the lead and outbox gauges from the store."""
        now = self.clock()
        self._touch(now)
        with self.store.transaction() as leads:
            counts, (depth, oldest) = leads.lead_counts(), leads.backlog()
        self.metrics.lead_counts(counts, LEAD_STATUSES)
        self.metrics.outbox_depth.set(depth)
        self.metrics.outbox_oldest_age.set(
            max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
        )

    def _touch(self, now: datetime) -> None:
        if self.heartbeat_file is not None:
            heartbeat.beat(self.heartbeat_file, now)
        self.metrics.heartbeat.set(now.timestamp())

    def _attempted(self, claim: Claim, outcome: str) -> None:
        self.metrics.delivery_attempts.labels(claim.destination, outcome).inc()

    def _channels(self, about: str) -> list[str]:
        return alert_channels(self.registry, about)

    def _release(self, claim: Claim, counts: DeliveryCounts) -> None:
        with self.store.transaction() as leads:
            released = leads.release(claim.outbox_id, self.worker_id, self.clock())
        counts.released += int(released)

    def _deliver(self, claim: Claim, counts: DeliveryCounts) -> None:
        reference, destination = claim.lead.reference, claim.destination
        if claim.attempts > self.max_attempts:
            reason = (
                f"gave up after {claim.attempts - 1} attempts; the last one was interrupted "
                "(the worker stopped during delivery)"
            )
            self._dead(claim, reason, counts, "interrupted too often")
            return
        try:
            receipt = send(
                self.registry[destination],
                claim.lead,
                claim.idempotency_key,
                claim.update,
                claim.alert,
            )
        except CrmRejected as error:
            failing = isinstance(error, CrmAuthError)  # the destination, not this lead
            status = f"rejected: {_status_of(error)}"
            self._dead(claim, _describe(error), counts, status, failing=failing)
        except Exception as error:  # CrmUnavailable, or an adapter bug: try again later
            retry_after = error.retry_after if isinstance(error, CrmUnavailable) else None
            self._failed(claim, _describe(error), retry_after, counts, _status_of(error))
        else:
            now = self.clock()
            with self.store.transaction() as leads:
                leads.mark_sent(claim.outbox_id, now, receipt.external_id if receipt else None)
                leads.destination_succeeded(destination, now)
            counts.sent += 1
            self._attempted(claim, "sent")
            if claim.job == JOB_LEAD and claim.lead_created_at is not None:
                latency = (now - claim.lead_created_at).total_seconds()
                self.metrics.delivery_latency.labels(destination).observe(max(latency, 0.0))
            what = "Status change of lead" if claim.update else "Lead"
            logger.info("%s %s delivered to %s", what, reference, destination)

    def _failed(
        self,
        claim: Claim,
        error: str,
        retry_after: float | None,
        counts: DeliveryCounts,
        status: str,
    ) -> None:
        reference, destination = claim.lead.reference, claim.destination
        if claim.attempts >= self.max_attempts:
            reason = f"gave up after {claim.attempts} attempts: {error}"
            status = f"{claim.attempts} attempts, last {status}"
            self._dead(claim, reason, counts, status, failing=True)
            return
        delay = retry_delay(
            claim.attempts,
            base_delay=self.base_delay,
            max_delay=self.max_delay,
            random=self.random,
            retry_after=retry_after,
        )
        now = self.clock()
        with self.store.transaction() as leads:
            scheduled = leads.schedule_retry(
                claim.outbox_id, self.worker_id, now, now + timedelta(seconds=delay), error
            )
            if scheduled:
                self._failing(leads, claim, status, now)
        counts.retried += int(scheduled)
        self._attempted(claim, "retry")
        logger.info(
            "Lead %s to %s failed (attempt %d, %s); next try in %.0f s",
            reference,
            destination,
            claim.attempts,
            status,
            delay,
        )

    def _failing(self, leads: LeadRepository, claim: Claim, status: str, now: datetime) -> None:
        channels = self._channels(claim.destination)
        if alert_if_failing_too_long(leads, claim, status, now, self.alert_after, channels):
            self.metrics.alerts.labels("failing").inc()

    def _dead(
        self,
        claim: Claim,
        reason: str,
        counts: DeliveryCounts,
        status: str,
        *,
        failing: bool = False,
    ) -> None:
        """Dead-letter the row and, in the same transaction, raise its alert (the ``status``
        line, never the destination's message, is the alert's reason); ``failing`` when the
        destination itself failed (unavailable, or refused our credentials), not this lead."""
        now = self.clock()
        with self.store.transaction() as leads:
            dead = leads.mark_dead(claim.outbox_id, self.worker_id, now, reason[:MAX_ERROR_LENGTH])
            if dead:
                if failing:
                    self._failing(leads, claim, status, now)
                if alert_dead_letter(leads, claim, status, now, self._channels(claim.destination)):
                    self.metrics.alerts.labels("dead_letter").inc()
        counts.dead += int(dead)
        self._attempted(claim, "dead")
        logger.warning(
            "Lead %s to %s dead-lettered (%s)", claim.lead.reference, claim.destination, status
        )
