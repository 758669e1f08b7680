"""An action call carries the latest turns in full and only the small events before them,
and every action reads the same from that as from the whole conversation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk import Tracker

from actions import answer_missed, live_chat, out_of_context, questionnaire
from actions.enquiries import LAST_FACT_SLOT
from tsf_runtime.action_call_events import (
    RECENT_TURNS,
    action_call_events,
    install_recent_action_call_events,
)

DOMAIN = Domain.from_yaml(
    f"""
version: "3.1"
intents: [greet, ask_fund_size, inform]
slots:
  {LAST_FACT_SLOT}: {{type: any, mappings: [{{type: custom}}]}}
  organisation_name: {{type: text, mappings: [{{type: custom}}]}}
  loan_amount: {{type: float, mappings: [{{type: custom}}]}}
forms:
  eligibility_form: {{required_slots: [organisation_name, loan_amount]}}
actions: [action_answer_enquiry, validate_eligibility_form]
"""
)


def _turn(index: int) -> list[Event]:
    """One turn of a long conversation: an answer, a form question or a correction."""
    said = f"message {index}" if index % 5 else f"/ask_contact_team{{{index}}}"
    events: list[Event] = [
        ActionExecuted("action_listen"),
        UserUttered(
            said,
            {"name": "ask_fund_size", "confidence": 0.9},
            metadata={"live_chat": index % 3 == 0},
            input_channel="rest" if index % 4 else "socketio",
        ),
    ]
    if index % 7 == 3:
        events += [SlotSet("organisation_name", f"Org {index}"), SlotSet("loan_amount", index)]
    if index % 9 == 4:
        events += [ActionExecuted("eligibility_form"), ActiveLoop("eligibility_form")]
    events += [
        ActionExecuted("action_answer_enquiry"),
        SlotSet(LAST_FACT_SLOT, None if index % 6 == 0 else f"fact-{index}"),
        BotUttered(f"answer {index}", metadata={"utter_action": f"utter_{index % 4}"}),
    ]
    if index % 8 == 5:
        events += [BotUttered(f"and more {index}"), ActiveLoop(None)]
    return events


CONVERSATION: list[Event] = [ActionExecuted("action_session_start"), SessionStarted()]
for _index in range(60):
    CONVERSATION += _turn(_index)


def _sdk_tracker(events: list[Event]) -> Tracker:
    tracker = DialogueStateTracker.from_events("someone", events, slots=DOMAIN.slots)
    return Tracker.from_dict(tracker.current_state(EventVerbosity.ALL))


def _sdk_tracker_shortened(events: list[Event]) -> Tracker:
    tracker = DialogueStateTracker.from_events("someone", events, slots=DOMAIN.slots)
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in action_call_events(tracker.events)]
    return Tracker.from_dict(state)


READERS: dict[str, Callable[[Tracker], Any]] = {
    "slots before the latest message": questionnaire.slots_before_latest_message,
    "slots the latest message set": questionnaire.set_by_latest_message,
    "said this turn": questionnaire.said_this_turn,
    "the last assistant message": out_of_context.last_bot_text,
    "the answer the user says missed": answer_missed.missed_answer,
    "whether live chat shows": live_chat.can_show_live_chat,
    "the team's transcript": live_chat.request_details,
    "the last response's name": live_chat._last_bot_response,
    "slots to validate (rasa-sdk forms)": Tracker.slots_to_validate,
    "latest input channel": Tracker.get_latest_input_channel,
    "slots": Tracker.current_slot_values,
    "active form": lambda tracker: tracker.active_loop,
    "latest message": lambda tracker: tracker.latest_message,
}


def _moments() -> Iterator[int]:
    """Every point of the conversation at which an action can run: after each event."""
    return iter(range(1, len(CONVERSATION) + 1))


@pytest.mark.parametrize("reader", READERS)
def test_every_reader_of_the_events_answers_the_same_at_every_point_of_a_long_conversation(
    reader: str,
) -> None:
    read = READERS[reader]
    for moment in _moments():
        events = CONVERSATION[:moment]
        assert read(_sdk_tracker_shortened(events)) == read(_sdk_tracker(events)), moment


def test_the_latest_turns_are_carried_whole_and_only_small_events_before_them() -> None:
    carried = action_call_events(CONVERSATION)
    users = [i for i, event in enumerate(CONVERSATION) if isinstance(event, UserUttered)]
    start = users[-RECENT_TURNS]
    before = CONVERSATION[:start]
    assert carried[-(len(CONVERSATION) - start) :] == CONVERSATION[start:]
    bulky = (UserUttered, BotUttered, ActionExecuted)
    small_before = [event for event in before if not isinstance(event, bulky)]
    assert carried[: len(carried) - (len(CONVERSATION) - start)] == small_before
    assert len(carried) < len(CONVERSATION) / 2


def test_a_conversation_shorter_than_the_latest_turns_is_carried_whole() -> None:
    short = CONVERSATION[:40]
    assert sum(isinstance(event, UserUttered) for event in short) < RECENT_TURNS
    assert action_call_events(short) == short


def test_the_latest_turns_cover_the_transcript_the_team_reads() -> None:
    assert RECENT_TURNS > live_chat.TRANSCRIPT_TURNS


@pytest.fixture
def original_call_format() -> Iterator[Any]:
    unpatched = RemoteAction._action_call_format
    yield unpatched
    RemoteAction._action_call_format = unpatched  # type: ignore[method-assign]


@pytest.mark.parametrize("selective_domain", [True, False])
def test_the_call_rasa_sends_differs_only_in_its_events(
    original_call_format: Any, selective_domain: bool
) -> None:
    action = RemoteAction(
        "action_answer_enquiry",
        EndpointConfig("http://127.0.0.1:9/webhook", enable_selective_domain=selective_domain),
    )
    tracker = DialogueStateTracker.from_events("someone", CONVERSATION, slots=DOMAIN.slots)
    before = original_call_format(action, tracker, DOMAIN)
    install_recent_action_call_events()
    install_recent_action_call_events()
    after = RemoteAction._action_call_format(action, tracker, DOMAIN)
    shortened = [event.as_dict() for event in action_call_events(tracker.events)]
    assert after["tracker"].pop("events") == shortened
    assert len(before["tracker"].pop("events")) == len(CONVERSATION)
    assert after == before
    assert ("domain" in after) is not selective_domain
