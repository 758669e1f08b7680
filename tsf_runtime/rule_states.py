"""Let the RulePolicy look at only as many turns as its longest rule can.

Before each prediction Rasa 3.6's RulePolicy turns the whole conversation into states, one
per turn, each from every slot, the active form and the latest message and action, and
matches and names its prediction over all of them. A rule only ever compares its own turns
with the same number of latest turns of the conversation (``RulePolicy._get_possible_keys``:
older turns always pass), so every older state is handled for nothing. Profiling a 100-turn
conversation (``python -m benchmarks.profile_turns``) put that work among the two largest
costs of a late turn, growing with every turn.

:func:`install_recent_rule_states` makes ``RulePolicy._find_action_from_rules`` use the
states of the latest turns only, as many as its longest rule has, taken from the end of
Rasa's own states (which ``tsf_runtime.incremental_states`` builds once per turn). When no
rule applies, Rasa names the prediction after the whole conversation's states, a name used
only to tell whether a rule that hides its turn made it: it can be such a rule's only when
the conversation is exactly as long as one, and then Rasa's own lookup runs.

``tsf_runtime.rasa_patches`` installs it before Rasa starts.
"""

from __future__ import annotations

from typing import Any

_PATCHED_MARK = "_tsf_recent_rule_states"
_HORIZON = "_tsf_rule_horizon"
_IN_USE = "_tsf_rule_horizon_in_use"
_HIDDEN_LENGTHS = "_tsf_hidden_rule_lengths"


def turn_count(tracker: Any) -> int:
    """How many states Rasa builds for ``tracker``: one before each action, one after."""
    from rasa.shared.core.events import ActionExecuted

    return sum(isinstance(event, ActionExecuted) for event in tracker.applied_events()) + 1


def recent_states(domain: Any, tracker: Any, turns: int) -> list[dict[str, Any]]:
    """The states of the latest ``turns`` turns of ``tracker``, as
    ``Domain.states_for_tracker_history`` builds them (rule turns kept, unset slots in)."""
    return domain.states_for_tracker_history(tracker)[-turns:] if turns > 0 else []


def longest_rule(policy: Any) -> int:
    """How many turns the policy's longest rule (or loop unhappy-path rule) spans."""
    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH

    horizon = policy.__dict__.get(_HORIZON)
    if horizon is None:
        keys = [*policy.lookup.get(RULES, {}), *policy.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
        horizon = max((len(policy._rule_key_to_state(key)) for key in keys), default=0)
        policy.__dict__[_HORIZON] = horizon
    return int(horizon)


def hidden_rule_lengths(policy: Any) -> set[int]:
    """How many turns each rule that hides its turns spans (rules not in any story)."""
    from rasa.core.policies.rule_policy import RULES_NOT_IN_STORIES

    lengths = policy.__dict__.get(_HIDDEN_LENGTHS)
    if lengths is None:
        lengths = set()
        for key in policy.lookup.get(RULES_NOT_IN_STORIES, []):
            try:
                lengths.add(len(policy._rule_key_to_state(key)))
            except ValueError:  # a named source ("handling active loops ..."), not states
                continue
        policy.__dict__[_HIDDEN_LENGTHS] = lengths
    return set(lengths)


def install_recent_rule_states() -> None:
    """Make the RulePolicy build only the states its rules can look at (once)."""
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.shared.core.trackers import DialogueStateTracker

    if getattr(RulePolicy._find_action_from_rules, _PATCHED_MARK, False):
        return
    original_find = RulePolicy._find_action_from_rules
    original_states = RulePolicy._prediction_states

    def _prediction_states(
        self: RulePolicy,
        tracker: DialogueStateTracker,
        domain: Any,
        use_text_for_last_user_input: bool = False,
        rule_only_data: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        turns = self.__dict__.get(_IN_USE)
        if turns is None:
            return original_states(
                self, tracker, domain, use_text_for_last_user_input, rule_only_data
            )
        states = recent_states(domain, tracker, turns)
        self.featurizer._choose_last_user_input([states], use_text_for_last_user_input)
        return states

    def _find_action_from_rules(
        self: RulePolicy,
        tracker: DialogueStateTracker,
        domain: Any,
        use_text_for_last_user_input: bool,
    ) -> tuple[Any, Any, bool]:
        def find() -> tuple[Any, Any, bool]:
            return original_find(self, tracker, domain, use_text_for_last_user_input)

        if type(tracker) is not DialogueStateTracker or self.featurizer.max_history is not None:
            return find()  # training, or a policy with a history of its own
        self.__dict__[_IN_USE] = longest_rule(self)
        try:
            found = find()
        finally:
            self.__dict__.pop(_IN_USE, None)
        compressed = self.config.get("enable_feature_string_compression")
        if found[0] is None and (compressed or turn_count(tracker) in hidden_rule_lengths(self)):
            return find()  # its name, from every state, might be a rule that hides its turn
        return found

    setattr(_find_action_from_rules, _PATCHED_MARK, True)
    RulePolicy._prediction_states = _prediction_states  # type: ignore[method-assign]
    RulePolicy._find_action_from_rules = _find_action_from_rules  # type: ignore[method-assign]
