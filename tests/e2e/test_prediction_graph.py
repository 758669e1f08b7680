"""The lean prediction graph chooses exactly what Rasa's own graph runner chooses.

Every prediction point of every test conversation (``tests/conversations``), and the same
points after an unexpected message or response, is predicted by the trained model twice,
with Rasa's ``DaskGraphRunner.run`` and with the lean one (``tsf_runtime.prediction_graph``):
the same action, policy, confidence and events each time, and TED is left out of many of
them but not all.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.engine.runner.dask import DaskGraphRunner

from tests.support.harness import ROOT
from tests.support.prediction_points import prediction_points
from tsf_runtime import prediction_graph

pytestmark = pytest.mark.e2e
MODEL = ROOT / "models" / "tsf.tar.gz"


@pytest.fixture(scope="module")
def agent() -> Agent:
    return Agent.load(str(MODEL))


def _summary(prediction: Any, agent: Agent) -> tuple[object, ...]:
    probabilities = prediction.probabilities
    best = max(range(len(probabilities)), key=probabilities.__getitem__)
    return (
        agent.domain.action_names_or_texts[best],
        prediction.policy_name,
        round(prediction.max_confidence, 6),
        [{**event.as_dict(), "timestamp": None} for event in prediction.events],
    )


def test_every_prediction_is_the_same_and_ted_is_often_skipped(
    agent: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = agent.processor.graph_runner
    target = agent.processor.model_metadata.core_target
    original = DaskGraphRunner.run
    monkeypatch.setattr(DaskGraphRunner, "run", original)
    prediction_graph.install_lean_prediction_graph()
    assert DaskGraphRunner.run is not original
    skipped = []
    real_call = prediction_graph.PolicyUnlessDecided.__call__

    def counting_call(self: Any, *inputs: Any) -> tuple[str, Any]:
        name, output = real_call(self, *inputs)
        skipped.append(output.max_confidence == 0.0 and not any(output.probabilities))
        return name, output

    monkeypatch.setattr(prediction_graph.PolicyUnlessDecided, "__call__", counting_call)
    points = 0
    for tracker in prediction_points(agent):
        inputs = {"__tracker__": tracker}
        before = original(runner, inputs=inputs, targets=[target])[target]
        after = runner.run(inputs=inputs, targets=[target])[target]
        assert _summary(after, agent) == _summary(before, agent), tracker.sender_id
        points += 1
    print(f"{points} predictions, TED skipped in {sum(skipped)}")
    assert points > 100
    assert len(skipped) == points
    assert points / 2 < sum(skipped) < points


def test_the_nlu_graph_is_unchanged(agent: Agent, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DaskGraphRunner, "run", DaskGraphRunner.run)
    before = asyncio.run(agent.parse_message("how big is the fund?"))
    prediction_graph.install_lean_prediction_graph()
    after = asyncio.run(agent.parse_message("how big is the fund?"))
    assert after["intent"] == before["intent"]
    assert after["entities"] == before["entities"]
