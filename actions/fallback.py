"""The actions that answer: a recognised enquiry, low confidence and out of scope (answer
from the facts, say what they lack, or decline); each first takes a reply to an offer."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.enquiries import answer_in_turn, log_content_gap, message_text
from actions.out_of_context import reply_to_offer
from tsf_knowledge.fund_terms import fund_terms
from tsf_knowledge.unknown_topics import find_unknown_topic, unknown_topic_reply


class ActionAnswerEnquiry(Action):
    """Answers a question the classifier recognised, from the knowledge base."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_answer_enquiry"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Take up the hand-off offer ("ya pass it on pls", whatever it was classified as);
        else send the fact's answer with its source line."""
        offer_events = await reply_to_offer(tracker, dispatcher)
        if offer_events is not None:
            return offer_events
        return await answer_in_turn(dispatcher, tracker)


class ActionFallback(Action):
    """Answers when neither the classifier nor the dialogue policies are confident."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Take up the hand-off offer; else answer from retrieval when it is confident;
        otherwise ask to rephrase."""
        offer_events = await reply_to_offer(tracker, dispatcher)
        if offer_events is not None:
            return offer_events
        return await answer_in_turn(dispatcher, tracker)


SHORT_QUESTION_WORDS = 8


class ActionOutOfScope(Action):
    """Declines what is not about the fund, unless it is a fund question nothing answers."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Say the documents don't cover a known topic; decline anything else."""
        offer_events = await reply_to_offer(tracker, dispatcher)
        if offer_events is not None:
            return offer_events
        text = message_text(tracker)
        # Asked of this assistant, a short question ("any fees??") is about the fund.
        short = len(text.split()) <= SHORT_QUESTION_WORDS
        topic = find_unknown_topic(text, about_the_fund=short)
        if topic is None:
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        log_content_gap("unknown_topic", text, topic.key)
        dispatcher.utter_message(text=unknown_topic_reply(topic, fund_terms().team_phone))
        return []
