"""Content gaps: each turn the assistant could not answer well becomes one record for the team.

A turn is a gap when the assistant asked to rephrase (``fallback``: its best guess is the
classifier's top intent), said a topic is not in the documents (``unknown_topic``: the
topic's key), said nothing in the documents answers a question about the fund (``no_fact``),
answered although the classifier was below the NLU fallback threshold, so the answer came
from retrieval (``low_confidence``: the fact given), or was told its answer was not what
was asked (``not_what_i_asked``: the fact given). One turn gives at most one gap, even when
its message asks several questions: the first clause that went unanswered is recorded.

The question is stored without emails, phone numbers or the names the conversation gave
(the contact form's name, the organisation's name) and never with the sender id. The store
is the conversations' database (``TSF_TRACKER_DB_URL``), opened once per process; a failed
write is logged (its error type only) and the reply goes out as if nothing happened.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from rasa_sdk import Tracker

from tsf_insight.store import PERSONAL_SLOTS, InsightStore

logger = logging.getLogger(__name__)

NLU_FALLBACK_INTENT = "nlu_fallback"
"""The intent the NLU gives a message when its classifier is below the fallback threshold."""
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class GapNote:
    """Why a reply fell short, what it was a reply to and the assistant's best guess."""

    reason: str
    question: str
    best_guess: str | None


@functools.lru_cache(maxsize=1)
def gap_store() -> InsightStore:
    """The content-gap table in the conversations' database, opened on first use."""
    return InsightStore.from_settings()


def names_given(tracker: Tracker) -> tuple[str, ...]:
    """The names this conversation gave (``PERSONAL_SLOTS``), to redact from its questions."""
    return tuple(
        str(value) for slot in PERSONAL_SLOTS if (value := tracker.get_slot(slot)) and str(value)
    )


def top_intent(ranking: list[dict[str, object]]) -> str | None:
    """The classifier's best intent other than the fallback's (``None`` when none)."""
    for entry in ranking:
        name = entry.get("name")
        if name and name != NLU_FALLBACK_INTENT:
            return str(name)
    return None


def in_own_words(note: GapNote, normalised: str, tracker: Tracker) -> GapNote:
    """``note`` with the message as the user typed it, when it is about the whole message
    (the NLU's normalised text, which the answer was found from, may have changed words)."""
    typed = tracker.latest_message.get("text") or ""
    if note.question != normalised or not typed:
        return note
    return replace(note, question=typed)


def _write(note: GapNote, names: tuple[str, ...], at: datetime) -> None:
    gap_store().record_gap(note.reason, note.question, note.best_guess, at, names=names)


async def record_gap(
    tracker: Tracker, note: GapNote, clock: Clock = lambda: datetime.now(timezone.utc)
) -> bool:
    """Write ``note`` as one gap, redacted of the names ``tracker`` holds; whether it was
    written. Never raises: a failure is logged without the question."""
    try:
        await asyncio.to_thread(_write, note, names_given(tracker), clock())
    except Exception as error:  # a gap must never cost the user their reply
        logger.warning("Could not record a content gap (%s): %s", note.reason, type(error).__name__)
        return False
    return True
