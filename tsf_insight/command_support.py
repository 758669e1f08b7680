"""What the ``tsf-insight`` commands share: where they write, and the databases they read.

Each command module has ``add_parser(subparsers)``, which adds its sub-command with
``run=`` set to a function of the parsed arguments and a :class:`Streams`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TextIO

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine, make_url

from tsf_config import Reader, shared
from tsf_config.durations import parse_age
from tsf_leads.clock import utc_now
from tsf_leads.command_line import EXIT_FAILED, CliError, check_url
from tsf_leads.db import sqlite_file_missing
from tsf_leads.repository import LeadStore, open_store
from tsf_leads.settings import load_settings as load_lead_settings

SQLITE_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Streams:
    """The environment a command reads and where it writes."""

    environ: Mapping[str, str]
    out: TextIO
    err: TextIO
    clock: Callable[[], datetime] = utc_now


def since(text: str, now: datetime) -> tuple[datetime, datetime]:
    """The period ``--since 30d`` names: from that long before ``now`` until ``now``."""
    age: timedelta = parse_age(text)
    return now - age, now


def tracker_engine(environ: Mapping[str, str]) -> Engine:
    """An engine on the conversations' database (``TSF_TRACKER_DB_URL``)."""
    url = Reader(shared.VARIABLES, environ).text("TSF_TRACKER_DB_URL")
    check_url("TSF_TRACKER_DB_URL", url)
    if sqlite_file_missing(url):
        raise CliError(
            "TSF_TRACKER_DB_URL names a SQLite file that does not exist (no conversations yet?)",
            EXIT_FAILED,
        )
    options: dict[str, object] = {"future": True, "pool_pre_ping": True}
    if make_url(url).get_backend_name() == "sqlite":
        options["connect_args"] = {"timeout": SQLITE_TIMEOUT_SECONDS}
    return create_engine(url, **options)


def lead_store(environ: Mapping[str, str]) -> LeadStore | None:
    """The lead store (``TSF_LEADS_DB_URL``), or ``None`` when it holds no leads table yet;
    never migrated from here."""
    url = load_lead_settings(environ).db_url
    check_url("TSF_LEADS_DB_URL", url)
    if sqlite_file_missing(url):
        return None
    store = open_store(url, migrate_schema=False)
    if not inspect(store.engine).has_table("leads"):
        store.dispose()
        return None
    return store


@contextmanager
def databases(environ: Mapping[str, str]) -> Iterator[tuple[Engine, LeadStore | None]]:
    """The conversations' engine and the lead store (or ``None``), disposed of afterwards."""
    engine = tracker_engine(environ)
    leads = None
    try:
        leads = lead_store(environ)
        yield engine, leads
    finally:
        engine.dispose()
        if leads is not None:
            leads.dispose()
