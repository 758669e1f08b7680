"""Rasa's Redis lock store with atomic ticket updates, for several Rasa replicas.

Rasa 3.6's ``RedisLockStore`` issues and removes tickets by reading the lock, changing it
and writing it back. Two replicas doing that at once can both take the same ticket, or one
can delete a ticket the other just issued, and then two replicas process the same
conversation together and one overwrites the other's events. Here every change is a Redis
optimistic transaction (``WATCH``/``MULTI``), retried until it applies cleanly.

Configure it in the endpoints file as ``type: tsf_runtime.redis_lock_store.AtomicRedisLockStore``
with the same keys as Rasa's ``redis`` lock store.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)
MAX_TRANSACTION_ATTEMPTS = 100


class AtomicRedisLockStore(RedisLockStore):
    """A Redis ticket lock store whose ticket changes are atomic across processes."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        """Build from the endpoints file (as Rasa does for custom stores) or from keywords."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs}
        kwargs.pop("type", None)
        if "port" in kwargs:
            kwargs["port"] = int(kwargs["port"])
        if "db" in kwargs:
            kwargs["db"] = int(kwargs["db"])
        if not kwargs.get("password"):
            kwargs.pop("password", None)
        super().__init__(**kwargs)

    def _change(
        self, conversation_id: str, change: Callable[[TicketLock | None], TicketLock | None]
    ) -> TicketLock | None:
        """Apply ``change`` to the stored lock atomically; ``None`` from it deletes the lock."""
        key = self.key_prefix + conversation_id
        for _ in range(MAX_TRANSACTION_ATTEMPTS):
            with self.red.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    current = TicketLock.from_dict(json.loads(raw)) if raw else None
                    updated = change(current)
                    pipe.multi()
                    if updated is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, updated.dumps())
                    pipe.execute()
                    return updated
                except redis.WatchError:
                    continue
        raise redis.WatchError(f"lock for a conversation kept changing ({key})")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Take the next ticket for the conversation, creating its lock if needed."""
        issued: list[int] = []

        def take(lock: TicketLock | None) -> TicketLock:
            lock = lock or TicketLock(conversation_id)
            issued[:] = [lock.issue_ticket(lock_lifetime)]
            return lock

        self._change(conversation_id, take)
        return issued[0]

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets."""

        def expire(lock: TicketLock | None) -> TicketLock | None:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove a served ticket."""

        def remove(lock: TicketLock | None) -> TicketLock | None:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock

        self._change(conversation_id, remove)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the served ticket, and the lock itself only if nobody else holds a ticket."""

        def release(lock: TicketLock | None) -> TicketLock | None:
            if lock is None:
                return None
            lock.remove_ticket_for(ticket_number)
            return lock if lock.is_someone_waiting() else None

        self._change(conversation_id, release)
