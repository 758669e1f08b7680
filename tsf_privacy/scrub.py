"""Leave no copy of deleted rows in a database's files.

SQLite keeps deleted content in free pages and in its write-ahead log until they are
reused: ``secure_delete`` (set on the privacy tools' connections) zeroes freed content,
``VACUUM`` rebuilds the file from live rows only, and a ``TRUNCATE`` checkpoint empties the
log. PostgreSQL keeps dead row versions until ``VACUUM`` reclaims them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def delete_securely(engine: Engine) -> Engine:
    """Turn on ``secure_delete`` for every SQLite connection of ``engine``; returns it."""
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA secure_delete = ON")

    return engine


def scrub_deleted(engine: Engine) -> None:
    """After a deletion: rebuild and checkpoint SQLite, or vacuum PostgreSQL."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            connection = raw.connection  # the sqlite3 connection, outside any transaction
            previous, connection.isolation_level = connection.isolation_level, None
            try:
                connection.execute("VACUUM")
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.isolation_level = previous
        finally:
            raw.close()
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM")
