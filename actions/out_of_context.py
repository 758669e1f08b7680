"""Replies that answer no question: a yes or no after an offer (the hand-off, the check, a
live chat, the contact form) or an early end."""

from __future__ import annotations

from abc import ABC, abstractmethod

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.eligibility_form import DISQUALIFIED_SLOT
from actions.eligibility_verdict import (
    AFTER_CHECK_OPTIONS,
    MAIN_OPTIONS,
    VERDICT_SLOT,
    ActionStartInterview,
    hand_off_offer,
    offer_hand_off,
)
from actions.enquiries import latest_intent
from actions.interview import application_from_slots
from actions.lead_form import agrees, asks_about_data_use
from actions.lead_handoff import REFERENCE_SLOT, contact_details_start
from actions.lead_questions import privacy_notice
from actions.live_chat import (
    decline_live_chat,
    offered_contact_form,
    offered_live_chat,
    start_live_chat,
)
from actions.named_action import NamedAction
from tsf_knowledge.eligibility import Answer, first_disqualifier, interpret_yes_no
from tsf_knowledge.fund_terms import fund_terms

LEAD_FORM = "lead_form"
ELIGIBILITY_FORM = "eligibility_form"
# How the assistant's offer to start the check ends (utter_no_current_question).
CHECK_OFFER_END = "Would you like to start it?"
HAND_OFF_VERDICTS = frozenset({"eligible", "borderline"})


def last_bot_text(tracker: Tracker) -> str:
    """The text of the assistant's latest message before the user's latest one."""
    for event in reversed(list(tracker.events)):
        if event.get("event") == "bot" and event.get("text"):
            return str(event["text"])
    return ""


def offered_hand_off(tracker: Tracker) -> bool:
    """Whether the assistant has just offered to pass the answers to the team."""
    return (
        tracker.get_slot(VERDICT_SLOT) in HAND_OFF_VERDICTS
        and not tracker.get_slot(REFERENCE_SLOT)
        and last_bot_text(tracker) == hand_off_offer()
    )


def offered_check(tracker: Tracker) -> bool:
    """Whether the assistant has just offered to start the eligibility check."""
    return last_bot_text(tracker).rstrip().endswith(CHECK_OFFER_END)


async def reply_to_offer(
    tracker: Tracker, dispatcher: CollectingDispatcher
) -> list[EventType] | None:
    """A yes to the hand-off offer, or to the contact form offered instead of a live chat,
    starts the contact form (consent first); a no leaves nothing passed on. A yes to "would
    you like to start it?" starts the check; a yes to sharing the conversation asks the team
    to join. ``None`` when the message is not a reply to any offer."""
    text = tracker.latest_message.get("text") or ""
    intent = latest_intent(tracker)
    answer = interpret_yes_no(text)
    said_yes = intent == "affirm" or answer is Answer.YES
    said_no = intent == "deny" or answer is Answer.NO
    if offered_check(tracker) and said_yes:
        events = await ActionStartInterview().respond(dispatcher, tracker)
        return [*events, FollowupAction(ELIGIBILITY_FORM)]
    if offered_live_chat(last_bot_text(tracker)) and (said_yes or said_no):
        if said_yes:
            return await start_live_chat(dispatcher, tracker)
        decline_live_chat(dispatcher)
        return []
    if not (offered_contact_form(last_bot_text(tracker)) or offered_hand_off(tracker)):
        return None
    if said_yes or agrees(text):
        return [*contact_details_start(text, dispatcher), FollowupAction(LEAD_FORM)]
    if asks_about_data_use(text):
        # "Possibly. What would you do with my details?" is answered, and the offer stands.
        dispatcher.utter_message(text=f"Nothing is passed on unless you agree. {privacy_notice()}")
        offer_hand_off(dispatcher)
        return []
    if said_no:
        dispatcher.utter_message(
            text="No problem: nothing has been passed on. You can call the Social Investment "
            f"Team on {fund_terms().team_phone} whenever you like. Is there anything else I can "
            "help with?",
            buttons=MAIN_OPTIONS,
        )
        return []
    return None


class OfferFirstAction(NamedAction, ABC):
    """An action that first takes a reply to the assistant's offer, then answers."""

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Take up the hand-off or check offer; else :meth:`answer`."""
        offer_events = await reply_to_offer(tracker, dispatcher)
        if offer_events is not None:
            return offer_events
        return await self.answer(dispatcher, tracker)

    @abstractmethod
    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """The reply to a message that answers no offer."""


class ActionAnswerOutOfContext(OfferFirstAction):
    """A yes, no or maybe that answers no question on the screen, or a reply to the offer."""

    action_name = "action_answer_out_of_context"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Recall why a check ended early, or ask what's next."""
        result = None
        if tracker.get_slot(DISQUALIFIED_SLOT):
            result = first_disqualifier(application_from_slots(tracker.current_slot_values()))
        if result is None:
            dispatcher.utter_message(response="utter_nothing_to_stop")
            return []
        dispatcher.utter_message(
            text="The check has ended, because your organisation does not meet one of the "
            f"fund's rules. {result.reason}\n\nIf that has changed or I've misunderstood, tell "
            f"me, or call the Social Investment Team on {fund_terms().team_phone}. Is there "
            "anything else I can help with?",
            buttons=AFTER_CHECK_OPTIONS,
        )
        return []
