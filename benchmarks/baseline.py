"""Rasa's own ``rasa init`` sample bot, built and started on the fly as a yardstick.

The baseline is exactly what ``rasa init --no-prompt`` creates and trains (the "moodbot":
DIET and TED with Rasa's default settings, responses only, an in-memory tracker store),
served by the same Rasa version on loopback. Measuring it in the same run as our assistant
turns our latency into a ratio that does not depend on the machine.

:func:`serve` (with :func:`start_python` and :func:`stop`) is the one way a baseline bot is
served and stopped, also for the form bot of :mod:`benchmarks.form_baseline`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.support.harness import free_port, wait_until_ready


@dataclass(frozen=True)
class BaselineBot:
    """A trained baseline project, and how long it took to train."""

    project: Path
    model: Path
    training_seconds: float


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate ``process`` and wait for it; kill it if it does not stop in 30 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class RunningBaseline:
    """A Rasa server running a baseline bot, and its action server if it has one."""

    process: subprocess.Popen[bytes]
    rasa_url: str
    actions: subprocess.Popen[bytes] | None = None

    def pids(self) -> dict[str, int]:
        """The bot's processes by name (``rasa``, and ``actions`` if it has them)."""
        return {"rasa": self.process.pid} | ({"actions": self.actions.pid} if self.actions else {})

    def stop(self) -> None:
        """Stop the Rasa server, then the action server, waiting for each."""
        stop(self.process)
        if self.actions is not None:
            stop(self.actions)


def _environment() -> dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


def run_rasa(*arguments: str, cwd: Path) -> None:
    """Run the ``rasa`` command line quietly in ``cwd``; raise if it fails."""
    subprocess.run(
        [sys.executable, "-m", "rasa", *arguments],
        cwd=cwd,
        env=_environment(),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )


def build_baseline(workdir: Path) -> BaselineBot:
    """Create and train the ``rasa init`` sample bot in ``workdir``/moodbot."""
    project = workdir / "moodbot"
    project.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    run_rasa("init", "--no-prompt", "--init-dir", str(project), cwd=workdir)
    seconds = time.monotonic() - started
    (model,) = sorted((project / "models").glob("*.tar.gz"))
    return BaselineBot(project=project, model=model, training_seconds=seconds)


def start_python(
    arguments: Sequence[str],
    cwd: Path,
    log_path: Path,
    environment: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``python <arguments>`` in ``cwd``, its output to ``log_path``."""
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, *arguments],
            cwd=cwd,
            env={**_environment(), **(environment or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def serve(
    bot: BaselineBot,
    log_path: Path,
    endpoints: Path | None = None,
    actions: subprocess.Popen[bytes] | None = None,
) -> RunningBaseline:
    """Serve ``bot`` with ``rasa run`` on a free loopback port (REST channel, open API).

    ``endpoints`` is passed to Rasa; ``actions``, an action server already started for the
    bot, is stopped with it. Raises (having stopped both) if Rasa does not become ready.
    """
    port = free_port()
    arguments = ["-m", "rasa", "run", "--model", str(bot.model), "--interface", "127.0.0.1"]
    arguments += ["--port", str(port), "--enable-api"]
    arguments += ["--endpoints", str(endpoints)] if endpoints else []
    process = start_python(arguments, bot.project, log_path)
    running = RunningBaseline(process, f"http://127.0.0.1:{port}", actions)
    if not wait_until_ready(f"{running.rasa_url}/status"):
        running.stop()
        raise RuntimeError(
            f"The bot in {bot.project} did not start:\n{log_path.read_text()[-3000:]}"
        )
    return running


def start_baseline(bot: BaselineBot, log_path: Path) -> RunningBaseline:
    """Serve the ``rasa init`` bot (responses only, no action server)."""
    return serve(bot, log_path)
