"""Conversation start: show the privacy notice once per conversation."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.named_action import NamedAction
from tsf_config.shared import conversation_retention_days


class ActionSessionStart(NamedAction):
    """Starts a session with the privacy notice, before the user's first message is answered."""

    action_name = "action_session_start"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the notice (with the retention period ``tsf-privacy purge`` applies) and start
        the session."""
        dispatcher.utter_message(
            response="utter_privacy_notice", retention_days=conversation_retention_days()
        )
        return [SessionStarted(), ActionExecuted("action_listen")]
