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


def test_they_are_worked_out_once_until_the_tracker_changes(original: object) -> None:
    walks = []

    def counted(tracker: DialogueStateTracker) -> list[Event]:
        walks.append(1)
        return original(tracker)  # type: ignore[operator, no-any-return]

    DialogueStateTracker.applied_events = counted  # type: ignore[method-assign]
    applied_events.install_applied_events_memo()
    tracker = DialogueStateTracker.from_events("someone", CONVERSATIONS["plain"])

    first, second = tracker.applied_events(), tracker.applied_events()
    first.append(ActionExecuted("utter_mutated"))

    assert len(walks) == 1
    assert second == tracker.applied_events() != first  # each caller has its own list
    tracker.update(ActionExecuted("utter_more"))
    assert tracker.applied_events()[-1] == ActionExecuted("utter_more")
    assert len(walks) == 2


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
