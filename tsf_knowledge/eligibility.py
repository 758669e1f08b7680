"""Eligibility rules for the Technology Spin-Out Fund.

Pure rules over the answers collected by the eligibility interview: no Rasa, no I/O. Each
criterion returns a :class:`CriterionResult` that cites the knowledge-base fact it rests on,
with a plain-English reason written for the person asking. Nothing here promises a loan:
the Local Partnerships Social Investment Team makes every decision.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from tsf_knowledge.amounts import format_pounds
from tsf_knowledge.fund_terms import fund_terms
from tsf_knowledge.purposes import mentions

MUTUALS_INFORMATION_SERVICE_PHONE = "0845 5390543"

# Fact ids in ``tsf_knowledge/data/facts.yml``.
FACT_SPIN_OUT_DEFINITION = "spin_out_definition"
FACT_WHO_CAN_APPLY = "who_can_apply"
FACT_MUST_BE_LAUNCHED = "must_be_launched"
FACT_ELIGIBLE_USES = "eligible_uses"
FACT_LOAN_AMOUNTS = "loan_amounts"
FACT_LOAN_TERM = "loan_term"
FACT_CONTACT_TEAM = "contact_team"
FACT_MUTUALS_INFORMATION_SERVICE = "mutuals_information_service"
FACT_IDS = frozenset(
    {
        FACT_SPIN_OUT_DEFINITION,
        FACT_WHO_CAN_APPLY,
        FACT_MUST_BE_LAUNCHED,
        FACT_ELIGIBLE_USES,
        FACT_LOAN_AMOUNTS,
        FACT_LOAN_TERM,
        FACT_CONTACT_TEAM,
        FACT_MUTUALS_INFORMATION_SERVICE,
    }
)

# Criterion names, in interview order.
SPIN_OUT = "spin_out"
LAUNCHED = "launched"
TECHNOLOGY = "technology"
AMOUNT = "amount"
REPAYMENT = "repayment"


class Answer(Enum):
    """A tri-state answer to a yes/no question."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class Status(Enum):
    """How an application stands against one criterion."""

    MET = "met"
    NOT_MET = "not_met"
    TO_DISCUSS = "to_discuss"


class Verdict(Enum):
    """The overall outcome of an eligibility check."""

    ELIGIBLE = "eligible"
    BORDERLINE = "borderline"
    NOT_ELIGIBLE = "not_eligible"


@dataclass(frozen=True)
class CriterionResult:
    """The outcome of one criterion, with its reason and the fact it rests on."""

    criterion: str
    status: Status
    reason: str
    fact_id: str


@dataclass(frozen=True)
class Application:
    """The answers given in the eligibility interview; ``None`` means not asked yet."""

    organisation_name: str | None = None
    is_spin_out: Answer | None = None
    origin: str | None = None
    is_trading: Answer | None = None
    services: str | None = None
    investment_purpose: str | None = None
    investment_is_technology: Answer | None = None
    amount: int | None = None
    can_repay_3_to_5_years: Answer | None = None
    term_years: float | None = None


@dataclass(frozen=True)
class Assessment:
    """The verdict on an application and the result of every criterion."""

    verdict: Verdict
    results: tuple[CriterionResult, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reason of every result, in criterion order."""
        return tuple(result.reason for result in self.results)

    @property
    def not_met(self) -> tuple[CriterionResult, ...]:
        """The results whose criterion is not met."""
        return tuple(r for r in self.results if r.status is Status.NOT_MET)

    @property
    def to_discuss(self) -> tuple[CriterionResult, ...]:
        """The results the team needs to discuss with the applicant."""
        return tuple(r for r in self.results if r.status is Status.TO_DISCUSS)


# --- Free-text yes/no answers ---------------------------------------------------------------

_UNSURE = re.compile(
    r"\b(not (?:really |totally |entirely |completely |100% )?(?:sure|certain)|unsure|uncertain"
    r"|(?:do ?n'?t|do not|does ?n'?t) know|dunno|no idea|not quite|kind of|kinda|sort of|sorta"
    r"|partly|partially|in part|somewhat|more or less|maybe|perhaps|possibly|probably"
    r"|hopefully|might|it depends|depends|hard to say|unclear|i think so|i believe so"
    r"|i guess|yes and no|not exactly)\b"
)
# Emphatic refusals, read as a plain "no" before looking for yes-words.
_EMPHATIC_NO = re.compile(r"\b(?:definitely|certainly|absolutely|of course|surely) not\b")
# Idioms that contain a negative word but mean yes.
_POSITIVE_IDIOMS = re.compile(r"\b(no problem|not a problem|no doubt|why not|of course)\b")
_STRONG_YES = re.compile(
    r"\b(yes|yep|yeah|yup|yea|ya|yah|yas|aye|certainly|definitely|absolutely|correct|indeed|sure"
    r"|affirmative|ok|okay|that'?s right|that is right)\b"
)
_STRONG_NO = re.compile(r"\b(no|nope|nah|not yet|negative|never|none)\b")
_WEAK_NO = re.compile(
    r"\b(not|cannot|(?:do|does|did|is|are|was|were|has|have|had|ca|wo|could|would)n'?t"
    r"|still (?:getting |being )?set(?:ting)? up|setting up|pre-? ?launch(?:ed)?|yet to)\b"
)
_WEAK_YES = re.compile(
    r"\b(we (?:have|are|do|did|can|will)|we'?ve|we're|already|launched|trading|up and running"
    r"|fine|go ahead|sounds good|that works|consent(?:ed)? given|given consent)\b"
)


def interpret_yes_no(text: str) -> Answer | None:
    """Read a free-text reply to a yes/no question.

    Hedges ("not sure", "kind of") are UNSURE, as are replies that mix a yes-word with a
    negative ("yes and no", "yeah, not yet"). Otherwise a negative wins over a positive
    phrase, so "we're still setting up" is NO.

    Args:
        text: What the person typed.

    Returns:
        The answer, or ``None`` when the reply says neither yes nor no.
    """
    normalised = " ".join(text.lower().replace("’", "'").replace("‘", "'").split())
    if not normalised:
        return None
    if _UNSURE.search(normalised):
        return Answer.UNSURE
    normalised = _EMPHATIC_NO.sub(" no ", normalised)
    idiom = _POSITIVE_IDIOMS.search(normalised) is not None
    normalised = _POSITIVE_IDIOMS.sub(" ", normalised)
    strong_yes = idiom or _STRONG_YES.search(normalised) is not None
    strong_no = _STRONG_NO.search(normalised) is not None
    weak_no = _WEAK_NO.search(normalised) is not None
    if strong_yes and (strong_no or weak_no):
        return Answer.UNSURE
    if strong_no or weak_no:
        return Answer.NO
    if strong_yes or _WEAK_YES.search(normalised):
        return Answer.YES
    return None


# --- Criteria -------------------------------------------------------------------------------


def _loan_range() -> str:
    terms = fund_terms()
    low, high = format_pounds(terms.minimum_loan), format_pounds(terms.maximum_loan)
    return f"Loans are between {low} and {high}."


_STATUS_OF_ANSWER = {Answer.YES: Status.MET, Answer.NO: Status.NOT_MET}


def _status(answer: Answer | None) -> Status:
    """Met on yes, not met on no, to discuss when unsure or not answered yet."""
    return _STATUS_OF_ANSWER.get(answer, Status.TO_DISCUSS)


def check_spin_out(app: Application) -> CriterionResult:
    """Check the organisation is a public sector spin-out."""
    definition = (
        "The fund is for public sector spin-outs: independent organisations set up by former "
        "public service employees that provide services back to the public sector."
    )
    if app.is_spin_out is Answer.UNSURE:
        lead = "You were not sure whether your organisation counts as a spin-out."
    elif app.origin and app.origin.strip():
        lead = "You told us how your organisation started, but not yet whether it is a spin-out."
    else:
        lead = "We do not know yet whether your organisation is a spin-out."
    reason = {
        Answer.YES: (
            "You told us your organisation was set up by former public service employees and "
            "provides services to the public sector. That makes it a spin-out."
        ),
        Answer.NO: f"{definition} From your answers, your organisation is not one of these.",
    }.get(app.is_spin_out, f"{lead} {definition} The team will check this with you.")
    return CriterionResult(SPIN_OUT, _status(app.is_spin_out), reason, FACT_SPIN_OUT_DEFINITION)


def check_launched(app: Application) -> CriterionResult:
    """Check the spin-out has already launched (pre-launch groups cannot apply yet)."""
    rule = "The fund is only for spin-outs that have already launched."
    check = "The team will check this with you."
    if app.is_trading is Answer.YES:
        reason = f"You told us your organisation has already launched. {rule}"
    elif app.is_trading is Answer.NO:
        reason = (
            f"{rule} As you have not launched yet, you cannot apply for now. You can talk to "
            "the Local Partnerships Social Investment Team on "
            f"{fund_terms().team_phone} about your plans, and come back once you have "
            "launched. The Mutuals Information Service on "
            f"{MUTUALS_INFORMATION_SERVICE_PHONE} can help groups who are getting set up."
        )
    elif app.is_trading is Answer.UNSURE:
        reason = f"You were not sure whether your organisation has launched. {rule} {check}"
    else:
        reason = f"We do not know yet whether your organisation has launched. {rule} {check}"
    return CriterionResult(LAUNCHED, _status(app.is_trading), reason, FACT_MUST_BE_LAUNCHED)


def check_technology(app: Application) -> CriterionResult:
    """Check the loan is for technology the fund supports.

    Uses ``investment_is_technology`` when answered; otherwise a keyword reading of
    ``investment_purpose``.
    """
    uses = (
        "The fund lends for technology that helps deliver and improve health and social care "
        "services, or that brings organisational efficiencies, such as integrating patient "
        "care records or updating systems and software."
    )
    answer = app.investment_is_technology
    if answer is not None:
        reason = {
            Answer.YES: f"You told us you plan to invest in technology. {uses}",
            Answer.NO: f"{uses} You told us the loan is not for technology, so it is not covered.",
            Answer.UNSURE: f"You were not sure whether your plans count as technology. {uses}",
        }[answer]
        return CriterionResult(TECHNOLOGY, _status(answer), reason, FACT_ELIGIBLE_USES)
    purpose = (app.investment_purpose or "").strip()
    if not purpose:
        reason = f"You have not told us yet what the loan is for. {uses}"
        return CriterionResult(TECHNOLOGY, Status.TO_DISCUSS, reason, FACT_ELIGIBLE_USES)
    tech, non_tech = mentions(purpose)
    if tech and not non_tech:
        reason = f"From what you told us, you plan to invest in technology. {uses}"
        return CriterionResult(TECHNOLOGY, Status.MET, reason, FACT_ELIGIBLE_USES)
    if non_tech and not tech:
        reason = (
            "From what you told us, the loan would pay for things other than technology, such "
            f"as buildings, vehicles or running costs. {uses} Other costs are not covered."
        )
        return CriterionResult(TECHNOLOGY, Status.NOT_MET, reason, FACT_ELIGIBLE_USES)
    if tech:
        lead = "Your plans include technology and other costs. Only technology is covered."
    else:
        lead = "We could not tell from your description whether the loan is for technology."
    reason = f"{lead} {uses} The team will talk this through with you."
    return CriterionResult(TECHNOLOGY, Status.TO_DISCUSS, reason, FACT_ELIGIBLE_USES)


def check_amount(app: Application) -> CriterionResult:
    """Check the amount asked for is within the loan range (inclusive)."""
    amount = app.amount
    if amount is None or amount <= 0:
        lead = (
            "You have not told us yet how much you want to borrow."
            if amount is None
            else "We could not understand the amount you want to borrow."
        )
        reason = f"{lead} {_loan_range()}"
        return CriterionResult(AMOUNT, Status.TO_DISCUSS, reason, FACT_LOAN_AMOUNTS)
    asked, terms = f"You asked for {format_pounds(amount)}.", fund_terms()
    if amount < terms.minimum_loan:
        gap = f"That is {format_pounds(terms.minimum_loan - amount)} less than our smallest loan."
        reason = f"{asked} {gap} {_loan_range()}"
        return CriterionResult(AMOUNT, Status.NOT_MET, reason, FACT_LOAN_AMOUNTS)
    if amount > terms.maximum_loan:
        gap = f"That is {format_pounds(amount - terms.maximum_loan)} more than our largest loan."
        reason = f"{asked} {gap} {_loan_range()}"
        return CriterionResult(AMOUNT, Status.NOT_MET, reason, FACT_LOAN_AMOUNTS)
    reason = f"{asked} That is within our range. {_loan_range()}"
    return CriterionResult(AMOUNT, Status.MET, reason, FACT_LOAN_AMOUNTS)


def check_repayment(app: Application) -> CriterionResult:
    """Check the organisation can repay over the fund's 3 to 5 year term.

    A term the applicant gave in years is read against the term when they did not answer
    the question itself (see :func:`tsf_knowledge.repayment.repayment_answer`).
    """
    term = f"Loans are repaid over {fund_terms().term}."
    if app.term_years is not None:
        told = f"You told us you would like to repay over {app.term_years:g} years."
        yes, no = "That is within the term.", "That is longer than the term."
        unsure = "The team will check whether that is possible."
    else:
        told = ""
        yes = "You told us you can repay a loan in that time."
        no = "You told us you could not repay a loan in that time."
        unsure = "You were not sure whether you could repay a loan in that time."
    unknown = "We do not know yet whether you could repay a loan in that time."
    discuss = "The team will talk this through with you."
    said = {Answer.YES: (yes,), Answer.NO: (no,), Answer.UNSURE: (unsure, discuss)}
    answer = app.can_repay_3_to_5_years
    reason = " ".join(filter(None, (told, term, *said.get(answer, (unknown, discuss)))))
    return CriterionResult(REPAYMENT, _status(answer), reason, FACT_LOAN_TERM)


CHECKS: tuple[tuple[str, Callable[[Application], CriterionResult]], ...] = (
    (SPIN_OUT, check_spin_out),
    (LAUNCHED, check_launched),
    (TECHNOLOGY, check_technology),
    (AMOUNT, check_amount),
    (REPAYMENT, check_repayment),
)


def is_answered(app: Application, criterion: str) -> bool:
    """Whether the interview has collected an answer for ``criterion`` yet."""
    if criterion == TECHNOLOGY:
        purpose = (app.investment_purpose or "").strip()
        return app.investment_is_technology is not None or bool(purpose)
    answers = {
        SPIN_OUT: app.is_spin_out,
        LAUNCHED: app.is_trading,
        AMOUNT: app.amount,
        REPAYMENT: app.can_repay_3_to_5_years,
    }
    return answers[criterion] is not None


def assess(app: Application) -> Assessment:
    """Check every criterion and give the overall verdict."""
    results = tuple(check(app) for _, check in CHECKS)
    statuses = {result.status for result in results}
    if Status.NOT_MET in statuses:
        verdict = Verdict.NOT_ELIGIBLE
    elif Status.TO_DISCUSS in statuses:
        verdict = Verdict.BORDERLINE
    else:
        verdict = Verdict.ELIGIBLE
    return Assessment(verdict, results)


def first_disqualifier(app: Application) -> CriterionResult | None:
    """The first criterion answered so far that is not met, to end an interview early."""
    for criterion, check in CHECKS:
        if is_answered(app, criterion):
            result = check(app)
            if result.status is Status.NOT_MET:
                return result
    return None


_HEADLINES = {
    Verdict.ELIGIBLE: (
        "From your answers, you seem to meet the main rules of the Technology Spin-Out Fund. "
        "This is not a loan offer: the team decides who gets a loan. Contact the Local "
        "Partnerships Social Investment Team on {phone} to take it further."
    ),
    Verdict.BORDERLINE: (
        "From your answers, you might be able to apply, but some points need to be discussed. "
        "The team decides who gets a loan. Contact the Local Partnerships Social Investment "
        "Team on {phone} to talk it through."
    ),
    Verdict.NOT_ELIGIBLE: (
        "From your answers, you do not seem to meet the rules of the Technology Spin-Out Fund "
        "at the moment. The team decides, so if you think we have got something wrong, contact "
        "the Local Partnerships Social Investment Team on {phone}."
    ),
}
_MARKS = {
    Status.MET: "✓ Met",
    Status.NOT_MET: "✗ Not met",
    Status.TO_DISCUSS: "? To discuss",
}


CRITERION_TITLES = {
    SPIN_OUT: "A public sector spin-out",
    LAUNCHED: "Already launched",
    TECHNOLOGY: "Investing in technology",
    AMOUNT: "Loan amount",
    REPAYMENT: "Repaying over 3 to 5 years",
}


def format_assessment(assessment: Assessment) -> str:
    """Plain text for the user: a headline, a blank line, then one line per criterion."""
    lines = [
        f"{CRITERION_TITLES[result.criterion]}: {_MARKS[result.status]} — {result.reason}"
        for result in assessment.results
    ]
    headline = _HEADLINES[assessment.verdict].format(phone=fund_terms().team_phone)
    return "\n".join([headline, "", *lines])
