"""Fake destinations implementing the ``CrmAdapter`` and ``Notifier`` ports."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Iterable

from tsf_leads.contracts import CrmUnavailable, DeliveryReceipt, StoredLead, TeamMessage


class CountingAdapter:
    """A CRM that counts calls and accepted deliveries per idempotency key.

    ``failures`` are raised, in order, by the next calls; while ``down`` every call raises
    ``CrmUnavailable`` (with ``retry_after``). Like a real CRM, accepting the same key twice
    creates the lead only once: ``created`` counts distinct keys.
    """

    def __init__(
        self,
        name: str = "fake",
        failures: Iterable[BaseException] = (),
        delay: float = 0.0,
    ) -> None:
        """Start up, with an optional script of failures and a delay per call."""
        self.name = name
        self.failures: deque[BaseException] = deque(failures)
        self.delay = delay
        self.down = False
        self.retry_after: float | None = None
        self.calls: Counter[str] = Counter()
        self.accepted: Counter[str] = Counter()
        self.leads: dict[str, StoredLead] = {}
        self._lock = threading.Lock()

    @property
    def created(self) -> set[str]:
        """The keys of the leads the CRM holds."""
        return set(self.accepted)

    def deliver(self, lead: StoredLead, idempotency_key: str) -> DeliveryReceipt:
        """Accept the lead, unless down or a scripted failure is due."""
        with self._lock:
            self.calls[idempotency_key] += 1
            failure = self.failures.popleft() if self.failures else None
        if self.delay:
            time.sleep(self.delay)
        if self.down:
            raise CrmUnavailable("HTTP 503 Service Unavailable", retry_after=self.retry_after)
        if failure is not None:
            raise failure
        with self._lock:
            self.accepted[idempotency_key] += 1
            self.leads[idempotency_key] = lead
        return DeliveryReceipt(crm=self.name, external_id=f"crm-{idempotency_key}", status_code=201)


class CountingNotifier:
    """A notifier that records who it told about, and the messages (alerts) it passed on;
    while ``down`` every message raises ``CrmUnavailable``."""

    def __init__(self, name: str = "chat") -> None:
        """Nothing notified yet."""
        self.name = name
        self.notified: Counter[str] = Counter()
        self.messages: list[TeamMessage] = []
        self.down = False

    def send_message(self, message: TeamMessage) -> None:
        """Record the message."""
        if self.down:
            raise CrmUnavailable("HTTP 503 Service Unavailable")
        self.messages.append(message)

    def notify(self, lead: StoredLead) -> None:
        """Count the notification."""
        self.notified[lead.reference] += 1
