"""Let the RulePolicy describe only as many turns as its longest rule can look at.

Before each prediction Rasa 3.6's RulePolicy turns the whole conversation into states, one
per turn, each from every slot, the active form and the latest message and action. A rule
only ever compares its own turns with the same number of latest turns of the conversation
(``RulePolicy._get_possible_keys``: older turns always pass), so every older state is built
for nothing. Profiling a 100-turn conversation (``python -m benchmarks.profile_turns``) put
that work among the two largest costs of a late turn, growing with every turn.

:func:`install_recent_rule_states` makes ``RulePolicy._find_action_from_rules`` build the
states of the latest turns only, as many as its longest rule has. The conversation is still
replayed from its start, so each state is exactly the one Rasa would build. When no rule
applies, Rasa names the prediction after the whole conversation's states; that case runs
Rasa's own lookup again, so even that name is unchanged.

``tsf_runtime.rasa_patches`` installs it before Rasa starts.
"""

from __future__ import annotations

from typing import Any

_PATCHED_MARK = "_tsf_recent_rule_states"
_HORIZON = "_tsf_rule_horizon"
_IN_USE = "_tsf_rule_horizon_in_use"


def recent_states(domain: Any, tracker: Any, turns: int) -> list[dict[str, Any]]:
    """The states of the latest ``turns`` turns of ``tracker``, as
    ``Domain.states_for_tracker_history`` builds them (rule turns kept, unset slots in)."""
    from rasa.shared.core.events import ActionExecuted

    applied = tracker.applied_events()
    total = sum(isinstance(event, ActionExecuted) for event in applied) + 1
    first = total - turns
    states = []
    for index, (prior, _) in enumerate(tracker.generate_all_prior_trackers()):
        if index >= first:
            states.append(domain._clean_state(domain.get_active_state(prior)))
    return states


def longest_rule(policy: Any) -> int:
    """How many turns the policy's longest rule (or loop unhappy-path rule) spans."""
    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH

    horizon = policy.__dict__.get(_HORIZON)
    if horizon is None:
        keys = [*policy.lookup.get(RULES, {}), *policy.lookup.get(RULES_FOR_LOOP_UNHAPPY_PATH, {})]
        horizon = max((len(policy._rule_key_to_state(key)) for key in keys), default=0)
        policy.__dict__[_HORIZON] = horizon
    return int(horizon)


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
        return found if found[0] is not None else find()  # no rule: named after every state

    setattr(_find_action_from_rules, _PATCHED_MARK, True)
    RulePolicy._prediction_states = _prediction_states  # type: ignore[method-assign]
    RulePolicy._find_action_from_rules = _find_action_from_rules  # type: ignore[method-assign]
