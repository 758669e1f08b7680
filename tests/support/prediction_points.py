"""Trackers at which a trained model predicts an action, for comparing two ways to predict.

:func:`prediction_points` gives each point at which the test conversations
(``tests/conversations``) predict an action and, after each message, the same point with its
intent swapped and with an unexpected response run: histories no rule or story has.
:func:`long_prediction_points` gives the same points after other whole conversations, so
that the history is far longer than any rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from rasa.core.agent import Agent
from rasa.core.test import _create_data_generator
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.support.harness import ROOT


def conversations(agent: Agent) -> list[DialogueStateTracker]:
    """Each test conversation as a tracker."""
    generator = _create_data_generator(str(ROOT / "tests" / "conversations"), agent)
    return list(generator.generate_story_trackers())


def prediction_points(
    agent: Agent, before: list[Event] | None = None
) -> Iterator[DialogueStateTracker]:
    """Each point at which the test conversations predict an action; after each message,
    the same point with its intent swapped for another and with an unexpected response
    run, histories no rule or story has (so TED decides some of them)."""
    intents = agent.domain.intents
    responses = sorted(agent.domain.responses)
    for number, story in enumerate(conversations(agent)):
        for prior, _ in story.generate_all_prior_trackers():
            if not prior.events:
                continue
            events = [*(before or []), *prior.events]
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


def long_prediction_points(agent: Agent, stories: int = 6) -> Iterator[DialogueStateTracker]:
    """The prediction points of :func:`prediction_points` after ``stories`` whole test
    conversations (with their forms and slots)."""
    earlier = [event for story in conversations(agent)[:stories] for event in story.events]
    yield from prediction_points(agent, before=earlier)
