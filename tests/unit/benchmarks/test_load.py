"""The load generator: scripted conversations at a fixed concurrency, timed per turn."""

from __future__ import annotations

import pytest
import yaml

from benchmarks import form_baseline
from benchmarks.load import (
    BASELINE_SCENARIOS,
    FORM_BASELINE_SCENARIOS,
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


def test_every_form_bot_scenario_starts_the_form_once_then_answers_each_slot() -> None:
    nlu = yaml.safe_load(form_baseline.NLU)["nlu"]
    (apply,) = [item["examples"] for item in nlu if item["intent"] == "apply"]
    starts = {line.removeprefix("- ") for line in apply.splitlines()}

    for scenario in FORM_BASELINE_SCENARIOS:
        (start,) = [turn for turn in scenario.turns if turn in starts]
        after = scenario.turns[scenario.turns.index(start) + 1 :]
        assert len(after) > len(form_baseline.SLOTS), scenario.name  # then thanks or bye


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
