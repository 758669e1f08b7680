"""Answers that can be marked helpful: the token an answer carries, and finding it again.

An answer that gives a fact carries ``{"tsf_answer": {"id": <random token>, "fact_id": ...}}``
in its bot message's metadata (:func:`answer_metadata`, from the actions). A channel shows
"Was this helpful?" under it, and a press names only the token; :func:`find_answer` looks it up
in the presser's own conversation (tracker events), so a client can name neither a fact nor
another person's answer. :func:`record_press` counts the press once per answer and, for a
"no", records an unhelpful-answer gap: the question the answer replied to, without the
names the person gave (the contact form's slots).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tsf_insight.store import PERSONAL_SLOTS, UNHELPFUL, InsightStore

ANSWER_KEY = "tsf_answer"
MAX_ANSWER_ID = 64
ASK = "Was this helpful?"
THANKS = "Thanks — noted."
"""What Slack and Teams say under an answer, and after a press (the widget says the same)."""


def answer_metadata(fact_id: str) -> dict[str, dict[str, str]]:
    """The bot message metadata of an answer that gives ``fact_id``, with a new token."""
    return {ANSWER_KEY: {"id": secrets.token_urlsafe(12), "fact_id": fact_id}}


def answer_token(metadata: Mapping[str, Any] | None) -> str | None:
    """The token of the answer a bot message's ``metadata`` describes (``None``: no answer)."""
    answer = (metadata or {}).get(ANSWER_KEY)
    token = answer.get("id") if isinstance(answer, Mapping) else None
    return token if isinstance(token, str) and token else None


def valid_answer_id(candidate: object) -> str | None:
    """``candidate`` if it can be an answer token (text of 1 to 64 characters)."""
    if isinstance(candidate, str) and 0 < len(candidate) <= MAX_ANSWER_ID:
        return candidate
    return None


@dataclass(frozen=True)
class Answer:
    """An answer found in a conversation: its token, fact and text, the question it replied
    to and the names given."""

    id: str
    fact_id: str
    text: str
    question: str
    names: tuple[str, ...]


def find_answer(events: Iterable[Mapping[str, Any]], answer_id: str) -> Answer | None:
    """The answer with token ``answer_id`` among a conversation's tracker ``events`` (as
    dicts), with the user message before it; ``None`` if the conversation has no such answer."""
    question = ""
    names: list[str] = []
    found: tuple[str, str, str] | None = None
    for event in events:
        kind = event.get("event")
        if kind == "user" and found is None:
            question = str(event.get("text") or "")
        elif kind == "slot" and event.get("name") in PERSONAL_SLOTS and event.get("value"):
            names.append(str(event["value"]))
        elif kind == "bot" and found is None and answer_token(event.get("metadata")) == answer_id:
            fact_id = (event.get("metadata") or {})[ANSWER_KEY].get("fact_id")
            if isinstance(fact_id, str) and fact_id:
                found = (fact_id, str(event.get("text") or ""), question)
    if found is None:
        return None
    return Answer(answer_id, *found, tuple(names))


def record_press(
    store: InsightStore, answer: Answer, helpful: bool, channel: str, at: datetime
) -> bool:
    """Count one press on ``answer`` (``False``: it already had one, nothing changes); a
    "no" also records an unhelpful-answer gap with the fact as the best guess."""
    if not store.record_feedback(answer.fact_id, helpful, channel, at, answer_id=answer.id):
        return False
    if not helpful:
        store.record_gap(UNHELPFUL, answer.question, answer.fact_id, at, names=answer.names)
    return True
