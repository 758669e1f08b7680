"""Start the real assistant (launcher, Rasa, action server, web page) on free loopback ports.

Used by the end-to-end tests and by the evaluation and benchmark scripts.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_SECONDS = 300.0


def free_port() -> int:
    """A TCP port on loopback that nothing is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def http(method: str, url: str, body: Any = None, timeout: float = 60.0) -> tuple[int, Any]:
    """Send a JSON request; return the status and the decoded JSON (or text) body."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(), error.code
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


def child_pids(pid: int) -> list[int]:
    """Direct children of ``pid``, from /proc."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def is_alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@dataclass
class RunningAssistant:
    """A launcher process and the addresses of what it started."""

    process: subprocess.Popen[bytes]
    rasa_url: str
    actions_url: str
    web_url: str
    token: str
    log_path: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    def say(self, sender: str, message: str) -> list[dict[str, Any]]:
        """Send one message over the REST channel and return the bot's replies."""
        status, replies = http(
            "POST",
            f"{self.rasa_url}/webhooks/rest/webhook",
            {"sender": sender, "message": message},
        )
        if status != 200:
            raise RuntimeError(f"Rasa answered {status}: {replies}")
        return replies

    def texts(self, sender: str, message: str) -> list[str]:
        """The text of each reply to ``message``."""
        return [reply.get("text", "") for reply in self.say(sender, message)]

    def log(self) -> str:
        """Everything the launcher and its children wrote so far."""
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM the launcher and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_assistant(workdir: Path, extra_env: dict[str, str] | None = None) -> RunningAssistant:
    """Start ``python -m tsf_runtime.launcher`` on free ports with its own SQLite tracker."""
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    token = "e2e-token"
    environment = {
        **os.environ,
        "TSF_RASA_PORT": str(rasa_port),
        "TSF_ACTIONS_PORT": str(actions_port),
        "TSF_WEB_PORT": str(web_port),
        "TSF_RASA_TOKEN": token,
        "TSF_TRACKER_DB_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "TSF_LEADS_DB_URL": f"sqlite:///{workdir / 'leads.db'}",
        "TSF_CREDENTIALS_PATH": str(workdir / "credentials.yml"),
        "RASA_TELEMETRY_ENABLED": "false",
        **(extra_env or {}),
    }
    log_path = workdir / "assistant.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tsf_runtime.launcher"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    assistant = RunningAssistant(
        process=process,
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        actions_url=f"http://127.0.0.1:{actions_port}",
        web_url=f"http://127.0.0.1:{web_port}",
        token=token,
        log_path=log_path,
        extra_env=extra_env or {},
    )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while "is ready" not in assistant.log():
        if process.poll() is not None or time.monotonic() > deadline:
            assistant.stop()
            raise RuntimeError(f"The assistant did not start:\n{assistant.log()[-5000:]}")
        time.sleep(0.5)
    return assistant
