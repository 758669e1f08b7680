"""A conversation starts with the privacy notice, once."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import ActionExecuted, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart
from tests.actions.trackers import make_tracker


async def test_session_start_shows_the_privacy_notice_and_starts_the_session(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()

    events = await ActionSessionStart().run(dispatcher, make_tracker(), domain)

    assert [message["response"] for message in dispatcher.messages] == ["utter_privacy_notice"]
    assert events == [SessionStarted(), ActionExecuted("action_listen")]
