"""Finding the fact a free-text question is about."""

from __future__ import annotations

import math
from pathlib import Path
from typing import ClassVar

import pytest
import yaml

from tsf_knowledge.facts import Fact, KnowledgeBase
from tsf_knowledge.loader import default_knowledge
from tsf_knowledge.retrieval import (
    CONFIDENCE_THRESHOLD,
    Bm25Index,
    FactRetriever,
    Match,
    leave_one_out,
    normalise,
    out_of_scope_calibration,
)

HELDOUT_PATH = Path(__file__).parents[2] / "data" / "heldout_questions.yml"


@pytest.fixture(scope="module")
def retriever() -> FactRetriever:
    return FactRetriever(default_knowledge())


# Paraphrases that appear neither in the training examples nor in the held-out set.
IN_SCOPE = [
    ("what's the least amount you'll lend", "loan_amounts"),
    ("how long is the repayment term on these loans", "loan_term"),
    ("what's the interest on a loan", "interest_rate"),
    ("who runs the technology spin-out fund", "fund_manager"),
    ("how much money does the TSF have altogether", "fund_size"),
    ("do we have to repay it or is it a grant", "loan_not_grant"),
    ("what's the phone number for the social investment team", "contact_team"),
    ("what is local partnerships and who owns it", "local_partnerships"),
    ("where does big society capital's money come from", "bsc_funding"),
    ("what did john taylor hospice spend the £456,000 on", "john_taylor_hospice"),
    ("can we use the loan for mobile technology for our nurses", "eligible_uses"),
    ("what does the social enterprise investment fund do", "seif"),
    ("what did Nick O’Donohoe say about the fund", "nick_odonohoe"),
    ("tell me about the £19m for social enterprises", "dh_19m_funding"),
]

OUT_OF_SCOPE = [
    "what's the weather in Leeds today",
    "can I get a mortgage with a small deposit",
    "I need a personal loan for a wedding",
    "how do I apply to the Heritage Lottery Fund",
    "who scored in the cup final",
    "how do you make shepherd's pie",
    "my phone won't connect to the wifi",
    "what's the best credit card for travel",
]

ODD_INPUT = ["", "   ", "\n\t", "?!?!", "😀🎉💷", "£££", "a" * 100_000, "fund " * 20_000]


@pytest.mark.parametrize(("query", "fact_id"), IN_SCOPE)
def test_in_scope_paraphrases_match_the_right_fact(
    retriever: FactRetriever, query: str, fact_id: str
) -> None:
    match = retriever.best_match(query)

    assert match is not None
    assert match.fact.id == fact_id


@pytest.mark.parametrize("query", OUT_OF_SCOPE)
def test_out_of_scope_questions_match_nothing(retriever: FactRetriever, query: str) -> None:
    assert retriever.best_match(query) is None


@pytest.mark.parametrize("query", ODD_INPUT, ids=lambda query: repr(query[:12]))
def test_odd_input_never_raises(retriever: FactRetriever, query: str) -> None:
    matches = retriever.search(query)
    best = retriever.best_match(query)

    assert all(isinstance(match, Match) for match in matches)
    assert best is None or isinstance(best, Match)


@pytest.mark.parametrize("query", ["", "   ", "😀🎉💷", "the of and"])
def test_queries_without_content_words_find_nothing(retriever: FactRetriever, query: str) -> None:
    assert retriever.search(query) == []
    assert retriever.best_match(query) is None


def test_search_returns_at_most_k_matches_best_first(retriever: FactRetriever) -> None:
    matches = retriever.search("how much can we borrow and over how many years", k=4)

    assert len(matches) == 4
    scores = [match.score for match in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < match.confidence <= 1 for match in matches)


def test_rank_orders_only_the_given_facts(retriever: FactRetriever) -> None:
    kb = retriever.kb
    group = (kb.fact("fund_providers"), kb.fact("bsc_funding"), kb.fact("nick_odonohoe"))

    ranked = retriever.rank("who is the chief executive of big society capital", group)

    assert ranked[0].fact.id == "nick_odonohoe"
    assert {match.fact.id for match in ranked} <= {fact.id for fact in group}
    assert [match.score for match in ranked] == sorted(
        (match.score for match in ranked), reverse=True
    )


@pytest.mark.parametrize("query", ["", "the and of", "🙂"])
def test_rank_finds_nothing_without_content_words(retriever: FactRetriever, query: str) -> None:
    assert retriever.rank(query, retriever.kb.facts) == []


def test_search_with_k_zero_returns_nothing(retriever: FactRetriever) -> None:
    assert retriever.search("interest rate", k=0) == []


def test_best_match_is_the_top_search_result(retriever: FactRetriever) -> None:
    query = "what is the interest rate"

    assert retriever.best_match(query) == retriever.search(query, k=1)[0]


def _tiny_kb() -> KnowledgeBase:
    def fact(fact_id: str, example: str) -> Fact:
        return Fact(fact_id, f"ask_{fact_id}", "loans", "An answer.", ("s",), (), (example,))

    return KnowledgeBase(
        version=1,
        sources=(),
        facts=(fact("term", "loan term years"), fact("rate", "interest rate")),
    )


def test_the_index_is_built_lazily_with_the_given_lemmatiser() -> None:
    calls: list[str] = []

    def lemmatiser(text: str) -> list[str]:
        calls.append(text)
        return text.split()

    retriever = FactRetriever(_tiny_kb(), lemmatiser=lemmatiser)
    assert calls == []

    matches = retriever.search("interest")

    assert [match.fact.id for match in matches] == ["rate"]
    assert calls


def test_a_threshold_of_one_declines_everything() -> None:
    retriever = FactRetriever(_tiny_kb(), lemmatiser=str.split, threshold=1.0)

    assert retriever.search("interest")
    assert retriever.best_match("interest") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nick O'Donohoe", "nick odonohoe"),
        ("Nick O’Donohoe", "nick odonohoe"),
        ("£456,000", "£456000"),
        ("£19m", "£19 million"),
        ("250k", "250 thousand"),
        ("1.5 m", "1.5 million"),
        ("the mutuals team", "the mutuals team"),
        ("Big Society Capital", "bigsocietycapital"),
    ],
)
def test_normalise_keeps_names_and_amounts_for_the_lemmatiser(text: str, expected: str) -> None:
    assert normalise(text) == expected


class TestBm25Index:
    DOCUMENTS: ClassVar = [["loan", "term", "loan"], ["interest", "rate", "loan"], ["grant"]]

    def test_documents_with_the_query_term_outscore_those_without(self) -> None:
        scores = Bm25Index(self.DOCUMENTS).scores(["interest"])

        assert scores[1] > 0
        assert scores[0] == scores[2] == 0

    def test_rarer_terms_weigh_more(self) -> None:
        index = Bm25Index(self.DOCUMENTS)

        assert index.idf("term") > index.idf("loan")

    def test_an_unseen_term_gets_the_highest_idf(self) -> None:
        index = Bm25Index(self.DOCUMENTS)

        assert index.idf("mortgage") > index.idf("grant")

    def test_idf_follows_the_okapi_formula(self) -> None:
        index = Bm25Index(self.DOCUMENTS)

        assert index.idf("loan") == pytest.approx(math.log(1 + (3 - 2 + 0.5) / (2 + 0.5)))

    def test_repeated_terms_score_higher_but_saturate(self) -> None:
        index = Bm25Index([["loan"] * 1, ["loan"] * 2, ["loan"] * 50, ["grant"]], b=0)
        once, twice, many, _ = index.scores(["loan"])

        assert once < twice < many < index.ceiling(["loan"])

    def test_longer_documents_are_penalised(self) -> None:
        index = Bm25Index([["loan", "a"], ["loan", "a", "b", "c", "d", "e"], ["grant"]])
        short, long, _ = index.scores(["loan"])

        assert short > long

    def test_an_empty_index_scores_nothing(self) -> None:
        assert Bm25Index([]).scores(["loan"]) == []


def test_leave_one_out_supports_the_documented_threshold() -> None:
    report = leave_one_out(default_knowledge())

    assert len(report.cases) == sum(len(fact.examples) for fact in default_knowledge().facts)
    assert report.top1_accuracy >= 0.83
    assert report.answered_correctly(CONFIDENCE_THRESHOLD) >= 0.65
    assert report.answered_wrongly(CONFIDENCE_THRESHOLD) <= 0.09
    assert report.out_of_scope_answered(CONFIDENCE_THRESHOLD) == 0


def test_the_calibration_questions_are_not_in_the_heldout_set() -> None:
    heldout = yaml.safe_load(HELDOUT_PATH.read_text(encoding="utf-8"))["questions"]
    heldout_texts = {question["text"].casefold() for question in heldout}

    assert heldout_texts.isdisjoint(text.casefold() for text in out_of_scope_calibration())


@pytest.mark.parametrize(
    ("question", "intent", "grounded"),
    [
        ("where does big society capital get its money?", "ask_fund_providers", True),
        ("how much?", "ask_loan_amounts", True),
        ("whats the ceiling per organisation", "ask_loan_amounts", True),
        ("what is naval engineering", "ask_fund_overview", False),
        ("why is there fake news", "ask_fund_overview", False),
    ],
)
def test_a_question_is_grounded_in_a_fact_group_only_by_its_own_words(
    question: str, intent: str, grounded: bool
) -> None:
    kb = default_knowledge()

    assert FactRetriever(kb).grounded(question, kb.group(intent)) is grounded
