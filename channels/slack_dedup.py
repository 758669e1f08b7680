"""A record of the Slack events already handled, so retries run once.

Slack retries an event up to three times when it does not get a 200 within three seconds,
and it keeps retrying across a restart of the assistant. The record forgets entries after a
day (Slack stops retrying after about an hour). :class:`SlackEventLog` keeps it in a SQLite
file (WAL mode), shared by the processes of one host; :class:`RedisSlackEventLog` keeps it
in Redis (``SET NX EX``), shared by every replica behind a load balancer.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

REDIS_KEY_PREFIX = "tsf:slack-event:"

DEFAULT_TTL_SECONDS = 24 * 60 * 60
_PURGE_EVERY_SECONDS = 10 * 60

_SCHEMA = """
CREATE TABLE IF NOT EXISTS slack_events (
    key TEXT PRIMARY KEY,
    seen_at REAL NOT NULL
)
"""
_CLAIM = (
    "INSERT INTO slack_events (key, seen_at) VALUES (?, ?) "
    "ON CONFLICT(key) DO UPDATE SET seen_at = excluded.seen_at WHERE slack_events.seen_at < ?"
)


class EventLog(Protocol):
    """Where handled Slack events are remembered."""

    def claim(self, *keys: str) -> bool:
        """Record ``keys`` as seen; True only when none of them had been seen before."""
        ...


class RedisSlackEventLog:
    """The event record in Redis: each key set with ``NX`` and a time to live."""

    def __init__(self, url: str, ttl_seconds: float = DEFAULT_TTL_SECONDS) -> None:
        """Connect lazily to the Redis at ``url`` (``redis://:password@host:6379/1``)."""
        import redis

        self.ttl_seconds = ttl_seconds
        self._redis = redis.Redis.from_url(url, socket_timeout=5.0, socket_connect_timeout=5.0)

    def claim(self, *keys: str) -> bool:
        """Record ``keys`` as seen in one round trip; True only when every one was new."""
        pipeline = self._redis.pipeline(transaction=True)
        for key in keys:
            pipeline.set(REDIS_KEY_PREFIX + key, b"1", nx=True, ex=int(self.ttl_seconds))
        return all(pipeline.execute())


class SlackEventLog:
    """Remembers event keys; :meth:`claim` says whether a key is new.

    Each call opens its own connection, so the log can be used from worker threads
    (``asyncio.to_thread``) without sharing a connection between them.
    """

    def __init__(
        self,
        path: Path | str,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._ready = False
        self._last_purge = float("-inf")

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
        if not self._ready:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)
            self._ready = True
        return connection

    def claim(self, *keys: str) -> bool:
        """Record ``keys`` as seen; True only when none of them had been seen before.

        Expired entries do not count as seen. All keys are recorded in one transaction: a
        key is inserted, or its expired entry renewed, and the upsert changes no row when
        the key was seen within the time to live.
        """
        now = self._clock()
        connection = self._connect()
        try:
            with connection:  # commits, or rolls back on any exception
                connection.execute("BEGIN IMMEDIATE")
                if now - self._last_purge > _PURGE_EVERY_SECONDS:
                    connection.execute(
                        "DELETE FROM slack_events WHERE seen_at < ?", (now - self.ttl_seconds,)
                    )
                    self._last_purge = now
                claimed = [
                    connection.execute(_CLAIM, (key, now, now - self.ttl_seconds)).rowcount
                    for key in keys
                ]
            return all(claimed)
        finally:
            connection.close()


def event_log(
    path: Path | str, redis_url: str = "", ttl_seconds: float = DEFAULT_TTL_SECONDS
) -> EventLog:
    """The record in the Redis at ``redis_url`` when one is given, else in the file ``path``."""
    if redis_url:
        return RedisSlackEventLog(redis_url, ttl_seconds=ttl_seconds)
    return SlackEventLog(path, ttl_seconds=ttl_seconds)
