"""The benchmark report: every figure, its target, and the plots."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from benchmarks.report import (
    PLOTS,
    load_ratio,
    p95_ratio,
    render_markdown,
    targets,
    turn_growth,
    write_report,
)


def load_row(
    concurrency: int, p95: float, errors: int = 0, per_second: float = 20.0
) -> dict[str, Any]:
    return {
        "concurrency": concurrency,
        "conversations": 10,
        "turns": 100,
        "errors": errors,
        "silent": 0,
        "seconds": 5.0,
        "p50_ms": p95 / 2,
        "p95_ms": p95,
        "p99_ms": p95 * 1.2,
        "messages_per_second": per_second,
    }


def curve(early: float, late: float) -> list[float | None]:
    """100 turns: ``early`` ms up to turn 40, ``late`` ms after."""
    return [early] * 40 + [late] * 60


RESULTS: dict[str, Any] = {
    "generated": "2026-11-23 18:00 UTC",
    "machine": {"cpus": 2, "python": "3.10.13", "rasa": "3.6.21"},
    "nlu": {
        "folds": 5,
        "examples": 2000,
        "intents": 45,
        "intent_weighted_f1": 0.957,
        "intent_macro_f1": 0.951,
        "intent_accuracy": 0.956,
        "weakest": [["help", 0.88], ["affirm", 0.9]],
        "per_intent_f1": {"help": 0.88, "affirm": 0.9, "greet": 1.0},
        "entity": {
            "name": "amount",
            "sentences": 45,
            "precision": 1.0,
            "recall": 0.97,
            "f1": 0.985,
        },
        "answer_accuracy": {
            "total": 124,
            "correct": 122,
            "in_scope_total": 108,
            "in_scope_correct": 106,
            "out_of_scope_total": 16,
            "out_of_scope_correct": 16,
        },
    },
    "load": {
        "tsf": [load_row(1, 36.0), load_row(10, 250.0), load_row(50, 1100.0)],
        "baseline": [
            load_row(1, 30.0, per_second=21.0),
            load_row(10, 200.0, per_second=22.0),
            load_row(50, 900.0, per_second=22.0),
        ],
        "form_baseline": [load_row(1, 34.0), load_row(10, 240.0), load_row(50, 1050.0)],
    },
    "turn_curve": {
        "conversations": 5,
        "tsf": curve(30.0, 33.0),
        "baseline": curve(20.0, 21.0),
        "form_baseline": curve(34.0, 64.0),
    },
    "resources": {
        "memory_mb": {
            "tsf": {"rasa": 900.0, "actions": 70.0},
            "baseline": {"rasa": 800.0},
            "form_baseline": {"rasa": 810.0, "actions": 61.0},
        },
        "training_seconds": {"tsf": 95.0, "baseline": 70.0, "form_baseline": 23.0},
        "model_mb": {"tsf": 12.3, "baseline": 25.0, "form_baseline": 24.0},
    },
    "lead_pipeline": {
        "leads": 200,
        "submit_ms_median": 6.9,
        "worker_leads_per_second": 142.0,
        "submit_to_receipt_ms_median": 74.0,
        "submit_to_receipt_ms_p95": 91.0,
        "poll_seconds": 0.05,
    },
    "live_chat": {
        "replies": 50,
        "staff_reply_to_widget_ms_median": 14.0,
        "staff_reply_to_widget_ms_p95": 17.8,
    },
}


def test_the_p95_ratio_is_ours_over_the_baselines_at_concurrency_one() -> None:
    assert p95_ratio(RESULTS) == pytest.approx(1.2)
    assert p95_ratio(RESULTS, concurrency=50) == pytest.approx(1100 / 900)
    assert p95_ratio(RESULTS, concurrency=10, other="form_baseline") == pytest.approx(250 / 240)
    assert load_ratio(RESULTS, "messages_per_second", "baseline", 10) == pytest.approx(20 / 22)


def test_the_turn_growth_compares_turns_76_to_85_with_turns_6_to_15() -> None:
    growth = turn_growth(RESULTS, "form_baseline")

    assert growth == {"turn_10_ms": 34.0, "turn_80_ms": 64.0, "ratio": pytest.approx(64 / 34)}


def test_every_target_is_judged_from_the_figures() -> None:
    judged = {what: met for what, _, _, met in targets(RESULTS)}

    assert len(judged) == 2 + 3 * 3 + 1 + 1
    assert all(judged.values())
    worse = copy.deepcopy(RESULTS)
    worse["load"]["tsf"][0]["p95_ms"] = 39.0  # 1.30× rasa init's (met), 1.15× the form bot's
    worse["load"]["tsf"][1]["messages_per_second"] = 19.7  # 0.895× rasa init's
    worse["load"]["tsf"][2]["errors"] = 1
    worse["turn_curve"]["tsf"] = curve(30.0, 36.1)  # 1.203× turn 10
    worse["nlu"]["intent_weighted_f1"] = 0.949
    missed = [what for what, _, _, met in targets(worse) if not met]
    assert missed == [
        "NLU intent F1 (5-fold cross-validation, weighted)",
        "Messages/s at concurrency 10, ours ÷ rasa init",
        "p95 per turn at concurrency 1, ours ÷ the form bot",
        "Median per turn at turn 80 ÷ turn 10, ours (concurrency 1)",
        "Errors at concurrency 50",
    ]


def test_the_ratio_targets_name_each_concurrency_and_their_bounds() -> None:
    rows = {what: (target, measured) for what, target, measured, _ in targets(RESULTS)}

    for n, ratio in ((1, "1.20×"), (10, "1.25×"), (50, "1.22×")):
        assert rows[f"p95 per turn at concurrency {n}, ours ÷ rasa init"] == ("≤ 1.3×", ratio)
    assert rows["Messages/s at concurrency 1, ours ÷ rasa init"] == ("≥ 0.9×", "0.95×")
    assert rows["p95 per turn at concurrency 50, ours ÷ the form bot"] == ("≤ 1.1×", "1.05×")
    assert rows["Median per turn at turn 80 ÷ turn 10, ours (concurrency 1)"] == ("≤ 1.2×", "1.10×")


def test_the_markdown_states_every_figure() -> None:
    text = render_markdown(RESULTS)

    for figure in (
        "0.957",
        "122/124",
        "1.20×",
        "F1 0.985",
        "| Form bot (one validation action) | 34 ms | 64 ms | 1.88× |",
        "**Our overhead, as a ratio to the form bot**",
        "| 10 | 1.04× | 1.04× | 1.04× | 1.00× |",
        "| Peak memory: actions | 70 MB | — | 61 MB |",
        "74 ms",
        "142 leads/s",
        "95 s",
        "900 MB",
        "14 ms median, 18 ms p95",
    ):
        assert figure in text, figure
    assert text.count("✅ met") == 13
    for path in PLOTS.values():
        assert f"({path})" in text


def test_writing_the_report_draws_every_plot(tmp_path: Path) -> None:
    report = write_report(RESULTS, tmp_path)

    assert report.read_text(encoding="utf-8").startswith("# TSF Assistant benchmark")
    for key, path in PLOTS.items():
        if key == "confusion":
            continue  # copied from Rasa's cross-validation output by benchmarks.bench
        assert (tmp_path / path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path


def test_an_older_results_file_without_the_form_bot_or_the_curve_still_renders(
    tmp_path: Path,
) -> None:
    older = copy.deepcopy(RESULTS)
    del older["turn_curve"], older["load"]["form_baseline"]
    for figures in older["resources"].values():
        del figures["form_baseline"]

    report = write_report(older, tmp_path).read_text(encoding="utf-8")

    rows = {what: measured for what, _, measured, _ in targets(older)}
    assert rows["p95 per turn at concurrency 1, ours ÷ the form bot"] == "not measured"
    assert rows["Median per turn at turn 80 ÷ turn 10, ours (concurrency 1)"] == "not measured"
    assert "Latency by turn number" not in report
    assert "form bot" not in report.split("## Latency and throughput")[1]
    assert not (tmp_path / PLOTS["turn_curve"]).exists()
    assert (tmp_path / PLOTS["memory"]).exists()


def understanding(correct: int, turns_passed: int, false_answers: int) -> dict[str, Any]:
    return {
        "measured": "2026-12-01 09:00 UTC",
        "questions": {
            "in_scope": {"total": 100, "correct": correct},
            "unanswered": {"total": 40, "correct": 39},
            "off_topic": {"total": 40, "correct": 40},
            "all": {"total": 180, "correct": correct + 79},
        },
        "conversations": {"total": 20, "passed": 19, "turns": 100, "turns_passed": turns_passed},
        "clinc": {"oos_val": {"total": 100, "false_answers": false_answers}},
        "heldout": {"total": 124, "correct": 123},
    }


def test_understanding_is_reported_before_and_now_against_its_targets() -> None:
    results = {
        **copy.deepcopy(RESULTS),
        "understanding": {
            "before": understanding(60, 20, 11),
            "after": understanding(96, 98, 1),
        },
    }

    report = render_markdown(results)

    assert "## Understanding (blind set)" in report
    assert "| Blind questions, in scope | ≥ 95% | 60.0% | 96.0% | ✅ met |" in report
    assert "| Blind conversation turns passed | ≥ 97% | 20.0% | 98.0% | ✅ met |" in report
    assert "answered with a fund fact | ≤ 1% | 11.0% | 1.0% | ✅ met |" in report


def test_without_an_eval_run_there_is_no_understanding_section() -> None:
    assert "Understanding" not in render_markdown(copy.deepcopy(RESULTS))
