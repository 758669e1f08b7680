"""The benchmark report: every figure, its target, and the plots."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from benchmarks.report import PLOTS, p95_ratio, render_markdown, targets, write_report


def load_row(concurrency: int, p95: float, errors: int = 0) -> dict[str, Any]:
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
        "messages_per_second": 20.0,
    }


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
        "tsf": [load_row(1, 42.0), load_row(10, 300.0), load_row(50, 1500.0)],
        "baseline": [load_row(1, 30.0), load_row(10, 200.0), load_row(50, 900.0)],
    },
    "resources": {
        "memory_mb": {"tsf": {"rasa": 900.0, "actions": 70.0}, "baseline": {"rasa": 800.0}},
        "training_seconds": {"tsf": 95.0, "baseline": 70.0},
        "model_mb": {"tsf": 12.3, "baseline": 25.0},
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
    assert p95_ratio(RESULTS) == pytest.approx(1.4)
    assert p95_ratio(RESULTS, concurrency=50) == pytest.approx(1500 / 900)


def test_every_target_is_judged_from_the_figures() -> None:
    judged = {what: met for what, _, _, met in targets(RESULTS)}

    assert all(judged.values())
    worse = copy.deepcopy(RESULTS)
    worse["load"]["tsf"][0]["p95_ms"] = 46.0
    worse["load"]["tsf"][2]["errors"] = 1
    worse["nlu"]["intent_weighted_f1"] = 0.949
    missed = [what for what, _, _, met in targets(worse) if not met]
    assert len(missed) == 3


def test_the_markdown_states_every_figure() -> None:
    text = render_markdown(RESULTS)

    for figure in (
        "0.957",
        "122/124",
        "1.40×",
        "F1 0.985",
        "74 ms",
        "142 leads/s",
        "95 s",
        "900 MB",
        "14 ms median, 18 ms p95",
    ):
        assert figure in text, figure
    assert text.count("✅ met") == 4
    for path in PLOTS.values():
        assert f"({path})" in text


def test_writing_the_report_draws_every_plot(tmp_path: Path) -> None:
    report = write_report(RESULTS, tmp_path)

    assert report.read_text(encoding="utf-8").startswith("# TSF Assistant benchmark")
    for key, path in PLOTS.items():
        if key == "confusion":
            continue  # copied from Rasa's cross-validation output by benchmarks.bench
        assert (tmp_path / path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path


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
