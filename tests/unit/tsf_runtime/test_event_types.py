"""Event classes are found by name as Rasa finds them, without walking every class each time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SlotSet,
    UserUttered,
)

from tsf_runtime.event_types import install_event_type_cache


@pytest.fixture(autouse=True)
def installed() -> Iterator[None]:
    original = Event.__dict__["resolve_by_type"]
    install_event_type_cache()
    yield
    Event.resolve_by_type = original  # type: ignore[method-assign]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("user", UserUttered), ("bot", BotUttered), ("slot", SlotSet), ("action", ActionExecuted)],
)
def test_known_names_give_rasas_class_every_time(name: str, expected: type) -> None:
    assert Event.resolve_by_type(name) is expected
    assert Event.resolve_by_type(name) is expected


def test_an_unknown_name_still_raises_rasas_error() -> None:
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_an_unknown_name_with_a_default_gives_the_default_and_is_not_remembered() -> None:
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")


def test_events_still_round_trip_through_their_dictionaries() -> None:
    events = [UserUttered("hi", {"name": "greet", "confidence": 1.0}), SlotSet("x", 3)]

    restored = [Event.from_parameters(event.as_dict()) for event in events]

    assert restored == events


def test_installing_twice_wraps_once() -> None:
    wrapped = Event.__dict__["resolve_by_type"].__func__

    install_event_type_cache()

    assert Event.__dict__["resolve_by_type"].__func__ is wrapped
