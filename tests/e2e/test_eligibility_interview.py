"""The eligibility interview over REST, reaching each verdict with the real servers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest

from tests.support.eligible_interview import ELIGIBLE_ANSWERS
from tests.support.harness import RunningAssistant

pytestmark = pytest.mark.e2e


def interview(assistant: RunningAssistant, answers: Sequence[str]) -> tuple[str, list[str]]:
    """Start the check, give ``answers``; return the sender and the last replies."""
    sender = f"elig-{uuid.uuid4().hex[:12]}"
    assistant.say(sender, "I'd like to see if we qualify")
    texts: list[str] = []
    for answer in answers:
        texts = assistant.texts(sender, answer)
    return sender, texts


def test_an_eligible_organisation_gets_a_summary_then_an_eligible_verdict(
    assistant: RunningAssistant,
) -> None:
    sender, summary = interview(assistant, ELIGIBLE_ANSWERS)
    assert any("Riverside Community Care CIC" in text for text in summary), summary
    assert any("£450,000" in text for text in summary), summary

    verdict = assistant.texts(sender, "/affirm")

    joined = "\n".join(verdict)
    assert "you seem to meet the main rules" in joined
    assert joined.count("✓ Met") == 5
    assert "020 7187 7379" in joined


def test_unsure_answers_lead_to_a_borderline_verdict(assistant: RunningAssistant) -> None:
    answers = [*ELIGIBLE_ANSWERS[:6], "not sure yet", "/unsure"]
    sender, _ = interview(assistant, answers)

    verdict = "\n".join(assistant.texts(sender, "/affirm"))

    assert "some points need to be discussed" in verdict
    assert verdict.count("? To discuss") == 2


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        (["Hillside Therapies", "/affirm", "physios from the council", "/deny"], "launched"),
        (["Hillside Therapies", "/deny"], "spin-outs"),
        ([*ELIGIBLE_ANSWERS[:6], "we need 3 million"], "more than our largest loan"),
        (
            ["Acme Care", "/affirm", "NHS staff", "/affirm", "home care", "a new building"],
            "other than technology",
        ),
    ],
)
def test_a_disqualifying_answer_ends_the_check_early_with_the_reason(
    assistant: RunningAssistant, answers: list[str], reason: str
) -> None:
    _, texts = interview(assistant, answers)

    joined = "\n".join(texts)
    assert "stopped the check here" in joined
    assert reason in joined
    assert "020 7187 7379" in joined


def test_a_question_mid_interview_is_answered_and_the_interview_resumes(
    assistant: RunningAssistant,
) -> None:
    sender, _ = interview(assistant, ELIGIBLE_ANSWERS[:2])

    texts = assistant.texts(sender, "how long would we have to repay it?")

    joined = "\n".join(texts)
    assert "3 to 5 years" in joined
    assert "back to my question" in joined
    assert "how it came about" in texts[-1]


def test_stop_ends_the_interview(assistant: RunningAssistant) -> None:
    sender, _ = interview(assistant, ELIGIBLE_ANSWERS[:1])

    texts = assistant.texts(sender, "stop")

    assert any("stopped the eligibility check" in text for text in texts), texts
