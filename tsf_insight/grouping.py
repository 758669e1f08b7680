"""Group similar unanswered questions, so the team reads one line per topic, not one per message.

Questions lose their stop words and become tf-idf vectors of character 3- to 5-grams within
words (so "fee" and "fees", "apply" and "application" share most of theirs; sublinear
counts), and are joined by average-linkage agglomerative clustering on cosine distance: two
groups merge while their average distance is below ``threshold``. Deterministic: the same
questions always give the same groups, largest first, ties in order of first appearance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_THRESHOLD = 0.8
"""Cosine distance below which questions count as the same topic (tuned on the test table)."""
EXAMPLES = 3


@dataclass(frozen=True)
class Group:
    """Questions about one topic: how many, and up to three examples in the order asked."""

    count: int
    examples: tuple[str, ...]
    members: tuple[int, ...]
    """Positions of the grouped questions in the input."""


def group_questions(questions: Sequence[str], threshold: float = DEFAULT_THRESHOLD) -> list[Group]:
    """The groups of ``questions`` (each question in exactly one group).

    Args:
        questions: The questions, redacted, in the order they were asked.
        threshold: The cosine distance, between 0 and 2, under which groups merge.
    """
    if not 0 < threshold <= 2:
        raise ValueError("threshold must be a cosine distance between 0 and 2")
    labels = _labels(list(questions), threshold)
    positions: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        positions.setdefault(label, []).append(position)
    groups = [
        Group(len(members), tuple(questions[i] for i in members[:EXAMPLES]), tuple(members))
        for members in positions.values()
    ]
    return sorted(groups, key=lambda group: (-group.count, group.members[0]))


def _content_words(question: str) -> str:
    """The question's words without English stop words ("what's" is one word)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = re.findall(r"[a-z0-9]+", question.lower().replace("'", "").replace("’", ""))
    return " ".join(word for word in words if word not in ENGLISH_STOP_WORDS)


def _labels(questions: list[str], threshold: float) -> list[int]:
    """A cluster label per question."""
    if len(questions) < 2:
        return list(range(len(questions)))
    import numpy
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    content = [_content_words(question) for question in questions]
    if not any(content):
        return list(range(len(questions)))
    vectors = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True
    ).fit_transform(content)
    empty = numpy.flatnonzero(vectors.getnnz(axis=1) == 0)
    # A question of stop words only has no vector: give each its own axis, so it stays alone.
    alone = numpy.zeros((len(questions), len(empty)))
    alone[empty, numpy.arange(len(empty))] = 1.0
    dense = numpy.hstack([vectors.toarray(), alone])
    clustering = AgglomerativeClustering(
        n_clusters=None,
        affinity="cosine",
        linkage="average",
        distance_threshold=threshold,
    )
    return [int(label) for label in clustering.fit_predict(dense)]
