"""Helpers for action tests: trackers built the way Rasa sends them."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    text: str = "",
    intent: str | None = None,
    confidence: float = 1.0,
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    extracted: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker whose latest message is ``text`` classified as ``intent``.

    ``extracted`` are the slots Rasa's slot mappings filled from that message: they come
    after the user event, as ``action_extract_slots`` sets them, with ``slots`` before it.
    """
    if extracted:
        before = [{"event": "slot", "name": k, "value": v} for k, v in (slots or {}).items()]
        after = [{"event": "slot", "name": k, "value": v} for k, v in extracted.items()]
        events = [*(events or before), {"event": "user", "text": text}, *after]
        slots = {**(slots or {}), **extracted}
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "intent_ranking": [{"name": intent, "confidence": confidence}] if intent else [],
        "entities": [],
    }
    return Tracker(
        sender_id="test-user",
        slots=slots or {},
        latest_message=latest_message,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


async def run_action(
    action: Action, tracker: Tracker, domain: dict[str, Any] | None = None
) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    """Run ``action`` on ``tracker`` as Rasa would: the events it returns and what it said."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain or {})
    return events, dispatcher
