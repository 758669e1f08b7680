"""A new SQLite lead store goes into WAL mode even when processes open it at the same moment."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tsf_leads.db import use_wal


class _Cursor:
    """A cursor whose first ``locked`` switches are answered "database is locked"."""

    def __init__(self, locked: int, error: str = "database is locked") -> None:
        self.locked, self.error, self.mode, self.tries = locked, error, "delete", 0

    def execute(self, sql: str) -> _Cursor:
        if sql == "PRAGMA journal_mode = WAL":
            self.tries += 1
            if self.locked:
                self.locked -= 1
                raise sqlite3.OperationalError(self.error)
            self.mode = "wal"
        return self

    def fetchone(self) -> tuple[str]:
        return (self.mode,)


def test_a_switch_answered_locked_is_tried_again() -> None:
    cursor = _Cursor(locked=3)

    use_wal(cursor, wait_seconds=5)

    assert (cursor.mode, cursor.tries) == ("wal", 4)


def test_a_database_already_in_wal_mode_is_left_alone() -> None:
    cursor = _Cursor(locked=1)
    cursor.mode = "wal"

    use_wal(cursor, wait_seconds=5)

    assert cursor.tries == 0


def test_it_gives_up_after_the_wait_and_on_other_errors() -> None:
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        use_wal(_Cursor(locked=10_000), wait_seconds=0.05)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        use_wal(_Cursor(locked=1, error="disk I/O error"), wait_seconds=5)


def test_a_real_database_ends_in_wal_mode(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "leads.db")
    try:
        use_wal(connection.cursor())
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        connection.close()
