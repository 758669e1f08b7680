"""The amount parser scored as an entity extractor on labelled sentences.

The assistant's one free-text entity is a sum of money, read by
:func:`tsf_knowledge.amounts.parse_amount` (DIET does no entity extraction here). Each
sentence in ``tests/data/amount_mentions.yml`` has the amount it asks about, or none. A
sentence counts as a true positive when the parser finds exactly that amount, a false
positive when it finds an amount that is not there (or a wrong one), and a false negative
when it misses (or misreads) one.

Usage: ``python -m benchmarks.amount_entities``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from tsf_knowledge.amounts import parse_amount

MENTIONS_PATH = Path(__file__).resolve().parents[1] / "tests" / "data" / "amount_mentions.yml"


@dataclass(frozen=True)
class EntityScores:
    """Precision, recall and F1 of one entity over a labelled set."""

    sentences: int
    true_positives: int
    false_positives: int
    false_negatives: int
    mistakes: tuple[str, ...]

    @property
    def precision(self) -> float:
        """Share of amounts found that were right."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        """Share of amounts present that were found."""
        present = self.true_positives + self.false_negatives
        return self.true_positives / present if present else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def load_mentions(path: Path = MENTIONS_PATH) -> list[tuple[str, int | None]]:
    """(sentence, amount or None) pairs from the labelled file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(item["text"]), item["amount"]) for item in data["mentions"]]


def score(mentions: list[tuple[str, int | None]]) -> EntityScores:
    """Score :func:`parse_amount` on ``mentions``."""
    true_positives = false_positives = false_negatives = 0
    mistakes = []
    for text, expected in mentions:
        found = parse_amount(text)
        if found == expected:
            true_positives += expected is not None
            continue
        mistakes.append(f"{text!r}: expected {expected}, read {found}")
        false_positives += found is not None
        false_negatives += expected is not None
    return EntityScores(
        len(mentions), true_positives, false_positives, false_negatives, tuple(mistakes)
    )


def main() -> None:
    """Print the scores and every mistake."""
    scores = score(load_mentions())
    print(
        f"Amount entity: precision {scores.precision:.3f}, recall {scores.recall:.3f}, "
        f"F1 {scores.f1:.3f} on {scores.sentences} sentences"
    )
    for mistake in scores.mistakes:
        print(f"  {mistake}")


if __name__ == "__main__":
    main()
