"""Answer enquiries about the fund from the knowledge base, with their sources."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.services import Services, get_services
from tsf_knowledge.amounts import describe_amount_fit, parse_amount
from tsf_knowledge.answers import format_answer, source_line
from tsf_knowledge.facts import Fact, KnowledgeBase

CHECK_AMOUNT_INTENT = "check_amount"
REQUEST_SOURCE_INTENT = "request_source"
LAST_FACT_SLOT = "last_fact_id"
AMOUNT_FACT = "loan_amounts"
# Questions about loan sizes that may carry an amount worth checking against the range.
AMOUNT_AWARE_INTENTS = frozenset({CHECK_AMOUNT_INTENT, "ask_loan_amounts"})
# Words that make a sum in any question a request to borrow it ("is £1m allowed?").
_BORROWING = re.compile(
    r"\b(borrow|lend|loan|need|allowed|ask for|looking for|want|apply for|"
    r"(?:could|can) (?:we|i) (?:get|have))\b",
    re.IGNORECASE,
)
# Under the fallback threshold the classifier's best fact intent is trusted when retrieval
# ranks one of its facts among its top few; in cross-validation such guesses from 0.25 up
# are right about 45% of the time on their own.
SECOND_OPINION_CONFIDENCE = 0.25
SECOND_OPINION_RANK = 3


@dataclass(frozen=True)
class Reply:
    """What to say, and which fact it came from (if any)."""

    text: str
    fact_id: str | None


def answer_enquiry(intent: str, text: str, services: Services) -> Reply | None:
    """The reply to a classified enquiry, or ``None`` when the intent names no fact."""
    knowledge = services.knowledge
    if intent in AMOUNT_AWARE_INTENTS or _BORROWING.search(text):
        pounds = parse_amount(text)
        if pounds is not None:
            return Reply(describe_amount_fit(pounds, knowledge), AMOUNT_FACT)
        if intent == CHECK_AMOUNT_INTENT:
            fact = knowledge.fact(AMOUNT_FACT)
            return Reply(format_answer(fact, knowledge), fact.id)
    group = knowledge.group(intent)
    if not group:
        return None
    fact = pick_from_group(text, group, services)
    return Reply(format_answer(fact, knowledge), fact.id)


def pick_from_group(text: str, group: Sequence[Fact], services: Services) -> Fact:
    """The fact of a question group that ``text`` asks about.

    Facts that people ask about in the same words share an intent. Retrieval, limited to
    the group, picks the one that best fits the words used; the group's first fact
    answers when no word points to any of them.
    """
    if len(group) == 1:
        return group[0]
    ranked = services.retriever.rank(text, group)
    return ranked[0].fact if ranked else group[0]


def answer_free_text(
    text: str, services: Services, ranking: Sequence[dict[str, object]] = ()
) -> Reply | None:
    """The best fact for text the classifier was unsure of, or ``None``.

    Retrieval answers on its own when it is confident. Otherwise the classifier's best
    guess is used if its confidence is not negligible and retrieval ranks the same fact
    among its top few: two weak signals that agree.
    """
    knowledge = services.knowledge
    pounds = parse_amount(text)
    if pounds is not None and _BORROWING.search(text):
        return Reply(describe_amount_fit(pounds, knowledge), AMOUNT_FACT)
    match = services.retriever.best_match(text)
    if match is not None:
        return Reply(format_answer(match.fact, knowledge), match.fact.id)
    guess = _classifier_guess(ranking, knowledge)
    nearby = services.retriever.search(text, k=SECOND_OPINION_RANK)
    for candidate in nearby:
        if candidate.fact in guess:
            return Reply(format_answer(candidate.fact, knowledge), candidate.fact.id)
    return None


def _classifier_guess(
    ranking: Sequence[dict[str, object]], knowledge: KnowledgeBase
) -> tuple[Fact, ...]:
    """The facts of the classifier's best fact intent, if its confidence is not negligible."""
    for entry in ranking:
        group = knowledge.group(str(entry.get("name")))
        if group:
            confidence = entry.get("confidence")
            confident = (
                isinstance(confidence, int | float) and confidence >= SECOND_OPINION_CONFIDENCE
            )
            return group if confident else ()
    return ()


def describe_source(fact_id: str | None, services: Services) -> str:
    """Full details of where the last answer came from."""
    knowledge = services.knowledge
    if fact_id is None:
        return (
            "Everything I tell you comes from public documents about the fund: a Department "
            "of Health blog, a news article and a Cabinet Office press release. Ask me a "
            "question and I'll say which one each answer comes from."
        )
    fact = knowledge.fact(fact_id)
    lines = [
        f"• {source.title} — {source.publisher}, {source.date}"
        for source in knowledge.sources_for(fact)
    ]
    return "My last answer came from:\n" + "\n".join(lines) + f"\n\n{source_line(fact, knowledge)}"


def _intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def _text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def _ranking(tracker: Tracker) -> list[dict[str, object]]:
    return list(tracker.latest_message.get("intent_ranking") or [])


class ActionAnswerEnquiry(Action):
    """Answers a question the classifier recognised, from the knowledge base."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_answer_enquiry"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Send the fact's answer with its source line; remember the fact for follow-ups."""
        services = get_services()
        reply = answer_enquiry(_intent(tracker), _text(tracker), services)
        if reply is None:
            reply = await asyncio.to_thread(
                answer_free_text, _text(tracker), services, _ranking(tracker)
            )
        if reply is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        dispatcher.utter_message(text=reply.text)
        return [SlotSet(LAST_FACT_SLOT, reply.fact_id)]


class ActionShowSource(Action):
    """Says in full where the last answer came from."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_show_source"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Describe the source documents of the last fact given."""
        dispatcher.utter_message(
            text=describe_source(tracker.get_slot(LAST_FACT_SLOT), get_services())
        )
        return []
