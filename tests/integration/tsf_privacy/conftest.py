"""A tracker database and a lead database, once on SQLite files and once on PostgreSQL 15."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.postgres import PostgresServer


@dataclass(frozen=True)
class Databases:
    """URLs of an empty tracker database and an empty lead database."""

    tracker_url: str
    leads_url: str

    @property
    def environ(self) -> dict[str, str]:
        """The environment ``tsf-privacy`` reads them from."""
        return {"TSF_TRACKER_DB_URL": self.tracker_url, "TSF_LEADS_DB_URL": self.leads_url}


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    """Both databases on SQLite, then both on PostgreSQL (two databases in one server)."""
    if request.param == "sqlite":
        yield Databases(
            f"sqlite:///{tmp_path / 'tracker.db'}", f"sqlite:///{tmp_path / 'leads.db'}"
        )
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    names = [f"tsf_tracker_{uuid.uuid4().hex[:8]}", f"tsf_leads_{uuid.uuid4().hex[:8]}"]
    urls = [server.create_database(name) for name in names]
    try:
        yield Databases(*urls)
    finally:
        for name in names:
            server.drop_database(name)
