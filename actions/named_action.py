"""The base of the custom actions: a name in the domain, and a reply to the conversation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher


class NamedAction(Action, ABC):
    """An action named by its ``action_name``, whose reply reads only the conversation."""

    action_name: str
    """The action's name in the domain."""

    def name(self) -> str:
        """The action's name in the domain."""
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """The events of :meth:`respond` (no action reads the domain)."""
        return await self.respond(dispatcher, tracker)

    @abstractmethod
    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the action's messages; return its events."""
