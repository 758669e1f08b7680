"""Enquiries through the real assistant: sourced answers, amounts, follow-ups, accuracy."""

from __future__ import annotations

import uuid

import pytest

from benchmarks.answer_accuracy import evaluate, load_cases
from tests.support.harness import RunningAssistant
from tsf_knowledge.loader import default_knowledge

pytestmark = pytest.mark.e2e

REQUIRED_ACCURACY = 0.95


def new_sender() -> str:
    return f"enq-{uuid.uuid4().hex[:12]}"


def test_a_question_is_answered_with_its_source(assistant: RunningAssistant) -> None:
    texts = assistant.texts(new_sender(), "how long do we get to pay the loan back?")

    assert any("3 to 5 years" in text for text in texts), texts
    assert any(text.startswith("Source") for text in texts), texts


def test_an_amount_gets_a_specific_answer(assistant: RunningAssistant) -> None:
    texts = assistant.texts(new_sender(), "we were hoping to borrow 120k")

    assert any("£120,000 is below the fund's minimum loan of £250,000" in t for t in texts), texts


def test_a_follow_up_question_asks_where_the_answer_came_from(
    assistant: RunningAssistant,
) -> None:
    sender = new_sender()
    assistant.say(sender, "how big is the whole fund?")

    texts = assistant.texts(sender, "where did you get that from?")

    assert any("My last answer came from" in text for text in texts), texts


def test_the_assistant_never_claims_the_fund_is_open_today(assistant: RunningAssistant) -> None:
    texts = assistant.texts(new_sender(), "can we still apply now?")
    joined = " ".join(texts)

    assert "is open" not in joined.replace("is open today", "")


def test_held_out_questions_are_answered_accurately(assistant: RunningAssistant) -> None:
    report = evaluate(assistant, load_cases(), default_knowledge())

    wrong = [(outcome.case.text, outcome.reply[:80]) for outcome in report.wrong]
    assert report.accuracy >= REQUIRED_ACCURACY, wrong
    figures = report.figures()
    assert figures["out_of_scope_correct"] == figures["out_of_scope_total"], wrong
