"""Gaps keep the question without personal data or a sender; feedback is counted per fact."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect

from tsf_insight.store import (
    FALLBACK,
    NO_FACT,
    UNHELPFUL,
    FactFeedback,
    Gap,
    InsightStore,
    gaps,
)

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path) -> InsightStore:
    return InsightStore.from_url(f"sqlite:///{tmp_path / 'tracker.db'}")


def test_a_gap_keeps_the_question_redacted_the_reason_and_the_best_guess(
    store: InsightStore,
) -> None:
    store.record_gap(
        NO_FACT,
        "Jo Bloggs here (jo@example.org, 07700 900123): can   Acme Care apply twice?",
        "eligible_applicants",
        NOW,
        names=["Jo Bloggs", "Acme Care"],
    )

    assert store.gaps_since(NOW - timedelta(days=1)) == [
        Gap(
            NOW.timestamp(),
            NO_FACT,
            "[name redacted] here ([email redacted], [phone redacted]): can [name redacted] "
            "apply twice?",
            "eligible_applicants",
        )
    ]


def test_a_gap_row_has_no_column_that_could_name_the_sender(store: InsightStore) -> None:
    columns = {column["name"] for column in inspect(store.engine).get_columns(gaps.name)}

    assert columns == {"id", "asked_at", "reason", "question", "best_guess"}


def test_an_unknown_reason_is_refused(store: InsightStore) -> None:
    with pytest.raises(ValueError, match="unknown gap reason"):
        store.record_gap("shrug", "what?", None, NOW)


def test_gaps_since_leaves_out_older_ones(store: InsightStore) -> None:
    store.record_gap(FALLBACK, "old one", None, NOW - timedelta(days=40))
    store.record_gap(FALLBACK, "new one", None, NOW)

    assert [gap.question for gap in store.gaps_since(NOW - timedelta(days=30))] == ["new one"]


def test_feedback_is_counted_per_fact_most_unhelpful_first(store: InsightStore) -> None:
    for fact_id, helpful in [
        ("loan_size", True),
        ("fees", False),
        ("fees", False),
        ("fees", True),
        ("loan_size", True),
        ("terms", False),
    ]:
        store.record_feedback(fact_id, helpful, "rest", NOW)
    store.record_feedback("terms", False, "slack", NOW - timedelta(days=60))

    assert store.feedback_by_fact(NOW - timedelta(days=30)) == [
        FactFeedback("fees", 1, 2),
        FactFeedback("terms", 0, 1),
        FactFeedback("loan_size", 2, 0),
    ]


def test_purging_deletes_gaps_and_feedback_older_than_the_cutoff(store: InsightStore) -> None:
    store.record_gap(UNHELPFUL, "old", "fees", NOW - timedelta(days=400))
    store.record_gap(UNHELPFUL, "new", "fees", NOW)
    store.record_feedback("fees", False, "rest", NOW - timedelta(days=400))
    store.record_feedback("fees", True, "rest", NOW)

    assert store.delete_before(NOW - timedelta(days=365)) == 2
    assert [gap.question for gap in store.gaps_since(NOW - timedelta(days=999))] == ["new"]
    assert store.feedback_by_fact(NOW - timedelta(days=999)) == [FactFeedback("fees", 1, 0)]


def test_an_answer_counts_once_however_often_its_buttons_are_pressed(
    store: InsightStore,
) -> None:
    assert store.record_feedback("loan_amounts", False, "rest", NOW, answer_id="a1") is True
    assert store.record_feedback("loan_amounts", True, "rest", NOW, answer_id="a1") is False
    assert store.record_feedback("loan_amounts", True, "slack", NOW, answer_id="a2") is True

    assert store.feedback_by_fact(NOW - timedelta(days=1)) == [FactFeedback("loan_amounts", 1, 1)]


def test_counting_before_a_cutoff_counts_what_purging_would_delete(store: InsightStore) -> None:
    store.record_gap(UNHELPFUL, "old", "fees", NOW - timedelta(days=400))
    store.record_gap(NO_FACT, "older", None, NOW - timedelta(days=500))
    store.record_gap(UNHELPFUL, "new", "fees", NOW)
    store.record_feedback("fees", False, "rest", NOW - timedelta(days=400))
    cutoff = NOW - timedelta(days=365)

    assert store.count_before(cutoff) == 3
    assert len(store.gaps_since(NOW - timedelta(days=999))) == 3  # counting deletes nothing
    assert store.delete_before(cutoff) == 3
    assert store.count_before(cutoff) == 0


def test_from_settings_opens_the_store_in_the_conversations_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'conversations.db'}"
    InsightStore.from_url(url).record_gap(FALLBACK, "what?", None, NOW)

    store = InsightStore.from_settings({"TSF_TRACKER_DB_URL": url})

    assert [gap.question for gap in store.gaps_since(NOW)] == ["what?"]
