"""Lead card buttons pressed in the team's channel: the lead's team status set through the
lead service (idempotently, with the CRM told through the outbox), for the channel to
redraw the card or say why nothing changed."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from tsf_leads.repository import LeadRecord
from tsf_leads.service import LeadService
from tsf_leads.team_actions import TeamAction

logger = logging.getLogger(__name__)


@functools.cache
def lead_service() -> LeadService:
    """The Rasa server's lead service, opened (and its database migrated) on first use."""
    return LeadService.from_settings()


@dataclass(frozen=True)
class Pressed:
    """What a press did: the lead as it now is, whether this press changed it, or why not."""

    record: LeadRecord | None
    changed: bool = False
    problem: str | None = None


def press(action: TeamAction, staff_id: str, staff_name: str, interaction_id: str) -> Pressed:
    """Set the lead's team status as ``action`` says (a retried press changes nothing)."""
    try:
        change = lead_service().set_team_status(
            action.reference,
            action.status,
            staff_id,
            staff_name,
            reason=action.reason,
            interaction_id=interaction_id,
        )
    except (LookupError, ValueError) as error:
        logger.info("A lead button changed nothing: %s", type(error).__name__)
        return Pressed(None, problem=str(error))
    return Pressed(change.lead, changed=change.changed)
