"""Each turn the assistant could not answer well becomes exactly one content gap for the
team: the question without the names, email or phone number the conversation gave, why it
fell short and the assistant's best guess; a failed write never costs the user the reply."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions import content_gaps
from actions.fallback import ActionAnswerEnquiry, ActionFallback, ActionOutOfScope
from tests.actions.trackers import make_tracker, run_action
from tsf_insight.store import (
    FALLBACK,
    LOW_CONFIDENCE,
    NO_FACT,
    UNKNOWN_TOPIC,
    Gap,
    InsightStore,
)

NAME, ORGANISATION = "Jane Doe", "Acme Care"
EMAIL, PHONE = "jane.doe@example.org", "07700 900123"
PERSONAL = (NAME, "Jane", "Doe", ORGANISATION, "Acme", EMAIL, PHONE, "900123")
GIVEN = {"contact_name": NAME, "organisation_name": ORGANISATION}


def stored(store: InsightStore) -> list[Gap]:
    return store.gaps_since(datetime.fromtimestamp(0, timezone.utc))


def assert_no_personal_data(gap: Gap) -> None:
    for value in PERSONAL:
        assert not re.search(rf"(?<!\w){re.escape(value)}(?!\w)", gap.question, re.I), value
    assert "test-user" not in repr(gap)


def ranked(tracker: Tracker, *pairs: tuple[str, float]) -> Tracker:
    tracker.latest_message["intent_ranking"] = [
        {"name": name, "confidence": confidence} for name, confidence in pairs
    ]
    return tracker


async def test_a_fallback_turn_records_one_gap_with_the_top_intent_as_best_guess(
    domain: dict[str, Any], gap_store: InsightStore
) -> None:
    tracker = ranked(
        make_tracker(f"qwzx blorp, {NAME} here, {EMAIL}, {PHONE}", "nlu_fallback", slots=GIVEN),
        ("nlu_fallback", 0.65),
        ("ask_loan_term", 0.3),
        ("greet", 0.2),
    )

    _, dispatcher = await run_action(ActionFallback(), tracker, domain)

    assert [message["response"] for message in dispatcher.messages] == ["utter_ask_rephrase"]
    (gap,) = stored(gap_store)
    assert (gap.reason, gap.best_guess) == (FALLBACK, "ask_loan_term")
    assert gap.question.startswith("qwzx blorp, [name redacted] here, [email redacted]")
    assert_no_personal_data(gap)


async def test_a_question_about_the_fund_nothing_answers_records_one_no_fact_gap(
    domain: dict[str, Any], gap_store: InsightStore
) -> None:
    text = f"{NAME} here, does the Technology Spin-Out Fund have a mascot? Call {PHONE}"

    _, dispatcher = await run_action(
        ActionFallback(), make_tracker(text, "nlu_fallback", 0.4, slots=GIVEN), domain
    )

    assert dispatcher.messages[0]["text"].startswith("I couldn't find the answer")
    (gap,) = stored(gap_store)
    assert (gap.reason, gap.best_guess) == (NO_FACT, None)
    assert "have a mascot?" in gap.question
    assert_no_personal_data(gap)


async def test_an_unknown_topic_records_one_gap_with_the_topic_as_best_guess(
    domain: dict[str, Any], gap_store: InsightStore
) -> None:
    text = f"any fees?? {NAME}, {ORGANISATION}, {EMAIL}"

    _, dispatcher = await run_action(
        ActionOutOfScope(), make_tracker(text, "out_of_scope", 0.9, slots=GIVEN), domain
    )

    assert "fees" in dispatcher.messages[0]["text"]
    (gap,) = stored(gap_store)
    assert (gap.reason, gap.best_guess) == (UNKNOWN_TOPIC, "fees")
    assert gap.question.startswith("any fees??")
    assert_no_personal_data(gap)


async def test_an_answer_given_below_the_classifiers_fallback_threshold_is_a_low_confidence_gap(
    domain: dict[str, Any], gap_store: InsightStore
) -> None:
    text = f"I'm {NAME} from {ORGANISATION}, what's the repayment period for the loans in years"
    tracker = ranked(
        make_tracker(text, "nlu_fallback", slots=GIVEN),
        ("nlu_fallback", 0.65),
        ("ask_loan_term", 0.3),
    )

    events, _ = await run_action(ActionFallback(), tracker, domain)

    assert events == [SlotSet("last_fact_id", "loan_term")]
    (gap,) = stored(gap_store)
    assert (gap.reason, gap.best_guess) == (LOW_CONFIDENCE, "loan_term")
    assert_no_personal_data(gap)


async def test_a_confident_answer_records_no_gap(
    domain: dict[str, Any], gap_store: InsightStore
) -> None:
    await run_action(
        ActionAnswerEnquiry(), make_tracker("how long is the loan term?", "ask_loan_term"), domain
    )

    assert stored(gap_store) == []


async def test_a_message_with_two_unanswerable_questions_records_one_gap_for_the_first(
    domain: dict[str, Any], gap_store: InsightStore
) -> None:
    text = "What's the maximum loan? Is there an arrangement fee? Do you charge VAT on fees?"

    _, dispatcher = await run_action(
        ActionAnswerEnquiry(), make_tracker(text, "ask_loan_amounts"), domain
    )

    assert len(dispatcher.messages) >= 2
    (gap,) = stored(gap_store)
    assert (gap.reason, gap.question, gap.best_guess) == (
        UNKNOWN_TOPIC,
        "Is there an arrangement fee?",
        "fees",
    )


async def test_a_gap_that_cannot_be_written_still_gets_the_reply_and_logs_no_personal_data(
    domain: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("TSF_TRACKER_DB_URL", f"sqlite:///{tmp_path / 'missing' / 'tracker.db'}")
    content_gaps.gap_store.cache_clear()
    tracker = make_tracker(f"qwzx blorp {EMAIL} {NAME}", "nlu_fallback", 0.3, slots=GIVEN)

    _, dispatcher = await run_action(ActionFallback(), tracker, domain)

    assert [message["response"] for message in dispatcher.messages] == ["utter_ask_rephrase"]
    assert "Could not record a content gap (fallback): OperationalError" in caplog.text
    for value in PERSONAL:
        assert value not in caplog.text
