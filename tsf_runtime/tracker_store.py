"""Rasa's SQL tracker store, reading less per message and tuned for SQLite.

:class:`LeanSQLTrackerStore` stores exactly what ``SQLTrackerStore`` stores, in the same
``events`` table, so either can read the other's conversations. Two things differ:

- a conversation is read by selecting only the ``data`` column, not whole ORM objects
  (profiling under load showed building those objects as a large share of each message),
  and each event's JSON is parsed with ujson (already installed with Sanic), which gives
  the same values as the standard library several times faster: parsing was half of
  reading a long conversation;
- the trackers of the latest conversations stay in memory after they are read or saved: the
  next message of a conversation reuses its tracker when the stored conversation's stamp
  (its newest event id and latest timestamp) is still
  the one this store last saw (one indexed query, instead of reading and replaying every
  event, which grew with the conversation). Another replica's or process's writes, a
  deletion, a tracker left with unsaved events (a failed turn) or one that began a new
  session all make it read the conversation again, so what it returns is what reading
  would give;
- saving a tracker this store read (or saved) inserts the events added since, without first
  counting the conversation's stored events again (a query per message), and hands just
  those to the event broker, without reading the conversation again to tell them apart;
- on SQLite, connections are pooled instead of opened for every query, the database is in
  WAL mode (readers never wait for the writer) and commits use ``synchronous=NORMAL``: a
  killed or crashed process loses nothing that was committed, and only a power cut can
  undo the last commits. PostgreSQL is used exactly as Rasa configures it.

Select it in endpoints.yml with ``type: tsf_runtime.tracker_store.LeanSQLTrackerStore``.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import ujson
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

STORED_EVENTS = "_tsf_stored_events"
"""The tracker attribute holding how many of its events are in the store."""
ALL_SESSIONS = "_tsf_all_sessions"
"""The tracker attribute marking a tracker read with every session (never kept)."""
KEPT_CONVERSATIONS = 256
Stamp = tuple[int, float]
"""A stored conversation's newest event id and latest event timestamp."""
"""How many of the latest conversations' trackers stay in memory."""
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


def _set_sqlite_pragmas(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def parse_event(data: str) -> dict[str, Any]:
    """A stored event, from the JSON ``json.dumps`` wrote for it."""
    return ujson.loads(data)  # type: ignore[no-any-return]


def _create_sqlite_folder(host: object) -> None:
    if not isinstance(host, str) or not host.startswith("sqlite"):
        return
    database = sa.engine.make_url(host).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _starts_no_session(tracker: DialogueStateTracker) -> bool:
    """Whether ``tracker`` is the latest session as reading it would give: no session
    starts after its first event."""
    return not any(isinstance(event, SessionStarted) for event in list(tracker.events)[1:])


class RecentTrackers:
    """The latest conversations' trackers, each with the stamp of what was stored (see
    :meth:`LeanSQLTrackerStore.stamp`)."""

    def __init__(self, size: int = KEPT_CONVERSATIONS) -> None:
        """Keep up to ``size`` conversations, the least recently used dropped first."""
        self.size = size
        self._kept: OrderedDict[str, tuple[Stamp, DialogueStateTracker]] = OrderedDict()

    def get(self, sender_id: str, stamp: Stamp | None) -> DialogueStateTracker | None:
        """The kept tracker if ``stamp`` is still the stored conversation's and it has
        nothing unsaved; otherwise none (and it is forgotten)."""
        kept = self._kept.pop(sender_id, None)
        if kept is None or stamp is None or kept[0] != stamp:
            return None
        tracker = kept[1]
        if getattr(tracker, STORED_EVENTS, None) != len(tracker.events):
            return None
        self._kept[sender_id] = kept
        return tracker

    def keep(self, sender_id: str, stamp: Stamp | None, tracker: DialogueStateTracker) -> None:
        """Remember ``tracker`` as the stored conversation with ``stamp``."""
        self._kept.pop(sender_id, None)
        if stamp is None or not _starts_no_session(tracker):
            return
        self._kept[sender_id] = (stamp, tracker)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)


class LeanSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that reads only event data, reuses the trackers of the latest
    conversations and pools tuned SQLite connections."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Rasa's set-up (tables included), then a pooled, tuned engine for SQLite.

        A SQLite file's folder is created first if it does not exist.
        """
        _create_sqlite_folder(kwargs.get("host"))
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(
                url,
                poolclass=sa.pool.QueuePool,
                pool_size=2,
                connect_args={"check_same_thread": False},
            )
            sa.event.listen(self.engine, "connect", _set_sqlite_pragmas)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.recent = RecentTrackers()

    def stamp(self, sender_id: str) -> Stamp | None:
        """The stored conversation's newest event id and latest timestamp (``None``: it has
        no events): any write, deletion or change of times changes it."""
        with self.session_scope() as session:
            newest, latest = (
                session.query(sa.func.max(self.SQLEvent.id), sa.func.max(self.SQLEvent.timestamp))
                .filter(self.SQLEvent.sender_id == sender_id)
                .one()
            )
        return None if newest is None else (int(newest), float(latest or 0.0))

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's latest session: the kept tracker while nothing was stored
        since, else read from the database."""
        stamp = self.stamp(sender_id)
        kept = self.recent.get(sender_id, stamp)
        if kept is not None:
            return kept
        tracker = await self._retrieve(sender_id, fetch_events_from_all_sessions=False)
        if tracker is not None:
            self.recent.keep(sender_id, stamp, tracker)
        return tracker

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """The conversation's tracker from its stored events, or ``None`` if it has none."""
        with self.session_scope() as session:
            query = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            )
            rows = query.with_entities(self.SQLEvent.data).all()
        events = [parse_event(data) for (data,) in rows]
        if not self.domain or not events:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        setattr(tracker, STORED_EVENTS, len(tracker.events))
        setattr(tracker, ALL_SESSIONS, fetch_events_from_all_sessions)
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        """The events not stored yet: those after the ones this store read or saved, else
        (a tracker made elsewhere) those after the count of the stored session's events."""
        stored = getattr(tracker, STORED_EVENTS, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Publish the events not stored yet to the event broker, if there is one."""
        stored = getattr(tracker, STORED_EVENTS, None)
        if self.event_broker is None or stored is None:
            await super().stream_events(tracker)
            return
        new_events = list(itertools.islice(tracker.events, stored, len(tracker.events)))
        await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events added to ``tracker`` since it was read or last saved, and keep
        it for the conversation's next message."""
        await super().save(tracker)
        setattr(tracker, STORED_EVENTS, len(tracker.events))
        if not getattr(tracker, ALL_SESSIONS, False):
            self.recent.keep(tracker.sender_id, self.stamp(tracker.sender_id), tracker)
