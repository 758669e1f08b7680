"""Summarise Rasa's NLU cross-validation reports: ``python -m benchmarks.nlu_report DIR``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

AGGREGATES = ("accuracy", "macro avg", "weighted avg", "micro avg")


@dataclass(frozen=True)
class NluSummary:
    """Headline figures, each label's F1 and the weakest labels of one report."""

    weighted_f1: float
    macro_f1: float
    accuracy: float | None
    per_label_f1: dict[str, float]
    weakest: tuple[tuple[str, float], ...]


def summarise(report_path: Path, weakest: int = 5) -> NluSummary:
    """Read a Rasa ``*_report.json`` and pick out its F1 figures and accuracy."""
    report = json.loads(report_path.read_text(encoding="utf-8"))
    labels = {
        name: values["f1-score"]
        for name, values in report.items()
        if name not in AGGREGATES and isinstance(values, dict) and "f1-score" in values
    }
    ranked = sorted(labels.items(), key=lambda item: item[1])[:weakest]
    return NluSummary(
        weighted_f1=report["weighted avg"]["f1-score"],
        macro_f1=report["macro avg"]["f1-score"],
        accuracy=report.get("accuracy"),
        per_label_f1=labels,
        weakest=tuple(ranked),
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Print the intent figures of a cross-validation run (the classifier finds no entities)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    arguments = parser.parse_args(argv)
    summary = summarise(arguments.directory / "intent_report.json")
    weakest = ", ".join(f"{name} {f1:.2f}" for name, f1 in summary.weakest)
    print(
        f"Intent F1 (cross-validation): weighted {summary.weighted_f1:.3f}, "
        f"macro {summary.macro_f1:.3f}; weakest: {weakest}"
    )


if __name__ == "__main__":
    main()
