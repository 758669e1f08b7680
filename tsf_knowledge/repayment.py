"""The fund's repayment term (3 to 5 years) and how a term someone asks for fits it."""

from __future__ import annotations

from tsf_knowledge.answers import TEAM_PHONE, source_line
from tsf_knowledge.eligibility import Answer
from tsf_knowledge.facts import KnowledgeBase

SHORTEST_TERM_YEARS = 3
LONGEST_TERM_YEARS = 5
LOAN_TERM_FACT = "loan_term"


def format_years(years: float) -> str:
    """``4.0`` as "4 years", ``1.5`` as "1.5 years", ``1`` as "1 year"."""
    number = f"{years:g}"
    return f"{number} year" if number == "1" else f"{number} years"


def repayment_answer(years: float) -> Answer:
    """Whether a loan repaid over ``years`` fits the term.

    Longer than 5 years does not fit. Shorter than 3 is for the team to discuss: the
    documents give the term, not whether a loan can be repaid sooner.
    """
    if years > LONGEST_TERM_YEARS:
        return Answer.NO
    if years < SHORTEST_TERM_YEARS:
        return Answer.UNSURE
    return Answer.YES


def describe_term_fit(years: float, kb: KnowledgeBase) -> str:
    """A plain-English answer on how a ``years`` repayment term fits, with its source line."""
    asked = format_years(years)
    answer = repayment_answer(years)
    if answer is Answer.YES:
        body = f"A term of {asked} is within the fund's repayment term of 3 to 5 years."
    elif answer is Answer.NO:
        body = (
            f"A term of {asked} is longer than the fund's repayment term: loans are repaid "
            f"over 3 to 5 years. To talk through your options, call Local Partnerships' "
            f"Social Investment Team on {TEAM_PHONE}."
        )
    else:
        body = (
            f"Loans are repaid over 3 to 5 years. The fund's documents don't say whether a "
            f"loan can be repaid over {asked}. The Social Investment Team can tell you: call "
            f"them on {TEAM_PHONE}."
        )
    return f"{body}\n\n{source_line(kb.fact(LOAN_TERM_FACT), kb)}"
