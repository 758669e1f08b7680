"""When nothing is understood, the user is asked to rephrase and offered the main options."""

from __future__ import annotations

from typing import Any

from actions.fallback import ActionFallback, ActionOutOfScope
from tests.actions.trackers import make_tracker, run_action


async def test_gibberish_is_met_with_a_request_to_rephrase(domain: dict[str, Any]) -> None:
    events, dispatcher = await run_action(
        ActionFallback(), make_tracker("qwzx blorp", "nlu_fallback", 0.3), domain
    )

    assert [message["response"] for message in dispatcher.messages] == ["utter_ask_rephrase"]
    assert events == []


async def test_a_short_question_on_a_topic_the_documents_leave_out_is_said_so(
    domain: dict[str, Any],
) -> None:
    _, dispatcher = await run_action(
        ActionOutOfScope(), make_tracker("any fees?? how much", "out_of_scope", 0.9), domain
    )

    (message,) = dispatcher.messages
    assert "fees" in message["text"] and "020 7187 7379" in message["text"]


async def test_a_longer_question_about_something_else_is_declined(
    domain: dict[str, Any],
) -> None:
    _, dispatcher = await run_action(
        ActionOutOfScope(),
        make_tracker("what fees does a passport renewal cost at the post office", "out_of_scope"),
        domain,
    )

    assert [message.get("response") for message in dispatcher.messages] == ["utter_out_of_scope"]


async def test_each_fallback_is_counted_once_for_the_metrics(domain: dict[str, Any]) -> None:
    from tsf_config.metrics import metrics

    def count() -> float:
        return metrics().registry.get_sample_value("tsf_fallbacks_total") or 0

    before = count()
    await run_action(ActionFallback(), make_tracker("qwzx blorp", "nlu_fallback", 0.3), domain)

    assert count() == before + 1
