"""'That's not what I asked' after an answer records the question that answer missed, with
its fact, as one content gap without the names, email or phone the conversation gave; then
the user is asked to rephrase."""

from __future__ import annotations

from typing import Any

from actions.answer_missed import ActionAnswerMissed
from tests.actions.test_content_gaps import (
    EMAIL,
    GIVEN,
    NAME,
    ORGANISATION,
    assert_no_personal_data,
    stored,
)
from tests.actions.trackers import make_tracker, run_action
from tsf_insight.store import NOT_WHAT_I_ASKED, InsightStore


def answered_turn(question: str, fact_id: str | None) -> list[dict[str, Any]]:
    """Events of an earlier turn: the question, the answer and the fact it gave."""
    return [
        {"event": "user", "text": "hello"},
        {"event": "bot", "text": "Hello."},
        {"event": "slot", "name": "contact_name", "value": NAME},
        {"event": "user", "text": question},
        {"event": "action", "name": "action_answer_enquiry"},
        {"event": "bot", "text": "The loan term is..."},
        {"event": "slot", "name": "last_fact_id", "value": fact_id},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "that's not what I asked"},
    ]


async def test_not_what_i_asked_records_the_question_the_answer_missed_and_its_fact(
    domain: dict[str, Any], gap_store: InsightStore
) -> None:
    question = f"{NAME} from {ORGANISATION} here ({EMAIL}): can we pay it back early?"
    tracker = make_tracker(
        "that's not what I asked",
        "answer_missed",
        slots={**GIVEN, "last_fact_id": "loan_term"},
        events=answered_turn(question, "loan_term"),
    )

    _, dispatcher = await run_action(ActionAnswerMissed(), tracker, domain)

    assert [message["response"] for message in dispatcher.messages] == ["utter_ask_rephrase"]
    (gap,) = stored(gap_store)
    assert (gap.reason, gap.best_guess) == (NOT_WHAT_I_ASKED, "loan_term")
    assert gap.question.endswith("can we pay it back early?")
    assert_no_personal_data(gap)


async def test_not_what_i_asked_after_a_reply_that_gave_no_fact_records_nothing(
    domain: dict[str, Any], gap_store: InsightStore
) -> None:
    tracker = make_tracker(
        "that's not what I asked",
        "answer_missed",
        slots={"last_fact_id": "loan_term"},  # from an older turn
        events=answered_turn("any fees?", None),
    )

    _, dispatcher = await run_action(ActionAnswerMissed(), tracker, domain)

    assert [message["response"] for message in dispatcher.messages] == ["utter_ask_rephrase"]
    assert stored(gap_store) == []
