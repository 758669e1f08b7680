"""The PostgreSQL test helper fails loudly, with the fix, when PostgreSQL is missing."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.support import postgres


def test_missing_binaries_name_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(postgres, "BIN_DIRS", (tmp_path / "none",))
    monkeypatch.delenv("TSF_TEST_PG_BIN", raising=False)

    with pytest.raises(postgres.PostgresUnavailable, match="apt-get install -y postgresql-15"):
        postgres.find_bin_dir()


def test_an_explicit_bin_dir_is_tried_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("initdb", "pg_ctl"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("TSF_TEST_PG_BIN", str(tmp_path))

    assert postgres.find_bin_dir() == tmp_path


def test_a_free_port_can_be_bound_on_loopback_at_once() -> None:
    port = postgres.free_port()

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", port))  # raises if something already holds it
        assert server.getsockname() == ("127.0.0.1", port)
