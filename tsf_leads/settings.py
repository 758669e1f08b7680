"""Settings of the lead store and delivery worker, read from the environment at call time.

Every variable is listed in ``VARIABLES`` with its default and meaning (collected by
``tsf_config.registry``). Nothing is read at import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tsf_config import Reader, SettingsError, Variable

CRM_KINDS: tuple[str, ...] = ("none", "webhook", "hubspot", "salesforce", "dynamics")

VARIABLES: tuple[Variable, ...] = (
    Variable(
        "TSF_LEADS_DB_URL",
        "sqlite:///var/leads.db",
        "SQLAlchemy URL of the lead store and its outbox (SQLite or PostgreSQL).",
    ),
    Variable(
        "TSF_CRM",
        "none",
        "Where leads go: none (kept in the local store), webhook, hubspot, salesforce or dynamics.",
    ),
    Variable(
        "TSF_DELIVERY_MAX_ATTEMPTS",
        "8",
        "Delivery attempts per lead and destination before it is dead-lettered.",
    ),
    Variable(
        "TSF_DELIVERY_BASE_DELAY_SECONDS",
        "30",
        "First retry delay; it doubles on each attempt (with random jitter).",
    ),
    Variable(
        "TSF_DELIVERY_MAX_DELAY_SECONDS",
        "3600",
        "Longest retry delay, unless the CRM asks for longer with Retry-After.",
    ),
    Variable(
        "TSF_DELIVERY_POLL_SECONDS",
        "5",
        "How often the delivery worker looks for leads to deliver when it is idle.",
    ),
    Variable(
        "TSF_LEAD_RETENTION_DAYS",
        "365",
        "Leads older than this many days are deleted by `tsf-privacy purge` (and"
        " `tsf-leads purge`).",
    ),
    Variable(
        "TSF_ALERT_AFTER_MINUTES",
        "30",
        "A destination failing for longer than this, without a success, alerts the team once.",
    ),
    Variable(
        "TSF_WORKER_HEARTBEAT_FILE",
        "var/worker-heartbeat",
        "File the delivery worker touches on every round; its healthcheck reads it.",
    ),
    Variable(
        "TSF_WORKER_HEARTBEAT_MAX_AGE_SECONDS",
        "120",
        "The worker's healthcheck fails when its heartbeat is older than this.",
    ),
    Variable(
        "TSF_WORKER_METRICS_HOST",
        "127.0.0.1",
        "Address the delivery worker serves /metrics on.",
    ),
    Variable(
        "TSF_WORKER_METRICS_PORT",
        "9102",
        "Port the delivery worker serves /metrics on (0: no metrics server).",
    ),
)


@dataclass(frozen=True)
class LeadSettings:
    """Resolved settings of the lead store and the delivery worker.

    ``environ`` is the mapping they were read from, so CRM adapters and notifiers can read
    their own variables from the same place.
    """

    db_url: str
    crm: str
    max_attempts: int
    base_delay_seconds: float
    max_delay_seconds: float
    poll_seconds: float
    retention_days: int
    alert_after_minutes: float = 30.0
    heartbeat_file: Path = Path("var/worker-heartbeat")
    heartbeat_max_age_seconds: float = 120.0
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 9102
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)


def _port_or_off(env: Reader, name: str) -> int:
    return 0 if env.text(name).strip() == "0" else env.port(name)


def load_settings(environ: Mapping[str, str] | None = None) -> LeadSettings:
    """Resolve the settings from ``environ`` (the process environment by default).

    Raises:
        SettingsError: when a variable is set to something unusable, naming the variable.
    """
    env = Reader(VARIABLES, environ)
    crm = env.choice("TSF_CRM", CRM_KINDS)
    base_delay = env.seconds("TSF_DELIVERY_BASE_DELAY_SECONDS")
    max_delay = env.seconds("TSF_DELIVERY_MAX_DELAY_SECONDS")
    if max_delay < base_delay:
        raise SettingsError(
            "TSF_DELIVERY_MAX_DELAY_SECONDS must not be less than TSF_DELIVERY_BASE_DELAY_SECONDS"
        )
    return LeadSettings(
        db_url=env.text("TSF_LEADS_DB_URL"),
        crm=crm,
        max_attempts=env.count("TSF_DELIVERY_MAX_ATTEMPTS"),
        base_delay_seconds=base_delay,
        max_delay_seconds=max_delay,
        poll_seconds=env.seconds("TSF_DELIVERY_POLL_SECONDS"),
        retention_days=env.count("TSF_LEAD_RETENTION_DAYS"),
        alert_after_minutes=env.seconds("TSF_ALERT_AFTER_MINUTES"),
        heartbeat_file=env.path("TSF_WORKER_HEARTBEAT_FILE"),
        heartbeat_max_age_seconds=env.seconds("TSF_WORKER_HEARTBEAT_MAX_AGE_SECONDS"),
        metrics_host=env.text("TSF_WORKER_METRICS_HOST"),
        metrics_port=_port_or_off(env, "TSF_WORKER_METRICS_PORT"),
        environ=dict(env.environ),
    )
