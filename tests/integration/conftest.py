"""Databases for the integration tests: a SQLite file, a throwaway PostgreSQL 15 server, and a
throwaway Redis.

``db_url`` runs a test once on each, ``databases`` once on a tracker and a lead database of
each. The PostgreSQL server starts once per session and each test gets a fresh database in it.
Without PostgreSQL binaries the PostgreSQL cases fail with the command that installs them;
they are never skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import pytest

from tests.support.leads import opened_store
from tests.support.postgres import PostgresServer, PostgresUnavailable, start_postgres
from tests.support.redis_server import RedisServer, RedisUnavailable, start_redis
from tsf_leads.repository import LeadStore


class _Stoppable(Protocol):
    def stop(self) -> None: ...


_Server = TypeVar("_Server", bound=_Stoppable)


def _for_the_session(
    start: Callable[[], _Server], unavailable: type[Exception], needed: str
) -> Iterator[_Server]:
    """The server ``start`` gives, stopped afterwards; fails (never skips) when it cannot start."""
    try:
        server = start()
    except unavailable as error:
        pytest.fail(f"{needed} is needed for these tests: {error}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1 for the whole session."""
    yield from _for_the_session(start_postgres, PostgresUnavailable, "PostgreSQL")


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A Redis server on 127.0.0.1 with a password, for the whole session."""
    yield from _for_the_session(start_redis, RedisUnavailable, "Redis")


def _postgres_database(server: PostgresServer) -> Iterator[str]:
    name = f"tsf_{uuid.uuid4().hex[:12]}"
    url = server.create_database(name)
    try:
        yield url
    finally:
        server.drop_database(name)


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> Iterator[str]:
    """URL of an empty PostgreSQL database."""
    yield from _postgres_database(postgres_server)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a SQLite file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'var' / 'leads.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """URL of an empty database, once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def store(db_url: str) -> Iterator[LeadStore]:
    """The lead store, migrated, on each database."""
    yield from opened_store(db_url)


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
