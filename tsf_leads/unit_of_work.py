"""Unit of work: one transaction over the lead and outbox repositories.

Use it as ``with uow: ...; uow.commit()``; leaving the block without committing rolls back.
A unit of work can be entered again after it exits (each time with a new session) but is not
thread-safe: give each thread its own (``store.unit_of_work()``).
"""

from __future__ import annotations

import abc
from types import TracebackType

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from tsf_leads.db import make_engine, migrate
from tsf_leads.repository import (
    LeadRepository,
    OutboxRepository,
    SqlLeadRepository,
    SqlOutboxRepository,
)
from tsf_leads.settings import LeadSettings


class AbstractUnitOfWork(abc.ABC):
    """The port: repositories plus commit and rollback."""

    leads: LeadRepository
    outbox: OutboxRepository

    def __enter__(self) -> AbstractUnitOfWork:
        """Start the transaction."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None:
        """Make the work durable."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Undo the work not yet committed."""


class SqlAlchemyUnitOfWork(AbstractUnitOfWork):
    """A unit of work over a SQLAlchemy ``sessionmaker``."""

    def __init__(self, session_factory: sessionmaker) -> None:
        """Sessions come from ``session_factory``, one per ``with`` block."""
        self.session_factory = session_factory
        self.session: Session | None = None

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        """Open a session and its repositories."""
        if self.session is not None:
            raise RuntimeError("this unit of work is already in use")
        self.session = self.session_factory()
        self.leads = SqlLeadRepository(self.session)
        self.outbox = SqlOutboxRepository(self.session)
        super().__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back anything uncommitted and close the session."""
        try:
            super().__exit__(exc_type, exc, traceback)
        finally:
            if self.session is not None:
                self.session.close()
            self.session = None

    def commit(self) -> None:
        """Commit the session's transaction."""
        self._session().commit()

    def rollback(self) -> None:
        """Roll back the session's transaction."""
        self._session().rollback()

    def _session(self) -> Session:
        if self.session is None:
            raise RuntimeError("use the unit of work in a `with` block")
        return self.session


def make_session_factory(engine: Engine) -> sessionmaker:
    """2.0-style sessions that keep loaded values after commit."""
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


class LeadStore:
    """An engine for the lead store and the units of work over it."""

    def __init__(self, engine: Engine) -> None:
        """Wrap an engine from :func:`tsf_leads.db.make_engine`."""
        self.engine = engine
        self.session_factory = make_session_factory(engine)

    def unit_of_work(self) -> SqlAlchemyUnitOfWork:
        """A new unit of work (one per thread)."""
        return SqlAlchemyUnitOfWork(self.session_factory)

    def dispose(self) -> None:
        """Close the engine's pooled connections."""
        self.engine.dispose()


def open_store(url: str, *, migrate_schema: bool = True) -> LeadStore:
    """Open the lead store at ``url``, first migrating it to the latest schema.

    Args:
        url: SQLAlchemy URL (``sqlite:///var/leads.db``, ``postgresql://...``).
        migrate_schema: Run ``alembic upgrade head`` first (safe at every start).
    """
    engine = make_engine(url)
    if migrate_schema:
        migrate(engine)
    return LeadStore(engine)


def store_from_settings(settings: LeadSettings, *, migrate_schema: bool = True) -> LeadStore:
    """Open the store named by ``TSF_LEADS_DB_URL``."""
    return open_store(settings.db_url, migrate_schema=migrate_schema)
