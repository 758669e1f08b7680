"""The worker's heartbeat file and its healthcheck: fresh passes, stale or missing fails."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.leads import NOW
from tsf_leads import heartbeat


def test_a_fresh_heartbeat_passes(tmp_path: Path) -> None:
    path = tmp_path / "beat"
    heartbeat.beat(path, NOW)

    healthy, line = heartbeat.check(path, 120, NOW + timedelta(seconds=119))

    assert healthy and "119 s" in line
    assert heartbeat.last_beat(path) == NOW


def test_a_stale_heartbeat_fails(tmp_path: Path) -> None:
    path = tmp_path / "beat"
    heartbeat.beat(path, NOW)

    healthy, line = heartbeat.check(path, 120, NOW + timedelta(seconds=121))

    assert not healthy and "121 s old" in line


@pytest.mark.parametrize("content", [None, "", "not a time", "2026-03-02T10:15:00"])
def test_a_missing_unreadable_or_naive_heartbeat_fails(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "beat"
    if content is not None:
        path.write_text(content)

    healthy, line = heartbeat.check(path, 120, NOW)

    assert not healthy and "no heartbeat" in line


def test_each_beat_replaces_the_last_and_leaves_no_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "var" / "beat"
    heartbeat.beat(path, NOW)
    heartbeat.beat(path, NOW + timedelta(seconds=5))

    assert heartbeat.last_beat(path) == NOW + timedelta(seconds=5)
    assert [p.name for p in path.parent.iterdir()] == ["beat"]


def test_the_healthcheck_command_exits_by_the_heartbeats_age(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "beat"
    heartbeat.beat(path, NOW)
    environ = {
        "TSF_WORKER_HEARTBEAT_FILE": str(path),
        "TSF_WORKER_HEARTBEAT_MAX_AGE_SECONDS": "30",
    }

    fresh = heartbeat.main(environ, clock=lambda: NOW + timedelta(seconds=10))
    stale = heartbeat.main(environ, clock=lambda: NOW + timedelta(seconds=31))
    unusable = heartbeat.main({**environ, "TSF_WORKER_HEARTBEAT_MAX_AGE_SECONDS": "soon"})

    assert (fresh, stale, unusable) == (0, 1, 2)
    assert "31 s old" in capsys.readouterr().err
