"""Conversation start: show the privacy notice once per session, and carry the conversation
over into a new session.

Rasa starts a new session when a user comes back after ``session_expiration_time`` minutes
(``rasa_project/domain/session.yml``); the tracker store then reads only the new session's
events, however long the conversation has run. So that coming back loses nothing, every
slot that has a value (answers, consent, the question being asked) is set again in the new
session and a form that was in progress is active again.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.named_action import NamedAction
from tsf_config.shared import conversation_retention_days

NOT_CARRIED = frozenset({"session_started_metadata"})
"""Slots Rasa sets afresh for each session."""


def carried_over(tracker: Tracker) -> list[EventType]:
    """The events that bring the previous session's slots and active form into a new one."""
    events: list[EventType] = [
        SlotSet(name, value)
        for name, value in tracker.slots.items()
        if value is not None and name not in NOT_CARRIED
    ]
    form = tracker.active_loop_name
    if form:
        events.append(ActiveLoop(form))
    return events


class ActionSessionStart(NamedAction):
    """Starts a session with the privacy notice, before the user's first message is answered,
    with the previous session's slots and form."""

    action_name = "action_session_start"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the notice (with the retention period ``tsf-privacy purge`` applies), start
        the session and carry the conversation over."""
        dispatcher.utter_message(
            response="utter_privacy_notice", retention_days=conversation_retention_days()
        )
        return [SessionStarted(), *carried_over(tracker), ActionExecuted("action_listen")]
