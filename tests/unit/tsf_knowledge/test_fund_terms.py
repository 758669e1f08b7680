"""The fund's figures are read from the facts that state them, and every page, manifest and
response that repeats one (they cannot import Python) says the same as the facts."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from tests.support.harness import run_python
from tsf_knowledge.amounts import format_pounds
from tsf_knowledge.facts import KnowledgeBase
from tsf_knowledge.fund_terms import FundTerms, fund_terms, read_fund_terms
from tsf_knowledge.loader import KnowledgeError, default_knowledge

ROOT = Path(__file__).resolve().parents[3]
TERMS = fund_terms()
PUBLISHED = [
    ROOT / "web" / "index.html",
    ROOT / "teams" / "manifest.json",
    *sorted((ROOT / "rasa_project" / "domain").glob("*.yml")),
]
_AMOUNT = r"£[\d,.]+(?: million)?"
FIGURES = {
    "phone": (re.compile(r"\b0\d{2,4} ?\d{3,4} ?\d{4}\b"), TERMS.team_phone),
    "phone link": (re.compile(r"tel:\+?[\d]+"), f"tel:+44{TERMS.team_phone[1:]}".replace(" ", "")),
    "loan range": (
        re.compile(rf"{_AMOUNT} to {_AMOUNT}"),
        f"{format_pounds(TERMS.minimum_loan)} to {format_pounds(TERMS.maximum_loan)}",
    ),
    "fund size": (re.compile(rf"{_AMOUNT}(?= (?:loan )?fund)"), format_pounds(TERMS.fund_size)),
    "term": (re.compile(r"\b\d+ to \d+ years\b"), TERMS.term),
}
STATED = [
    pytest.param(kind, found, expected, id=f"{path.relative_to(ROOT)}: {found}")
    for path in PUBLISHED
    for kind, (pattern, expected) in FIGURES.items()
    for found in pattern.findall(path.read_text(encoding="utf-8"))
]


def test_the_terms_are_the_figures_the_facts_state() -> None:
    assert FundTerms("020 7187 7379", 250_000, 1_000_000, 3, 5, 6_000_000) == TERMS
    assert TERMS.term == "3 to 5 years"


def test_importing_the_modules_that_state_the_figures_reads_no_file() -> None:
    script = (
        "import actions.enquiries, actions.eligibility_verdict, tsf_runtime.action_outage\n"
        "from tsf_knowledge.fund_terms import fund_terms\n"
        "print(fund_terms.cache_info().currsize)\n"
    )

    result = run_python(script)

    assert result.stdout.strip() == "0"


def test_a_fact_that_no_longer_states_its_figure_is_an_error() -> None:
    kb = default_knowledge()
    facts = tuple(
        dataclasses.replace(fact, answer="Call the team.") if fact.id == "contact_team" else fact
        for fact in kb.facts
    )

    with pytest.raises(KnowledgeError, match="contact_team"):
        read_fund_terms(KnowledgeBase(kb.version, kb.sources, facts))


def test_the_web_page_the_teams_manifest_and_the_responses_state_figures() -> None:
    stating = {
        path
        for path in PUBLISHED
        for pattern, _ in FIGURES.values()
        if pattern.search(path.read_text(encoding="utf-8"))
    }
    kinds = {param.values[0] for param in STATED}

    assert {ROOT / "web" / "index.html", ROOT / "teams" / "manifest.json"} <= stating
    assert any(path.suffix == ".yml" for path in stating)
    assert kinds == set(FIGURES)


@pytest.mark.parametrize(("kind", "found", "expected"), STATED)
def test_every_published_figure_is_the_knowledge_base_s(
    kind: str, found: str, expected: str
) -> None:
    assert found == expected, f"the {kind} {found!r} is not the knowledge base's {expected!r}"
