"""The delivery worker's heartbeat: a file it rewrites on every round, and its healthcheck.

``python -m tsf_leads.heartbeat`` exits 0 while the heartbeat in
``TSF_WORKER_HEARTBEAT_FILE`` is younger than ``TSF_WORKER_HEARTBEAT_MAX_AGE_SECONDS``, and 1
when it is older or missing: a worker that hangs (or died) fails its healthcheck even though
its database answers. The file holds the time, so the check needs no database.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from tsf_config import SettingsError
from tsf_leads.clock import Clock, utc_now
from tsf_leads.settings import load_settings


def beat(path: Path, now: datetime) -> None:
    """Record ``now`` in ``path`` (written whole, then renamed, so a reader never sees half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(now.isoformat(), encoding="utf-8")
    partial.replace(path)


def last_beat(path: Path) -> datetime | None:
    """When the worker last beat, or ``None`` when there is no readable heartbeat."""
    try:
        return datetime.fromisoformat(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def check(path: Path, max_age_seconds: float, now: datetime) -> tuple[bool, str]:
    """Whether the heartbeat in ``path`` is fresh, and a line saying how it stands."""
    last = last_beat(path)
    if last is None or last.tzinfo is None:
        return False, f"no heartbeat in {path}"
    age = (now - last).total_seconds()
    if age > max_age_seconds:
        return False, f"heartbeat is {age:.0f} s old (more than {max_age_seconds:.0f} s)"
    return True, f"heartbeat is {max(age, 0):.0f} s old"


def main(environ: Mapping[str, str] | None = None, clock: Clock = utc_now) -> int:
    """The healthcheck: 0 when the heartbeat is fresh, 1 when stale or missing, 2 when the
    settings are unusable."""
    try:
        settings = load_settings(environ)
    except SettingsError as error:
        print(f"tsf-leads heartbeat: {error}", file=sys.stderr)
        return 2
    healthy, line = check(settings.heartbeat_file, settings.heartbeat_max_age_seconds, clock())
    print(line, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
