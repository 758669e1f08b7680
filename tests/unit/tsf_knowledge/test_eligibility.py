"""Specs for the Technology Spin-Out Fund eligibility rules."""

from __future__ import annotations

import dataclasses
import re

import pytest

from tsf_knowledge.eligibility import (
    AMOUNT,
    FACT_IDS,
    LAUNCHED,
    REPAYMENT,
    SPIN_OUT,
    TECHNOLOGY,
    Answer,
    Application,
    Assessment,
    CriterionResult,
    Status,
    Verdict,
    assess,
    check_amount,
    check_launched,
    check_repayment,
    check_spin_out,
    check_technology,
    first_disqualifier,
    format_assessment,
    interpret_yes_no,
)
from tsf_knowledge.fund_terms import fund_terms

YES, NO, UNSURE = Answer.YES, Answer.NO, Answer.UNSURE
MET, NOT_MET, TO_DISCUSS = Status.MET, Status.NOT_MET, Status.TO_DISCUSS
YES_NO_STATUSES = [(YES, MET), (NO, NOT_MET), (UNSURE, TO_DISCUSS), (None, TO_DISCUSS)]
"""How a yes/no criterion reads each answer: only a no rules out, anything unsure is discussed."""

MIS_PHONE = "0845 5390543"

# An application that meets every criterion; tests vary one answer at a time.
GOOD = Application(
    organisation_name="Care Together CIC",
    is_spin_out=YES,
    origin="Spun out of the local primary care trust by its community nurses",
    is_trading=YES,
    services="Community nursing",
    investment_purpose="Mobile devices and e-rostering software for our nurses",
    investment_is_technology=YES,
    amount=500_000,
    can_repay_3_to_5_years=YES,
)

MAXIMUM_LOAN = fund_terms().maximum_loan
MINIMUM_LOAN = fund_terms().minimum_loan
TEAM_PHONE = fund_terms().team_phone
EMPTY = Application()

CHECKS = [
    (check_spin_out, SPIN_OUT, "spin_out_definition"),
    (check_launched, LAUNCHED, "must_be_launched"),
    (check_technology, TECHNOLOGY, "eligible_uses"),
    (check_amount, AMOUNT, "loan_amounts"),
    (check_repayment, REPAYMENT, "loan_term"),
]

SAMPLE_APPS = [
    GOOD,
    EMPTY,
    Application(
        is_spin_out=NO,
        is_trading=NO,
        investment_is_technology=NO,
        amount=100,
        can_repay_3_to_5_years=NO,
    ),
    Application(
        is_spin_out=UNSURE,
        is_trading=UNSURE,
        investment_is_technology=UNSURE,
        amount=0,
        can_repay_3_to_5_years=UNSURE,
    ),
    Application(investment_purpose="a new building", amount=5_000_000),
]


def with_(**changes: object) -> Application:
    """GOOD with some answers changed."""
    return dataclasses.replace(GOOD, **changes)


# --- interpret_yes_no -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", YES),
        ("Yes!", YES),
        ("yep we have", YES),
        ("Yeah, we launched in 2013", YES),
        ("we're trading already", YES),
        ("absolutely", YES),
        ("of course", YES),
        ("no problem", YES),
        ("that’s right", YES),
        ("fine, consent given", YES),
        ("go ahead", YES),
        ("that's not fine", NO),
        ("no", NO),
        ("Nope", NO),
        ("nah", NO),
        ("not yet", NO),
        ("we're still setting up", NO),
        ("We’re still getting set up", NO),
        ("we haven't launched", NO),
        ("we have not launched yet", NO),
        ("we havent launched", NO),
        ("we cant", NO),
        ("we're yet to launch", NO),
        ("we are pre-launch", NO),
        ("I don't think so", NO),
        ("definitely not", NO),
        ("of course not", NO),
        ("not right now", NO),
        ("no, we can't", NO),
        ("not sure", UNSURE),
        ("I'm not really sure", UNSURE),
        ("don't know", UNSURE),
        ("I dont know", UNSURE),
        ("no idea", UNSURE),
        ("kind of", UNSURE),
        ("sort of", UNSURE),
        ("maybe", UNSURE),
        ("probably", UNSURE),
        ("I think so", UNSURE),
        ("yes and no", UNSURE),
        ("yeah, not yet", UNSURE),
        ("hello", None),
        ("we were part of the NHS", None),
        ("", None),
        ("   ", None),
    ],
)
def test_interpret_yes_no(text: str, expected: Answer | None) -> None:
    assert interpret_yes_no(text) is expected


# --- Each criterion -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("is_spin_out", "origin", "status", "phrase"),
    [
        (YES, None, MET, "spin-out"),
        (NO, None, NOT_MET, "former public service employees"),
        (NO, "We spun out of the council", NOT_MET, "not one of these"),
        (UNSURE, None, TO_DISCUSS, "not sure"),
        (None, "Spun out of the NHS in 2011", TO_DISCUSS, "how your organisation started"),
        (None, None, TO_DISCUSS, "do not know yet"),
        (None, "   ", TO_DISCUSS, "do not know yet"),
    ],
)
def test_check_spin_out(
    is_spin_out: Answer | None, origin: str | None, status: Status, phrase: str
) -> None:
    result = check_spin_out(with_(is_spin_out=is_spin_out, origin=origin))
    assert result.status is status
    assert phrase in result.reason


@pytest.mark.parametrize(("is_trading", "status"), YES_NO_STATUSES)
def test_check_launched(is_trading: Answer | None, status: Status) -> None:
    result = check_launched(with_(is_trading=is_trading))
    assert result.status is status
    assert "already launched" in result.reason


@pytest.mark.parametrize(
    "phrase",
    [
        TEAM_PHONE,
        MIS_PHONE,
        "Mutuals Information Service",
        "come back once you have launched",
        "cannot apply for now",
    ],
)
def test_pre_launch_reason_says_what_to_do_now(phrase: str) -> None:
    assert phrase in check_launched(with_(is_trading=NO)).reason


@pytest.mark.parametrize(
    ("answer", "purpose", "status"),
    [
        # An explicit answer wins over the description.
        (YES, None, MET),
        (YES, "a new building", MET),
        (NO, None, NOT_MET),
        (NO, "new software", NOT_MET),
        (UNSURE, None, TO_DISCUSS),
        (UNSURE, "new software", TO_DISCUSS),
        # Otherwise the description is read for technology words.
        (None, None, TO_DISCUSS),
        (None, "  ", TO_DISCUSS),
        (None, "new servers, e-rostering and mobile technology for 45 staff", MET),
        (None, "integrating patient care records", MET),
        (None, "updating our systems and software", MET),
        (None, "IT equipment", MET),
        (None, "a digital platform", MET),
        (None, "a telehealth service", MET),
        (None, "an app for patients", MET),
        (None, "laptops and tablets for community nurses", MET),
        (None, "a new building", NOT_MET),
        (None, "to build a new health centre", NOT_MET),
        (None, "buying property", NOT_MET),
        (None, "It will pay for new vehicles", NOT_MET),
        (None, "staff salaries", NOT_MET),
        (None, "general working capital", NOT_MET),
        (None, "a new building and IT systems", TO_DISCUSS),
        (None, "expanding our service", TO_DISCUSS),
        (None, "we want to apply to grow", TO_DISCUSS),
    ],
)
def test_check_technology(answer: Answer | None, purpose: str | None, status: Status) -> None:
    app = with_(investment_is_technology=answer, investment_purpose=purpose)
    assert check_technology(app).status is status


@pytest.mark.parametrize(
    ("status", "phrase"),
    [
        (MET, "health and social care"),
        (NOT_MET, "not covered"),
        (TO_DISCUSS, "patient care records"),
    ],
)
def test_technology_reasons_explain_the_eligible_uses(status: Status, phrase: str) -> None:
    answer = {MET: YES, NOT_MET: NO, TO_DISCUSS: UNSURE}[status]
    result = check_technology(with_(investment_is_technology=answer))
    assert result.status is status
    assert phrase in result.reason


@pytest.mark.parametrize(
    ("amount", "status", "phrases"),
    [
        (249_999, NOT_MET, ("£249,999", "£1 less than our smallest loan")),
        (250_000, MET, ("£250,000", "within our range")),
        (500_000, MET, ("£500,000", "within our range")),
        (1_000_000, MET, ("£1 million", "within our range")),
        (1_000_001, NOT_MET, ("£1,000,001", "£1 more than our largest loan")),
        (100_000, NOT_MET, ("£100,000", "£150,000 less")),
        (1_500_000, NOT_MET, ("£1.5 million", "£500,000 more")),
        (3_000_000, NOT_MET, ("£3 million", "£2 million more")),
        (None, TO_DISCUSS, ("not told us yet",)),
        (0, TO_DISCUSS, ("could not understand",)),
        (-5, TO_DISCUSS, ("could not understand",)),
    ],
)
def test_check_amount(amount: int | None, status: Status, phrases: tuple[str, ...]) -> None:
    result = check_amount(with_(amount=amount))
    assert result.status is status
    for phrase in (*phrases, "Loans are between £250,000 and £1 million."):
        assert phrase in result.reason


def test_loan_limits() -> None:
    assert (MINIMUM_LOAN, MAXIMUM_LOAN) == (250_000, 1_000_000)


@pytest.mark.parametrize(("answer", "status"), YES_NO_STATUSES)
def test_check_repayment(answer: Answer | None, status: Status) -> None:
    result = check_repayment(with_(can_repay_3_to_5_years=answer))
    assert result.status is status
    assert "3 to 5 years" in result.reason


# --- Every result cites its fact ------------------------------------------------------------


@pytest.mark.parametrize("app", SAMPLE_APPS)
@pytest.mark.parametrize(("check", "criterion", "fact_id"), CHECKS)
def test_each_check_names_its_criterion_and_cites_its_fact(
    check, criterion: str, fact_id: str, app: Application
) -> None:
    result = check(app)
    assert isinstance(result, CriterionResult)
    assert (result.criterion, result.fact_id) == (criterion, fact_id)
    assert result.fact_id in FACT_IDS


def test_fact_ids_are_the_knowledge_base_ids() -> None:
    assert (
        frozenset(
            {
                "spin_out_definition",
                "who_can_apply",
                "must_be_launched",
                "eligible_uses",
                "loan_amounts",
                "loan_term",
                "contact_team",
                "mutuals_information_service",
            }
        )
        == FACT_IDS
    )


@pytest.mark.parametrize("app", SAMPLE_APPS)
def test_assessment_checks_every_criterion_in_order(app: Application) -> None:
    results = assess(app).results
    assert [r.criterion for r in results] == [criterion for _, criterion, _ in CHECKS]
    assert [r.fact_id for r in results] == [fact_id for _, _, fact_id in CHECKS]


# --- Plain English --------------------------------------------------------------------------


@pytest.mark.parametrize("app", SAMPLE_APPS)
def test_reasons_are_plain_english(app: Application) -> None:
    for reason in assess(app).reasons:
        assert reason
        assert reason.endswith(".")
        assert not re.search(r"\b(e\.g|i\.e|etc)\b", reason)
        assert not re.search(r"n't\b", reason), "GOV.UK style avoids negative contractions"
        assert "1,000,000" not in reason
        assert "£" not in reason or re.search(r"£\d", reason)


# --- Verdicts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("app", "verdict"),
    [
        (GOOD, Verdict.ELIGIBLE),
        (with_(investment_is_technology=None), Verdict.ELIGIBLE),
        (with_(amount=250_000), Verdict.ELIGIBLE),
        (with_(amount=1_000_000), Verdict.ELIGIBLE),
        (with_(is_spin_out=UNSURE), Verdict.BORDERLINE),
        (with_(is_trading=UNSURE), Verdict.BORDERLINE),
        (with_(amount=None), Verdict.BORDERLINE),
        (with_(can_repay_3_to_5_years=None), Verdict.BORDERLINE),
        (
            with_(investment_is_technology=None, investment_purpose="growing the team"),
            Verdict.BORDERLINE,
        ),
        (EMPTY, Verdict.BORDERLINE),
        (with_(is_spin_out=NO), Verdict.NOT_ELIGIBLE),
        (with_(is_trading=NO), Verdict.NOT_ELIGIBLE),
        (with_(investment_is_technology=NO), Verdict.NOT_ELIGIBLE),
        (with_(amount=249_999), Verdict.NOT_ELIGIBLE),
        (with_(amount=1_000_001), Verdict.NOT_ELIGIBLE),
        (with_(can_repay_3_to_5_years=NO), Verdict.NOT_ELIGIBLE),
        (with_(amount=None, can_repay_3_to_5_years=NO), Verdict.NOT_ELIGIBLE),
        (with_(is_trading=NO, is_spin_out=UNSURE), Verdict.NOT_ELIGIBLE),
    ],
)
def test_assess_verdict(app: Application, verdict: Verdict) -> None:
    assert assess(app).verdict is verdict


def test_assessment_helpers() -> None:
    assessment = assess(with_(is_trading=NO, amount=None, can_repay_3_to_5_years=UNSURE))
    assert [r.criterion for r in assessment.not_met] == [LAUNCHED]
    assert [r.criterion for r in assessment.to_discuss] == [AMOUNT, REPAYMENT]
    assert assessment.reasons == tuple(r.reason for r in assessment.results)
    assert len(assessment.reasons) == 5


@pytest.mark.parametrize(
    "obj",
    [GOOD, check_amount(GOOD), assess(GOOD)],
    ids=["application", "criterion_result", "assessment"],
)
def test_records_are_frozen(obj: object) -> None:
    field = dataclasses.fields(obj)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, field, None)


# --- Ending the interview early -------------------------------------------------------------


@pytest.mark.parametrize(
    ("app", "criterion"),
    [
        (EMPTY, None),
        (GOOD, None),
        (Application(is_spin_out=UNSURE, is_trading=UNSURE), None),
        (Application(investment_purpose="expanding our service"), None),
        (Application(is_spin_out=NO), SPIN_OUT),
        (Application(is_trading=NO), LAUNCHED),
        (Application(amount=100_000), AMOUNT),
        (Application(amount=2_000_000), AMOUNT),
        (Application(can_repay_3_to_5_years=NO), REPAYMENT),
        (Application(investment_purpose="a new building"), TECHNOLOGY),
        (Application(investment_is_technology=NO), TECHNOLOGY),
        # Criteria are checked in interview order...
        (Application(is_spin_out=NO, is_trading=NO, amount=1), SPIN_OUT),
        (Application(is_trading=NO, amount=1), LAUNCHED),
        (with_(amount=1, can_repay_3_to_5_years=NO), AMOUNT),
        # ...skipping unanswered and unsure ones.
        (Application(is_spin_out=UNSURE, amount=1), AMOUNT),
        (Application(is_trading=UNSURE, can_repay_3_to_5_years=NO), REPAYMENT),
    ],
)
def test_first_disqualifier(app: Application, criterion: str | None) -> None:
    result = first_disqualifier(app)
    if criterion is None:
        assert result is None
    else:
        assert result is not None
        assert (result.criterion, result.status) == (criterion, NOT_MET)
        assert result == dict((r.criterion, r) for r in assess(app).results)[criterion]


# --- Formatting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("app", "verdict", "headline_phrase"),
    [
        (GOOD, Verdict.ELIGIBLE, "seem to meet the main rules"),
        (with_(amount=None), Verdict.BORDERLINE, "some points need to be discussed"),
        (with_(is_trading=NO), Verdict.NOT_ELIGIBLE, "do not seem to meet the rules"),
    ],
)
def test_format_assessment_headline(
    app: Application, verdict: Verdict, headline_phrase: str
) -> None:
    assessment = assess(app)
    assert assessment.verdict is verdict
    headline = format_assessment(assessment).split("\n")[0]
    assert headline_phrase in headline
    assert "the team decides" in headline.lower()
    assert TEAM_PHONE in headline
    for promise in ("you will get", "you are eligible", "approved", "guaranteed"):
        assert promise not in headline.lower()


def test_format_assessment_lists_every_criterion() -> None:
    assessment = assess(with_(is_trading=NO, amount=None))
    lines = format_assessment(assessment).split("\n")
    assert lines[1] == ""
    assert lines[2:] == [
        f"A public sector spin-out: ✓ Met — {assessment.results[0].reason}",
        f"Already launched: ✗ Not met — {assessment.results[1].reason}",
        f"Investing in technology: ✓ Met — {assessment.results[2].reason}",
        f"Loan amount: ? To discuss — {assessment.results[3].reason}",
        f"Repaying over 3 to 5 years: ✓ Met — {assessment.results[4].reason}",
    ]


def test_format_assessment_uses_the_given_results() -> None:
    result = CriterionResult(AMOUNT, NOT_MET, "Too small.", "loan_amounts")
    text = format_assessment(Assessment(Verdict.NOT_ELIGIBLE, (result,)))
    assert text.endswith("\n\nLoan amount: ✗ Not met — Too small.")
