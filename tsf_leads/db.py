"""The lead store's tables, its engines and its migrations.

Tables are SQLAlchemy Core. Engines come from :func:`make_engine` (never at import time);
:func:`migrate` brings a database to the latest schema with the Alembic scripts shipped in
``tsf_leads/migrations`` (no ``alembic.ini`` needed).
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

VERSION_TABLE = "tsf_leads_alembic_version"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# pg_advisory_xact_lock key so that processes starting together migrate one at a time.
MIGRATION_LOCK_KEY = 0x75F_1EAD
SQLITE_BUSY_TIMEOUT_MS = 30_000
WAL_RETRY_SECONDS = 0.01

# Lead status, kept up to date by the worker from the outbox rows of the lead.
LEAD_STORED = "stored"  # no destination configured: kept here, listed by the CLI
LEAD_PENDING = "pending"
LEAD_DELIVERED = "delivered"
LEAD_DEAD = "dead"

# What an outbox row delivers: the lead itself, or one team status change of it.
JOB_LEAD = "lead"
JOB_STATUS = "status"
JOB_ALERT = "alert"  # an alert to the team about a lead's delivery (tsf_leads.alerts)

# Outbox row status.
PENDING = "pending"
IN_FLIGHT = "in_flight"
SENT = "sent"
DEAD = "dead"


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database.

    PostgreSQL stores ``timestamptz``; SQLite stores naive UTC text. Values read back are
    always aware and in UTC. Naive values are refused, so no local time slips in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC (naive for SQLite)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

leads = Table(
    "leads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(32), nullable=False),
    Column("year", Integer, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("conversation_id", Text, nullable=False),
    Column("email_hash", String(64), nullable=False),
    Column("organisation", Text, nullable=False),
    Column("verdict", String(32), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("score", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("payload", Text, nullable=False),
    Column("markdown", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("consent_given_at", UtcDateTime, nullable=False),
    Column("consent_notice_version", String(64), nullable=False),
    Column("consent_purpose", Text, nullable=False),
    Column("team_status", String(16)),
    Column("team_status_by_id", String(128)),
    Column("team_status_by_name", Text),
    Column("team_status_at", UtcDateTime),
    Column("team_status_reason", Text),
    UniqueConstraint("reference"),
    UniqueConstraint("year", "sequence"),
    UniqueConstraint("conversation_id", "email_hash"),
    Index("ix_leads_email_hash", "email_hash"),
    Index("ix_leads_created_at", "created_at"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lead_id", Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
    Column("destination", String(64), nullable=False),
    Column("idempotency_key", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_error", Text),
    Column("claimed_by", String(128)),
    Column("claimed_until", UtcDateTime),
    Column("sent_at", UtcDateTime),
    Column("external_id", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("job", String(16), nullable=False, server_default=JOB_LEAD),
    Column(
        "status_change_id",
        Integer,
        ForeignKey("lead_status_changes.id", ondelete="CASCADE"),
    ),
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE")),
    UniqueConstraint("destination", "idempotency_key"),
    Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    Index("ix_outbox_lead_id", "lead_id"),
)

lead_status_changes = Table(
    "lead_status_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("lead_id", Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
    Column("interaction_id", String(128)),
    Column("status", String(16), nullable=False),
    Column("previous_status", String(16)),
    Column("staff_id", String(128), nullable=False),
    Column("staff_name", Text, nullable=False),
    Column("reason", Text),
    Column("changed_at", UtcDateTime, nullable=False),
    UniqueConstraint("lead_id", "interaction_id"),
    Index("ix_lead_status_changes_lead_id", "lead_id"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("lead_id", Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False),
    Column("reference", String(32), nullable=False),
    Column("destination", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("key"),
    Index("ix_alerts_lead_id", "lead_id"),
)

destination_health = Table(
    "destination_health",
    metadata,
    Column("destination", String(64), primary_key=True),
    Column("failing_since", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False),
)

lead_sequences = Table(
    "lead_sequences",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("last_value", Integer, nullable=False),
)


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def sqlite_file_missing(url: str) -> bool:
    """Whether ``url`` names a SQLite file that does not exist (yet, or by a typo)."""
    path = _sqlite_file(url)
    return path is not None and not path.exists()


def use_wal(cursor: Any, wait_seconds: float = SQLITE_BUSY_TIMEOUT_MS / 1000) -> None:
    """Put the SQLite database of ``cursor`` in WAL mode, if it is not already.

    When processes open a new database at the same moment, SQLite can answer the switch with
    "database is locked" at once, without waiting out the busy timeout: it is tried again
    for up to ``wait_seconds``.
    """
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(WAL_RETRY_SECONDS)


def _configure_sqlite(engine: Engine) -> None:
    """Pragmas on every connection, and ``BEGIN IMMEDIATE`` for every transaction.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's transactions
    are real ones. ``BEGIN IMMEDIATE`` takes the write lock at the start: writers queue up
    (for up to ``busy_timeout``) instead of failing half-way, and a claim's read and write
    happen under one lock.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")  # deleted leads leave no copy behind
        use_wal(cursor)
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **options: Any) -> Engine:
    """A 2.0-style engine for ``url``, set up for the lead store.

    SQLite: the file's directory is created, WAL, foreign keys and a busy timeout are set on
    every connection; ``sqlite://`` (in memory) shares one connection, for tests. Every
    engine pings connections before use.

    Args:
        url: SQLAlchemy URL, e.g. ``sqlite:///var/leads.db`` or ``postgresql://...``.
        **options: Extra ``create_engine`` options.
    """
    path = _sqlite_file(url)
    if make_url(url).get_backend_name() == "sqlite":
        options.setdefault("connect_args", {"check_same_thread": False})
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif (make_url(url).database or ":memory:") == ":memory:":
            options.setdefault("poolclass", StaticPool)  # one shared in-memory database
    engine = create_engine(url, future=True, pool_pre_ping=True, **options)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def alembic_config() -> Any:
    """The Alembic configuration, built in code from the scripts inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def migrate(target: str | Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (the latest by default); safe to run at every start.

    On PostgreSQL an advisory lock makes processes that start together migrate one at a time.

    Args:
        target: A SQLAlchemy URL or an engine from :func:`make_engine`.
        revision: The Alembic revision to upgrade to.
    """
    from alembic import command

    engine = make_engine(target) if isinstance(target, str) else target
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if isinstance(target, str):
            engine.dispose()
