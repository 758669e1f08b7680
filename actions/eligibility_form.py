"""The eligibility interview form: ends early on a disqualifying answer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.interview import (
    CONTROL_INTENTS,
    INTERVIEW_SLOTS,
    QUESTIONS_BY_SLOT,
    application_from_slots,
)
from actions.questionnaire import (
    ASIDES_SLOT,
    CHOOSING_SLOT,
    FAILURES_SLOT,
    OWN_WORDS_SLOT,
    REQUESTED_SLOT,
    QuestionnaireValidationAction,
)
from actions.questions import Aside, Kind, Question
from tsf_knowledge.amounts import format_pounds, parse_amount
from tsf_knowledge.eligibility import first_disqualifier

DISQUALIFIED_SLOT = "disqualified_by"
HELPER_SLOTS = (FAILURES_SLOT, ASIDES_SLOT, DISQUALIFIED_SLOT, CHOOSING_SLOT, OWN_WORDS_SLOT)
_CORRECTION = re.compile(
    r"\b(actually|sorry|correction|change|instead|i meant|make that|rather|update)\b",
    re.IGNORECASE,
)


def disqualification_events(slots: dict[str, Any]) -> list[EventType]:
    """Set or clear ``disqualified_by`` for the answers in ``slots``."""
    result = first_disqualifier(application_from_slots(slots))
    if result is None:
        return [SlotSet(DISQUALIFIED_SLOT, None)]
    return [SlotSet(DISQUALIFIED_SLOT, result.criterion), SlotSet(REQUESTED_SLOT, None)]


class ValidateEligibilityForm(QuestionnaireValidationAction):
    """Validates ``eligibility_form``."""

    def name(self) -> str:
        """The validation action Rasa calls for ``eligibility_form``."""
        return "validate_eligibility_form"

    @property
    def questions(self) -> Mapping[str, Question]:
        """The interview's questions."""
        return QUESTIONS_BY_SLOT

    @property
    def control_intents(self) -> Mapping[str, Aside]:
        """Stop, skip, why, start again and change."""
        return CONTROL_INTENTS

    def ended_early(self, tracker: Tracker) -> bool:
        """Ended once an answer rules the organisation out."""
        return bool(tracker.get_slot(DISQUALIFIED_SLOT))

    def after_answer(self, slot: str, value: str, slots: dict[str, Any]) -> list[EventType]:
        """Re-check the criteria answered so far."""
        return disqualification_events(slots)

    def restart_events(self, dispatcher: CollectingDispatcher) -> list[EventType]:
        """Clear every answer and ask the first question again."""
        dispatcher.utter_message(text="OK, let's start the eligibility check again.")
        return [
            *(SlotSet(slot, None) for slot in (*INTERVIEW_SLOTS, *HELPER_SLOTS)),
            SlotSet(REQUESTED_SLOT, INTERVIEW_SLOTS[0]),
        ]

    def correction(
        self, question: Question, text: str, tracker: Tracker, dispatcher: CollectingDispatcher
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
        events = self.accept("amount", str(pounds), tracker, own_words=text)
        if question.kind is Kind.CONFIRM:
            events.append(SlotSet(question.slot, None))
        return events
