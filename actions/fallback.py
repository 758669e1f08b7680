"""Low-confidence fallback: try the knowledge base, else ask the user to rephrase."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.enquiries import LAST_FACT_SLOT, answer_free_text
from actions.services import get_services


class ActionFallback(Action):
    """Answers when neither the classifier nor the dialogue policies are confident."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Answer from retrieval when it is confident; otherwise ask to rephrase."""
        text = tracker.latest_message.get("text") or ""
        ranking = list(tracker.latest_message.get("intent_ranking") or [])
        reply = await asyncio.to_thread(answer_free_text, text, get_services(), ranking)
        if reply is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        dispatcher.utter_message(text=reply.text)
        return [SlotSet(LAST_FACT_SLOT, reply.fact_id)]
