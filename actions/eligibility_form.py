"""The eligibility interview form: reads each answer, handles asides, ends early if needed."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.enquiries import (
    LAST_FACT_SLOT,
    REQUEST_SOURCE_INTENT,
    answer_enquiry,
    answer_free_text,
    describe_source,
)
from actions.interview import (
    ANSWER_SLOTS,
    INTERVIEW_SLOTS,
    QUESTIONS_BY_SLOT,
    SKIPPED,
    YES,
    Aside,
    Kind,
    Question,
    application_from_slots,
    classify_aside,
    read_answer,
)
from actions.services import Services, get_services
from tsf_knowledge.amounts import format_pounds, parse_amount
from tsf_knowledge.answers import format_answer
from tsf_knowledge.eligibility import first_disqualifier

FAILURES_SLOT = "answer_failures"
ASIDES_SLOT = "interview_asides"
DISQUALIFIED_SLOT = "disqualified_by"
CHOOSING_SLOT = "choosing_answer"
REQUESTED_SLOT = "requested_slot"
HELPER_SLOTS = (FAILURES_SLOT, ASIDES_SLOT, DISQUALIFIED_SLOT, CHOOSING_SLOT)
FAILURES_BEFORE_HELP = 2
_CORRECTION = re.compile(
    r"\b(actually|sorry|correction|change|instead|i meant|make that|rather|update)\b",
    re.IGNORECASE,
)


def enquiry_intents(services: Services) -> frozenset[str]:
    """Intents that are questions about the fund (or about the assistant)."""
    return frozenset(
        {*services.knowledge.intents, "check_amount", REQUEST_SOURCE_INTENT, "bot_challenge"}
    )


def answer_aside_question(intent: str, text: str, services: Services) -> tuple[str, str | None]:
    """The answer to a question asked in the middle of the interview, and its fact id."""
    if intent == "bot_challenge":
        return (
            "I'm an automated assistant, not a person. To talk to someone, call Local "
            "Partnerships' Social Investment Team on 020 7187 7379.",
            None,
        )
    if intent == REQUEST_SOURCE_INTENT:
        return describe_source(None, services), None
    reply = answer_enquiry(intent, text, services) or answer_free_text(text, services)
    if reply is None:
        return (
            "Sorry, I don't know the answer to that. The Social Investment Team can help "
            "on 020 7187 7379.",
            None,
        )
    return reply.text, reply.fact_id


def explain_question(question: Question, services: Services) -> str:
    """Why we ask ``question``, with the fact behind it."""
    if question.fact_id is None:
        return question.why
    fact = services.knowledge.fact(question.fact_id)
    return f"{question.why} {format_answer(fact, services.knowledge)}"


def disqualification_events(slots: dict[str, Any]) -> list[EventType]:
    """Set or clear ``disqualified_by`` for the answers in ``slots``."""
    result = first_disqualifier(application_from_slots(slots))
    if result is None:
        return [SlotSet(DISQUALIFIED_SLOT, None)]
    return [SlotSet(DISQUALIFIED_SLOT, result.criterion), SlotSet(REQUESTED_SLOT, None)]


class ValidateEligibilityForm(FormValidationAction):
    """Reads the answer to the question just asked, or handles what else the user said."""

    def name(self) -> str:
        """The validation action Rasa calls for ``eligibility_form``."""
        return "validate_eligibility_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[str]:
        """No more questions once an answer rules the organisation out."""
        if tracker.get_slot(DISQUALIFIED_SLOT):
            return []
        return domain_slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """Handle the latest message against the requested question."""
        question = QUESTIONS_BY_SLOT.get(tracker.get_slot(REQUESTED_SLOT) or "")
        if question is None:
            return []
        services = get_services()
        message = tracker.latest_message
        text = message.get("text") or ""
        intent = (message.get("intent") or {}).get("name") or ""
        confidence = float((message.get("intent") or {}).get("confidence") or 0.0)

        correction = self._amount_correction(question, text, tracker, dispatcher)
        if correction:
            return correction
        aside = classify_aside(question, intent, confidence, text, enquiry_intents(services))
        if aside is None:
            return self._answer(question, intent, text, tracker, dispatcher)
        return await self._aside(aside, question, intent, text, tracker, dispatcher, services)

    def _answer(
        self,
        question: Question,
        intent: str,
        text: str,
        tracker: Tracker,
        dispatcher: CollectingDispatcher,
    ) -> list[EventType]:
        value = read_answer(question, intent, text)
        if value is None:
            return self._not_understood(question, tracker, dispatcher)
        if question.kind is Kind.CONFIRM:
            if value == YES:
                return [SlotSet(question.slot, YES), SlotSet(FAILURES_SLOT, 0.0)]
            return [SlotSet(CHOOSING_SLOT, True), SlotSet(question.slot, None)]
        return self._accept(question.slot, value, tracker)

    def _accept(self, slot: str, value: str, tracker: Tracker) -> list[EventType]:
        slots = {**tracker.current_slot_values(), slot: value}
        return [SlotSet(slot, value), SlotSet(FAILURES_SLOT, 0.0), *disqualification_events(slots)]

    def _not_understood(
        self, question: Question, tracker: Tracker, dispatcher: CollectingDispatcher
    ) -> list[EventType]:
        failures = float(tracker.get_slot(FAILURES_SLOT) or 0) + 1
        if failures >= FAILURES_BEFORE_HELP and question.kind is not Kind.CONFIRM:
            dispatcher.utter_message(
                text=f"{explain_question(question, get_services())}\n\n"
                "If you'd rather not answer, you can skip this question and talk it "
                "through with the team later.",
                buttons=[
                    {"title": "Skip this question", "payload": "/skip_question"},
                    {"title": "Stop the check", "payload": "/stop"},
                ],
            )
        else:
            dispatcher.utter_message(text=f"Sorry, I didn't catch that. {question.retry}")
        return [SlotSet(question.slot, None), SlotSet(FAILURES_SLOT, failures)]

    def _amount_correction(
        self,
        question: Question,
        text: str,
        tracker: Tracker,
        dispatcher: CollectingDispatcher,
    ) -> list[EventType]:
        """A new amount given while another question is asked ("actually we need 600k")."""
        if question.slot == "amount" or not _CORRECTION.search(text):
            return []
        pounds = parse_amount(text)
        if pounds is None or pounds <= 0:
            return []
        dispatcher.utter_message(
            text=f"Thanks, I've changed the amount to {format_pounds(pounds)}."
        )
        events = self._accept("amount", str(pounds), tracker)
        if question.kind is Kind.CONFIRM:
            events.append(SlotSet(question.slot, None))
        return events

    async def _aside(
        self,
        aside: Aside,
        question: Question,
        intent: str,
        text: str,
        tracker: Tracker,
        dispatcher: CollectingDispatcher,
        services: Services,
    ) -> list[EventType]:
        asides = float(tracker.get_slot(ASIDES_SLOT) or 0) + 1
        if aside is Aside.STOP:
            return []  # rejected: the "stop the eligibility check" rule takes over
        if aside is Aside.QUESTION:
            answer, fact_id = await asyncio.to_thread(answer_aside_question, intent, text, services)
            dispatcher.utter_message(text=f"{answer}\n\nNow, back to the eligibility check.")
            return [SlotSet(ASIDES_SLOT, asides), SlotSet(LAST_FACT_SLOT, fact_id)]
        if aside is Aside.EXPLAIN:
            dispatcher.utter_message(text=explain_question(question, services))
            return [SlotSet(ASIDES_SLOT, asides)]
        if aside is Aside.SKIP:
            if question.kind is Kind.CONFIRM:
                return [SlotSet(question.slot, YES)]
            dispatcher.utter_message(text="OK, we'll skip that one. The team can talk it through.")
            return self._accept(question.slot, SKIPPED, tracker)
        if aside is Aside.RESTART:
            dispatcher.utter_message(text="OK, let's start the eligibility check again.")
            return [
                *(SlotSet(slot, None) for slot in (*INTERVIEW_SLOTS, *HELPER_SLOTS)),
                SlotSet(REQUESTED_SLOT, INTERVIEW_SLOTS[0]),
            ]
        return self._change(question, tracker, dispatcher, asides)

    def _change(
        self,
        question: Question,
        tracker: Tracker,
        dispatcher: CollectingDispatcher,
        asides: float,
    ) -> list[EventType]:
        target = next(
            (
                entity.get("value")
                for entity in tracker.latest_message.get("entities") or []
                if entity.get("entity") == "answer_to_change"
            ),
            None,
        )
        if target in ANSWER_SLOTS and tracker.get_slot(target) is not None:
            dispatcher.utter_message(text="OK, let's change that answer.")
            return [
                SlotSet(target, None),
                SlotSet("answers_confirmed", None),
                SlotSet(CHOOSING_SLOT, False),
                SlotSet(DISQUALIFIED_SLOT, None),
                SlotSet(REQUESTED_SLOT, target),
            ]
        if question.kind is Kind.CONFIRM:
            return [SlotSet(CHOOSING_SLOT, True), SlotSet(ASIDES_SLOT, asides)]
        dispatcher.utter_message(
            text="You can change any answer when I show you a summary at the end."
        )
        return [SlotSet(ASIDES_SLOT, asides)]
