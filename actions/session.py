"""Conversation start: show the privacy notice once per conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from tsf_config.shared import conversation_retention_days


class ActionSessionStart(Action):
    """Starts a session with the privacy notice, before the user's first message is answered."""

    def name(self) -> str:
        """Rasa's reserved name for the session-start action."""
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the notice (with the retention period ``tsf-privacy purge`` applies) and start
        the session."""
        dispatcher.utter_message(
            response="utter_privacy_notice", retention_days=conversation_retention_days()
        )
        return [SessionStarted(), ActionExecuted("action_listen")]
