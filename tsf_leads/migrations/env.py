"""Alembic environment of the lead store.

Run through :func:`tsf_leads.db.migrate`, which passes an open connection in
``config.attributes["connection"]``. For ``alembic revision --autogenerate`` during
development, set ``sqlalchemy.url`` on the config instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from tsf_leads.db import VERSION_TABLE, make_engine, metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate over the given connection, or over a new engine for ``sqlalchemy.url``."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("use tsf_leads.db.migrate(url), or set sqlalchemy.url")
    engine = make_engine(url)
    try:
        with engine.begin() as new_connection:
            _run(new_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (--sql) migrations are not supported")
run_migrations_online()
