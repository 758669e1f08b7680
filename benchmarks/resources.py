"""Memory of running processes, read from /proc (Linux)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.harness import child_pids

SERVICE_MARKERS = (
    ("tsf_runtime.rasa_main", "rasa"),
    ("tsf_runtime.actions_main", "actions"),
    ("tsf_runtime.web_server", "web"),
    ("tsf_leads.cli", "worker"),
)


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory (VmHWM) of process ``pid`` so far, in MB; 0 if unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    peak = re.search(r"^VmHWM:\s+(\d+)", status, re.MULTILINE)
    return int(peak.group(1)) / 1024 if peak else 0.0


def service_pids(launcher_pid: int) -> dict[str, int]:
    """The assistant's services started by the launcher ``launcher_pid``, by name."""
    found = {}
    for pid in child_pids(launcher_pid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        for marker, name in SERVICE_MARKERS:
            if marker in command:
                found[name] = pid
    return found


def peak_memory(pids: dict[str, int]) -> dict[str, float]:
    """Peak resident memory in MB of each named process."""
    return {name: round(peak_rss_mb(pid), 1) for name, pid in pids.items()}
