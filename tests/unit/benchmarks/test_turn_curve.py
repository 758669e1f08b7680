"""Per-turn latency by turn number: the script, the medians and the turn 10 / turn 80 summary."""

from __future__ import annotations

import pytest

from benchmarks.turn_curve import (
    FORM_BASELINE_TURN_MESSAGES,
    TSF_TURN_MESSAGES,
    measure_curve,
    medians,
    rounded,
    script,
    summarise,
    window_median,
)


def test_a_script_cycles_its_messages_to_the_number_of_turns() -> None:
    assert script(("a", "b", "c"), turns=7) == ["a", "b", "c", "a", "b", "c", "a"]
    assert len(script(TSF_TURN_MESSAGES)) == 100


def test_the_form_bot_repeats_its_form_within_one_conversation() -> None:
    messages = script(FORM_BASELINE_TURN_MESSAGES)

    assert messages.count("I want to apply") >= 2


def test_each_turn_number_takes_the_median_over_the_conversations_that_answered() -> None:
    played = [[10.0, 20.0, None], [30.0, None, None], [20.0, 40.0, None]]

    assert medians(played) == [20.0, 30.0, None]


def test_turn_10_and_turn_80_are_the_medians_of_turns_6_to_15_and_76_to_85() -> None:
    curve: list[float | None] = [float(turn) for turn in range(1, 101)]

    summary = summarise(curve)

    assert summary["turn_10_ms"] == pytest.approx(10.5)
    assert summary["turn_80_ms"] == pytest.approx(80.5)
    assert summary["ratio"] == pytest.approx(80.5 / 10.5)


def test_unanswered_turns_are_left_out_of_a_window() -> None:
    curve: list[float | None] = [5.0] * 100
    curve[9] = None
    curve[10] = 1000.0

    assert window_median(curve, range(10, 13)) == pytest.approx((1000.0 + 5.0) / 2)
    assert summarise([1.0] * 20) == {"turn_10_ms": 1.0, "turn_80_ms": None, "ratio": None}


async def test_a_curve_plays_whole_conversations_each_as_one_new_sender(
    fake_rasa: tuple[str, list[tuple[str, str]]],
) -> None:
    url, received = fake_rasa

    curve = await measure_curve(url, ("one", "fail", "two"), conversations=2, turns=5)

    assert len(curve) == 5
    assert curve[1] is None and curve[4] is None  # 'fail' answered 500 in both
    assert all(value is not None and value > 0 for value in (curve[0], curve[2], curve[3]))
    by_sender: dict[str, list[str]] = {}
    for sender, message in received:
        by_sender.setdefault(sender, []).append(message)
    assert list(by_sender.values()) == [["one", "fail", "two", "one", "fail"]] * 2


def test_a_summary_is_rounded_for_the_results_file() -> None:
    assert rounded({"turn_10_ms": 10.04449, "turn_80_ms": None, "ratio": 1.23456}) == {
        "turn_10_ms": 10.044,
        "turn_80_ms": None,
        "ratio": 1.235,
    }
