"""Where leads go: destination names from the settings, and the adapters behind them.

A destination is ``crm:<TSF_CRM>`` or ``notify:<notifier name>``. The CRM adapters and
notifiers live in ``tsf_leads.crm`` and ``tsf_leads.notify`` and are imported only when a
registry is built, so storing a lead never depends on them.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from tsf_leads.settings import LeadSettings
from tsf_leads.worker import Destination

logger = logging.getLogger(__name__)


class DeliveryConfigError(RuntimeError):
    """The configured destinations cannot be built (a missing module or bad settings)."""


def crm_destination(settings: LeadSettings) -> str | None:
    """``crm:<TSF_CRM>``, or ``None`` when leads are kept locally (``TSF_CRM=none``)."""
    return None if settings.crm == "none" else f"crm:{settings.crm}"


def _import(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise DeliveryConfigError(
            f"cannot deliver leads: {module}.{name} is not available ({error})"
        ) from error


def _notifiers(settings: LeadSettings) -> list[Any]:
    build_notifiers = _import("tsf_leads.notify", "build_notifiers")
    return list(build_notifiers(settings.environ))


def configured_destinations(settings: LeadSettings) -> list[str]:
    """The destinations a new lead is queued for, from the settings.

    Never fails: if the notifiers cannot be built, the lead is still queued for the CRM and
    a warning is logged (the lead is kept either way and listed by ``tsf-leads list``).
    """
    destinations = [name for name in [crm_destination(settings)] if name]
    try:
        destinations += [f"notify:{notifier.name}" for notifier in _notifiers(settings)]
    except Exception as error:
        logger.warning("No notifications for new leads: %s", type(error).__name__)
    return destinations


def build_registry(settings: LeadSettings) -> dict[str, Destination]:
    """The adapters the delivery worker uses, keyed by destination name.

    Raises:
        DeliveryConfigError: when ``tsf_leads.crm`` or ``tsf_leads.notify`` is missing, or
            an adapter cannot be built from the settings.
    """
    registry: dict[str, Destination] = {}
    crm = crm_destination(settings)
    if crm is not None:
        build_adapter = _import("tsf_leads.crm", "build_adapter")
        try:
            adapter = build_adapter(settings.environ)
        except DeliveryConfigError:
            raise
        except Exception as error:
            raise DeliveryConfigError(
                f"cannot build the {settings.crm} CRM adapter: {error}"
            ) from error
        if adapter is not None:
            registry[crm] = adapter
    try:
        notifiers = _notifiers(settings)
    except DeliveryConfigError:
        raise
    except Exception as error:
        raise DeliveryConfigError(f"cannot build the notifiers: {error}") from error
    for notifier in notifiers:
        registry[f"notify:{notifier.name}"] = notifier
    return registry
