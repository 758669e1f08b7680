"""Conversations as Rasa's SQL tracker store keeps them: rows of its ``events`` table.

Rasa's ``SQLTrackerStore`` owns the table (it creates it on start); this module only reads
and deletes rows, one conversation (``sender_id``) at a time, with SQLAlchemy Core. Deleting
a conversation also deletes its live-chat requests (``tsf_handover``'s table beside it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    create_engine,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.sql.elements import ColumnElement

from tsf_config.tracker_events import EVENTS_TABLE, events
from tsf_handover.store import handovers
from tsf_privacy.scrub import delete_securely

CHUNK = 500
SQLITE_TIMEOUT_SECONDS = 30


def _of(sender_ids: Sequence[str]) -> Iterator[ColumnElement[bool]]:
    """``sender_id IN (...)`` conditions covering each id once, ``CHUNK`` ids at a time."""
    unique = list(dict.fromkeys(sender_ids))
    for start in range(0, len(unique), CHUNK):
        yield events.c.sender_id.in_(unique[start : start + CHUNK])


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ConversationStore:
    """The conversations in one tracker database."""

    def __init__(self, engine: Engine) -> None:
        """Work on ``engine``'s database (see :meth:`from_url`)."""
        self.engine = engine

    @classmethod
    def from_url(cls, url: str) -> ConversationStore:
        """Open the tracker database at a SQLAlchemy URL (``TSF_TRACKER_DB_URL``)."""
        options: dict[str, Any] = {"future": True, "pool_pre_ping": True}
        if make_url(url).get_backend_name() == "sqlite":
            options["connect_args"] = {"timeout": SQLITE_TIMEOUT_SECONDS}
        return cls(delete_securely(create_engine(url, **options)))

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()

    def exists(self) -> bool:
        """Whether Rasa has created its ``events`` table here yet."""
        return bool(inspect(self.engine).has_table(EVENTS_TABLE))

    def inactive_since(self, cutoff: datetime) -> list[str]:
        """Conversations whose last event is older than ``cutoff`` (an aware datetime)."""
        last_event = func.max(events.c.timestamp)
        query = (
            select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(last_event < cutoff.timestamp())
            .order_by(events.c.sender_id)
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def present(self, sender_ids: Sequence[str]) -> list[str]:
        """Those of ``sender_ids`` that have events."""
        found: set[str] = set()
        with self.engine.connect() as connection:
            for chosen in _of(sender_ids):
                query = select(events.c.sender_id).where(chosen).distinct()
                found.update(connection.execute(query).scalars())
        return sorted(found)

    def mentioning(self, text: str) -> list[str]:
        """Conversations whose events contain ``text`` (case-insensitive), e.g. an email."""
        needles = {text.strip().lower(), json.dumps(text.strip().lower())[1:-1]}
        condition = None
        for needle in needles:
            clause = func.lower(events.c.data).like(_like_pattern(needle), escape="\\")
            condition = clause if condition is None else condition | clause
        query = select(events.c.sender_id).where(condition).distinct()
        with self.engine.connect() as connection:
            return sorted(connection.execute(query).scalars())

    def events_of(self, sender_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Each conversation's events as Rasa stored them, oldest first."""
        found: dict[str, list[dict[str, Any]]] = {}
        with self.engine.connect() as connection:
            for chosen in _of(sender_ids):
                query = (
                    select(events.c.sender_id, events.c.data).where(chosen).order_by(events.c.id)
                )
                for sender_id, data in connection.execute(query):
                    found.setdefault(sender_id, []).append(json.loads(data or "{}"))
        return found

    def count_events(self, sender_ids: Sequence[str]) -> int:
        """How many events these conversations hold."""
        with self.engine.connect() as connection:
            return sum(
                int(connection.execute(select(func.count()).where(chosen)).scalar_one())
                for chosen in _of(sender_ids)
            )

    def delete(self, sender_ids: Sequence[str]) -> int:
        """Delete every event of these conversations, and their live-chat requests (with
        the transcript excerpt their cards showed), in one transaction; how many events
        went."""
        with self.engine.begin() as connection:
            with_requests = inspect(connection).has_table(handovers.name)
            deleted = 0
            for chosen in _of(sender_ids):
                deleted += int(connection.execute(delete(events).where(chosen)).rowcount or 0)
            unique = list(dict.fromkeys(sender_ids))
            for start in range(0, len(unique) if with_requests else 0, CHUNK):
                chunk = unique[start : start + CHUNK]
                connection.execute(delete(handovers).where(handovers.c.conversation_id.in_(chunk)))
            return deleted
