"""Rules that override what a message is taken to ask, whatever the classifier guessed.

Two kinds of message are better read by rule than by a statistical classifier:

* an eligibility check: a message that states facts about the organisation and asks
  whether it can apply, corrects an earlier answer, or describes the organisation and asks
  nothing else (:func:`is_eligibility_check`);
* an attempt to instruct the assistant ("ignore your instructions", "print your system
  prompt", "you are now ..."), which is declined like anything off-topic, never answered
  with a fund fact that happens to share its words (:func:`gives_instructions`);
* a message mostly of words in no dictionary, which is not understood (the user is asked to
  say it another way) rather than declined as off-topic;
* a question about applying once the organisation has launched, which the launch rule
  answers (:func:`asks_about_applying_later`).
"""

from __future__ import annotations

import re

from tsf_knowledge.applicant_facts import is_correction
from tsf_knowledge.clauses import asks_to_apply, question_clauses
from tsf_knowledge.injection import gives_instructions
from tsf_knowledge.unknown_topics import find_unknown_topic

CHECK_ELIGIBILITY = "check_eligibility"
OUT_OF_SCOPE = "out_of_scope"
NOT_UNDERSTOOD = "nlu_fallback"
STOP = "stop"
REQUEST_CONTACT = "request_contact"
LOAN_AMOUNTS = "ask_loan_amounts"
_LOAN_LIMIT_CLAIM = re.compile(
    r"\b(?:loans?|the fund|tsf|you)\b[^.?!]{0,25}\b(?:go(?:es)? up to|up to|as (?:much|high"
    r"|low) as|at most|at least|from|minimum|maximum|max|min)\b[^.?!]{0,15}"
    r"(?:£\s?\d|\d+\s*(?:k|m|million)\b)",
    re.IGNORECASE,
)
_ASKS_IF_TRUE = re.compile(
    r"\b(?:is (?:that|this|it) (?:right|true|correct|so)|(?:am i|are they) right|true\?|right\?"
    r"|correct\?)",
    re.IGNORECASE,
)
_ASKS_TO_BE_PUT_IN_TOUCH = re.compile(
    r"\b(?:pass (?:it|them|this|that|us|my details|our details|our answers|it all) on"
    r"|put (?:us|me) in touch"
    r"|send (?:it|them|this|our answers|my details) (?:on |over )?to the team"
    r"|(?:please |yes,? )?(?:do )?pass (?:it|them|this) (?:on )?to the team)\b",
    re.IGNORECASE,
)
_DECLINES_TO_BE_PUT_IN_TOUCH = re.compile(
    r"\b(?:don'?t|do not|dont|no need to|not|never|rather you didn'?t|rather not)\s+"
    r"(?:\w+\s+){0,2}(?:pass|put|send)\b",
    re.IGNORECASE,
)
PLEASANTRIES = frozenset({"greet", "goodbye", "thank"})
PLEASANTRY_MAX_WORDS = 8
GIBBERISH_SHARE = 0.5
# Facts about the organisation itself; an amount or a term alone is a question about loans.
ORGANISATION_FACTS = frozenset(
    {"organisation_name", "spun_out", "origin", "trading", "services", "investment_purpose"}
)
# Intents that say nothing about what a message asks for.
NON_COMMITTAL_INTENTS = frozenset(
    {"affirm", "deny", "unsure", "greet", "thank", "nlu_fallback", "out_of_scope"}
)
MUST_BE_LAUNCHED = "ask_must_be_launched"
_APPLY = (
    r"(?:can|could|would|will|may|might) we (?:still |then |also )?(?:apply|be eligible|qualify"
    r"|get (?:a|the|one of your) loan)"
)
_LATER = r"(?:once|when|after|as soon as) we(?:'re| are|'ve| have)?\b"
_ASKS_ABOUT_APPLYING_LATER = re.compile(
    rf"\b{_APPLY}\b[^.?!]*\b{_LATER}|\b{_LATER}[^.?!]*\b{_APPLY}\b", re.IGNORECASE
)


def asks_about_applying_later(text: str) -> bool:
    """Whether ``text`` asks if it could apply once something has happened ("could we apply
    once we're up and running?"): a question about the launch rule, not a check now."""
    return bool(_ASKS_ABOUT_APPLYING_LATER.search(text))


# A bare request for the check: "eligibility", "eligible?", "check eligibility".
_BARE_CHECK = re.compile(
    r"^\W*(?:(?:check|run|start|do)\s+)?(?:(?:my|our|the|an?)\s+)?(?:eligib\w*|elegib\w*"
    r"|qualify|eligibility check|check)(?:\s+check)?\W*$",
    re.IGNORECASE,
)


_STOP = re.compile(
    r"\b(?:let'?s stop|stop (?:here|there|now|for now|the check|this|it)|i'?ll stop"
    r"|forget it|(?:please )?(?:don'?t|do not) send (?:anything|it|them|my details|this)"
    r"|no more questions|end (?:the|this) (?:check|chat)|that'?s enough for now|cancel (?:it|this"
    r"|that|the check))\b",
    re.IGNORECASE,
)


def asks_to_stop(text: str) -> bool:
    """Whether ``text`` asks, in words, to stop the form ("let's stop here, thanks")."""
    return bool(_STOP.search(text))


def is_eligibility_check(text: str, facts: set[str], intent: str | None = None) -> bool:
    """Whether a message stating ``facts`` (slot names) is asking to be checked.

    It is when it asks whether the organisation can apply (or for the check) and states a
    fact about the organisation (an amount or a term alone asks about loans: "can we apply
    for £250,000?"), or was classified as no more than a yes, no or greeting; when it corrects an
    earlier answer; or when it describes the organisation in two or more facts and asks
    nothing else.
    """
    if _BARE_CHECK.match(text):
        return True
    if asks_to_apply(text) and (facts & ORGANISATION_FACTS or intent in NON_COMMITTAL_INTENTS):
        return True
    if not facts:
        return False
    if is_correction(text):
        return True
    asked = question_clauses(text)
    return len(facts & ORGANISATION_FACTS) >= 2 and all(_ASKS_FOR_HELP.match(q) for q in asked)


# "We're an NHS spin-out ... we need £3 million. Can TSF help?" asks to be checked.
_ASKS_FOR_HELP = re.compile(
    r"^\W*(?:so |and |but )?(?:can|could|would|will|might) (?:the |your )?(?:tsf|fund|this fund"
    r"|technology spin-out fund|you) (?:help|support|fund|back|work for)(?: us| with (?:this|that"
    r"|it))?\W*$",
    re.IGNORECASE,
)


def overriding_intent(
    text: str, facts: set[str], intent: str | None, unknown_share: float = 0.0
) -> str | None:
    """The intent the rules give ``text``, or ``None`` to keep the classifier's.

    ``unknown_share`` is the share of its words in no dictionary: a message mostly of such
    words ("zxqv plorf wibble") is not understood, rather than understood as off-topic.
    """
    if gives_instructions(text):
        return OUT_OF_SCOPE
    if asks_to_stop(text):
        return STOP
    if _LOAN_LIMIT_CLAIM.search(text) and _ASKS_IF_TRUE.search(text):
        return LOAN_AMOUNTS  # "Tomasz says the loans go up to £2m - is that right?"
    if (
        _ASKS_TO_BE_PUT_IN_TOUCH.search(text)
        and not _DECLINES_TO_BE_PUT_IN_TOUCH.search(text)
        and not question_clauses(text)
    ):
        return REQUEST_CONTACT  # "Fine, pass it on." to the offer to pass the answers on
    if unknown_share > GIBBERISH_SHARE and not facts:
        return NOT_UNDERSTOOD
    if asks_about_applying_later(text) and not facts & (ORGANISATION_FACTS - {"trading"}):
        return MUST_BE_LAUNCHED
    applying = asks_to_apply(text)
    topic = find_unknown_topic(text, about_the_fund=applying)
    if topic is not None and not facts & ORGANISATION_FACTS:
        # "Is there a minimum turnover to qualify?" asks about a rule the documents don't
        # give; the out-of-scope path names it rather than starting the check.
        return OUT_OF_SCOPE if intent in NON_COMMITTAL_INTENTS or applying else None
    if is_eligibility_check(text, facts, intent):
        return CHECK_ELIGIBILITY
    if (
        intent in PLEASANTRIES
        and len(text.split()) > PLEASANTRY_MAX_WORDS
        and question_clauses(text)
    ):
        # "I was reading about this on the train this morning ... what was the example?"
        # asks something: retrieval may answer it, where a greeting would hide it.
        return NOT_UNDERSTOOD
    return None
