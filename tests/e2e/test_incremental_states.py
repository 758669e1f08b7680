"""The trained model's policies see Rasa's own states when each turn is described only once.

Each test conversation (``tests/conversations``), on its own and after six other whole
conversations, grows one event at a time on one tracker, with a message taken back and
said again after every user message; at every step each way the policies ask for states
(unset slots in or out, rule-only turns kept or left out with the RulePolicy's rule-only
data) gets exactly Rasa's answer.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from rasa.core.agent import Agent
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, UserUtteranceReverted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.support.harness import ROOT
from tests.support.prediction_points import conversations
from tsf_runtime import incremental_states

pytestmark = pytest.mark.e2e
MODEL = ROOT / "models" / "tsf.tar.gz"


@pytest.fixture(scope="module")
def agent() -> Agent:
    return Agent.load(str(MODEL))


@pytest.fixture
def original() -> Iterator[object]:
    unpatched = Domain.states_for_tracker_history
    incremental_states.install_incremental_states()
    yield unpatched
    Domain.states_for_tracker_history = unpatched  # type: ignore[method-assign]


def _rule_only_data(agent: Agent) -> dict[str, object]:
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    (policy,) = [n._component for n in nodes if isinstance(n._component, RulePolicy)]
    return policy._get_rule_only_data()


def _with_second_thoughts(events: list[Event]) -> Iterator[Event]:
    """``events``, each user message taken back and said again once."""
    for event in events:
        yield event
        if isinstance(event, UserUttered):
            yield UserUtteranceReverted()
            yield event


def test_every_step_of_every_conversation_gets_rasas_states(agent: Agent, original: object) -> None:
    domain = agent.domain
    rule_only = _rule_only_data(agent)
    ways = [
        (omit, ignore, rule_only if ignore else None)
        for omit, ignore in itertools.product((False, True), repeat=2)
    ]
    stories = conversations(agent)
    earlier = [event for story in stories[:6] for event in story.events]
    steps = 0
    for before in ([], earlier):
        for story in stories:
            tracker = DialogueStateTracker(story.sender_id, domain.slots)
            for event in _with_second_thoughts([*before, *story.events]):
                tracker.update(event)
                if len(tracker.events) <= len(before) and len(tracker.events) % 50:
                    continue  # the long history is checked now and then on its way
                steps += 1
                for way in ways:
                    ours = domain.states_for_tracker_history(tracker, *way)
                    assert ours == original(domain, tracker, *way), (story.sender_id, way)  # type: ignore[operator]

    assert rule_only and steps > 1000
