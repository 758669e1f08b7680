"""Each user message is counted once, by channel and intent, and changes nothing."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk import Tracker

from actions.turn_metrics import ActionCountMessage
from tests.actions.trackers import make_tracker, run_action
from tsf_config.metrics import metrics

ROOT = Path(__file__).resolve().parents[2]


def _count(name: str, label: str, value: str) -> float:
    return metrics().registry.get_sample_value(name, {label: value}) or 0.0


def _from_channel(tracker: Tracker, channel: str) -> Tracker:
    tracker.events = [{"event": "user", "text": "hi", "input_channel": channel}]
    return tracker


async def test_a_message_is_counted_by_its_channel_and_intent_with_no_events() -> None:
    tracker = _from_channel(make_tracker("hello", intent="greet"), "socketio")
    before = _count("tsf_messages_total", "channel", "socketio")
    greetings = _count("tsf_intents_total", "intent", "greet")

    events, dispatcher = await run_action(ActionCountMessage(), tracker)

    assert events == [] and dispatcher.messages == []
    assert _count("tsf_messages_total", "channel", "socketio") == before + 1
    assert _count("tsf_intents_total", "intent", "greet") == greetings + 1


def test_rasa_runs_the_counting_action_after_every_user_message() -> None:
    domain = yaml.safe_load((ROOT / "rasa_project/domain/conversation.yml").read_text())

    assert ActionCountMessage().name() == "action_validate_slot_mappings"
    assert "action_validate_slot_mappings" in domain["actions"]


def _message_id(tracker: Tracker, message_id: str) -> Tracker:
    tracker.latest_message["message_id"] = message_id
    return tracker


async def test_a_second_run_for_the_same_message_when_a_form_starts_is_not_counted() -> None:
    action = ActionCountMessage()
    first = _message_id(_from_channel(make_tracker("yes", intent="affirm"), "rest"), "m-1")
    again = _message_id(_from_channel(make_tracker("yes", intent="affirm"), "rest"), "m-1")
    later = _message_id(_from_channel(make_tracker("yes", intent="affirm"), "rest"), "m-2")
    later.events.append({"event": "action", "name": "action_start_interview"})
    before = _count("tsf_messages_total", "channel", "rest")

    for tracker in (first, again, later):
        await run_action(action, tracker)

    assert _count("tsf_messages_total", "channel", "rest") == before + 1


async def test_messages_rasa_makes_itself_are_not_counted() -> None:
    tracker = _from_channel(make_tracker("EXTERNAL: handover_timeout", intent="x"), "rest")
    before = _count("tsf_intents_total", "intent", "x")

    await run_action(ActionCountMessage(), tracker)

    assert _count("tsf_intents_total", "intent", "x") == before
