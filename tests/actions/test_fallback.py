"""When nothing is understood, the user is asked to rephrase and offered the main options."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from tests.actions.trackers import make_tracker


async def test_gibberish_is_met_with_a_request_to_rephrase(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()

    events = await ActionFallback().run(
        dispatcher, make_tracker("qwzx blorp", "nlu_fallback", 0.3), domain
    )

    assert [message["response"] for message in dispatcher.messages] == ["utter_ask_rephrase"]
    assert events == []
