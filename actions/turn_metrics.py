"""Counts each user message once, by channel and intent, for ``/metrics``.

Rasa runs ``action_validate_slot_mappings`` (when the domain lists it) after every user
message, whatever the dialogue does next; it changes nothing here, so the slots Rasa
extracted stand as they are.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.enquiries import latest_intent
from actions.named_action import NamedAction
from tsf_config.metrics import metrics


class ActionCountMessage(NamedAction):
    """Counts the latest user message by its channel and intent; no events."""

    action_name = "action_validate_slot_mappings"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Count the message."""
        metrics().message(tracker.get_latest_input_channel(), latest_intent(tracker))
        return []
