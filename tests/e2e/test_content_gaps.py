"""Content gaps through the real assistant: a conversation that gave a name, an organisation,
an email and a phone number, then said something not understood, asked what the documents
don't answer and marked an answer unhelpful, leaves exactly one gap for each, without any of
those details and without the sender id."""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.support.eligible_interview import ELIGIBLE_ANSWERS
from tests.support.harness import RunningAssistant, http
from tsf_insight.store import (
    FALLBACK,
    NOT_WHAT_I_ASKED,
    UNHELPFUL,
    UNKNOWN_TOPIC,
    Gap,
    InsightStore,
)

pytestmark = pytest.mark.e2e

NAME, EMAIL, PHONE = "Jo Bloggs", "jo@riverside-care.org", "020 7946 0000"
ORGANISATION = ELIGIBLE_ANSWERS[0]
PERSONAL = (NAME, "Bloggs", ORGANISATION, "Riverside", EMAIL, PHONE, "7946")


def gaps_since(assistant: RunningAssistant, since: datetime) -> list[Gap]:
    """The gaps in the tracker database of the assistant's servers."""
    store = InsightStore.from_url(f"sqlite:///{assistant.log_path.parent / 'tracker.db'}")
    try:
        return store.gaps_since(since)
    finally:
        store.dispose()


def wait_for_gaps(assistant: RunningAssistant, since: datetime, count: int) -> list[Gap]:
    """The gaps since ``since`` once there are ``count`` of them (or after a few seconds)."""
    deadline = time.monotonic() + 10
    gaps = gaps_since(assistant, since)
    while len(gaps) < count and time.monotonic() < deadline:
        time.sleep(0.2)
        gaps = gaps_since(assistant, since)
    return gaps


def assert_no_personal_data(gap: Gap, sender: str) -> None:
    for value in (*PERSONAL, sender):
        assert not re.search(rf"(?<!\w){re.escape(value)}(?!\w)", gap.question, re.I), value
        assert value not in (gap.best_guess or "")


def submitted_lead(assistant: RunningAssistant) -> str:
    """A new sender who was interviewed, eligible, and left their details."""
    sender = f"gaps-{uuid.uuid4().hex[:12]}"
    say = assistant.texts
    for message in ["I'd like to see if we qualify", *ELIGIBLE_ANSWERS, "/affirm"]:
        say(sender, message)
    for message in ["/request_contact", "/affirm", NAME, "Finance director", EMAIL, PHONE]:
        say(sender, message)
    summary = say(sender, "weekday mornings")
    assert any(EMAIL in text for text in summary), summary
    confirmation = " ".join(say(sender, "/affirm"))
    assert "Your reference is" in confirmation, confirmation
    return sender


def press_no(assistant: RunningAssistant, sender: str, answer: str) -> int:
    """Press "No" under an answer of ``sender``'s conversation, as the widget does."""
    status, _ = http(
        "POST",
        f"{assistant.rasa_url}/webhooks/rest/feedback?token={assistant.token}",
        {"sender": sender, "answer": answer, "helpful": False},
    )
    return status


def test_a_fallback_an_i_dont_know_and_a_thumbs_down_each_store_one_redacted_gap(
    assistant: RunningAssistant,
) -> None:
    since = datetime.now(timezone.utc) - timedelta(seconds=1)
    sender = submitted_lead(assistant)
    say = assistant.say

    not_understood = say(sender, f"{NAME} again: blorp zib wuggle frang? {PHONE}")
    dont_know = say(
        sender,
        f"{NAME} here again from Riverside: is there an arrangement fee on the loans? "
        f"Ring me on {PHONE} or email {EMAIL}",
    )
    answered = say(sender, f"{NAME} at {EMAIL}: how long do we have to repay the loan?")
    tokens = [reply["feedback"]["answer"] for reply in answered if "feedback" in reply]
    assert len(tokens) == 1, answered
    pressed = press_no(assistant, sender, tokens[0])

    assert "say it another way" in " ".join(r.get("text", "") for r in not_understood)
    assert any("fees" in reply.get("text", "") for reply in dont_know), dont_know
    assert pressed == 200
    gaps = wait_for_gaps(assistant, since, 3)
    assert [(gap.reason, gap.best_guess) for gap in gaps] == [
        (FALLBACK, gaps[0].best_guess),
        (UNKNOWN_TOPIC, "fees"),
        (UNHELPFUL, "loan_term"),
    ]
    assert "blorp zib wuggle frang?" in gaps[0].question
    assert "is there an arrangement fee on the loans?" in gaps[1].question
    assert "how long do we have to repay the loan?" in gaps[2].question
    for gap in gaps:
        assert_no_personal_data(gap, sender)


def test_that_is_not_what_i_asked_after_an_answer_stores_the_missed_question(
    assistant: RunningAssistant,
) -> None:
    sender = f"gaps-{uuid.uuid4().hex[:12]}"
    assistant.texts(sender, "how long do we get to pay the loan back?")
    since = datetime.now(timezone.utc)

    texts = assistant.texts(sender, "that's not what I asked")

    assert any("Could you say it another way?" in text for text in texts), texts
    gaps = wait_for_gaps(assistant, since, 1)
    assert len(gaps) == 1, gaps
    (gap,) = gaps
    assert (gap.reason, gap.question, gap.best_guess) == (
        NOT_WHAT_I_ASKED,
        "how long do we get to pay the loan back?",
        "loan_term",
    )
