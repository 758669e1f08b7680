"""The load generator: scripted conversations at a fixed concurrency, timed per turn."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from benchmarks.load import (
    BASELINE_SCENARIOS,
    TSF_SCENARIOS,
    Scenario,
    percentile,
    run_load,
)


def test_percentiles_of_a_known_series() -> None:
    values = [float(n) for n in range(1, 101)]

    assert percentile(values, 0.50) == pytest.approx(50.5)
    assert percentile(values, 0.95) == pytest.approx(95.05)
    assert percentile(values, 0.99) == pytest.approx(99.01)


def test_percentiles_of_tiny_series() -> None:
    assert percentile([], 0.95) == 0.0
    assert percentile([42.0], 0.95) == 42.0


def test_the_scenarios_cover_an_enquiry_an_interview_and_a_lead_hand_off() -> None:
    names = [scenario.name for scenario in TSF_SCENARIOS]

    assert names == ["enquiry", "eligibility interview", "lead hand-off"]
    assert "/request_contact" in TSF_SCENARIOS[2].turns
    assert all(scenario.turns for scenario in BASELINE_SCENARIOS)


@pytest.fixture
async def fake_rasa() -> AsyncIterator[tuple[str, list[tuple[str, str]]]]:
    """A loopback server speaking the REST channel's contract; 'fail' gets a 500."""
    received: list[tuple[str, str]] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        received.append((body["sender"], body["message"]))
        await asyncio.sleep(0.01)
        if body["message"] == "fail":
            return web.json_response({"error": "boom"}, status=500)
        if body["message"] == "quiet":
            return web.json_response([])
        return web.json_response([{"recipient_id": body["sender"], "text": "ok"}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}", received
    await runner.cleanup()


async def test_every_turn_is_sent_timed_and_counted(
    fake_rasa: tuple[str, list[tuple[str, str]]],
) -> None:
    url, received = fake_rasa
    scenarios = [Scenario("a", ("hi", "fail", "quiet")), Scenario("b", ("hello",))]

    result = await run_load(url, scenarios, concurrency=3, conversations=6)

    assert result.conversations == 6
    assert result.turns == len(received) == 3 * 3 + 3 * 1
    assert result.errors == 3
    assert result.silent == 3
    assert len(result.latencies_ms) == result.turns - result.errors
    assert min(result.latencies_ms) >= 5  # the server waits 10 ms; timers may wake early
    assert result.messages_per_second > 0


async def test_each_conversation_is_a_new_sender_keeping_its_turn_order(
    fake_rasa: tuple[str, list[tuple[str, str]]],
) -> None:
    url, received = fake_rasa

    await run_load(url, [Scenario("a", ("one", "two", "three"))], concurrency=2, conversations=4)

    by_sender: dict[str, list[str]] = {}
    for sender, message in received:
        by_sender.setdefault(sender, []).append(message)
    assert len(by_sender) == 4
    assert all(messages == ["one", "two", "three"] for messages in by_sender.values())
