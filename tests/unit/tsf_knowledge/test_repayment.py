"""A repayment term someone asks for is read against the fund's 3 to 5 years."""

from __future__ import annotations

import pytest

from tsf_knowledge.eligibility import Answer, Application, Status, check_repayment
from tsf_knowledge.loader import default_knowledge
from tsf_knowledge.repayment import describe_term_fit, format_years, repayment_answer

KB = default_knowledge()


@pytest.mark.parametrize(
    ("years", "answer"),
    [
        (3, Answer.YES),
        (4.5, Answer.YES),
        (5, Answer.YES),
        (5.5, Answer.NO),
        (8, Answer.NO),
        (2, Answer.UNSURE),
        (1.5, Answer.UNSURE),
    ],
)
def test_a_term_fits_from_three_to_five_years_inclusive(years: float, answer: Answer) -> None:
    assert repayment_answer(years) is answer


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (4, "A term of 4 years is within the fund's repayment term of 3 to 5 years."),
        (8, "A term of 8 years is longer than the fund's repayment term"),
        (2, "The fund's documents don't say whether a loan can be repaid over 2 years."),
    ],
)
def test_the_answer_says_how_the_term_fits_and_cites_its_source(
    years: float, expected: str
) -> None:
    text = describe_term_fit(years, KB)

    assert expected in text.splitlines()[0]
    assert text.splitlines()[-1].startswith("Source")


def test_years_read_naturally() -> None:
    assert [format_years(y) for y in (1, 1.5, 4.0)] == ["1 year", "1.5 years", "4 years"]


def test_the_verdict_reason_names_the_term_the_applicant_gave() -> None:
    result = check_repayment(Application(can_repay_3_to_5_years=Answer.NO, term_years=8))

    assert result.status is Status.NOT_MET
    assert result.reason == (
        "You told us you would like to repay over 8 years. Loans are repaid over 3 to 5 "
        "years. That is longer than the term."
    )
