"""The fund's figures and the team's phone number, read from the facts that state them.

Each number is written once, in ``facts.yml``: :func:`fund_terms` reads it from the fact
that states it (``contact_team``, ``loan_amounts``, ``loan_term``, ``fund_size``), when it
is first asked for: importing this module loads nothing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from tsf_knowledge.facts import KnowledgeBase
from tsf_knowledge.loader import KnowledgeError, default_knowledge

CONTACT_TEAM_FACT = "contact_team"
LOAN_AMOUNTS_FACT = "loan_amounts"
LOAN_TERM_FACT = "loan_term"
FUND_SIZE_FACT = "fund_size"

_PHONE = re.compile(r"\b0\d{2,4} \d{3,4} \d{4}\b")
_POUNDS = re.compile(r"£(\d[\d,]*(?:\.\d+)?)( million)?")
_YEARS = re.compile(r"\b(\d+) to (\d+) years\b")


@dataclass(frozen=True)
class FundTerms:
    """The numbers the assistant states about the fund and its team."""

    team_phone: str
    minimum_loan: int
    maximum_loan: int
    shortest_term_years: int
    longest_term_years: int
    fund_size: int

    @property
    def term(self) -> str:
        """The repayment term as the assistant says it: "3 to 5 years"."""
        return f"{self.shortest_term_years} to {self.longest_term_years} years"


def _found(pattern: re.Pattern[str], kb: KnowledgeBase, fact_id: str) -> list[str]:
    found = pattern.findall(kb.fact(fact_id).answer)
    if not found:
        raise KnowledgeError(f"fact {fact_id!r} no longer states {pattern.pattern!r}")
    return found


def _pounds(kb: KnowledgeBase, fact_id: str) -> list[int]:
    return [
        int(Decimal(number.replace(",", "")) * (1_000_000 if million else 1))
        for number, million in _found(_POUNDS, kb, fact_id)
    ]


def read_fund_terms(kb: KnowledgeBase) -> FundTerms:
    """The fund's terms as the facts of ``kb`` state them.

    Raises:
        KnowledgeError: If a fact no longer states its number.
    """
    loans = _pounds(kb, LOAN_AMOUNTS_FACT)
    shortest, longest = _found(_YEARS, kb, LOAN_TERM_FACT)[0]
    return FundTerms(
        team_phone=_found(_PHONE, kb, CONTACT_TEAM_FACT)[0],
        minimum_loan=min(loans),
        maximum_loan=max(loans),
        shortest_term_years=int(shortest),
        longest_term_years=int(longest),
        fund_size=_pounds(kb, FUND_SIZE_FACT)[0],
    )


@functools.lru_cache(maxsize=1)
def fund_terms() -> FundTerms:
    """The fund's terms as the packaged knowledge base states them (read once)."""
    return read_fund_terms(default_knowledge())
