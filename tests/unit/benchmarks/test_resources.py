"""Peak memory of processes, read from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from benchmarks.resources import peak_memory, peak_rss_mb, service_pids


def test_this_process_has_a_peak_memory() -> None:
    assert peak_rss_mb(os.getpid()) > 10


def test_a_process_that_does_not_exist_has_none() -> None:
    assert peak_rss_mb(2**22 + 12345) == 0.0


@pytest.fixture
def fake_services() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Children whose command lines name two of the assistant's services."""
    code = "import time; time.sleep(30)"
    children = [
        subprocess.Popen([sys.executable, "-c", code, marker])
        for marker in ("tsf_runtime.web_server", "tsf_leads.cli")
    ]
    time.sleep(0.3)
    yield children
    for child in children:
        child.kill()
        child.wait()


def test_services_are_found_among_the_launchers_children_by_command_line(
    fake_services: list[subprocess.Popen[bytes]],
) -> None:
    found = service_pids(os.getpid())

    assert found == {"web": fake_services[0].pid, "worker": fake_services[1].pid}
    assert all(megabytes > 1 for megabytes in peak_memory(found).values())
