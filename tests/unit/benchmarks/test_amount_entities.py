"""The amount parser scored as an entity extractor."""

from __future__ import annotations

import pytest

from benchmarks.amount_entities import load_mentions, score


def test_right_wrong_missed_and_invented_amounts_are_counted_apart() -> None:
    scores = score(
        [
            ("we need 300k", 300_000),  # right
            ("we need 400k", 500_000),  # misread: a false positive and a false negative
            ("we need some money", 250_000),  # missed
            ("we have 20,000 patients", None),  # right: no amount
            ("we need £5", None),  # invented
        ]
    )

    assert (scores.true_positives, scores.false_positives, scores.false_negatives) == (1, 2, 2)
    assert scores.precision == pytest.approx(1 / 3)
    assert scores.recall == pytest.approx(1 / 3)
    assert scores.f1 == pytest.approx(1 / 3)
    assert len(scores.mistakes) == 3


def test_the_labelled_sentences_mix_amounts_and_distractors() -> None:
    mentions = load_mentions()

    assert len(mentions) >= 40
    assert sum(amount is None for _, amount in mentions) >= 10


def test_the_parser_reads_the_labelled_sentences_with_f1_of_at_least_095() -> None:
    scores = score(load_mentions())

    assert scores.f1 >= 0.95, scores.mistakes
