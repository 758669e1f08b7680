""" "Was this helpful?" presses, handled in the channel layer, not as conversation turns.

A press is not something the person says to the assistant: as an intent it would run the
policies, could interrupt a form in progress and would need training data. So each channel
takes the press itself (the widget's ``POST /webhooks/rest/feedback``, Slack's
``block_actions``, Teams' ``Action.Submit``) and calls :func:`give_feedback` with the
conversation its own rules say the presser owns; the answer is looked up by its token in that
conversation's tracker only (:mod:`tsf_insight.answers`), so nobody can mark another
person's answer or make up a fact. The tracker is read, never written.

The answer token reaches each channel's output as the bot message's ``tsf_answer`` metadata
(a keyword argument of ``send_text_message``); :func:`feedback_token` reads it there.
"""

from __future__ import annotations

import asyncio
import enum
import functools
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel

from channels.live_chat import live_chat_relay
from tsf_insight.answers import ANSWER_KEY, Answer, answer_token, find_answer, record_press
from tsf_insight.store import InsightStore

logger = logging.getLogger(__name__)


class Outcome(enum.Enum):
    """What a press did."""

    RECORDED = "recorded"
    ALREADY = "already recorded"
    UNKNOWN = "unknown answer"


@functools.cache
def insight_store() -> InsightStore:
    """The Rasa server's insight store (``TSF_TRACKER_DB_URL``), opened on first use."""
    return InsightStore.from_settings()


def feedback_token(kwargs: Mapping[str, Any]) -> str | None:
    """The answer token of the bot message an output channel is sending (its kwargs)."""
    return answer_token({ANSWER_KEY: kwargs.get(ANSWER_KEY)})


@dataclass(frozen=True)
class Feedback:
    """What a press did, and the answer it was on (``None`` when unknown)."""

    outcome: Outcome
    answer: Answer | None = None


async def give_feedback(conversation: str, answer_id: str, helpful: bool, channel: str) -> Feedback:
    """Record a press on answer ``answer_id`` of ``conversation`` (the presser's own)."""
    agent = live_chat_relay().agent
    if agent is None:
        return Feedback(Outcome.UNKNOWN)
    tracker = await agent.tracker_store.retrieve(conversation)
    events = [event.as_dict() for event in tracker.events] if tracker is not None else []
    answer = find_answer(events, answer_id)
    if answer is None:
        logger.info("A feedback press named no answer of its conversation.")
        return Feedback(Outcome.UNKNOWN)
    store = await asyncio.to_thread(insight_store)
    at = datetime.now(timezone.utc)
    recorded = await asyncio.to_thread(record_press, store, answer, helpful, channel, at)
    return Feedback(Outcome.RECORDED if recorded else Outcome.ALREADY, answer)


class AnswerCollectingOutputChannel(CollectingOutputChannel):
    """Rasa's collector for the REST channel, with an answer's token on its last paragraph
    (``"feedback": {"answer": <token>}``), for the widget to ask "Was this helpful?"."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """One message per paragraph; the last carries the answer's token, if any."""
        before = len(self.messages)
        await super().send_text_message(recipient_id, text, **kwargs)
        token = feedback_token(kwargs)
        if token and len(self.messages) > before:
            self.messages[-1]["feedback"] = {"answer": token}
