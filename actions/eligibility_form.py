"""The eligibility interview form: ends early on a disqualifying answer."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.interview import (
    ANSWER_SLOTS,
    CONTROL_INTENTS,
    INTERVIEW_SLOTS,
    QUESTIONS_BY_SLOT,
    TERM_SLOT,
    application_from_slots,
    noted_lines,
    noted_text,
)
from actions.questionnaire import (
    ASIDES_SLOT,
    CHOOSING_SLOT,
    FAILURES_SLOT,
    REQUESTED_SLOT,
    QuestionnaireValidationAction,
    reading_text,
)
from actions.questions import OWN_WORDS_SLOT, Kind, Question, read_email, read_uk_phone
from tsf_knowledge.applicant_facts import extract_facts
from tsf_knowledge.clauses import split_clauses
from tsf_knowledge.eligibility import first_disqualifier

DISQUALIFIED_SLOT = "disqualified_by"
HELPER_SLOTS = (FAILURES_SLOT, ASIDES_SLOT, DISQUALIFIED_SLOT, CHOOSING_SLOT, OWN_WORDS_SLOT)


class ValidateEligibilityForm(QuestionnaireValidationAction):
    """Validates ``eligibility_form``."""

    questions = QUESTIONS_BY_SLOT
    control_intents = CONTROL_INTENTS  # and "start again"
    answer_slots = ANSWER_SLOTS
    tracked_slots = (*ANSWER_SLOTS, TERM_SLOT)  # and the repayment term in years

    def name(self) -> str:
        """The validation action Rasa calls for ``eligibility_form``."""
        return "validate_eligibility_form"

    def after_answer(self, slot: str, value: str, slots: dict[str, Any]) -> list[EventType]:
        """Re-check the criteria answered so far: set ``disqualified_by`` (which ends the
        form) or clear it."""
        result = first_disqualifier(application_from_slots(slots))
        if result is None:
            return [SlotSet(DISQUALIFIED_SLOT, None)]
        return [SlotSet(DISQUALIFIED_SLOT, result.criterion), SlotSet(REQUESTED_SLOT, None)]

    def restart_events(self, dispatcher: CollectingDispatcher) -> list[EventType]:
        """Clear every answer and ask the first question again."""
        dispatcher.utter_message(text="OK, let's start the eligibility check again.")
        return [
            *(SlotSet(slot, None) for slot in (*INTERVIEW_SLOTS, *HELPER_SLOTS)),
            SlotSet(REQUESTED_SLOT, INTERVIEW_SLOTS[0]),
        ]

    def activation_events(self, tracker: Tracker) -> list[EventType]:
        """End the check at once when the answers already known rule the organisation out."""
        if tracker.get_slot(DISQUALIFIED_SLOT):
            return [SlotSet(REQUESTED_SLOT, None)]
        return []

    def stated_answers(self, tracker: Tracker, question: Question | None) -> dict[str, Any]:
        """Also what a reply says beyond its answer, read in the question's context: "yes -
        a few of us left the council in 2015" tells where the organisation came from."""
        stated = super().stated_answers(tracker, question)
        if question is None:
            return stated
        text = reading_text(tracker.latest_message, question)
        for slot, value in context_answers(question.slot, text).items():
            if slot != question.slot and slot not in stated and tracker.get_slot(slot) is None:
                stated[slot] = value
        return stated

    def read(self, question: Question, intent: str, text: str) -> str | None:
        """A description is read without the sentences that gave other answers ("It's for a
        new imaging system. We're looking at about 700k" describes the imaging system), or
        as the phrase read from a message that gave several answers."""
        if question.kind is Kind.TEXT:
            described = description_in(question.slot, text)
            answers = context_answers(question.slot, text)
            if (
                answers.get(question.slot)
                and len(answers) > 1
                and len(split_clauses(described)) > 1
            ):
                # "The name's Harbourline CIC, not Ltd - I always get that wrong. We do community
                # dental care": the phrase read, not what is left once other answers are cut
                return super().read(question, intent, answers[question.slot])
            text = described
        if question.kind is Kind.NAME and not _describes(question.slot, text):
            return None  # "3 years should be fine" is not what the organisation is called
        if question.kind in (Kind.TEXT, Kind.NAME) and about_contact(text):
            return None  # "yes please, put us in touch: jo@example.org" describes nothing
        return super().read(question, intent, text)

    def read_in_context(self, question: Question, text: str) -> str | None:
        """A sentence read as the answer to ``question`` from what it says ("we left the
        council in 2016" to "were you set up by former public sector staff?")."""
        return context_answers(question.slot, text).get(question.slot)

    def notes_on_stated(
        self, slots: dict[str, Any], noted: list[str], changed: list[str]
    ) -> list[str]:
        """Which answers were changed, and which were taken from the message."""
        notes = [noted_text(slots, noted)]
        if changed:
            lines = "\n".join(noted_lines(slots, changed))
            notes.insert(0, f"Thanks, I've changed your answer:\n{lines}")
        return [note for note in notes if note]


def context_answers(slot: str, text: str) -> dict[str, str]:
    """The answers ``text`` gives, read as a reply to the question for ``slot``."""
    return extract_facts(text, asking=slot).answers()


_PIECES = re.compile(r"\s*(?:,(?!\d{3})|;|\s[—–-]\s|—)\s*")


def description_in(slot: str, text: str) -> str:
    """The parts of ``text`` that describe ``slot``: sentences and comma- or dash-separated
    pieces that gave only other answers are left out ("It's for new tablets — about
    £300,000, over 5 years" describes the tablets; "we need 700k" describes nothing)."""
    kept = []
    for sentence in split_clauses(text):
        pieces = [piece for piece in _PIECES.split(sentence) if piece.strip()]
        described = [piece for piece in pieces if _describes(slot, piece)]
        if len(described) == len(pieces):
            kept.append(sentence)
        elif described:
            kept.append(", ".join(described))
    return " ".join(kept)


_CONTACT_REQUEST = re.compile(
    r"\b(?:put (?:us|me) in touch|pass (?:it|them|this|that|my details|our details|us) on"
    r"|you can share|(?:my|our) (?:consent|details)|consent to)\b",
    re.IGNORECASE,
)


def about_contact(text: str) -> bool:
    """Whether ``text`` is about being put in touch (or gives contact details) rather than
    answering an interview question."""
    return bool(_CONTACT_REQUEST.search(text) or read_email(text) or read_uk_phone(text))


def _describes(slot: str, piece: str) -> bool:
    """Whether ``piece`` gives no answer, or the answer to ``slot``."""
    answers = extract_facts(piece).answers()
    return not answers or slot in answers
