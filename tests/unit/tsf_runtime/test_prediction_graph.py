"""When TED may be left out of a prediction: only when another policy wins whatever it says."""

from __future__ import annotations

from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.events import ActionExecuted, ActionExecutionRejected, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tsf_runtime.prediction_graph import decided_without

TED_PRIORITY = 1
RULE_PRIORITY = 6


def _tracker(*events: object) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", list(events))


def _prediction(
    confidence: float, priority: int = RULE_PRIORITY, **flags: bool
) -> PolicyPrediction:
    return PolicyPrediction([0.0, confidence], "RulePolicy", priority, **flags)


LISTENING = (ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"}))


def test_a_fully_confident_rule_decides_the_action() -> None:
    assert decided_without([_prediction(1.0)], TED_PRIORITY, _tracker(*LISTENING))


def test_a_less_than_certain_rule_leaves_ted_a_chance() -> None:
    assert not decided_without([_prediction(0.99)], TED_PRIORITY, _tracker(*LISTENING))


def test_a_confident_policy_of_lower_or_equal_priority_does_not_decide() -> None:
    predictions = [_prediction(1.0, priority=TED_PRIORITY)]
    assert not decided_without(predictions, TED_PRIORITY, _tracker(*LISTENING))


def test_after_a_rejected_action_ted_is_always_run() -> None:
    """The ensemble zeroes the rejected action in every prediction, so TED might win."""
    tracker = _tracker(*LISTENING, ActionExecutionRejected("eligibility_form"))
    assert not decided_without([_prediction(1.0)], TED_PRIORITY, tracker)


def test_an_action_run_since_a_rejection_clears_it() -> None:
    tracker = _tracker(
        *LISTENING, ActionExecutionRejected("eligibility_form"), ActionExecuted("utter_greet")
    )
    assert decided_without([_prediction(1.0)], TED_PRIORITY, tracker)


def test_no_user_and_end_to_end_predictions_overrule_ted_at_any_confidence() -> None:
    tracker = _tracker(*LISTENING)
    assert decided_without([_prediction(0.2, is_no_user_prediction=True)], TED_PRIORITY, tracker)
    assert decided_without([_prediction(0.2, is_end_to_end_prediction=True)], TED_PRIORITY, tracker)


def test_without_other_predictions_ted_is_run() -> None:
    assert not decided_without([], TED_PRIORITY, _tracker(*LISTENING))
