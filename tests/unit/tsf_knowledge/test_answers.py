"""The text the assistant sends for a fact: the answer, then where it comes from."""

from __future__ import annotations

import pytest

from tsf_knowledge.answers import format_answer, source_line
from tsf_knowledge.facts import Fact, KnowledgeBase, Source
from tsf_knowledge.loader import default_knowledge


def _source(source_id: str, short: str) -> Source:
    return Source(
        id=source_id, title="Title", publisher="Publisher", date="2014", short=short, seed="x.txt"
    )


def _fact(*source_ids: str) -> Fact:
    return Fact(
        id="loan_term",
        intent="ask_loan_term",
        topic="loans",
        answer="You repay a loan over 3 to 5 years.",
        source_ids=source_ids,
        keywords=("term",),
        examples=("how long is the loan",),
    )


KB = KnowledgeBase(
    version=1,
    sources=(
        _source("blog", "Department of Health blog, 2014"),
        _source("news", "News article on the fund's launch, 2014"),
    ),
    facts=(),
)


@pytest.mark.parametrize(
    ("source_ids", "expected"),
    [
        (("blog",), "Source: Department of Health blog, 2014"),
        (
            ("news", "blog"),
            "Sources: News article on the fund's launch, 2014; Department of Health blog, 2014",
        ),
    ],
)
def test_the_source_line_names_each_source_briefly(source_ids: tuple[str], expected: str) -> None:
    assert source_line(_fact(*source_ids), KB) == expected


def test_an_answer_is_followed_by_its_source_line() -> None:
    assert format_answer(_fact("blog"), KB) == (
        "You repay a loan over 3 to 5 years.\n\nSource: Department of Health blog, 2014"
    )


@pytest.mark.parametrize("fact", default_knowledge().facts, ids=lambda fact: fact.id)
def test_every_real_answer_ends_with_a_source_line(fact: Fact) -> None:
    kb = default_knowledge()
    text = format_answer(fact, kb)

    answer, line = text.split("\n\n")
    assert answer == fact.answer
    assert line.startswith(("Source: ", "Sources: "))
    assert all(source.short in line for source in kb.sources_for(fact))
