"""A tracker's applied events are worked out once per state, and always as Rasa works them out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from tsf_runtime import applied_events


@pytest.fixture
def original() -> Iterator[object]:
    unpatched = DialogueStateTracker.applied_events
    applied_events.install_applied_events_memo()
    yield unpatched
    DialogueStateTracker.applied_events = unpatched  # type: ignore[method-assign]


def _turn(text: str, intent: str) -> list[Event]:
    return [
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": intent}),
        ActionExecuted(f"utter_{intent}"),
    ]


CONVERSATIONS = {
    "plain": [*_turn("hi", "greet"), *_turn("bye", "goodbye")],
    "reverted": [*_turn("hi", "greet"), UserUtteranceReverted(), *_turn("hello", "greet")],
    "action reverted": [*_turn("hi", "greet"), ActionReverted(), ActionExecuted("utter_x")],
    "form repeated": [
        *_turn("check", "check_eligibility"),
        ActionExecuted("eligibility_form"),
        ActiveLoop("eligibility_form"),
        SlotSet("requested_slot", "organisation_name"),
        *_turn("Riverside", "inform"),
        ActionExecuted("eligibility_form"),
        SlotSet("organisation_name", "Riverside"),
    ],
}


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_the_remembered_events_are_rasas_at_every_step(original: object, name: str) -> None:
    tracker = DialogueStateTracker("someone", [])
    for event in CONVERSATIONS[name]:
        tracker.update(event)
        assert tracker.applied_events() == original(tracker)  # type: ignore[operator]
        assert tracker.applied_events() == original(tracker)  # type: ignore[operator]


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many events each walk from the start began with."""
    started: list[int] = []
    start = applied_events.Walk.__init__

    def counted(walk: applied_events.Walk, tracker: DialogueStateTracker) -> None:
        started.append(len(tracker.events))
        start(walk, tracker)

    monkeypatch.setattr(applied_events.Walk, "__init__", counted)
    return started


def test_only_the_events_appended_since_are_walked(original: object, walks: list[int]) -> None:
    tracker = DialogueStateTracker.from_events("someone", CONVERSATIONS["plain"])

    first, second = tracker.applied_events(), tracker.applied_events()
    first.append(ActionExecuted("utter_mutated"))
    assert second == tracker.applied_events() != first  # each caller has its own list
    for event in [*_turn("more", "ask_more"), UserUtteranceReverted(), *_turn("again", "greet")]:
        tracker.update(event)
        assert tracker.applied_events() == original(tracker)  # type: ignore[operator]

    assert walks == [6]  # walked from the start once, then only on from there


def test_a_form_named_for_the_first_time_makes_it_walk_everything_again(
    original: object, walks: list[int]
) -> None:
    events = CONVERSATIONS["form repeated"]
    tracker = DialogueStateTracker.from_events("someone", events[:4])
    tracker.applied_events()
    tracker.update(events[4])  # ActiveLoop("eligibility_form")

    assert tracker.applied_events() == original(tracker)  # type: ignore[operator]
    assert walks == [4, 5]


def test_a_copy_of_the_tracker_works_them_out_for_itself(original: object) -> None:
    tracker = DialogueStateTracker.from_events("someone", CONVERSATIONS["plain"])
    tracker.applied_events()
    copied = tracker.copy()
    copied.update(UserUtteranceReverted())

    assert copied.applied_events() == original(copied)  # type: ignore[operator]
    assert tracker.applied_events() == original(tracker)  # type: ignore[operator]


def test_installing_twice_wraps_once(original: object) -> None:
    once = DialogueStateTracker.applied_events
    applied_events.install_applied_events_memo()

    assert DialogueStateTracker.applied_events is once is not original
