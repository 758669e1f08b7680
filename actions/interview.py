"""The eligibility interview's questions, and its answers as the rules' ``Application``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from actions import questions
from actions.questions import (
    NO,
    OWN_WORDS_SLOT,
    SKIPPED,
    UNSURE,
    YES,
    Aside,
    Kind,
    Question,
    amount_in_pounds,
    display_answer,
)
from tsf_knowledge import eligibility
from tsf_knowledge.amounts import format_pounds, parse_amount_range
from tsf_knowledge.eligibility import Answer, Application

YES_NO_BUTTONS = (("Yes", "/affirm"), ("No", "/deny"), ("Not sure", "/unsure"))
QUESTIONS: tuple[Question, ...] = (
    Question(
        "organisation_name",
        "Organisation",
        Kind.NAME,
        "We ask for your organisation's name so the team knows who they are talking to.",
        None,
        'Please tell me the name of your organisation, for example "Riverside Care CIC".',
        ask="What is your organisation called?",
        named_by=r"\b(?:our|the) name\b|\bcalled\b",
        from_entity=True,
    ),
    Question(
        "spun_out",
        "Set up by former public sector staff",
        Kind.YES_NO,
        "We ask because the fund is for spin-outs.",
        "spin_out_definition",
        "Please answer yes, no or not sure.",
        ask="Was your organisation set up by former public sector staff, to provide services "
        "back to the public sector? For example, a team that left an NHS trust or a council "
        "to run its service independently.",
        buttons=YES_NO_BUTTONS,
        named_by=r"\bspin[- ]?out|\bspun out|\bpublic sector\b|\bformer (?:public|staff)",
        from_entity=True,
        criterion=eligibility.SPIN_OUT,
    ),
    Question(
        "origin",
        "How it came about",
        Kind.TEXT,
        "We ask so the team understands where your organisation came from.",
        "spin_out_definition",
        "Please tell me in a few words which public body you came from and who set you up.",
        ask="Tell me a little about how it came about: which public body did it spin out of, "
        "and who set it up?",
        named_by=r"\bwhere we came from|\bwhich (?:public )?body\b|\bhow (?:we|it) came about",
        from_entity=True,
        criterion=eligibility.SPIN_OUT,
    ),
    Question(
        "trading",
        "Launched and trading",
        Kind.YES_NO,
        "We ask because the fund is for spin-outs that have already launched.",
        "must_be_launched",
        "Please answer yes, no or not sure.",
        ask="Has your organisation already launched, and is it trading?",
        buttons=(
            ("Yes, we're trading", "/affirm"),
            ("No, not yet", "/deny"),
            ("Not sure", "/unsure"),
        ),
        named_by=r"\btrading\b|\blaunched\b|\bup and running\b",
        from_entity=True,
        criterion=eligibility.LAUNCHED,
    ),
    Question(
        "services",
        "Services",
        Kind.TEXT,
        "We ask because the fund supports organisations providing services to the public "
        "sector, such as health and social care.",
        "who_can_apply",
        "Please describe your services in a few words.",
        ask="What services do you provide, and for whom?",
        named_by=r"\bservices?\b|\bwhat we (?:do|provide)\b",
        from_entity=True,
    ),
    Question(
        "investment_purpose",
        "What the loan would pay for",
        Kind.TEXT,
        "We ask because the fund lends for technology.",
        "eligible_uses",
        "Please tell me in a few words what you would spend the loan on.",
        ask="What would the loan pay for? For example, updating systems and software, "
        "integrating patient care records, or mobile technology for your staff.",
        named_by=r"\bwhat (?:the (?:loan|money)|it)(?:'s| is| would be)? for\b"
        r"|\bspend\b|\bpay for\b|\bpurpose\b",
        from_entity=True,
        criterion=eligibility.TECHNOLOGY,
    ),
    Question(
        "amount",
        "Amount",
        Kind.AMOUNT,
        "We ask because each loan has a minimum and a maximum.",
        "loan_amounts",
        "Please give an amount in pounds, for example £400,000, 400k or half a million. "
        'You can also say "not sure".',
        ask="Roughly how much would you like to borrow? An estimate is fine, for example "
        "£500,000 or 750k.",
        buttons=(("Not sure yet", "/unsure"),),
        named_by=r"\bhow much\b|\bamount\b|\bborrow\b",
        from_entity=True,
        criterion=eligibility.AMOUNT,
    ),
    Question(
        "can_repay",
        "Can repay over 3 to 5 years",
        Kind.YES_NO,
        "We ask because the loans have to be repaid.",
        "loan_term",
        "Please answer yes, no or not sure.",
        ask="Loans are repaid over 3 to 5 years. Could your organisation repay a loan over "
        "that time?",
        buttons=YES_NO_BUTTONS,
        named_by=r"\brepay\w*|\bpay (?:it )?back\b|\bterm\b|\bperiod\b",
        from_entity=True,
        criterion=eligibility.REPAYMENT,
    ),
    Question(
        "answers_confirmed",
        "Answers confirmed",
        Kind.CONFIRM,
        "We ask so you can check your answers before I give you a result.",
        None,
        "Please say yes if your answers are right, or choose one to change.",
        buttons=(("Yes, that's right", "/affirm"), ("Change an answer", "/change_answer")),
    ),
)
QUESTIONS_BY_SLOT: dict[str, Question] = {question.slot: question for question in QUESTIONS}


INTERVIEW_SLOTS: tuple[str, ...] = tuple(question.slot for question in QUESTIONS)
ANSWER_SLOTS: tuple[str, ...] = INTERVIEW_SLOTS[:-1]
CONTROL_INTENTS: dict[str, Aside] = {
    **questions.CONTROL_INTENTS,
    "check_eligibility": Aside.RESTART,
}

_ANSWER_OF = {YES: Answer.YES, NO: Answer.NO, UNSURE: Answer.UNSURE, SKIPPED: Answer.UNSURE}


def _answer(value: Any) -> Answer | None:
    return _ANSWER_OF.get(value) if isinstance(value, str) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value != SKIPPED else None


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
        term_years=_years(slots.get("term_years")),
    )


def _years(value: Any) -> float | None:
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


TERM_SLOT = "term_years"


def noted_lines(
    slots: Mapping[str, Any], names: Iterable[str], unanswered_too: bool = False
) -> list[str]:
    """A line for each answer in ``names`` that ``slots`` holds (or all of ``names`` when
    ``unanswered_too``), in interview order; a repayment term is shown with its answer."""
    wanted = set(names)
    if TERM_SLOT in wanted:
        wanted.add("can_repay")  # the term is shown with the answer it gives
    lines = []
    for question in QUESTIONS:
        value = slots.get(question.slot)
        if question.slot not in wanted or question.kind is Kind.CONFIRM:
            continue
        if value is None and not unanswered_too:
            continue
        shown = display_answer(question, value)
        stated_range = _stated_range(slots, question.slot) if value == UNSURE else None
        if stated_range is not None:
            shown = f"{shown} ({stated_range})"  # "not sure (£200,000 to £300,000)"
        if question.slot == "can_repay" and _years(slots.get(TERM_SLOT)) is not None:
            shown = f"{shown} ({float(slots[TERM_SLOT]):g} years)"
        lines.append(f"• {question.label}: {shown}")
    return lines


def _stated_range(slots: Mapping[str, Any], slot: str) -> str | None:
    """The range of amounts the answer to ``slot`` was given as, in the user's words."""
    if slot != "amount":
        return None
    said = (slots.get(OWN_WORDS_SLOT) or {}).get(slot)
    found = parse_amount_range(said) if isinstance(said, str) else None
    return f"{format_pounds(found[0])} to {format_pounds(found[1])}" if found else None


def noted_text(slots: Mapping[str, Any], names: Iterable[str]) -> str | None:
    """ "Noted" and the answers just taken from what the user said, or ``None``."""
    lines = noted_lines(slots, names)
    if not lines:
        return None
    return "Thanks, I've noted what you told me:\n" + "\n".join(lines)
