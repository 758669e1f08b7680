"""Alerts to the team: a lead dead-lettered, or a destination failing for too long.

Each is raised inside the transaction that records the failure, under a unique key, so it
happens once however many attempts, restarts or worker replicas see the same failure; the
outbox then delivers it to the team's channels (every notifier but the one it is about).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from tsf_leads.contracts import Alert
from tsf_leads.repository import Claim, LeadRepository

logger = logging.getLogger(__name__)

DEAD_LETTER = "dead_letter"
FAILING = "failing"
CHANNEL_PREFIX = "notify:"


def alert_channels(destinations: Iterable[str], about: str) -> list[str]:
    """The team's channels for an alert about ``about``: the notifiers, except ``about``."""
    return sorted(
        name for name in destinations if name.startswith(CHANNEL_PREFIX) and name != about
    )


def _raise(
    leads: LeadRepository, key: str, alert: Alert, claim: Claim, channels: list[str]
) -> bool:
    raised = leads.raise_alert(key, alert, claim.outbox_id, channels)
    if raised:
        logger.warning(
            "Alert: %s (%s); sent to %s", alert.title, alert.reason, channels or "no channel"
        )
    return raised


def alert_dead_letter(
    leads: LeadRepository, claim: Claim, reason: str, now: datetime, channels: list[str]
) -> bool:
    """Raise the alert for ``claim``'s row having just been dead-lettered (an alert's own
    row is not alerted about); whether one was raised.

    The key counts the row's earlier dead-letter alerts, so a row sent again by hand
    (``tsf-leads retry``) that gives up again alerts again.
    """
    if claim.alert is not None:
        return False
    prefix = f"dead/{claim.outbox_id}/"
    key = f"{prefix}{leads.alert_count(prefix) + 1}"
    alert = Alert(DEAD_LETTER, claim.lead.reference, claim.destination, reason, now)
    return _raise(leads, key, alert, claim, channels)


def alert_if_failing_too_long(
    leads: LeadRepository,
    claim: Claim,
    reason: str,
    now: datetime,
    after: timedelta,
    channels: list[str],
) -> bool:
    """Note a failed attempt at ``claim``'s destination and, once it has failed without a
    success for longer than ``after``, raise one alert for that failing period (a success
    ends the period; failing again later starts a new one); whether one was raised."""
    since = leads.destination_failed(claim.destination, now)
    if now - since <= after:
        return False
    minutes = int((now - since).total_seconds() // 60)
    alert = Alert(
        FAILING,
        claim.lead.reference,
        claim.destination,
        f"failing for {minutes} minutes without a success; the latest: {reason}",
        now,
    )
    key = f"failing/{claim.destination}/{since.isoformat()}"
    return _raise(leads, key, alert, claim, channels)
