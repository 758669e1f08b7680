"""Start the real assistant (launcher, Rasa, action server, web page) on free loopback ports.

:func:`start_assistant` runs the whole assistant through its launcher, as ``make run`` does.
:func:`start_services` runs chosen services as separate processes, so that a test can stop
and restart one of them (the launcher stops everything when one service dies). Used by the
end-to-end tests and by the evaluation and benchmark scripts.
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

from tsf_runtime.services import ServiceSpec

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 300.0
E2E_TOKEN = "e2e-token"
"""The Rasa API token of the servers the tests and benchmarks start."""


def run_python(code: str, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter at the project root and return its output.

    A failing run fails the test with the end of its standard error.
    """
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def free_port() -> int:
    """A TCP port on loopback that nothing is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop_process(process: subprocess.Popen[bytes], sig: int, timeout: float) -> None:
    """Send ``sig`` to ``process`` and wait; SIGKILL its session's group after ``timeout`` s.

    For processes started with ``start_new_session=True`` (their group is their own).
    """
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


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


def rest_say(
    rasa_url: str, sender: str, message: str, token: str | None = E2E_TOKEN
) -> list[dict[str, Any]]:
    """Send one message to Rasa's REST channel at ``rasa_url``; return the bot's replies.

    With the API ``token`` (the default: the one these servers run with) ``sender`` is the
    conversation, ``rest:<sender>`` in the tracker store; without it the channel treats the
    caller as a browser and issues its own session id.
    """
    query = f"?token={token}" if token else ""
    status, replies = http(
        "POST",
        f"{rasa_url}/webhooks/rest/webhook{query}",
        {"sender": sender, "message": message},
    )
    if status != 200:
        raise RuntimeError(f"Rasa answered {status}: {replies}")
    return list(replies)


def wait_until_ready(url: str, timeout: float = START_TIMEOUT_SECONDS) -> bool:
    """Poll ``url`` until it answers 2xx; False if ``timeout`` seconds pass first."""
    from tsf_runtime.launcher import is_ready

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_ready(url):
            return True
        time.sleep(0.25)
    return False


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
        return rest_say(self.rasa_url, sender, message, self.token)

    def texts(self, sender: str, message: str) -> list[str]:
        """The text of each reply to ``message``."""
        return [reply.get("text", "") for reply in self.say(sender, message)]

    def log(self) -> str:
        """Everything the launcher and its children wrote so far."""
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM the launcher and wait for it."""
        stop_process(self.process, signal.SIGTERM, timeout=60)


def start_assistant(workdir: Path, extra_env: dict[str, str] | None = None) -> RunningAssistant:
    """Start ``python -m tsf_runtime.launcher`` on free ports with its own SQLite tracker."""
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    token = E2E_TOKEN
    environment = {
        **os.environ,
        "TSF_RASA_PORT": str(rasa_port),
        "TSF_ACTIONS_PORT": str(actions_port),
        "TSF_WEB_PORT": str(web_port),
        "TSF_RASA_TOKEN": token,
        "TSF_TRACKER_DB_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "TSF_LEADS_DB_URL": f"sqlite:///{workdir / 'leads.db'}",
        "TSF_CREDENTIALS_PATH": str(workdir / "credentials.yml"),
        "TSF_WORKER_HEARTBEAT_FILE": str(workdir / "worker-heartbeat"),
        "TSF_WORKER_METRICS_PORT": str(free_port()),
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


@dataclass
class ServiceGroup:
    """Services of one assistant, each its own process, that can be stopped and restarted."""

    specs: dict[str, ServiceSpec]
    environment: dict[str, str]
    workdir: Path
    rasa_url: str
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str) -> None:
        """Start service ``name`` (appending to its log) and wait until it is ready."""
        spec = self.specs[name]
        with self.log_path(name).open("ab") as log:
            self.processes[name] = subprocess.Popen(
                spec.command,
                cwd=ROOT,
                env={**self.environment, **dict(spec.environment)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if spec.ready_url is not None and not wait_until_ready(spec.ready_url):
            self.stop_all()
            raise RuntimeError(f"The {name} service did not start:\n{self.log(name)[-5000:]}")

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Stop service ``name`` with ``sig`` (SIGKILL after 30 s) and wait for it."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        """Stop every running service."""
        for name in list(self.processes):
            self.stop(name)

    def pid(self, name: str) -> int:
        """The process id of running service ``name``."""
        return self.processes[name].pid

    def say(self, sender: str, message: str) -> list[dict[str, Any]]:
        """Send one message over the REST channel and return the bot's replies."""
        return rest_say(self.rasa_url, sender, message)

    def texts(self, sender: str, message: str) -> list[str]:
        """The text of each reply to ``message``."""
        return [reply.get("text", "") for reply in self.say(sender, message)]

    def log_path(self, name: str) -> Path:
        """Where service ``name`` writes its output."""
        return self.workdir / f"{name}.log"

    def log(self, name: str) -> str:
        """Everything service ``name`` wrote so far."""
        path = self.log_path(name)
        return path.read_text(errors="replace") if path.exists() else ""


def start_services(
    workdir: Path,
    names: tuple[str, ...] = ("actions", "rasa"),
    extra_env: dict[str, str] | None = None,
) -> ServiceGroup:
    """Start services ``names`` on free loopback ports with their own SQLite databases."""
    from tsf_runtime.channel_credentials import write_credentials
    from tsf_runtime.services import all_services, migrate_leads_command
    from tsf_runtime.settings import load_settings

    base = {
        **os.environ,
        "TSF_RASA_PORT": str(free_port()),
        "TSF_ACTIONS_PORT": str(free_port()),
        "TSF_WEB_PORT": str(free_port()),
        "TSF_RASA_TOKEN": E2E_TOKEN,
        "TSF_TRACKER_DB_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "TSF_LEADS_DB_URL": f"sqlite:///{workdir / 'leads.db'}",
        "TSF_CREDENTIALS_PATH": str(workdir / "credentials.yml"),
        "TSF_WORKER_HEARTBEAT_FILE": str(workdir / "worker-heartbeat"),
        "TSF_WORKER_METRICS_PORT": str(free_port()),
        **(extra_env or {}),
    }
    settings = load_settings(base)
    environment = settings.child_environment(base)
    write_credentials(environment, settings.credentials_path)
    subprocess.run(migrate_leads_command(), cwd=ROOT, env=environment, check=True)
    specs = {spec.name: spec for spec in all_services(settings) if spec.name in names}
    group = ServiceGroup(specs, environment, workdir, f"http://127.0.0.1:{settings.rasa_port}")
    for name in names:
        group.start(name)
    return group
