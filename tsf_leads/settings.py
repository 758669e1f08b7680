"""Settings of the lead store and delivery worker, read from the environment at call time.

Every variable is listed in ``VARIABLES`` with its default and meaning, like
``tsf_runtime.settings``. Nothing is read at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

CRM_KINDS: tuple[str, ...] = ("none", "webhook", "hubspot", "salesforce", "dynamics")


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, default and meaning."""

    name: str
    default: str
    meaning: str


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
)

_DEFAULTS = {variable.name: variable.default for variable in VARIABLES}


class SettingsError(ValueError):
    """A variable has a value the lead store or worker cannot use."""


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
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)


def _raw(environ: Mapping[str, str], name: str) -> str:
    return (environ.get(name) or "").strip() or _DEFAULTS[name]


def _positive_int(environ: Mapping[str, str], name: str) -> int:
    raw = _raw(environ, name)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, not {value}")
    return value


def _positive_seconds(environ: Mapping[str, str], name: str) -> float:
    raw = _raw(environ, name)
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not value > 0 or value == float("inf"):
        raise SettingsError(f"{name} must be a positive number of seconds, not {raw!r}")
    return value


def load_settings(environ: Mapping[str, str] | None = None) -> LeadSettings:
    """Resolve the settings from ``environ`` (the process environment by default).

    Raises:
        SettingsError: when a variable is set to something unusable, naming the variable.
    """
    environ = os.environ if environ is None else environ
    crm = _raw(environ, "TSF_CRM").lower()
    if crm not in CRM_KINDS:
        raise SettingsError(f"TSF_CRM must be one of {', '.join(CRM_KINDS)}, not {crm!r}")
    base_delay = _positive_seconds(environ, "TSF_DELIVERY_BASE_DELAY_SECONDS")
    max_delay = _positive_seconds(environ, "TSF_DELIVERY_MAX_DELAY_SECONDS")
    if max_delay < base_delay:
        raise SettingsError(
            "TSF_DELIVERY_MAX_DELAY_SECONDS must not be less than TSF_DELIVERY_BASE_DELAY_SECONDS"
        )
    return LeadSettings(
        db_url=_raw(environ, "TSF_LEADS_DB_URL"),
        crm=crm,
        max_attempts=_positive_int(environ, "TSF_DELIVERY_MAX_ATTEMPTS"),
        base_delay_seconds=base_delay,
        max_delay_seconds=max_delay,
        poll_seconds=_positive_seconds(environ, "TSF_DELIVERY_POLL_SECONDS"),
        retention_days=_positive_int(environ, "TSF_LEAD_RETENTION_DAYS"),
        environ=dict(environ),
    )
