"""``make bench``: measure NLU quality, latency, throughput, resources and the lead pipeline.

Steps, all on this machine and on loopback only:

1. NLU: 5-fold cross-validation of the production pipeline (``rasa test nlu``), the amount
   entity scored on labelled sentences, and Rasa's confusion matrix kept as a plot.
2. Training: the full model trained from scratch into a scratch folder, timed and weighed.
3. The assistant (``tests.support.harness.start_assistant``): held-out answer accuracy, then
   scripted conversations at each concurrency, then each process's peak memory.
   Then, at concurrency 1, per-turn latency against turn number over 100-turn
   conversations (:mod:`benchmarks.turn_curve`).
4. The baselines: Rasa's ``rasa init`` bot, and a minimal form bot with one validation
   action (:mod:`benchmarks.form_baseline`), each trained and served in the same run, under
   the same load, with the same per-turn curve.
5. The lead pipeline against a local signed-webhook CRM.
6. Live chat: a staff reply in the team's (fake) Slack thread to the widget's live stream.

Writes ``benchmarks/results.json``, ``benchmarks/report.md`` and ``benchmarks/plots/``.
Usage: ``python -m benchmarks.bench [--quick]`` (``--quick``: fewer conversations, 2 folds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks import amount_entities, answer_accuracy, lead_pipeline, live_chat, turn_curve
from benchmarks.baseline import (
    BaselineBot,
    RunningBaseline,
    build_baseline,
    run_rasa,
    start_baseline,
)
from benchmarks.form_baseline import build_form_baseline, start_form_baseline
from benchmarks.load import (
    BASELINE_SCENARIOS,
    FORM_BASELINE_SCENARIOS,
    TSF_SCENARIOS,
    LoadResult,
    Scenario,
    run_load,
)
from benchmarks.nlu_report import summarise
from benchmarks.report import write_report
from benchmarks.resources import peak_memory, service_pids
from tests.support.harness import ROOT, start_assistant
from tsf_knowledge.loader import default_knowledge

BENCH_DIR = ROOT / "benchmarks"
CONFIG = ROOT / "rasa_project" / "config.yml"
WARM_UP_ROUNDS = 3
LIVE_CHAT_REPLIES = 50


@dataclass(frozen=True)
class LoadPlan:
    """How many conversations to run at each concurrency, for us and for each baseline, and
    how many 100-turn conversations make each per-turn curve."""

    concurrency: tuple[int, ...] = (1, 10, 50)
    tsf_conversations: tuple[int, ...] = (12, 30, 100)
    baseline_conversations: tuple[int, ...] = (36, 90, 300)
    form_conversations: tuple[int, ...] = (15, 40, 125)
    curve_conversations: int = 5
    folds: int = 5


QUICK_PLAN = LoadPlan(
    tsf_conversations=(3, 10, 50),
    baseline_conversations=(9, 30, 150),
    form_conversations=(4, 12, 60),
    curve_conversations=2,
    folds=2,
)


def _count_examples() -> tuple[int, int]:
    """(examples, intents) in the NLU training data."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "data" / "nlu"))
    return len(data.intent_examples), len(data.intents)


def measure_nlu(workdir: Path, folds: int) -> dict[str, Any]:
    """Cross-validate the NLU pipeline and score the amount entity."""
    out = workdir / "nlu_cv"
    run_rasa(
        "test", "nlu", "--nlu", "data/nlu", "--config", str(CONFIG),
        "--cross-validation", "--folds", str(folds), "--out", str(out), cwd=ROOT,
    )  # fmt: skip
    summary = summarise(out / "intent_report.json")
    entity = amount_entities.score(amount_entities.load_mentions())
    examples, intents = _count_examples()
    return {
        "folds": folds,
        "examples": examples,
        "intents": intents,
        "intent_weighted_f1": summary.weighted_f1,
        "intent_macro_f1": summary.macro_f1,
        "intent_accuracy": summary.accuracy,
        "weakest": [list(item) for item in summary.weakest],
        "per_intent_f1": summary.per_label_f1,
        "entity": {
            "name": "amount",
            "sentences": entity.sentences,
            "precision": entity.precision,
            "recall": entity.recall,
            "f1": entity.f1,
            "mistakes": list(entity.mistakes),
        },
    }


def measure_training(workdir: Path) -> tuple[float, float]:
    """(seconds, megabytes) to train the full model from scratch."""
    started = time.monotonic()
    run_rasa(
        "train", "--config", str(CONFIG), "--domain", "rasa_project/domain", "--data", "data",
        "--out", str(workdir / "models"), "--fixed-model-name", "bench", "--force", cwd=ROOT,
    )  # fmt: skip
    seconds = time.monotonic() - started
    return seconds, (workdir / "models" / "bench.tar.gz").stat().st_size / 1e6


def _row(result: LoadResult) -> dict[str, Any]:
    counts = ("concurrency", "conversations", "turns", "errors", "silent")
    return {
        **{name: getattr(result, name) for name in counts},
        "seconds": round(result.seconds, 2),
        **{f"p{n}_ms": round(result.percentile(n / 100), 1) for n in (50, 95, 99)},
        "messages_per_second": round(result.messages_per_second, 2),
    }


def load_rows(
    rasa_url: str,
    scenarios: Sequence[Scenario],
    plan: LoadPlan,
    conversations: Sequence[int],
    token: str | None = None,
) -> list[dict[str, Any]]:
    """Warm up, then run each concurrency of ``plan``; one row of figures per concurrency."""
    asyncio.run(run_load(rasa_url, scenarios, 1, WARM_UP_ROUNDS * len(scenarios), token))
    rows = []
    for concurrency, count in zip(plan.concurrency, conversations, strict=True):
        rows.append(_row(asyncio.run(run_load(rasa_url, scenarios, concurrency, count, token))))
        print(f"  concurrency {concurrency}: {rows[-1]}", flush=True)
    return rows


def curve(
    rasa_url: str, messages: Sequence[str], plan: LoadPlan, token: str | None = None
) -> list[float | None]:
    """The per-turn latency curve of the bot at ``rasa_url`` (concurrency 1); prints its summary."""
    measured = turn_curve.turn_curve(rasa_url, messages, plan.curve_conversations, token)
    print(f"  turn curve: {turn_curve.rounded(turn_curve.summarise(measured))}", flush=True)
    return measured


def measure_assistant(workdir: Path, plan: LoadPlan) -> dict[str, Any]:
    """Held-out accuracy, load figures, the per-turn curve and peak memory of the running
    assistant."""
    workdir.mkdir(parents=True, exist_ok=True)
    assistant = start_assistant(workdir)
    try:
        report = answer_accuracy.evaluate(
            assistant, answer_accuracy.load_cases(), default_knowledge()
        )
        accuracy = report.figures()
        print(f"  answer accuracy {accuracy['correct']}/{accuracy['total']}", flush=True)
        rows = load_rows(
            assistant.rasa_url, TSF_SCENARIOS, plan, plan.tsf_conversations, assistant.token
        )
        curve_ms = curve(assistant.rasa_url, turn_curve.TSF_TURN_MESSAGES, plan, assistant.token)
        memory = peak_memory(service_pids(assistant.process.pid))
    finally:
        assistant.stop()
    accuracy["wrong"] = [
        {"text": item.case.text, "expected": item.case.expected, "reply": item.reply[:200]}
        for item in report.wrong
    ]
    return {"answer_accuracy": accuracy, "load": rows, "curve": curve_ms, "memory_mb": memory}


def _measure_baseline(
    bot: BaselineBot,
    running: RunningBaseline,
    scenarios: Sequence[Scenario],
    conversations: Sequence[int],
    messages: Sequence[str],
    plan: LoadPlan,
) -> dict[str, Any]:
    """A served baseline's load figures, per-turn curve and peak memory; then stop it."""
    try:
        rows = load_rows(running.rasa_url, scenarios, plan, conversations)
        curve_ms = curve(running.rasa_url, messages, plan)
        memory = peak_memory(running.pids())
    finally:
        running.stop()
    return {
        "load": rows,
        "curve": curve_ms,
        "memory_mb": memory,
        "training_seconds": bot.training_seconds,
        "model_mb": bot.model.stat().st_size / 1e6,
    }


def measure_baseline(workdir: Path, plan: LoadPlan) -> dict[str, Any]:
    """Build and serve the ``rasa init`` bot; its load figures, curve and peak memory."""
    bot = build_baseline(workdir)
    running = start_baseline(bot, workdir / "baseline.log")
    return _measure_baseline(
        bot,
        running,
        BASELINE_SCENARIOS,
        plan.baseline_conversations,
        turn_curve.BASELINE_TURN_MESSAGES,
        plan,
    )


def measure_form_baseline(workdir: Path, plan: LoadPlan) -> dict[str, Any]:
    """Build and serve the form bot; its load figures, curve and peak memory."""
    workdir.mkdir(parents=True, exist_ok=True)
    bot = build_form_baseline(workdir)
    running = start_form_baseline(bot, workdir)
    return _measure_baseline(
        bot,
        running,
        FORM_BASELINE_SCENARIOS,
        plan.form_conversations,
        turn_curve.FORM_BASELINE_TURN_MESSAGES,
        plan,
    )


def run(plan: LoadPlan, workdir: Path) -> dict[str, Any]:
    """Every measurement, as the dictionary the report is rendered from."""
    import rasa

    print("NLU cross-validation…", flush=True)
    nlu = measure_nlu(workdir, plan.folds)
    print("Training from scratch…", flush=True)
    training_seconds, model_mb = measure_training(workdir)
    print("The assistant under load…", flush=True)
    ours = measure_assistant(workdir / "tsf", plan)
    print("The rasa init baseline under load…", flush=True)
    baseline = measure_baseline(workdir / "baseline", plan)
    print("The form bot baseline under load…", flush=True)
    form = measure_form_baseline(workdir / "form_baseline", plan)
    print("The lead pipeline…", flush=True)
    leads = lead_pipeline.measure(f"sqlite:///{workdir / 'leads.db'}", 200)
    print("Live chat: staff reply to the widget…", flush=True)
    chat = live_chat.measure(workdir / "live_chat", LIVE_CHAT_REPLIES)
    nlu["answer_accuracy"] = ours["answer_accuracy"]
    bots = {"tsf": ours, "baseline": baseline, "form_baseline": form}
    return {
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "rasa": rasa.__version__,
        },
        "nlu": nlu,
        "load": {side: figures["load"] for side, figures in bots.items()},
        "turn_curve": {
            "conversations": plan.curve_conversations,
            **{side: figures["curve"] for side, figures in bots.items()},
            "summary": {
                side: turn_curve.rounded(turn_curve.summarise(figures["curve"]))
                for side, figures in bots.items()
            },
        },
        "resources": {
            "memory_mb": {side: figures["memory_mb"] for side, figures in bots.items()},
            "training_seconds": {
                "tsf": training_seconds,
                **{side: bots[side]["training_seconds"] for side in ("baseline", "form_baseline")},
            },
            "model_mb": {
                "tsf": model_mb,
                **{side: bots[side]["model_mb"] for side in ("baseline", "form_baseline")},
            },
        },
        "lead_pipeline": {**asdict(leads), "poll_seconds": lead_pipeline.POLL_SECONDS},
        "live_chat": asdict(chat),
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Measure everything and write the results, the report and the plots."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short run to check the setup")
    parser.add_argument("--out", type=Path, default=BENCH_DIR)
    arguments = parser.parse_args(argv)
    plan = QUICK_PLAN if arguments.quick else LoadPlan()
    plots = arguments.out / "plots"
    plots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tsf-bench-") as scratch:
        results = run(plan, Path(scratch))
        confusion = Path(scratch) / "nlu_cv" / "intent_confusion_matrix.png"
        shutil.copyfile(confusion, plots / "nlu_confusion_matrix.png")
    results_path = arguments.out / "results.json"
    if results_path.exists():  # `make eval` keeps its understanding figures here too
        earlier = json.loads(results_path.read_text(encoding="utf-8"))
        if "understanding" in earlier:
            results["understanding"] = earlier["understanding"]
    results_path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    report = write_report(results, arguments.out)
    print(f"Wrote {report}")


if __name__ == "__main__":
    main()
