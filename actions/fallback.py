"""Low-confidence fallback: ask the user to rephrase, with the main options."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher


class ActionFallback(Action):
    """Answers when neither the classifier nor the dialogue policies are confident."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Ask the user to rephrase."""
        dispatcher.utter_message(response="utter_ask_rephrase")
        return []
