"""The Slack event log says "new" once per key, remembers across restarts and forgets later."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from channels.slack_dedup import SlackEventLog


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_is_new_once(tmp_path: Path) -> None:
    log = SlackEventLog(tmp_path / "events.db")

    assert log.claim("event:Ev1") is True
    assert log.claim("event:Ev1") is False
    assert log.claim("event:Ev2") is True


def test_the_log_survives_a_restart_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "events.db"
    SlackEventLog(path).claim("event:Ev1")

    restarted = SlackEventLog(path)

    assert restarted.claim("event:Ev1") is False
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_any_seen_key_makes_a_claim_a_duplicate_and_all_keys_are_recorded(
    tmp_path: Path,
) -> None:
    log = SlackEventLog(tmp_path / "events.db")
    log.claim("event:Ev1", "message:C1:1.0")

    assert log.claim("event:Ev2", "message:C1:1.0") is False
    assert log.claim("event:Ev2") is False


def test_entries_expire_after_the_time_to_live(tmp_path: Path) -> None:
    clock = Clock()
    log = SlackEventLog(tmp_path / "events.db", ttl_seconds=60, clock=clock)
    log.claim("event:Ev1")

    clock.now += 61

    assert log.claim("event:Ev1") is True
    assert log.claim("event:Ev1") is False


def test_expired_entries_are_purged(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "events.db"
    SlackEventLog(path, ttl_seconds=60, clock=clock).claim("event:old")
    clock.now += 3600

    SlackEventLog(path, ttl_seconds=60, clock=clock).claim("event:new")

    with sqlite3.connect(path) as connection:
        keys = [row[0] for row in connection.execute("SELECT key FROM slack_events")]
    assert keys == ["event:new"]
