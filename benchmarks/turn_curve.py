"""Per-turn latency against turn number: does a reply slow down as a conversation grows?

At concurrency 1, a few long conversations (100 turns each, every one a new sender) are
played to a Rasa REST webhook; each turn's latency is kept by its number, and the curve is
the median over the conversations at each turn number. The summary compares turn 10 (the
median of turns 6-15) with turn 80 (turns 76-85).
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
import uuid
from collections.abc import Sequence

import aiohttp

from benchmarks.load import (
    BASELINE_SCENARIOS,
    FORM_BASELINE_SCENARIOS,
    REQUEST_TIMEOUT_SECONDS,
    Scenario,
)

TURNS = 100
EARLY = range(6, 16)
"""The turn numbers whose median is "turn 10"."""
LATE = range(76, 86)
"""The turn numbers whose median is "turn 80"."""

TSF_TURN_MESSAGES = (
    "hello",
    "how big is the fund?",
    "how long are the loans for?",
    "what is the interest rate?",
    "who runs the fund?",
    "thanks",
    "could we borrow 400k?",
    "where's that from?",
    "how much can we borrow?",
    "ok, thank you",
)
"""Our assistant: simple enquiries and small talk, each answered (none starts a form)."""


def _messages(scenarios: Sequence[Scenario]) -> tuple[str, ...]:
    return tuple(message for scenario in scenarios for message in scenario.turns)


BASELINE_TURN_MESSAGES = _messages(BASELINE_SCENARIOS)
"""The ``rasa init`` bot: its own scenarios' messages, one after another."""
FORM_BASELINE_TURN_MESSAGES = _messages(FORM_BASELINE_SCENARIOS)
"""The form bot: its form conversations, one after another (start, answer, thanks, again)."""


def script(messages: Sequence[str], turns: int = TURNS) -> list[str]:
    """The first ``turns`` messages of ``messages`` repeated."""
    return list(itertools.islice(itertools.cycle(messages), turns))


async def play(
    session: aiohttp.ClientSession, webhook: str, messages: Sequence[str]
) -> list[float | None]:
    """Send ``messages`` as one new sender; each turn's latency in ms, None if it failed."""
    sender = f"curve-{uuid.uuid4().hex[:16]}"
    latencies: list[float | None] = []
    for message in messages:
        started = time.perf_counter()
        try:
            async with session.post(
                webhook, json={"sender": sender, "message": message}
            ) as response:
                await response.read()
                ok = response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            ok = False
        latencies.append((time.perf_counter() - started) * 1000 if ok else None)
    return latencies


def medians(conversations: Sequence[Sequence[float | None]]) -> list[float | None]:
    """The median latency at each turn number over ``conversations`` (None: every one failed)."""
    curve: list[float | None] = []
    for turn in itertools.zip_longest(*conversations):
        answered = [latency for latency in turn if latency is not None]
        curve.append(statistics.median(answered) if answered else None)
    return curve


async def measure_curve(
    rasa_url: str,
    messages: Sequence[str],
    conversations: int,
    token: str | None = None,
    turns: int = TURNS,
) -> list[float | None]:
    """Play ``conversations`` conversations of ``turns`` turns one after another; the curve."""
    webhook = f"{rasa_url}/webhooks/rest/webhook" + (f"?token={token}" if token else "")
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    played = []
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for _ in range(conversations):
            played.append(await play(session, webhook, script(messages, turns)))
    return medians(played)


def turn_curve(
    rasa_url: str, messages: Sequence[str], conversations: int, token: str | None = None
) -> list[float | None]:
    """:func:`measure_curve` from synchronous code, rounded to 0.1 ms."""
    curve = asyncio.run(measure_curve(rasa_url, messages, conversations, token))
    return [None if value is None else round(value, 1) for value in curve]


def window_median(curve: Sequence[float | None], turns: range) -> float | None:
    """The median of ``curve`` over the turn numbers ``turns`` (1-based); None if unmeasured."""
    values = [curve[n - 1] for n in turns if n <= len(curve) and curve[n - 1] is not None]
    return statistics.median(values) if values else None


def summarise(curve: Sequence[float | None]) -> dict[str, float | None]:
    """Turn 10 (median of turns 6-15), turn 80 (76-85) and turn 80 ÷ turn 10."""
    early, late = window_median(curve, EARLY), window_median(curve, LATE)
    ratio = late / early if early and late is not None else None
    return {"turn_10_ms": early, "turn_80_ms": late, "ratio": ratio}


def rounded(summary: dict[str, float | None]) -> dict[str, float | None]:
    """``summary`` with each figure rounded to 3 decimals, for the results file."""
    return {key: None if value is None else round(value, 3) for key, value in summary.items()}
