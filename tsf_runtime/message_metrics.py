"""Counts each user message once, by channel and intent, in the Rasa process.

:class:`MessageCounter` is a Rasa event broker (``event_broker`` in the endpoints file): Rasa
hands it every event as it stores a conversation, so each user message reaches it exactly
once, whatever the dialogue does next and without a call to the action server. Messages
Rasa makes itself (``EXTERNAL:`` intents, e.g. a reminder) are not counted. The counts are
served at ``/webhooks/metrics/`` (:mod:`channels.metrics`).
"""

from __future__ import annotations

from asyncio import AbstractEventLoop
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

from tsf_config.metrics import metrics

EXTERNAL_PREFIX = "EXTERNAL: "


def counted_message(event: dict[str, Any]) -> tuple[str | None, str | None] | None:
    """(channel, intent) of a user message event to count; ``None`` for any other event."""
    if event.get("event") != "user" or str(event.get("text") or "").startswith(EXTERNAL_PREFIX):
        return None
    intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return event.get("input_channel"), intent


class MessageCounter(EventBroker):
    """An event broker that counts user messages in this process's metrics."""

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: AbstractEventLoop | None = None
    ) -> MessageCounter:
        """The counter (it takes no settings)."""
        return cls()

    def publish(self, event: dict[str, Any]) -> None:
        """Count ``event`` if it is a user's message."""
        message = counted_message(event)
        if message is not None:
            metrics().message(*message)
