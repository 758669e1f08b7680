"""Rasa's own ``rasa init`` sample bot, built and started on the fly as a yardstick.

The baseline is exactly what ``rasa init --no-prompt`` creates and trains (the "moodbot":
DIET and TED with Rasa's default settings, responses only, an in-memory tracker store),
served by the same Rasa version on loopback. Measuring it in the same run as our assistant
turns our latency into a ratio that does not depend on the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.harness import free_port, wait_until_ready


@dataclass(frozen=True)
class BaselineBot:
    """A trained ``rasa init`` project."""

    project: Path
    model: Path
    training_seconds: float


@dataclass
class RunningBaseline:
    """A Rasa server running the baseline bot."""

    process: subprocess.Popen[bytes]
    rasa_url: str

    def stop(self) -> None:
        """Stop the server and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


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


def start_baseline(bot: BaselineBot, log_path: Path) -> RunningBaseline:
    """Serve ``bot`` with ``rasa run`` on a free loopback port (REST channel, open API)."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "rasa",
                "run",
                "--model",
                str(bot.model),
                "--interface",
                "127.0.0.1",
                "--port",
                str(port),
                "--enable-api",
            ],
            cwd=bot.project,
            env=_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    running = RunningBaseline(process=process, rasa_url=f"http://127.0.0.1:{port}")
    if not wait_until_ready(f"{running.rasa_url}/status"):
        running.stop()
        raise RuntimeError(f"The baseline bot did not start:\n{log_path.read_text()[-3000:]}")
    return running
