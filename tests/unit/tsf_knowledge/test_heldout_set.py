"""The held-out evaluation set: well formed, truly held out, and answered well."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.training_examples import training_examples
from tsf_knowledge.amounts import parse_amount
from tsf_knowledge.loader import default_knowledge, normalise_example
from tsf_knowledge.retrieval import FactRetriever

REPO_ROOT = Path(__file__).parents[3]
HELDOUT_PATH = REPO_ROOT / "tests" / "data" / "heldout_questions.yml"
OUT_OF_SCOPE = "out_of_scope"
AMOUNT_CHECK = "amount_check"

KB = default_knowledge()
QUESTIONS: list[dict[str, Any]] = yaml.safe_load(HELDOUT_PATH.read_text(encoding="utf-8"))[
    "questions"
]
FACT_QUESTIONS = [q for q in QUESTIONS if q["expected"] not in {OUT_OF_SCOPE, AMOUNT_CHECK}]
OUT_OF_SCOPE_QUESTIONS = [q for q in QUESTIONS if q["expected"] == OUT_OF_SCOPE]
AMOUNT_QUESTIONS = [q for q in QUESTIONS if q["expected"] == AMOUNT_CHECK]


def test_the_file_is_well_formed() -> None:
    data = yaml.safe_load(HELDOUT_PATH.read_text(encoding="utf-8"))

    assert set(data) == {"version", "questions"}
    assert data["version"] == 1
    for question in QUESTIONS:
        allowed = {"text", "expected", "amount"} if question["expected"] == AMOUNT_CHECK else None
        assert set(question) == (allowed or {"text", "expected"}), question
        assert isinstance(question["text"], str)
        assert question["text"].strip()


def test_every_expected_label_is_a_fact_or_a_special_label() -> None:
    known = {fact.id for fact in KB.facts} | {OUT_OF_SCOPE, AMOUNT_CHECK}

    assert {question["expected"] for question in QUESTIONS} - known == set()


def test_the_set_is_big_enough_and_covers_every_fact() -> None:
    per_fact = Counter(question["expected"] for question in FACT_QUESTIONS)

    assert len(FACT_QUESTIONS) >= 90
    assert len(OUT_OF_SCOPE_QUESTIONS) >= 12
    assert len(AMOUNT_QUESTIONS) >= 10
    assert {fact.id for fact in KB.facts if per_fact[fact.id] < 2} == set()


def test_no_question_is_a_training_example() -> None:
    training = training_examples()

    overlap = [q["text"] for q in QUESTIONS if normalise_example(q["text"]) in training]

    assert overlap == []


def test_no_question_is_repeated() -> None:
    counts = Counter(normalise_example(question["text"]) for question in QUESTIONS)

    assert [text for text, count in counts.items() if count > 1] == []


@pytest.mark.parametrize(("text", "amount"), [(q["text"], q["amount"]) for q in AMOUNT_QUESTIONS])
def test_amount_questions_are_read_correctly(text: str, amount: int) -> None:
    assert parse_amount(text) == amount


@pytest.fixture(scope="module")
def retriever() -> FactRetriever:
    return FactRetriever(KB)


def test_retrieval_answers_most_held_out_questions_correctly(retriever: FactRetriever) -> None:
    matches = [(q["expected"], retriever.best_match(q["text"])) for q in FACT_QUESTIONS]

    right = sum(match is not None and match.fact.id == expected for expected, match in matches)
    wrong = sum(match is not None and match.fact.id != expected for expected, match in matches)
    assert right / len(matches) >= 0.75
    assert wrong / len(matches) <= 0.10


def test_retrieval_declines_every_held_out_out_of_scope_question(
    retriever: FactRetriever,
) -> None:
    answered = [q["text"] for q in OUT_OF_SCOPE_QUESTIONS if retriever.best_match(q["text"])]

    assert answered == []
