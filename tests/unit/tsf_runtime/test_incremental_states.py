"""A conversation's states are Rasa's own at every step, with each turn described only once."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    Event,
    FollowupAction,
    Restarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from tests.support.tracker_updates import record_updates
from tsf_runtime import incremental_states

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, inform, check_eligibility, stop]
entities: [organisation_name]
slots:
  organisation_name:
    type: text
    mappings: [{type: from_entity, entity: organisation_name}]
  consent:
    type: bool
    influence_conversation: true
    mappings: [{type: custom}]
  rule_only_flag:
    type: bool
    influence_conversation: true
    mappings: [{type: custom}]
forms:
  eligibility_form:
    required_slots: [organisation_name]
responses:
  utter_greet: [{text: hi}]
  utter_ask_organisation_name: [{text: "Which organisation?"}]
"""
)
RULE_ONLY = {"rule_only_slots": ["rule_only_flag"], "rule_only_loops": ["eligibility_form"]}
WAYS = [
    {"omit_unset_slots": omit, "ignore_rule_only_turns": ignore, "rule_only_data": data}
    for omit, ignore, data in itertools.product((False, True), (False, True), (None, RULE_ONLY))
]


@pytest.fixture
def original() -> Iterator[Callable[..., list[dict[str, Any]]]]:
    unpatched = Domain.states_for_tracker_history
    incremental_states.install_incremental_states()
    yield unpatched
    Domain.states_for_tracker_history = unpatched  # type: ignore[method-assign]


def _turn(text: str, intent: str, action: str, hidden: bool = False) -> list[Event]:
    return [
        ActionExecuted("action_listen", hide_rule_turn=hidden),
        UserUttered(text, {"name": intent}),
        ActionExecuted(action, hide_rule_turn=hidden),
    ]


CONVERSATION = [
    *_turn("hi", "greet", "utter_greet"),
    *_turn("check", "check_eligibility", "eligibility_form", hidden=True),
    ActiveLoop("eligibility_form"),
    SlotSet("requested_slot", "organisation_name"),
    SlotSet("rule_only_flag", True),
    ActionExecuted("action_listen"),
    UserUttered("Riverside", {"name": "inform"}, [{"entity": "organisation_name"}]),
    UserUtteranceReverted(),
    *_turn("Riverside Care", "inform", "eligibility_form"),
    SlotSet("organisation_name", "Riverside Care"),
    ActiveLoop(None),
    FollowupAction("utter_greet"),
    ActionExecuted("utter_greet"),
    SlotSet("consent", True),
    Restarted(),
    *_turn("hello", "greet", "utter_greet", hidden=True),
]


def test_every_way_of_asking_gets_rasas_states_at_every_step(original: Callable) -> None:
    tracker = DialogueStateTracker("someone", DOMAIN.slots)
    for event in CONVERSATION:
        tracker.update(event)
        for way in WAYS:
            assert DOMAIN.states_for_tracker_history(tracker, **way) == original(
                DOMAIN, tracker, **way
            ), (event, way)


def test_only_the_new_events_are_replayed(
    original: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker = DialogueStateTracker("someone", DOMAIN.slots)
    for event in CONVERSATION[:9]:
        tracker.update(event)
        DOMAIN.states_for_tracker_history(tracker)
    replayed = record_updates(monkeypatch)
    tracker.update(CONVERSATION[9])
    tracker.update(CONVERSATION[10])
    states = DOMAIN.states_for_tracker_history(tracker)

    assert replayed == [*CONVERSATION[9:11], *CONVERSATION[9:11]]  # appended, then replayed
    assert states == original(DOMAIN, tracker)


def test_a_reverted_turn_is_replayed_from_the_start(
    original: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    histories = []
    start = incremental_states.History.__init__

    def counted(history: incremental_states.History, *args: Any) -> None:
        histories.append(1)
        start(history, *args)

    monkeypatch.setattr(incremental_states.History, "__init__", counted)
    tracker = DialogueStateTracker.from_events("someone", CONVERSATION[:11], DOMAIN.slots)
    DOMAIN.states_for_tracker_history(tracker)
    tracker.update(CONVERSATION[11])  # UserUtteranceReverted

    assert DOMAIN.states_for_tracker_history(tracker) == original(DOMAIN, tracker)
    assert len(histories) == 2


@pytest.mark.parametrize("events", [11, 8], ids=["after a message", "in a hidden form turn"])
def test_each_caller_may_edit_its_last_state(original: Callable, events: int) -> None:
    """In a hidden turn the last state is an earlier turn's, not one built for the call."""
    tracker = DialogueStateTracker.from_events("someone", CONVERSATION[:events], DOMAIN.slots)
    first = DOMAIN.states_for_tracker_history(tracker, ignore_rule_only_turns=True)
    for sub_state in first[-1].values():
        sub_state.clear()
    first.pop(0)

    again = DOMAIN.states_for_tracker_history(tracker, ignore_rule_only_turns=True)
    assert again == original(DOMAIN, tracker, ignore_rule_only_turns=True)


def test_another_domain_or_other_rule_only_data_builds_its_own(original: Callable) -> None:
    other = Domain.from_yaml('version: "3.1"\nintents: [greet, inform, check_eligibility]')
    tracker = DialogueStateTracker.from_events("someone", CONVERSATION[:11], DOMAIN.slots)
    DOMAIN.states_for_tracker_history(tracker, True, True, RULE_ONLY)

    assert other.states_for_tracker_history(tracker) == original(other, tracker)
    assert DOMAIN.states_for_tracker_history(tracker, True, True, None) == original(
        DOMAIN, tracker, True, True, None
    )


def test_installing_twice_wraps_once(original: Callable) -> None:
    once = Domain.states_for_tracker_history
    incremental_states.install_incremental_states()

    assert Domain.states_for_tracker_history is once is not original
