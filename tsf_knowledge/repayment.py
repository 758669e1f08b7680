"""The fund's repayment term and how a term someone asks for fits it."""

from __future__ import annotations

from tsf_knowledge.answers import source_line
from tsf_knowledge.eligibility import Answer
from tsf_knowledge.facts import KnowledgeBase
from tsf_knowledge.fund_terms import LOAN_TERM_FACT, fund_terms


def format_years(years: float) -> str:
    """``4.0`` as "4 years", ``1.5`` as "1.5 years", ``1`` as "1 year"."""
    number = f"{years:g}"
    return f"{number} year" if number == "1" else f"{number} years"


def repayment_answer(years: float) -> Answer:
    """Whether a loan repaid over ``years`` fits the term.

    Longer than 5 years does not fit. Shorter than 3 is for the team to discuss: the
    documents give the term, not whether a loan can be repaid sooner.
    """
    terms = fund_terms()
    if years > terms.longest_term_years:
        return Answer.NO
    if years < terms.shortest_term_years:
        return Answer.UNSURE
    return Answer.YES


def describe_term_fit(years: float, kb: KnowledgeBase) -> str:
    """A plain-English answer on how a ``years`` repayment term fits, with its source line."""
    asked = format_years(years)
    answer, terms = repayment_answer(years), fund_terms()
    if answer is Answer.YES:
        body = f"A term of {asked} is within the fund's repayment term of {terms.term}."
    elif answer is Answer.NO:
        body = (
            f"A term of {asked} is longer than the fund's repayment term: loans are repaid "
            f"over {terms.term}. To talk through your options, call Local Partnerships' "
            f"Social Investment Team on {terms.team_phone}."
        )
    else:
        body = (
            f"Loans are repaid over {terms.term}. The fund's documents don't say whether a "
            f"loan can be repaid over {asked}. The Social Investment Team can tell you: call "
            f"them on {terms.team_phone}."
        )
    return f"{body}\n\n{source_line(kb.fact(LOAN_TERM_FACT), kb)}"
