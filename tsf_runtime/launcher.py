"""Start the whole assistant in one process group and stop it cleanly.

``make run`` calls :func:`main`. Ctrl-C, or SIGTERM to the launcher or its group, stops
every child; if one child dies, the others are stopped too, so no orphan is left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from tsf_config import SettingsError
from tsf_runtime.channel_credentials import write_credentials
from tsf_runtime.production import check_production
from tsf_runtime.services import ServiceSpec, all_services, migrate_leads_command
from tsf_runtime.settings import Settings, load_settings

TOKEN_FILE = Path("var/rasa-token")
"""Where a generated API token is kept for this run (readable by its owner only)."""
STOP_GRACE_SECONDS = 15.0
READY_TIMEOUT_SECONDS = 240.0
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child: ask Linux to send SIGTERM if the launcher itself dies."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def is_ready(url: str, timeout: float = 2.0) -> bool:
    """Whether ``url`` answers with a 2xx status."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


class Supervisor:
    """Starts services, waits for them to be ready and stops them together."""

    def __init__(self, specs: Sequence[ServiceSpec], environment: dict[str, str]) -> None:
        self._specs = list(specs)
        self._environment = environment
        self._processes: dict[str, subprocess.Popen[bytes]] = {}
        self._stopping = False

    def start(self) -> None:
        """Start every service in order."""
        for spec in self._specs:
            environment = {**self._environment, **dict(spec.environment)}
            self._processes[spec.name] = subprocess.Popen(
                spec.command, env=environment, preexec_fn=_die_with_parent
            )

    def dead_service(self) -> str | None:
        """The name of a service that has exited, if any."""
        for name, process in self._processes.items():
            if process.poll() is not None:
                return name
        return None

    def wait_until_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> bool:
        """Poll every service's readiness URL; False if one dies or time runs out."""
        deadline = time.monotonic() + timeout
        pending = list(self._specs)
        while pending and time.monotonic() < deadline and not self._stopping:
            if self.dead_service() is not None:
                return False
            pending = [
                spec
                for spec in pending
                if spec.ready_url is not None and not is_ready(spec.ready_url)
            ]
            if pending:
                time.sleep(0.5)
        return not pending

    def request_stop(self, *_: object) -> None:
        """Signal handler: ask the main loop to stop."""
        self._stopping = True

    @property
    def stopping(self) -> bool:
        """Whether a stop has been requested."""
        return self._stopping

    def stop(self) -> None:
        """SIGTERM every child, then SIGKILL whatever is left after a grace period."""
        for process in self._processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in self._processes.values():
            remaining = max(0.0, deadline - time.monotonic())
            try:
                process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _prepare(settings: Settings, environment: dict[str, str]) -> bool:
    """Create local folders, write the channel credentials and migrate the lead database."""
    Path("var").mkdir(exist_ok=True)
    prefix = "sqlite:///"
    if settings.tracker_db_url.startswith(prefix):
        database = Path(settings.tracker_db_url[len(prefix) :])
        database.parent.mkdir(parents=True, exist_ok=True)
    write_credentials(environment, settings.credentials_path)
    migrated = subprocess.run(migrate_leads_command(), env=environment, check=False)
    if migrated.returncode != 0:
        print("The lead database could not be prepared; see the message above.", flush=True)
    return migrated.returncode == 0


def _announce(settings: Settings, started: float) -> None:
    print(
        f"\nThe TSF Assistant is ready after {time.monotonic() - started:.0f} s.\n"
        f"  Chat page:   http://localhost:{settings.web_port}\n"
        f"  Rasa:        {settings.public_rasa_url} (REST: /webhooks/rest/webhook)\n"
        f"  Press Ctrl-C to stop.\n",
        flush=True,
    )


def keep_generated_token(token: str, path: Path = TOKEN_FILE, terminal: bool | None = None) -> str:
    """Write a generated API token to ``path`` (mode 0600) and say where it is.

    The token itself is shown only on a terminal: output sent to a file (``make run >
    run.log``) is a log, and a log never holds the token.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(token + "\n")
    terminal = sys.stdout.isatty() if terminal is None else terminal
    shown = f": {token}" if terminal else ""
    return f"Rasa HTTP API token for this run (also in {path}, readable by you only){shown}"


def run(settings: Settings) -> int:
    """Run the assistant until a signal or a child's death; return the exit code."""
    if not settings.model_path.exists():
        print(f"No trained model at {settings.model_path}: run `make model` first.", flush=True)
        return 2
    if settings.rasa_token_generated:
        print(keep_generated_token(settings.rasa_token), flush=True)
    started = time.monotonic()
    environment = settings.child_environment(os.environ)
    if not _prepare(settings, environment):
        return 2
    supervisor = Supervisor(all_services(settings), environment)
    signal.signal(signal.SIGINT, supervisor.request_stop)
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    supervisor.start()
    try:
        if supervisor.wait_until_ready():
            _announce(settings, started)
        while not supervisor.stopping:
            dead = supervisor.dead_service()
            if dead is not None:
                print(f"The {dead} service stopped; stopping the others.", flush=True)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        supervisor.stop()


def main() -> None:
    """Entry point for ``make run``."""
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    problems = check_production(os.environ)
    if problems:
        print("Refusing to start in production:", *(f"  - {p}" for p in problems), sep="\n")
        raise SystemExit(2)
    raise SystemExit(run(settings))


if __name__ == "__main__":
    main()
