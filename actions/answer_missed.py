"""'That's not what I asked': own up, record the miss for the team, and ask again."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.content_gaps import GapNote, record_gap
from actions.enquiries import LAST_FACT_SLOT
from actions.live_chat import REPHRASE_RESPONSE, as_typed
from actions.named_action import NamedAction
from tsf_insight.store import NOT_WHAT_I_ASKED


def missed_answer(tracker: Tracker) -> GapNote | None:
    """The gap when the latest message follows an answer: the user's previous message and
    the fact the assistant answered it with; ``None`` when the previous turn gave no fact."""
    users = 0
    fact_id = None
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            users += 1
            if users == 2:
                if fact_id is None or not event.get("text"):
                    return None
                return GapNote(NOT_WHAT_I_ASKED, as_typed(str(event["text"])), fact_id)
        elif users == 1 and kind == "slot" and event.get("name") == LAST_FACT_SLOT:
            fact_id = fact_id or event.get("value")
    return None


class ActionAnswerMissed(NamedAction):
    """Answers "that's not what I asked": records the missed answer, asks to rephrase (with
    the main options and the team's number)."""

    action_name = "action_answer_missed"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Record the miss when there was an answer to miss, then ask again."""
        note = missed_answer(tracker)
        if note is not None:
            await record_gap(tracker, note)
        dispatcher.utter_message(response=REPHRASE_RESPONSE)
        return []
