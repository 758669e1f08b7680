"""Counts each user message once, by channel and intent, for ``/metrics``.

Rasa runs ``action_validate_slot_mappings`` (when the domain lists it) after every user
message, whatever the dialogue does next, and again when a form starts in that turn; it
changes nothing here, so the slots Rasa extracted stand as they are. A message is counted
on its first run only: no action has run since it, and this server has not counted it yet.
Messages Rasa makes itself (``EXTERNAL:`` intents, e.g. a reminder) are not counted.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.enquiries import latest_intent
from actions.named_action import NamedAction
from tsf_config.metrics import metrics

EXTERNAL_PREFIX = "EXTERNAL: "
REMEMBERED_MESSAGES = 10_000


def message_key(tracker: Tracker) -> str | None:
    """What identifies the latest user message: its id, else its event's timestamp."""
    message_id = tracker.latest_message.get("message_id")
    if message_id:
        return str(message_id)
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            found = event.get("message_id") or event.get("timestamp")
            return None if found is None else str(found)
    return None


def before_any_action(events: list[dict[str, Any]]) -> bool:
    """Whether no action has run since the latest user message."""
    for event in reversed(events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action":
            return False
    return True


class ActionCountMessage(NamedAction):
    """Counts the latest user message by its channel and intent; no events."""

    action_name = "action_validate_slot_mappings"

    def __init__(self) -> None:
        """Nothing counted yet."""
        self._counted: OrderedDict[tuple[str, str], None] = OrderedDict()

    def _first_time(self, tracker: Tracker) -> bool:
        message = message_key(tracker)
        if message is None:
            return True
        key = (tracker.sender_id, message)
        if key in self._counted:
            return False
        self._counted[key] = None
        if len(self._counted) > REMEMBERED_MESSAGES:
            self._counted.popitem(last=False)
        return True

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Count the message, the first time it is seen."""
        text = tracker.latest_message.get("text") or ""
        if text.startswith(EXTERNAL_PREFIX) or not before_any_action(tracker.events):
            return []
        if self._first_time(tracker):
            metrics().message(tracker.get_latest_input_channel(), latest_intent(tracker))
        return []
