"""Where a turn's time goes: py-spy on the Rasa server and the action server at once.

Starts the real assistant, attaches ``py-spy record`` to both servers, plays the 25-turn
conversation (seven enquiries, the eligibility interview and the lead hand-off) ``--runs``
times one turn at a time, then sorts every CPU sample into the stage of a turn it belongs
to (:data:`RASA_STAGES`, :data:`ACTION_STAGES`) and prints each stage as milliseconds per
turn and as a share of the mean turn. Loopback only; py-spy must be installed
(``pip install py-spy``) and allowed to trace the servers.

Usage: ``python -m benchmarks.profile_turns [--runs 8] [--out profile.json]``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from benchmarks.load import TSF_SCENARIOS
from benchmarks.resources import service_pids
from tests.support.harness import start_assistant

SAMPLES_PER_SECOND = 250
SERVERS = ("rasa", "actions")
ENQUIRIES = (
    "hello",
    "how big is the fund?",
    "how long are the loans for?",
    "what can the money be spent on?",
    "could we borrow 400k?",
    "who runs the fund?",
    "thanks",
)
CONVERSATION = (*ENQUIRIES, *TSF_SCENARIOS[2].turns)
"""25 turns: seven enquiries, then the interview and lead hand-off of ``make bench``."""

RASA_STAGES = (
    ("tracker load (SQL, events replayed)", ("tracker_store.py:_retrieve",)),
    ("tracker save", ("tracker_store.py:save",)),
    ("NLU parse", ("processor.py:parse_message",)),
    ("action server calls (tracker to JSON, HTTP)", ("endpoints.py:request",)),
    ("prediction: TED", ("ted_policy.py:predict_action_probabilities",)),
    ("prediction: tracker states", ("domain.py:states_for_tracker_history",)),
    ("prediction: rules, memo, graph", ("processor.py:_predict_next_with_tracker",)),
    ("tracker copies", ("trackers.py:copy",)),
    ("applied events (other)", ("trackers.py:applied_events",)),
)
ACTION_STAGES = (
    ("request JSON parse", ("request.py:load_json",)),
    ("response", ("response.py:", "http.py:respond")),
    ("action code", ("executor.py:run",)),
)
"""(stage, frames): a sample belongs to the first stage with one of its frames
(``file.py:function``) on its stack; the rest is "other"."""
IDLE_FRAMES = ("runners.py:serve", "thread.py:_worker")
"""Innermost frames of a server waiting for work (the event loop, idle pool threads)."""
FRAME = re.compile(r"(?P<function>.*) \((?P<path>.*?):\d+\)$")


def frame_name(frame: str) -> str:
    """``file.py:function`` for a py-spy frame ``function (path/to/file.py:line)``."""
    found = FRAME.match(frame)
    if not found:
        return frame
    return f"{found['path'].rsplit('/', 1)[-1]}:{found['function']}"


def stage_of(frames: Sequence[str], stages: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The first of ``stages`` with a frame in ``frames`` (``file.py:function``), or other."""
    present = set(frames)
    for name, markers in stages:
        if present.intersection(markers):
            return name
    return "other"


def tally(collapsed: str, stages: Sequence[tuple[str, Sequence[str]]]) -> Counter[str]:
    """Busy samples per stage in a py-spy ``--format raw`` recording (collapsed stacks,
    outermost frame first); samples of a waiting server are left out."""
    counts: Counter[str] = Counter()
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [frame_name(frame) for frame in stack.split(";")]
        if frames[-1] not in IDLE_FRAMES:
            counts[stage_of(frames, stages)] += int(count)
    return counts


def _py_spy() -> str:
    """py-spy beside this interpreter (the venv), else on the PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else "py-spy"


def _record(pid: int, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            _py_spy(),
            "record",
            "--pid",
            str(pid),
            "--rate",
            str(SAMPLES_PER_SECOND),
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def profile(workdir: Path, runs: int) -> dict[str, object]:
    """Play :data:`CONVERSATION` ``runs`` times under py-spy; figures per stage and turn."""
    assistant = start_assistant(workdir)
    try:
        pids = service_pids(assistant.process.pid)
        for _ in range(2):  # warm up outside the recording
            sender = uuid.uuid4().hex
            for message in CONVERSATION:
                assistant.say(sender, message)
        recorders = {name: _record(pids[name], workdir / f"{name}.txt") for name in SERVERS}
        time.sleep(2)
        turn_ms: list[float] = []
        for _ in range(runs):
            sender = uuid.uuid4().hex
            for message in CONVERSATION:
                started = time.perf_counter()
                assistant.say(sender, message)
                turn_ms.append((time.perf_counter() - started) * 1000)
        time.sleep(0.5)
        for recorder in recorders.values():
            recorder.send_signal(signal.SIGINT)
            recorder.wait(timeout=60)
    finally:
        assistant.stop()
    return summarise(workdir, len(turn_ms), sum(turn_ms) / len(turn_ms))


def summarise(recordings: Path, turns: int, mean_ms: float) -> dict[str, object]:
    """Each server's stages as milliseconds per turn and shares of the mean turn, from the
    recordings ``rasa.txt`` and ``actions.txt`` in ``recordings``."""
    figures: dict[str, object] = {"turns": turns, "mean_turn_ms": round(mean_ms, 1)}
    for name, stages in zip(SERVERS, (RASA_STAGES, ACTION_STAGES), strict=True):
        counts = tally((recordings / f"{name}.txt").read_text(), stages)
        figures[name] = {
            stage: {
                "ms_per_turn": round(samples / SAMPLES_PER_SECOND * 1000 / turns, 2),
                "share_of_turn": round(samples / SAMPLES_PER_SECOND * 1000 / turns / mean_ms, 3),
            }
            for stage, samples in counts.most_common()
        }
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    """Profile and print (and optionally save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--keep", type=Path, help="a folder to copy the raw recordings to")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tsf-profile-") as scratch:
        figures = profile(Path(scratch), arguments.runs)
        if arguments.keep:
            arguments.keep.mkdir(parents=True, exist_ok=True)
            for name in SERVERS:
                shutil.copyfile(Path(scratch) / f"{name}.txt", arguments.keep / f"{name}.txt")
    text = json.dumps(figures, indent=2)
    print(text)
    if arguments.out:
        arguments.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
