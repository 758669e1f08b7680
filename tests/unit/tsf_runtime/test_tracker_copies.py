"""A tracker's copy is the one Rasa's replay makes, made from only the events added since."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    Event,
    FollowupAction,
    LoopInterrupted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from tests.support.tracker_updates import record_updates
from tsf_runtime import tracker_copies

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, inform]
slots:
  organisation_name: {type: text, mappings: [{type: custom}]}
  sectors: {type: list, mappings: [{type: custom}]}
forms:
  eligibility_form: {required_slots: [organisation_name]}
"""
)
CONVERSATION: list[Event] = [
    ActionExecuted("action_listen"),
    UserUttered("hi", {"name": "greet"}),
    BotUttered("Hello"),
    ActionExecuted("eligibility_form"),
    ActiveLoop("eligibility_form"),
    SlotSet("requested_slot", "organisation_name"),
    ActionExecuted("action_listen"),
    UserUttered("Riverside", {"name": "inform"}),
    LoopInterrupted(True),
    SlotSet("organisation_name", "Riverside"),
    SlotSet("sectors", ["health"]),
    FollowupAction("utter_greet"),
    UserUtteranceReverted(),
    ConversationPaused(),
]


@pytest.fixture
def original() -> Iterator[Callable[[DialogueStateTracker], DialogueStateTracker]]:
    unpatched = DialogueStateTracker.copy
    tracker_copies.install_incremental_copies()
    yield unpatched
    DialogueStateTracker.copy = unpatched  # type: ignore[method-assign]


def _everything(tracker: DialogueStateTracker) -> dict[str, Any]:
    """All a tracker holds, slots and active form spelled out."""
    held = {name: value for name, value in vars(tracker).items() if not name.startswith("_tsf_")}
    held["slots"] = {name: vars(slot) for name, slot in tracker.slots.items()}
    held["events"] = list(tracker.events)
    held["state"] = tracker.current_state(EventVerbosity.ALL)
    return held


def test_each_copy_holds_what_rasas_copy_holds(original: Callable) -> None:
    tracker = DialogueStateTracker("someone", DOMAIN.slots)
    for event in CONVERSATION:
        tracker.update(event)
        ours = tracker.copy()
        assert _everything(ours) == _everything(original(tracker)), event
        assert type(ours.slots) is type(tracker.slots)


def test_a_copy_shares_nothing_it_could_change(original: Callable) -> None:
    tracker = DialogueStateTracker.from_events("someone", CONVERSATION[:11], DOMAIN.slots)
    before = _everything(original(tracker))
    first = tracker.copy()
    first.update(SlotSet("organisation_name", "Elsewhere"))
    first.update(LoopInterrupted(False))  # changes the active form in place
    first.latest_action["action_name"] = "changed"  # type: ignore[index]

    assert _everything(tracker.copy()) == _everything(original(tracker))
    assert len(before["events"]) == len(tracker.copy().events) == 11


def test_only_the_events_added_since_are_replayed(
    original: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker = DialogueStateTracker.from_events("someone", CONVERSATION[:8], DOMAIN.slots)
    tracker.copy()
    replayed = record_updates(monkeypatch)
    tracker.update(CONVERSATION[8])
    tracker.copy()

    assert replayed == [CONVERSATION[8], CONVERSATION[8]]  # appended, then replayed once


def test_a_tracker_with_other_events_replays_from_the_start(original: Callable) -> None:
    tracker = DialogueStateTracker.from_events("someone", CONVERSATION[:8], DOMAIN.slots)
    tracker.copy()
    tracker.events = tracker._create_events(CONVERSATION[:3])
    tracker.replay_events()

    assert _everything(tracker.copy()) == _everything(original(tracker))


def test_an_event_from_no_time_stops_the_copy_as_rasas_does(original: Callable) -> None:
    tracker = DialogueStateTracker.from_events("someone", CONVERSATION[:5], DOMAIN.slots)
    timeless = SlotSet("organisation_name", "Riverside")
    timeless.timestamp = float("nan")
    tracker.update(timeless)
    tracker.update(SlotSet("sectors", ["care"]))

    assert _everything(tracker.copy()) == _everything(original(tracker))


def test_installing_twice_wraps_once(original: Callable) -> None:
    once = DialogueStateTracker.copy
    tracker_copies.install_incremental_copies()

    assert DialogueStateTracker.copy is once is not original
