"""SIGTERM to the launcher stops every process it started: no orphans."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.support.harness import child_pids, is_alive, start_assistant

pytestmark = pytest.mark.e2e


def test_sigterm_stops_every_service_the_launcher_started(tmp_path: Path) -> None:
    assistant = start_assistant(tmp_path)
    children = child_pids(assistant.process.pid)
    assert len(children) == 4  # Rasa, actions, web page, delivery worker
    assert assistant.texts("shutdown-test", "hello")

    assistant.stop()

    deadline = time.monotonic() + 30
    while any(is_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert assistant.process.returncode == 0
    assert [pid for pid in children if is_alive(pid)] == []
