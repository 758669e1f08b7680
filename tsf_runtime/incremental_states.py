"""Describe each turn of a conversation once, not again before every prediction.

Before each prediction, each policy asks ``Domain.states_for_tracker_history`` for the
conversation's states: Rasa 3.6 replays the tracker's applied events from the start on a new
tracker and describes it before every action. Profiling a 100-turn conversation
(``python -m benchmarks.profile_turns``) put that replay among the largest costs of a late
turn, growing with every turn, paid two or three times per message.

:func:`install_incremental_states` makes a tracker keep its :class:`History` for each way it
is asked (unset slots left out or not, rule-only turns left out or not, with the same
rule-only data and domain): the replay so far and the states built from it. When the applied
events only grew since, just the new ones are replayed and described, in Rasa's own steps;
any other change (a reverted turn, a restart, another domain) starts again from the first
event. Each caller gets a list of its own, and its last state (the one Rasa's featurisers
edit, ``_choose_last_user_input``) is its own copy.

``tsf_runtime.rasa_patches`` installs it before Rasa starts.
"""

from __future__ import annotations

import operator
from typing import Any

_PATCHED_MARK = "_tsf_incremental_states"
_HISTORIES = "_tsf_state_histories"

State = dict[str, Any]


class History:
    """One way of describing one tracker's conversation, built up as its events arrive.

    The steps are those of Rasa 3.6's ``Domain.states_for_tracker_history``, taken one
    action at a time with what they carry from turn to turn kept here.
    """

    def __init__(
        self,
        domain: Any,
        tracker: Any,
        omit_unset_slots: bool,
        ignore_rule_only_turns: bool,
        rule_only_data: dict[str, Any] | None,
    ) -> None:
        """An empty history of ``tracker`` (nothing replayed yet)."""
        self.domain = domain
        self.omit_unset_slots = omit_unset_slots
        self.ignore_rule_only_turns = ignore_rule_only_turns
        self.rule_only_data = rule_only_data
        self.replay = tracker.init_copy()
        self.replayed: list[Any] = []
        self.states: list[State] = []
        self.last_ml_action_sub_state: Any = None
        self.turn_was_hidden = False

    def serves(self, domain: Any, rule_only_data: dict[str, Any] | None) -> bool:
        """Whether this history was built for ``domain`` and ``rule_only_data``."""
        return domain is self.domain and rule_only_data == self.rule_only_data

    def continues_to(self, applied: list[Any]) -> bool:
        """Whether ``applied`` starts with exactly the events replayed so far."""
        count = len(self.replayed)
        return len(applied) >= count and all(map(operator.is_, self.replayed, applied[:count]))

    def states_after(self, applied: list[Any]) -> list[State]:
        """The states of a conversation whose applied events are ``applied``, which must
        continue this history (:meth:`continues_to`); the new events are replayed."""
        from rasa.shared.core.events import ActionExecuted

        for event in applied[len(self.replayed) :]:
            if isinstance(event, ActionExecuted):
                self._describe(self.states, event.hide_rule_turn, keep=True)
            self.replay.update(event)
            self.replayed.append(event)
        states = list(self.states)
        self._describe(states, False, keep=False)
        if states:
            states[-1] = {kind: dict(sub_state) for kind, sub_state in states[-1].items()}
        return states

    def _describe(self, states: list[State], hide_rule_turn: bool, keep: bool) -> None:
        """Rasa's step for the replay as it stands: maybe append its state to ``states``;
        ``keep`` remembers what the step carries to the next turn."""
        from rasa.shared.core.constants import PREVIOUS_ACTION

        domain, tracker = self.domain, self.replay
        last_ml_action_sub_state = self.last_ml_action_sub_state
        turn_was_hidden = self.turn_was_hidden
        if self.ignore_rule_only_turns:
            if not turn_was_hidden:
                last_ml_action_sub_state = domain._get_prev_action_sub_state(tracker)
            if (
                not tracker.followup_action
                and tracker.latest_action_name != tracker.active_loop_name
            ):
                turn_was_hidden = hide_rule_turn
        if keep:
            self.last_ml_action_sub_state = last_ml_action_sub_state
            self.turn_was_hidden = turn_was_hidden
        if self.ignore_rule_only_turns and turn_was_hidden:
            return
        state = domain.get_active_state(tracker, omit_unset_slots=self.omit_unset_slots)
        if self.ignore_rule_only_turns:
            domain._remove_rule_only_features(state, self.rule_only_data)
            if states:
                domain._substitute_rule_only_user_input(state, states[-1])
            if last_ml_action_sub_state:
                state[PREVIOUS_ACTION] = last_ml_action_sub_state
        states.append(domain._clean_state(state))


def history_for(
    domain: Any,
    tracker: Any,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
    applied: list[Any],
) -> History:
    """The tracker's kept history for these arguments if it continues to ``applied``; else a
    new one, kept in its place."""
    histories = tracker.__dict__.setdefault(_HISTORIES, {})
    key = (omit_unset_slots, ignore_rule_only_turns)
    history = histories.get(key)
    usable = history is not None and history.serves(domain, rule_only_data)
    if history is None or not usable or not history.continues_to(applied):
        history = History(domain, tracker, *key, rule_only_data)
        histories[key] = history
    return history


def install_incremental_states() -> None:
    """Make ``Domain.states_for_tracker_history`` describe only new turns (once)."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    original = Domain.states_for_tracker_history
    if getattr(original, _PATCHED_MARK, False):
        return

    def states_for_tracker_history(
        self: Domain,
        tracker: DialogueStateTracker,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[State]:
        if type(tracker) is not DialogueStateTracker:  # training's trackers cache their own
            return original(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        applied = tracker.applied_events()
        history = history_for(
            self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data, applied
        )
        return history.states_after(applied)

    states_for_tracker_history.__doc__ = original.__doc__
    setattr(states_for_tracker_history, _PATCHED_MARK, True)
    Domain.states_for_tracker_history = states_for_tracker_history  # type: ignore[method-assign]
