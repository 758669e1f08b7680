"""The knowledge base's lookups."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tsf_knowledge.facts import Fact, KnowledgeBase, Source


def _source(source_id: str) -> Source:
    return Source(
        id=source_id,
        title=f"{source_id} title",
        publisher="Publisher",
        date="2014",
        short=f"{source_id}, 2014",
        seed=f"{source_id}.txt",
    )


def _fact(fact_id: str, *source_ids: str) -> Fact:
    return Fact(
        id=fact_id,
        intent=f"ask_{fact_id}",
        topic="loans",
        answer=f"The answer about {fact_id}.",
        source_ids=source_ids,
        keywords=(fact_id,),
        examples=(f"what about {fact_id}",),
    )


KB = KnowledgeBase(
    version=1,
    sources=(_source("news"), _source("blog")),
    facts=(_fact("loan_term", "blog"), _fact("loan_amounts", "blog", "news")),
)


def test_a_fact_is_found_by_id() -> None:
    assert KB.fact("loan_term").answer == "The answer about loan_term."


def test_an_unknown_fact_id_raises_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match="unknown fact id 'nope'"):
        KB.fact("nope")


@pytest.mark.parametrize(
    ("intent", "fact_id"),
    [
        ("ask_loan_term", "loan_term"),
        ("ask_loan_amounts", "loan_amounts"),
        ("loan_term", None),
        ("greet", None),
        ("", None),
    ],
)
def test_a_fact_is_found_by_intent_or_none(intent: str, fact_id: str | None) -> None:
    fact = KB.by_intent(intent)

    assert (fact.id if fact else None) == fact_id


def test_intents_follow_file_order() -> None:
    assert KB.intents == ("ask_loan_term", "ask_loan_amounts")


GROUPED = KnowledgeBase(
    version=1,
    sources=(_source("blog"),),
    facts=(
        _fact("loan_amounts", "blog"),
        _fact("loan_term", "blog"),
        replace(_fact("loan_average", "blog"), intent="ask_loan_amounts"),
    ),
)


def test_facts_sharing_an_intent_form_a_group_led_by_the_first() -> None:
    assert GROUPED.intents == ("ask_loan_amounts", "ask_loan_term")
    assert [fact.id for fact in GROUPED.group("ask_loan_amounts")] == [
        "loan_amounts",
        "loan_average",
    ]
    assert GROUPED.by_intent("ask_loan_amounts") == GROUPED.fact("loan_amounts")
    assert GROUPED.group("greet") == ()


def test_sources_for_a_fact_keep_the_fact_order() -> None:
    sources = KB.sources_for(KB.fact("loan_amounts"))

    assert [source.id for source in sources] == ["blog", "news"]


def test_an_unknown_source_raises_key_error() -> None:
    with pytest.raises(KeyError, match="unknown source id 'x'"):
        KB.source("x")


def test_knowledge_bases_with_the_same_content_are_equal() -> None:
    twin = KnowledgeBase(version=1, sources=KB.sources, facts=KB.facts)

    assert twin == KB
