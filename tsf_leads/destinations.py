"""Where leads go: destination names from the settings, and the adapters behind them.

A destination is ``crm:<TSF_CRM>`` or ``notify:<notifier name>``; the adapters are the CRM
adapter of ``tsf_leads.crm`` and the notifiers of ``tsf_leads.notify``.
"""

from __future__ import annotations

import logging

from tsf_leads.crm import build_adapter
from tsf_leads.notify import build_notifiers
from tsf_leads.settings import LeadSettings
from tsf_leads.worker import Destination

logger = logging.getLogger(__name__)


class DeliveryConfigError(RuntimeError):
    """The configured destinations cannot be built from the settings."""


def crm_destination(settings: LeadSettings) -> str | None:
    """``crm:<TSF_CRM>``, or ``None`` when leads are kept locally (``TSF_CRM=none``)."""
    return None if settings.crm == "none" else f"crm:{settings.crm}"


def configured_destinations(settings: LeadSettings) -> list[str]:
    """The destinations a new lead is queued for, from the settings.

    Never fails: if the notifiers cannot be built, the lead is still queued for the CRM and
    a warning is logged (the lead is kept either way and listed by ``tsf-leads list``).
    """
    destinations = [name for name in [crm_destination(settings)] if name]
    try:
        destinations += [
            f"notify:{notifier.name}" for notifier in build_notifiers(settings.environ)
        ]
    except Exception as error:
        logger.warning("No notifications for new leads: %s", type(error).__name__)
    return destinations


def build_registry(settings: LeadSettings) -> dict[str, Destination]:
    """The adapters the delivery worker uses, keyed by destination name.

    Raises:
        DeliveryConfigError: when the CRM adapter or a notifier cannot be built from the
            settings.
    """
    registry: dict[str, Destination] = {}
    crm = crm_destination(settings)
    if crm is not None:
        try:
            adapter = build_adapter(settings.environ)
        except Exception as error:
            raise DeliveryConfigError(
                f"cannot build the {settings.crm} CRM adapter: {error}"
            ) from error
        if adapter is not None:
            registry[crm] = adapter
    try:
        notifiers = build_notifiers(settings.environ)
    except Exception as error:
        raise DeliveryConfigError(f"cannot build the notifiers: {error}") from error
    for notifier in notifiers:
        registry[f"notify:{notifier.name}"] = notifier
    return registry
