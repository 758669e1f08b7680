"""Every Prometheus metric of the assistant, in one place, and their exposition.

The action server counts conversations (messages by channel, intents, fallbacks, answers by
fact, eligibility checks by verdict); the delivery worker counts leads and deliveries. Each
process serves what it counted at ``/metrics``. Nothing is registered at import time:
:func:`metrics` builds the process's metrics, in their own registry, on first use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE", "DELIVERY_LATENCY_BUCKETS", "Metrics", "metrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Seconds from a lead's creation to its delivery: a second up to a day of retries.
DELIVERY_LATENCY_BUCKETS = (1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, float("inf"))
UNKNOWN = "unknown"


@dataclass(eq=False)
class Metrics:
    """The metrics, registered in ``registry`` (a fresh one by default)."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        """Create and register every metric."""
        r = self.registry
        self.messages = Counter(
            "tsf_messages", "User messages, by channel.", ["channel"], registry=r
        )
        self.intents = Counter("tsf_intents", "User messages, by intent.", ["intent"], registry=r)
        self.fallbacks = Counter(
            "tsf_fallbacks", "Messages the assistant was not confident about.", registry=r
        )
        self.answers = Counter("tsf_answers", "Answers given, by fact.", ["fact"], registry=r)
        self.checks = Counter(
            "tsf_eligibility_checks", "Eligibility checks, by verdict.", ["verdict"], registry=r
        )
        self.leads = Gauge("tsf_leads", "Leads in the store, by status.", ["status"], registry=r)
        self.delivery_attempts = Counter(
            "tsf_delivery_attempts",
            "Delivery attempts, by destination and outcome (sent, retry, dead).",
            ["destination", "outcome"],
            registry=r,
        )
        self.outbox_depth = Gauge(
            "tsf_outbox_depth", "Outbox rows waiting or in flight.", registry=r
        )
        self.outbox_oldest_age = Gauge(
            "tsf_outbox_oldest_age_seconds",
            "Age of the oldest outbox row waiting or in flight (0 when none).",
            registry=r,
        )
        self.delivery_latency = Histogram(
            "tsf_lead_delivery_latency_seconds",
            "Seconds from a lead's creation to its delivery, by destination.",
            ["destination"],
            buckets=DELIVERY_LATENCY_BUCKETS,
            registry=r,
        )
        self.alerts = Counter(
            "tsf_alerts", "Alerts raised to the team, by kind.", ["kind"], registry=r
        )
        self.heartbeat = Gauge(
            "tsf_worker_heartbeat_timestamp_seconds",
            "When the delivery worker last went round its loop (Unix time).",
            registry=r,
        )

    def message(self, channel: str | None, intent: str | None) -> None:
        """Count one user message on ``channel`` with the ``intent`` the NLU gave it."""
        self.messages.labels(channel or UNKNOWN).inc()
        self.intents.labels(intent or UNKNOWN).inc()

    def answered(self, fact_ids: Iterable[str]) -> None:
        """Count one answer for each fact given."""
        for fact_id in fact_ids:
            self.answers.labels(fact_id).inc()

    def checked(self, verdict: str) -> None:
        """Count one eligibility check with its verdict."""
        self.checks.labels(verdict).inc()

    def lead_counts(self, counts: dict[str, int], statuses: Iterable[str]) -> None:
        """Set the leads gauge: ``counts`` by status, 0 for the other ``statuses``."""
        for status in {*statuses, *counts}:
            self.leads.labels(status).set(counts.get(status, 0))

    def exposition(self) -> bytes:
        """The metrics in the Prometheus text format."""
        return generate_latest(self.registry)


@lru_cache(maxsize=1)
def metrics() -> Metrics:
    """This process's metrics (built on first use)."""
    return Metrics()
