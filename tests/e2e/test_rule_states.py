"""The RulePolicy predicts exactly as before when it builds only its rules' latest states.

The trained model's RulePolicy predicts every point of the test conversations, on its own
and after six other whole conversations, with Rasa's own states and with the latest
states only (``tsf_runtime.rule_states``): the same probabilities, events, hidden-turn flag
and no-user flag each time.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.core.policies.rule_policy import RulePolicy

from tests.support.harness import ROOT
from tests.support.prediction_points import long_prediction_points, prediction_points
from tsf_runtime import rule_states

pytestmark = pytest.mark.e2e
MODEL = ROOT / "models" / "tsf.tar.gz"


@pytest.fixture(scope="module")
def agent() -> Agent:
    return Agent.load(str(MODEL))


def _rule_policy(agent: Agent) -> RulePolicy:
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    (policy,) = [n._component for n in nodes if isinstance(n._component, RulePolicy)]
    return policy


def _summary(prediction: Any) -> tuple[object, ...]:
    return (
        list(prediction.probabilities),
        [event.as_dict() | {"timestamp": None} for event in prediction.events],
        prediction.hide_rule_turn,
        prediction.is_no_user_prediction,
        prediction.is_end_to_end_prediction,
    )


def test_every_rule_prediction_is_the_same_with_only_the_latest_states(
    agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = _rule_policy(agent)
    domain = agent.domain
    rule_only = policy._get_rule_only_data()
    points = list(itertools.chain(prediction_points(agent), long_prediction_points(agent)))
    before = [_summary(policy.predict_action_probabilities(t, domain, rule_only)) for t in points]
    built = []
    real = rule_states.recent_states

    def counting(domain: Any, tracker: Any, turns: int) -> list[dict[str, Any]]:
        states = real(domain, tracker, turns)
        built.append((len(tracker.past_states(domain)), len(states)))
        return states

    for name in ("_find_action_from_rules", "_prediction_states"):
        monkeypatch.setattr(RulePolicy, name, getattr(RulePolicy, name))
    monkeypatch.setattr(rule_states, "recent_states", counting)
    rule_states.install_recent_rule_states()
    after = [_summary(policy.predict_action_probabilities(t, domain, rule_only)) for t in points]

    assert len(points) > 300
    for number, (old, new) in enumerate(zip(before, after, strict=True)):
        assert new == old, points[number].sender_id
    horizon = rule_states.longest_rule(policy)
    assert 0 < horizon < 20
    assert any(full > horizon == kept for full, kept in built)  # the long ones were cut short


def test_the_recent_states_are_the_end_of_rasas_states(agent: Agent) -> None:
    for tracker in itertools.islice(long_prediction_points(agent), 0, None, 25):
        full = tracker.past_states(agent.domain)
        for turns in (1, 3, 7, len(full) + 2):
            assert rule_states.recent_states(agent.domain, tracker, turns) == full[-turns:]
