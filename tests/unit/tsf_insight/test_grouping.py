"""Grouping unanswered questions: a fixed table of questions gives the expected groups."""

from __future__ import annotations

import pytest

from tsf_insight.grouping import group_questions

QUESTIONS = [
    "what are the arrangement fees?",  # fees
    "do you charge an arrangement fee",  # fees
    "how big are the fees",  # fees
    "what security do you need for the loan",  # security
    "do I need to give security or a guarantee",  # security
    "when is the application deadline",  # deadline
    "what's the deadline to apply?",  # deadline
    "can we repay the loan early without penalty",  # early repayment
    "what about it?",  # nothing to go on: alone
    "is there an application deadline this year",  # deadline
]


def topics(threshold: float | None = None) -> list[set[int]]:
    groups = (
        group_questions(QUESTIONS) if threshold is None else group_questions(QUESTIONS, threshold)
    )
    return [set(group.members) for group in groups]


def test_the_table_groups_by_topic_largest_first() -> None:
    assert topics() == [{0, 1, 2}, {5, 6, 9}, {3, 4}, {7}, {8}]


def test_each_group_counts_its_questions_and_shows_three_in_the_order_asked() -> None:
    fees = group_questions(QUESTIONS)[0]
    assert fees.count == 3
    assert fees.examples == tuple(QUESTIONS[:3])


def test_a_strict_threshold_keeps_every_question_apart_and_a_loose_one_joins_them() -> None:
    assert len(topics(threshold=0.01)) == len(QUESTIONS)
    assert topics(threshold=2.0) == [set(range(len(QUESTIONS)))]


@pytest.mark.parametrize("questions", [[], ["only one"], ["the", "and"]])
def test_too_few_or_empty_questions_each_stand_alone(questions: list[str]) -> None:
    groups = group_questions(questions)
    assert sorted(member for group in groups for member in group.members) == list(
        range(len(questions))
    )
    assert all(group.count == 1 for group in groups)


@pytest.mark.parametrize("threshold", [0, -1, 2.5])
def test_a_threshold_that_is_not_a_cosine_distance_is_refused(threshold: float) -> None:
    with pytest.raises(ValueError, match="cosine distance"):
        group_questions(QUESTIONS, threshold)
