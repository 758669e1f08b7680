"""A press counts once per answer, and a No leaves one redacted gap, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tsf_insight.answers import Answer, record_press
from tsf_insight.store import UNHELPFUL, FactFeedback, InsightStore

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
SINCE = NOW - timedelta(hours=1)
ANSWER = Answer(
    "token-1",
    "loan_term",
    "You repay a loan over 3 to 5 years.",
    "Jo Bloggs (jo@example.org, 07700 900123) again: how long is the term?",
    ("Jo Bloggs",),
)


@pytest.fixture
def insight(db_url: str) -> Iterator[InsightStore]:
    if db_url.startswith("sqlite:///"):  # the tracker store makes the file in production
        Path(db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    store = InsightStore.from_url(db_url)
    yield store
    store.dispose()


def test_presses_racing_on_one_answer_count_once_with_one_gap(insight: InsightStore) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        recorded = list(
            pool.map(lambda _: record_press(insight, ANSWER, False, "rest", NOW), range(8))
        )

    assert recorded.count(True) == 1
    assert insight.feedback_by_fact(SINCE) == [FactFeedback("loan_term", 0, 1)]
    [gap] = insight.gaps_since(SINCE)
    assert (gap.reason, gap.best_guess) == (UNHELPFUL, "loan_term")
    assert gap.question == (
        "[name redacted] ([email redacted], [phone redacted]) again: how long is the term?"
    )
