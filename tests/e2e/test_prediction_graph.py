"""The lean prediction graph chooses exactly what Rasa's own graph runner chooses.

Every prediction point of every test conversation (``tests/conversations``), and the same
points after an unexpected message or response, is predicted by the trained model twice,
with Rasa's ``DaskGraphRunner.run`` and with the lean one (``tsf_runtime.prediction_graph``):
the same action, policy, confidence and events each time, and TED is left out of many of
them but not all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.core.test import _create_data_generator
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.support.harness import ROOT
from tsf_runtime import prediction_graph

pytestmark = pytest.mark.e2e
MODEL = ROOT / "models" / "tsf.tar.gz"


@pytest.fixture(scope="module")
def agent() -> Agent:
    return Agent.load(str(MODEL))


def _prediction_points(agent: Agent) -> Iterator[DialogueStateTracker]:
    """Each point at which the test conversations predict an action; after each message,
    the same point with its intent swapped for another and with an unexpected response
    run, histories no rule or story has (so TED decides some of them)."""
    intents = agent.domain.intents
    responses = sorted(agent.domain.responses)
    generator = _create_data_generator(str(ROOT / "tests" / "conversations"), agent)
    for number, story in enumerate(generator.generate_story_trackers()):
        for prior, _ in story.generate_all_prior_trackers():
            if not prior.events:
                continue
            events = list(prior.events)
            yield DialogueStateTracker.from_events(story.sender_id, events, agent.domain.slots)
            if isinstance(events[-1], UserUttered):
                intent = intents[(number + len(events)) % len(intents)]
                swapped = UserUttered(events[-1].text, {"name": intent, "confidence": 1.0})
                yield DialogueStateTracker.from_events(
                    story.sender_id, [*events[:-1], swapped], agent.domain.slots
                )
                unexpected = ActionExecuted(responses[(number + len(events)) % len(responses)])
                yield DialogueStateTracker.from_events(
                    story.sender_id, [*events, unexpected], agent.domain.slots
                )


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
    for tracker in _prediction_points(agent):
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
