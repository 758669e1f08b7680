"""Questions a form asks, how their answers are read, and what else a user may say.

Shared by the eligibility interview and the contact-details form; no Rasa imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from tsf_knowledge.amounts import (
    amount_for_range,
    format_pounds,
    parse_amount,
    parse_amount_range,
)
from tsf_knowledge.applicant_facts import is_filler
from tsf_knowledge.eligibility import Answer, interpret_yes_no
from tsf_knowledge.intent_rules import asks_to_stop
from tsf_knowledge.unknown_topics import find_unknown_topic

YES, NO, UNSURE = "yes", "no", "unsure"
SKIPPED = "skipped"
OWN_WORDS_SLOT = "own_words"
"""Each answer in the words it was given, by slot."""
MAX_TEXT_ANSWER = 500
MAX_NAME_ANSWER = 120


class Kind(Enum):
    """How an answer is read."""

    NAME = "name"
    TEXT = "text"
    YES_NO = "yes_no"
    AMOUNT = "amount"
    EMAIL = "email"
    PHONE = "phone"
    CONFIRM = "confirm"


FREE_TEXT_KINDS = frozenset({Kind.NAME, Kind.TEXT})


@dataclass(frozen=True)
class Question:
    """One question, declared once: its slot and summary label, how its answer is read,
    why we ask (and the fact behind it), what to say when the answer can't be read, its
    wording and buttons (``utter_ask_<slot>``; none when ``action_ask_<slot>`` asks it), the
    words that name it, whether its entity also fills it, and the criterion it feeds."""

    slot: str
    label: str
    kind: Kind
    why: str
    fact_id: str | None
    retry: str
    optional: bool = False
    ask: str | None = None
    buttons: tuple[tuple[str, str], ...] = ()
    named_by: str | None = None
    from_entity: bool = False
    criterion: str | None = None


def question_named_in(questions: Iterable[Question], text: str) -> Question | None:
    """The one question of ``questions`` that ``text`` names, if it names exactly one."""
    named = [q for q in questions if q.named_by and re.search(q.named_by, text, re.IGNORECASE)]
    return named[0] if len(named) == 1 else None


def button_dicts(buttons: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    """Buttons as Rasa sends them."""
    return [{"title": title, "payload": payload} for title, payload in buttons]


_INTENT_ANSWERS = {"affirm": YES, "deny": NO, "unsure": UNSURE}
_SLOT_VALUE_OF = {Answer.YES: YES, Answer.NO: NO, Answer.UNSURE: UNSURE}
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE_CANDIDATE = re.compile(r"\+?[\d][\d\s().-]{8,}\d")
_NATIONAL_UK = re.compile(r"^0[1235789]\d{8,9}$")


_SPOKEN_AT = re.compile(r"\s*(?:\(at\)|\[at\]|\bat\b)\s*", re.IGNORECASE)
_SPOKEN_DOT = re.compile(r"\s*(?:\(dot\)|\[dot\]|\bdot\b)\s*", re.IGNORECASE)
_SPOKEN_EMAIL = re.compile(
    r"[A-Za-z0-9._%+'-]+(?:\s*(?:\(dot\)|\[dot\]|\bdot\b)\s*[A-Za-z0-9_%+'-]+)*"
    r"\s*(?:\(at\)|\[at\]|\bat\b)\s*[A-Za-z0-9-]+"
    r"(?:\s*(?:\(dot\)|\[dot\]|\bdot\b|\.)\s*[A-Za-z0-9-]+)+",
    re.IGNORECASE,
)


def read_email(text: str) -> str | None:
    """The email address in ``text`` (domain lower-cased), or ``None``.

    An address spelt out ("jo at riverside dot org") is read too.
    """
    match = _EMAIL.search(text)
    if match is None and "@" not in text:
        spoken = _SPOKEN_EMAIL.search(text)
        if spoken is not None:
            written = _SPOKEN_DOT.sub(".", _SPOKEN_AT.sub("@", spoken.group(0)))
            match = _EMAIL.search(written)
    if match is None or len(match.group(0)) > 254:
        return None
    local, domain = match.group(0).rsplit("@", 1)
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return None
    return f"{local}@{domain.lower()}"


def read_uk_phone(text: str) -> str | None:
    """A UK phone number in ``text`` as +44 E.164 (e.g. ``+442071877379``), or ``None``.

    Accepts 020 7187 7379, 07700 900123, +44 (0)20 7187 7379, 0044 20 7187 7379.
    """
    match = _PHONE_CANDIDATE.search(text)
    if match is None:
        return None
    digits = re.sub(r"[^\d+]", "", match.group(0).replace("(0)", ""))
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    if not _NATIONAL_UK.match(digits):
        return None
    return "+44" + digits[1:]


def format_uk_phone(e164: str) -> str:
    """``+442071877379`` as ``020 7187 7379``-style national digits for people to read."""
    national = "0" + e164[3:] if e164.startswith("+44") else e164
    if national.startswith("02") and len(national) == 11:
        return f"{national[:3]} {national[3:7]} {national[7:]}"
    return f"{national[:5]} {national[5:]}" if len(national) == 11 else national


# At a check before something is done: "perfect, send it", "go ahead", "looks good".
_GO_AHEAD = re.compile(
    r"^\W*(?:perfect|great|lovely|brilliant|excellent|fine|good|ok|okay|yes|yeah|yep)?\W*"
    r"(?:please |just )?"
    r"(?:send|submit|pass) (?:it|them|that|this|those|my details|it on|them on)\b"
    r"|^\W*(?:perfect|looks (?:good|right|fine)|all good|spot on)\W*$",
    re.IGNORECASE,
)
# A reply that only agrees with what was shown ("Yes, that's a fair summary").
_CONFIRMS = re.compile(
    r"^\W*(?:yes|yeah|yep|yup)?\W*(?:that'?s|that is|it'?s|it is|all|everything'?s|looks)?\s*"
    r"(?:all |a |very |completely |totally )?(?:fair|correct|right|accurate|fine|good|true)"
    r"(?: summary| enough| now)?\W*$",
    re.IGNORECASE,
)


def read_answer(question: Question, intent: str, text: str) -> str | None:
    """The slot value for ``text`` as an answer to ``question``; ``None`` if it is not one."""
    cleaned = " ".join(text.split())
    if question.optional and (
        intent in ("deny", "skip_question")
        or interpret_yes_no(cleaned) is Answer.NO
        or _GO_AHEAD.search(cleaned)
    ):
        return SKIPPED  # "no", "skip" or "just send it" to an optional question
    if question.kind in (Kind.YES_NO, Kind.CONFIRM):
        if intent in _INTENT_ANSWERS:
            return _INTENT_ANSWERS[intent]
        answer = interpret_yes_no(cleaned)
        if answer is None and question.kind is Kind.CONFIRM and _GO_AHEAD.search(cleaned):
            return YES
        return _SLOT_VALUE_OF[answer] if answer is not None else None
    if question.kind is Kind.AMOUNT:
        stated_range = parse_amount_range(cleaned)
        if stated_range is not None:
            pounds = amount_for_range(*stated_range)
            return UNSURE if pounds is None else str(pounds)
        pounds = parse_amount(cleaned)
        if pounds is not None and pounds > 0:
            return str(pounds)
        if intent == "unsure" or interpret_yes_no(cleaned) is Answer.UNSURE:
            return UNSURE
        return None
    if question.kind is Kind.EMAIL:
        return read_email(cleaned)
    if question.kind is Kind.PHONE:
        return read_uk_phone(cleaned)
    if not re.search(r"[^\W\d_]", cleaned) or len(cleaned) < 2:
        return None
    if question.kind is Kind.TEXT and (
        (len(cleaned.split()) <= 4 and interpret_yes_no(cleaned) is not None)
        or _CONFIRMS.match(cleaned)
    ):
        return None  # "yes, that's right" or "that's a fair summary" describes nothing
    if question.kind is Kind.NAME and is_filler(cleaned):
        return None  # "Fair." or "OK then" names nobody
    limit = MAX_NAME_ANSWER if question.kind is Kind.NAME else MAX_TEXT_ANSWER
    return cleaned[:limit]


def amount_in_pounds(value: Any) -> int | None:
    """An amount slot as pounds (``None`` when unsure, skipped or not asked)."""
    return int(value) if isinstance(value, str) and value.isdigit() else None


def display_answer(question: Question, value: Any) -> str:
    """How an answer reads in a summary."""
    if value is None:
        return "not answered"
    if value == SKIPPED:
        return "skipped"
    if question.kind is Kind.AMOUNT:
        pounds = amount_in_pounds(value)
        return format_pounds(pounds) if pounds is not None else "not sure"
    if question.kind is Kind.YES_NO:
        return {YES: "yes", NO: "no", UNSURE: "not sure"}.get(value, str(value))
    if question.kind is Kind.PHONE:
        return format_uk_phone(str(value))
    return str(value)


class Aside(Enum):
    """A message during a form that is not an answer to the current question."""

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
    "change_answer": Aside.CHANGE,
}
"""Intents that steer a form, and what they mean."""
CONTROL_CONFIDENCE = 0.7
QUESTION_CONFIDENCE = 0.6
OUT_OF_SCOPE_INTENT = "out_of_scope"
_QUESTION_START = re.compile(
    r"^(what|what's|whats|who|whom|when|where|why|how|which|can|could|do|does|did|is|are|"
    r"will|would|should|may|tell me|and)\b",
    re.IGNORECASE,
)


_WHY_ASK = re.compile(
    r"\bwhy (?:do|would|does|did|are) (?:you|u|ya) (?:need|want|ask|asking|require)"
    r"|\bwhy (?:is|does) (?:that|this|it) (?:matter|relevant|important|needed)"
    r"|\bwhat (?:do|would|does) (?:you|u) (?:need|want) (?:that|this|it|to know that) for"
    r"|\bwhy (?:the|that|this) question\b|\bwhat(?:'s| is) (?:that|this) for\b"
    r"|\bhow is (?:that|this) relevant",
    re.IGNORECASE,
)


# Asking in words to start the check again.
_RESTART = re.compile(
    r"\b(?:start(?:ing)? (?:it |the check |again )?(?:again|over|afresh)|restart|re-start"
    r"|from the (?:beginning|start|top)|begin again|(?:a )?new check|do it again)\b",
    re.IGNORECASE,
)


def asks_why(text: str) -> bool:
    """Whether ``text`` asks why the current question is being asked."""
    return bool(_WHY_ASK.search(text))


def looks_like_question(text: str) -> bool:
    """Whether ``text`` reads as a question rather than a statement."""
    stripped = text.strip()
    return stripped.endswith("?") or bool(_QUESTION_START.match(stripped))


def classify_aside(
    question: Question,
    intent: str,
    confidence: float,
    text: str,
    control_intents: dict[str, Aside],
    enquiry_intents: frozenset[str],
) -> Aside | None:
    """The kind of aside ``text`` is while ``question`` is asked, or ``None`` for an answer."""
    free_text = question.kind in FREE_TEXT_KINDS
    short = len(text.split()) <= 6
    if asks_why(text) and Aside.EXPLAIN in control_intents.values():
        return Aside.EXPLAIN
    if asks_to_stop(text) and Aside.STOP in control_intents.values():
        return Aside.STOP
    aside = control_intents.get(intent)
    if aside is Aside.RESTART and not (short or _RESTART.search(text)):
        aside = None  # "our treasurer says 4 years, not 5" gives answers; it is no restart
    if aside is not None and confidence >= CONTROL_CONFIDENCE and (short or not free_text):
        return aside
    if not looks_like_question(text):
        return None
    # "btw what's the weather like?" answers no question, whatever it is asked; nor does
    # "are there any arrangement fees?", a question the documents don't answer
    unanswerable = (
        intent == OUT_OF_SCOPE_INTENT and confidence >= QUESTION_CONFIDENCE
    ) or find_unknown_topic(text, about_the_fund=True) is not None
    if not unanswerable and (intent not in enquiry_intents or confidence < QUESTION_CONFIDENCE):
        return None
    if free_text or (question.kind is Kind.CONFIRM and not unanswerable):
        return Aside.QUESTION
    return Aside.QUESTION if read_answer(question, intent, text) is None else None
