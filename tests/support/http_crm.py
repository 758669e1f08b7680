"""A tiny lead receiver over HTTP on 127.0.0.1 that honours ``Idempotency-Key``.

It speaks enough of the signed-webhook contract (``tsf_leads.crm.webhook``) for the real
``TSF_CRM=webhook`` adapter: it records every POST per key and creates a lead only for a key
it has not seen (201, then 200 with the same id), like a well-behaved receiver. It can be
slowed down (``delay``, after recording and before replying) so a test can kill a worker
while a request is in flight.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

from tests.fakes.json_server import BackgroundServer, JsonHandler


class _Handler(JsonHandler):
    fake: CrmServer

    def do_POST(self) -> None:
        """Record the request; create the lead once per key."""
        body = json.loads(self.read_body() or b"{}")
        key = self.headers.get("Idempotency-Key") or ""
        if not key:
            self.send_json(400, {"error": "Idempotency-Key is required"})
            return
        status = self.fake.record(key, body)
        time.sleep(self.fake.delay)
        self.send_json(status, {"id": f"crm-{key}"})


class CrmServer(BackgroundServer):
    """The fake receiver; ``url`` is its lead endpoint."""

    def __init__(self, delay: float = 0.0) -> None:
        """Bind to a free port on 127.0.0.1."""
        super().__init__(_Handler)
        self.delay = delay
        self.requests: Counter[str] = Counter()
        self.created: Counter[str] = Counter()
        self.bodies: dict[str, dict[str, Any]] = {}

    @property
    def url(self) -> str:
        """Where to POST leads."""
        return f"{self.root_url}/leads"

    def record(self, key: str, body: dict[str, Any]) -> int:
        """Count the request; 201 the first time a key is seen, 200 after."""
        with self._condition:
            self.requests[key] += 1
            if key in self.created:
                return 200
            self.created[key] += 1
            self.bodies[key] = body
            return 201
