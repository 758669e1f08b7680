"""An answer is found by its token in its own conversation; a "no" becomes a redacted gap."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tsf_insight.answers import (
    ANSWER_KEY,
    Answer,
    answer_metadata,
    answer_token,
    find_answer,
    record_press,
    valid_answer_id,
)
from tsf_insight.store import UNHELPFUL, FactFeedback, Gap, InsightStore

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
SINCE = NOW - timedelta(days=1)


def conversation(token: str) -> list[dict[str, Any]]:
    return [
        {"event": "user", "text": "hi, I'm Priya Shah"},
        {"event": "slot", "name": "contact_name", "value": "Priya Shah"},
        {"event": "user", "text": "Priya again, from Acme Care: how much can we borrow?"},
        {"event": "bot", "text": "Loans are…", "metadata": answer_metadata("loan_amounts")},
        {"event": "user", "text": "how long is the term?"},
        {
            "event": "bot",
            "text": "3 to 5 years",
            "metadata": {ANSWER_KEY: {"id": token, "fact_id": "loan_term"}},
        },
        {"event": "slot", "name": "organisation_name", "value": "Acme Care"},
    ]


@pytest.fixture
def store(tmp_path: Path) -> InsightStore:
    return InsightStore.from_url(f"sqlite:///{tmp_path / 'tracker.db'}")


def test_an_answer_is_found_with_its_fact_the_question_before_it_and_every_name_given() -> None:
    assert find_answer(conversation("t-2"), "t-2") == Answer(
        "t-2", "loan_term", "3 to 5 years", "how long is the term?", ("Priya Shah", "Acme Care")
    )


def test_a_token_the_conversation_never_gave_finds_nothing() -> None:
    assert find_answer(conversation("t-2"), "t-3") is None
    assert find_answer([{"event": "bot", "text": "hello", "metadata": {}}], "t-3") is None


def test_each_answer_gets_a_token_of_its_own() -> None:
    first, second = answer_metadata("loan_term"), answer_metadata("loan_term")

    assert answer_token(first) != answer_token(second)
    assert answer_token({"tsf_live": "staff"}) is None


@pytest.mark.parametrize("candidate", [None, "", 7, ["t"], "x" * 65])
def test_an_answer_id_must_be_short_text(candidate: object) -> None:
    assert valid_answer_id(candidate) is None


def test_a_no_records_one_unhelpful_gap_without_the_names_given(store: InsightStore) -> None:
    events = conversation("t-2")
    events[4] = {"event": "user", "text": "Priya Shah of Acme Care (priya@example.org): term?"}
    answer = find_answer(events, "t-2")
    assert answer is not None

    assert record_press(store, answer, False, "rest", NOW) is True

    assert store.feedback_by_fact(SINCE) == [FactFeedback("loan_term", 0, 1)]
    assert store.gaps_since(SINCE) == [
        Gap(
            NOW.timestamp(),
            UNHELPFUL,
            "[name redacted] of [name redacted] ([email redacted]): term?",
            "loan_term",
        )
    ]


def test_a_yes_records_no_gap_and_a_second_press_changes_nothing(store: InsightStore) -> None:
    answer = find_answer(conversation("t-2"), "t-2")
    assert answer is not None

    assert record_press(store, answer, True, "slack", NOW) is True
    assert record_press(store, answer, False, "slack", NOW) is False

    assert store.feedback_by_fact(SINCE) == [FactFeedback("loan_term", 1, 0)]
    assert store.gaps_since(SINCE) == []
