"""Summarising Rasa's NLU reports."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.nlu_report import summarise


def test_the_summary_gives_the_averages_and_the_weakest_labels(tmp_path: Path) -> None:
    report = {
        "greet": {"f1-score": 1.0, "support": 10},
        "ask_fund_size": {"f1-score": 0.8, "support": 10},
        "ask_loan_term": {"f1-score": 0.9, "support": 10},
        "accuracy": 0.9,
        "macro avg": {"f1-score": 0.9},
        "weighted avg": {"f1-score": 0.91},
    }
    path = tmp_path / "intent_report.json"
    path.write_text(json.dumps(report), encoding="utf-8")

    summary = summarise(path, weakest=2)

    assert summary.weighted_f1 == 0.91
    assert summary.macro_f1 == 0.9
    assert summary.accuracy == 0.9
    assert summary.per_label_f1 == {"greet": 1.0, "ask_fund_size": 0.8, "ask_loan_term": 0.9}
    assert summary.weakest == (("ask_fund_size", 0.8), ("ask_loan_term", 0.9))
