"""The eligibility interview's questions and answers, independent of the form mechanics.

Maps slot values to the ``tsf_knowledge.eligibility.Application`` the rules assess, reads
each kind of answer, and decides whether a message answers the current question or is an
aside (a question about the fund, "why do you ask?", "stop", ...).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from tsf_knowledge.amounts import format_pounds, parse_amount
from tsf_knowledge.eligibility import Answer, Application, interpret_yes_no

YES, NO, UNSURE = "yes", "no", "unsure"
SKIPPED = "skipped"
MAX_TEXT_ANSWER = 500


class Kind(Enum):
    """How an answer is read."""

    NAME = "name"
    TEXT = "text"
    YES_NO = "yes_no"
    AMOUNT = "amount"
    CONFIRM = "confirm"


@dataclass(frozen=True)
class Question:
    """One interview question: its slot, how to read the answer, and why we ask it."""

    slot: str
    label: str
    kind: Kind
    why: str
    fact_id: str | None
    retry: str


QUESTIONS: tuple[Question, ...] = (
    Question(
        "organisation_name",
        "Organisation",
        Kind.NAME,
        "We ask for your organisation's name so the team knows who they are talking to.",
        None,
        'Please tell me the name of your organisation, for example "Riverside Care CIC".',
    ),
    Question(
        "spun_out",
        "Set up by former public sector staff",
        Kind.YES_NO,
        "We ask because the fund is for spin-outs.",
        "spin_out_definition",
        "Please answer yes, no or not sure.",
    ),
    Question(
        "origin",
        "How it came about",
        Kind.TEXT,
        "We ask so the team understands where your organisation came from.",
        "spin_out_definition",
        "Please tell me in a few words which public body you came from and who set you up.",
    ),
    Question(
        "trading",
        "Launched and trading",
        Kind.YES_NO,
        "We ask because the fund is for spin-outs that have already launched.",
        "must_be_launched",
        "Please answer yes, no or not sure.",
    ),
    Question(
        "services",
        "Services",
        Kind.TEXT,
        "We ask because the fund supports organisations providing services to the public "
        "sector, such as health and social care.",
        "who_can_apply",
        "Please describe your services in a few words.",
    ),
    Question(
        "investment_purpose",
        "What the loan would pay for",
        Kind.TEXT,
        "We ask because the fund lends for technology.",
        "eligible_uses",
        "Please tell me in a few words what you would spend the loan on.",
    ),
    Question(
        "amount",
        "Amount",
        Kind.AMOUNT,
        "We ask because each loan has a minimum and a maximum.",
        "loan_amounts",
        "Please give an amount in pounds, for example £400,000, 400k or half a million. "
        'You can also say "not sure".',
    ),
    Question(
        "can_repay",
        "Can repay over 3 to 5 years",
        Kind.YES_NO,
        "We ask because the loans have to be repaid.",
        "loan_term",
        "Please answer yes, no or not sure.",
    ),
    Question(
        "answers_confirmed",
        "Answers confirmed",
        Kind.CONFIRM,
        "We ask so you can check your answers before I give you a result.",
        None,
        "Please say yes if your answers are right, or choose one to change.",
    ),
)
QUESTIONS_BY_SLOT: dict[str, Question] = {question.slot: question for question in QUESTIONS}
INTERVIEW_SLOTS: tuple[str, ...] = tuple(question.slot for question in QUESTIONS)
ANSWER_SLOTS: tuple[str, ...] = INTERVIEW_SLOTS[:-1]

_ANSWER_OF = {YES: Answer.YES, NO: Answer.NO, UNSURE: Answer.UNSURE, SKIPPED: Answer.UNSURE}
_SLOT_VALUE_OF = {Answer.YES: YES, Answer.NO: NO, Answer.UNSURE: UNSURE}
_INTENT_ANSWERS = {"affirm": YES, "deny": NO, "unsure": UNSURE}


def _answer(value: Any) -> Answer | None:
    return _ANSWER_OF.get(value) if isinstance(value, str) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value != SKIPPED else None


def amount_in_pounds(value: Any) -> int | None:
    """The amount slot as pounds (``None`` when unsure, skipped or not asked)."""
    return int(value) if isinstance(value, str) and value.isdigit() else None


def application_from_slots(slots: Mapping[str, Any]) -> Application:
    """The interview answers as the rules' ``Application``."""
    return Application(
        organisation_name=_text(slots.get("organisation_name")),
        is_spin_out=_answer(slots.get("spun_out")),
        origin=_text(slots.get("origin")),
        is_trading=_answer(slots.get("trading")),
        services=_text(slots.get("services")),
        investment_purpose=_text(slots.get("investment_purpose")),
        amount=amount_in_pounds(slots.get("amount")),
        can_repay_3_to_5_years=_answer(slots.get("can_repay")),
    )


def read_answer(question: Question, intent: str, text: str) -> str | None:
    """The slot value for ``text`` as an answer to ``question``; ``None`` if it is not one."""
    cleaned = " ".join(text.split())
    if question.kind in (Kind.YES_NO, Kind.CONFIRM):
        if intent in _INTENT_ANSWERS:
            return _INTENT_ANSWERS[intent]
        answer = interpret_yes_no(cleaned)
        return _SLOT_VALUE_OF[answer] if answer is not None else None
    if question.kind is Kind.AMOUNT:
        pounds = parse_amount(cleaned)
        if pounds is not None and pounds > 0:
            return str(pounds)
        if intent == "unsure" or interpret_yes_no(cleaned) is Answer.UNSURE:
            return UNSURE
        return None
    if not re.search(r"[^\W\d_]", cleaned) or len(cleaned) < 2:
        return None
    limit = 120 if question.kind is Kind.NAME else MAX_TEXT_ANSWER
    return cleaned[:limit]


def display_answer(question: Question, value: Any) -> str:
    """How an answer reads in the summary."""
    if value is None:
        return "not answered"
    if value == SKIPPED:
        return "skipped"
    if question.kind is Kind.AMOUNT:
        pounds = amount_in_pounds(value)
        return format_pounds(pounds) if pounds is not None else "not sure"
    if question.kind is Kind.YES_NO:
        return {YES: "yes", NO: "no", UNSURE: "not sure"}.get(value, str(value))
    return str(value)


class Aside(Enum):
    """A message during the interview that is not an answer to the current question."""

    QUESTION = "question"
    EXPLAIN = "explain"
    STOP = "stop"
    SKIP = "skip"
    RESTART = "restart"
    CHANGE = "change"


CONTROL_INTENTS: dict[str, Aside] = {
    "explain_question": Aside.EXPLAIN,
    "help": Aside.EXPLAIN,
    "stop": Aside.STOP,
    "skip_question": Aside.SKIP,
    "check_eligibility": Aside.RESTART,
    "change_answer": Aside.CHANGE,
}
CONTROL_CONFIDENCE = 0.7
QUESTION_CONFIDENCE = 0.6
_QUESTION_START = re.compile(
    r"^(what|what's|whats|who|whom|when|where|why|how|which|can|could|do|does|did|is|are|"
    r"will|would|should|may|tell me|and)\b",
    re.IGNORECASE,
)


def looks_like_question(text: str) -> bool:
    """Whether ``text`` reads as a question rather than a statement."""
    stripped = text.strip()
    return stripped.endswith("?") or bool(_QUESTION_START.match(stripped))


def classify_aside(
    question: Question,
    intent: str,
    confidence: float,
    text: str,
    enquiry_intents: frozenset[str],
) -> Aside | None:
    """The kind of aside ``text`` is while ``question`` is asked, or ``None`` for an answer."""
    free_text = question.kind in (Kind.NAME, Kind.TEXT)
    short = len(text.split()) <= 6
    aside = CONTROL_INTENTS.get(intent)
    if aside is not None and confidence >= CONTROL_CONFIDENCE and (short or not free_text):
        return aside
    if intent not in enquiry_intents or confidence < QUESTION_CONFIDENCE:
        return None
    if question.kind is Kind.CONFIRM:
        return Aside.QUESTION
    if free_text:
        return Aside.QUESTION if looks_like_question(text) else None
    return Aside.QUESTION if read_answer(question, intent, text) is None else None
