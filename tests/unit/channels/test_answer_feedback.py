"""The REST channel's replies carry an answer's token on its last paragraph, and only then."""

from __future__ import annotations

from channels.answer_feedback import AnswerCollectingOutputChannel, feedback_token
from tsf_insight.answers import answer_metadata


async def test_an_answers_token_is_on_its_last_paragraph_only() -> None:
    collector = AnswerCollectingOutputChannel()
    metadata = answer_metadata("loan_term")

    await collector.send_response("s1", {"text": "3 to 5 years.\n\nSource: a blog", **metadata})

    first, last = collector.messages
    assert "feedback" not in first
    assert last == {
        "recipient_id": "s1",
        "text": "Source: a blog",
        "feedback": {"answer": metadata["tsf_answer"]["id"]},
    }
    assert "loan_term" not in str(collector.messages)  # the client never sees the fact


async def test_a_reply_without_a_fact_and_buttons_carry_no_token() -> None:
    collector = AnswerCollectingOutputChannel()

    await collector.send_response("s1", {"text": "Hello.\n\nAsk me anything."})
    await collector.send_response("s1", {"text": "Pick one", "buttons": [{"title": "A"}]})

    assert all("feedback" not in message for message in collector.messages)


def test_only_a_usable_token_is_read_from_a_messages_metadata() -> None:
    assert feedback_token({"tsf_answer": {"id": "t1", "fact_id": "x"}}) == "t1"
    assert feedback_token({"tsf_answer": {"id": ""}}) is None
    assert feedback_token({"tsf_answer": "t1"}) is None
    assert feedback_token({}) is None
