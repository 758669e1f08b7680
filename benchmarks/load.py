"""Scripted conversations sent to a Rasa REST webhook at a fixed concurrency, timed per turn.

Each virtual user takes the next conversation (scenarios in turn), sends its messages one
at a time as a new sender, and records how long every reply took. Traffic goes only to the
address given (loopback in the benchmark) and the run is bounded by a number of
conversations.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp
import numpy

from tests.support.eligible_interview import ELIGIBLE_ANSWERS

REQUEST_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Scenario:
    """A named conversation: the messages a user sends, in order."""

    name: str
    turns: tuple[str, ...]


TSF_SCENARIOS = (
    Scenario(
        "enquiry",
        (
            "hello",
            "how big is the fund?",
            "how long are the loans for?",
            "could we borrow 400k?",
            "where's that from?",
            "thanks, bye",
        ),
    ),
    Scenario("eligibility interview", ("are we eligible?", *ELIGIBLE_ANSWERS, "/affirm")),
    Scenario(
        "lead hand-off",
        (
            "I'd like to see if we qualify",
            *ELIGIBLE_ANSWERS,
            "/affirm",
            "/request_contact",
            "/affirm",
            "Jo Bloggs",
            "Finance director",
            "jo@riverside-care.org",
            "020 7946 0000",
            "weekday mornings",
            "/affirm",
        ),
    ),
)
"""Our assistant: an enquiry, a full eligibility interview and a lead hand-off."""

BASELINE_SCENARIOS = (
    Scenario("happy path", ("hello", "I am feeling great", "bye")),
    Scenario("sad path", ("hi", "I am sad", "yes", "goodbye")),
    Scenario("bot challenge", ("hey", "are you a bot?", "ok bye")),
)
"""Rasa's ``rasa init`` sample bot (moodbot): its own example conversations."""

FORM_BASELINE_SCENARIOS = (
    Scenario(
        "application",
        (
            "hello",
            "I want to apply",
            "Jo Bloggs",
            "Riverside Care",
            "120",
            "a new minibus",
            "thanks",
            "bye",
        ),
    ),
    Scenario(
        "application with a wrong answer",
        (
            "hi",
            "can I make an application?",
            "Sam Patel",
            "Acme Robotics",
            "about forty",
            "40",
            "new lab equipment",
            "thank you",
        ),
    ),
    Scenario(
        "application without a greeting",
        (
            "I'd like to apply for a loan",
            "Alex Chen",
            "Northern Widgets",
            "1,200",
            "expanding the factory",
            "cheers",
            "goodbye",
        ),
    ),
)
"""The form baseline (:mod:`benchmarks.form_baseline`): a greeting, its four-question form
(each answer checked by its action server, one answer refused once), thanks and goodbye."""


@dataclass
class LoadResult:
    """What one run at one concurrency measured, counted as the run goes.

    Attributes:
        concurrency: Virtual users sending at once.
        seconds: Wall-clock time of the run.
        conversations: Conversations completed.
        turns: Messages sent.
        errors: Messages answered with a non-200 status, or not at all in time.
        silent: Messages answered 200 with no reply.
        latencies_ms: Every successful turn's latency, in milliseconds.
    """

    concurrency: int
    seconds: float = 0.0
    conversations: int = 0
    turns: int = 0
    errors: int = 0
    silent: int = 0
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def messages_per_second(self) -> float:
        """Messages answered per second over the run."""
        return self.turns / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """The latency (ms) below which ``share`` (0-1) of turns fell; 0 with no turns."""
        return percentile(self.latencies_ms, share)


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` quantile of ``values`` (linear interpolation); 0.0 when there are none."""
    return float(numpy.quantile(values, share)) if len(values) else 0.0


async def _converse(
    session: aiohttp.ClientSession, webhook: str, scenario: Scenario, result: LoadResult
) -> None:
    sender = f"bench-{uuid.uuid4().hex[:16]}"
    for message in scenario.turns:
        started = time.perf_counter()
        result.turns += 1
        try:
            async with session.post(
                webhook, json={"sender": sender, "message": message}
            ) as response:
                replies = await response.json(content_type=None)
                ok = response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            ok, replies = False, None
        elapsed_ms = (time.perf_counter() - started) * 1000
        if not ok:
            result.errors += 1
            continue
        result.latencies_ms.append(elapsed_ms)
        if not replies:
            result.silent += 1
    result.conversations += 1


async def run_load(
    rasa_url: str,
    scenarios: Sequence[Scenario],
    concurrency: int,
    conversations: int,
    token: str | None = None,
) -> LoadResult:
    """Run ``conversations`` scripted conversations with ``concurrency`` users at once
    (with the API ``token``, each scripted sender is its own conversation)."""
    webhook = f"{rasa_url}/webhooks/rest/webhook" + (f"?token={token}" if token else "")
    queue: asyncio.Queue[Scenario] = asyncio.Queue()
    for index in range(conversations):
        queue.put_nowait(scenarios[index % len(scenarios)])
    result = LoadResult(concurrency)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=concurrency)

    async def user(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            await _converse(session, webhook, queue.get_nowait(), result)

    started = time.perf_counter()
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(*(user(session) for _ in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result
