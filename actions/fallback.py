"""The actions that answer: a recognised enquiry, low confidence and out of scope (answer
from the facts, say what they lack, or decline); each first takes a reply to an offer."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.content_gaps import GapNote, in_own_words, record_gap
from actions.enquiries import answer_in_turn, latest_intent, message_text
from actions.live_chat import CONTACT_TEAM_INTENT, offer_after_two_misses, talk_to_team
from actions.out_of_context import OfferFirstAction
from tsf_config.metrics import metrics
from tsf_insight.store import UNKNOWN_TOPIC
from tsf_knowledge.fund_terms import fund_terms
from tsf_knowledge.unknown_topics import find_unknown_topic, unknown_topic_reply


class ActionAnswerEnquiry(OfferFirstAction):
    """Answers a question the classifier recognised, from the knowledge base."""

    action_name = "action_answer_enquiry"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the fact's answer with its source line ("ya pass it on pls" took up the offer,
        whatever it was classified as); "can I talk to someone?", or a second message in a
        row it cannot answer, may get a live chat."""
        if latest_intent(tracker) == CONTACT_TEAM_INTENT:
            return await talk_to_team(dispatcher, tracker)
        events = await answer_in_turn(dispatcher, tracker)
        offer_after_two_misses(dispatcher, tracker)
        return events


class ActionFallback(ActionAnswerEnquiry):
    """Answers when neither the classifier nor the dialogue policies are confident: from
    retrieval when it is confident, otherwise by asking to rephrase."""

    action_name = "action_fallback"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Count the fallback, then answer as an enquiry would."""
        metrics().fallbacks.inc()
        return await super().answer(dispatcher, tracker)


SHORT_QUESTION_WORDS = 8


class ActionOutOfScope(OfferFirstAction):
    """Declines what is not about the fund, unless it is a fund question nothing answers."""

    action_name = "action_out_of_scope"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Say the documents don't cover a known topic; decline anything else."""
        text = message_text(tracker)
        # Asked of this assistant, a short question ("any fees??") is about the fund.
        short = len(text.split()) <= SHORT_QUESTION_WORDS
        topic = find_unknown_topic(text, about_the_fund=short)
        if topic is None:
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        await record_gap(
            tracker, in_own_words(GapNote(UNKNOWN_TOPIC, text, topic.key), text, tracker)
        )
        dispatcher.utter_message(text=unknown_topic_reply(topic, fund_terms().team_phone))
        return []
