"""Hand-over requests and who holds them, in the conversations' database.

One row per request: the conversation it belongs to, where its card was posted (a Slack
message, a Teams activity) and its state. A conversation has at most one open request
(waiting or taken): the unique ``open_conversation`` column holds its id while it is open.
Every change of state is one conditional ``UPDATE``, so two people clicking **Take it** at
once, or a retried click, take it once. Times are seconds since the epoch (UTC).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine, RowMapping
from sqlalchemy.exc import IntegrityError

WAITING = "waiting"
TAKEN = "taken"
ENDED = "ended"
EXPIRED = "expired"
FAILED = "failed"
OPEN_STATES = (WAITING, TAKEN)

metadata = MetaData()
handovers = Table(
    "tsf_handovers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("conversation_id", String(255), nullable=False, index=True),
    Column("open_conversation", String(255), unique=True),
    Column("status", String(16), nullable=False),
    Column("requested_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("taken_at", Float),
    Column("taken_by_id", String(255)),
    Column("taken_by_name", String(255)),
    Column("taken_via", String(16)),
    Column("ended_at", Float),
    Column("slack_channel", String(64)),
    Column("slack_ts", String(64), index=True),
    Column("teams_conversation", String(512), index=True),
    Column("teams_activity", String(255)),
    Column("details", Text),
)


@dataclass(frozen=True)
class Handover:
    """One hand-over request as stored."""

    id: int
    token: str
    conversation_id: str
    status: str
    requested_at: float
    expires_at: float
    taken_at: float | None = None
    taken_by_id: str | None = None
    taken_by_name: str | None = None
    taken_via: str | None = None
    ended_at: float | None = None
    slack_channel: str | None = None
    slack_ts: str | None = None
    teams_conversation: str | None = None
    teams_activity: str | None = None
    details: str | None = None
    """The card's details as JSON (who, verdict, transcript), to redraw the card."""

    @classmethod
    def from_row(cls, row: RowMapping) -> Handover:
        """The request a table row holds."""
        return cls(**{key: row[key] for key in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Change:
    """The outcome of a state change: the request as it now is, and whether this call changed it."""

    handover: Handover | None
    changed: bool


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return create_engine(url, connect_args={"timeout": 30})
    return create_engine(url, pool_pre_ping=True)


class HandoverStore:
    """The hand-over table of one database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine, checkfirst=True)

    @classmethod
    def open(cls, url: str) -> HandoverStore:
        """The store at SQLAlchemy ``url``, its table created if missing."""
        return cls(_engine(url))

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    def _one(self, *conditions: object) -> Handover | None:
        with self._begin() as connection:
            row = connection.execute(select(handovers).where(*conditions)).mappings().first()
        return Handover.from_row(row) if row else None

    def request(
        self, conversation_id: str, now: float, wait_seconds: float, details: str = ""
    ) -> Change:
        """Open a request for ``conversation_id``, or return the one already open.

        A waiting request past its time (its expiry was never run, say after a restart) is
        expired first, so it cannot block a new one.
        """
        with self._begin() as connection:
            connection.execute(
                update(handovers)
                .where(
                    handovers.c.open_conversation == conversation_id,
                    handovers.c.status == WAITING,
                    handovers.c.expires_at <= now,
                )
                .values(status=EXPIRED, open_conversation=None, ended_at=now)
            )
        token = secrets.token_urlsafe(18)
        try:
            with self._begin() as connection:
                connection.execute(
                    insert(handovers).values(
                        token=token,
                        conversation_id=conversation_id,
                        open_conversation=conversation_id,
                        status=WAITING,
                        requested_at=now,
                        expires_at=now + wait_seconds,
                        details=details,
                    )
                )
        except IntegrityError:
            return Change(self.open_for(conversation_id), changed=False)
        return Change(self.by_token(token), changed=True)

    def by_token(self, token: str) -> Handover | None:
        """The request whose buttons carry ``token``."""
        return self._one(handovers.c.token == token)

    def open_for(self, conversation_id: str) -> Handover | None:
        """The conversation's open (waiting or taken) request, if any."""
        return self._one(handovers.c.open_conversation == conversation_id)

    def taken_in_slack_thread(self, channel: str, thread_ts: str) -> Handover | None:
        """The taken request whose card starts the Slack thread ``thread_ts`` in ``channel``."""
        return self._one(
            handovers.c.slack_channel == channel,
            handovers.c.slack_ts == thread_ts,
            handovers.c.status == TAKEN,
        )

    def taken_in_teams_thread(self, teams_conversation: str) -> Handover | None:
        """The taken request whose card starts the Teams reply chain ``teams_conversation``."""
        return self._one(
            handovers.c.teams_conversation == teams_conversation,
            handovers.c.status == TAKEN,
        )

    def latest_taken_by(self, staff_id: str, via: str) -> Handover | None:
        """The most recent request ``staff_id`` took through ``via`` and still holds."""
        with self._begin() as connection:
            row = (
                connection.execute(
                    select(handovers)
                    .where(
                        handovers.c.taken_by_id == staff_id,
                        handovers.c.taken_via == via,
                        handovers.c.status == TAKEN,
                    )
                    .order_by(handovers.c.taken_at.desc())
                )
                .mappings()
                .first()
            )
        return Handover.from_row(row) if row else None

    def bind_slack(self, token: str, channel: str, ts: str) -> None:
        """Record the Slack message that carries the request's card."""
        self._set(token, slack_channel=channel, slack_ts=ts)

    def bind_teams(self, token: str, conversation: str, activity: str) -> None:
        """Record the Teams channel thread and activity that carry the request's card."""
        self._set(token, teams_conversation=conversation, teams_activity=activity)

    def _set(self, token: str, **values: object) -> None:
        with self._begin() as connection:
            connection.execute(update(handovers).where(handovers.c.token == token).values(values))

    def _move(self, token: str, from_status: str, **values: object) -> Change:
        with self._begin() as connection:
            result = connection.execute(
                update(handovers)
                .where(handovers.c.token == token, handovers.c.status == from_status)
                .values(values)
            )
        return Change(self.by_token(token), changed=result.rowcount == 1)

    def take(self, token: str, staff_id: str, staff_name: str, via: str, now: float) -> Change:
        """``staff_name`` takes the waiting request; a second click (theirs or anyone's)
        changes nothing."""
        return self._move(
            token,
            WAITING,
            status=TAKEN,
            taken_at=now,
            taken_by_id=staff_id,
            taken_by_name=staff_name,
            taken_via=via,
        )

    def end(self, token: str, now: float) -> Change:
        """Close a taken request: the assistant has the conversation again."""
        return self._move(token, TAKEN, status=ENDED, ended_at=now, open_conversation=None)

    def expire(self, token: str, now: float) -> Change:
        """Close a request nobody took in time."""
        return self._move(token, WAITING, status=EXPIRED, ended_at=now, open_conversation=None)

    def fail(self, token: str, now: float) -> Change:
        """Close a request whose card could be posted nowhere."""
        return self._move(token, WAITING, status=FAILED, ended_at=now, open_conversation=None)

    def delete_conversations(self, conversation_ids: Iterable[str]) -> int:
        """Delete every request of these conversations (erasure); return how many."""
        ids = list(conversation_ids)
        if not ids:
            return 0
        with self._begin() as connection:
            result = connection.execute(
                delete(handovers).where(handovers.c.conversation_id.in_(ids))
            )
        return result.rowcount

    def delete_requested_before(self, cutoff: float) -> int:
        """Delete the requests made before ``cutoff`` (retention)."""
        with self._begin() as connection:
            result = connection.execute(delete(handovers).where(handovers.c.requested_at < cutoff))
        return result.rowcount
