"""A tiny lead receiver over HTTP on 127.0.0.1 that honours ``Idempotency-Key``.

It speaks enough of the signed-webhook contract (``tsf_leads.crm.webhook``) for the real
``TSF_CRM=webhook`` adapter: it records every POST per key and creates a lead only for a key
it has not seen (201, then 200 with the same id), like a well-behaved receiver. It can be
slowed down (``delay``, after recording and before replying) so a test can kill a worker
while a request is in flight.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Handler(BaseHTTPRequestHandler):
    server: CrmServer

    def do_POST(self) -> None:
        """Record the request; create the lead once per key."""
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        key = self.headers.get("Idempotency-Key") or ""
        if not key:
            self._reply(400, {"error": "Idempotency-Key is required"})
            return
        status = self.server.record(key, body)
        time.sleep(self.server.delay)
        self._reply(status, {"id": f"crm-{key}"})

    def _reply(self, status: int, document: dict[str, Any]) -> None:
        payload = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class CrmServer(ThreadingHTTPServer):
    """The fake receiver; ``url`` is its lead endpoint."""

    daemon_threads = True

    def __init__(self, delay: float = 0.0) -> None:
        """Bind to a free port on 127.0.0.1."""
        super().__init__(("127.0.0.1", 0), _Handler)
        self.delay = delay
        self.requests: Counter[str] = Counter()
        self.created: Counter[str] = Counter()
        self.bodies: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where to POST leads."""
        return f"http://127.0.0.1:{self.server_address[1]}/leads"

    def record(self, key: str, body: dict[str, Any]) -> int:
        """Count the request; 201 the first time a key is seen, 200 after."""
        with self._lock:
            self.requests[key] += 1
            if key in self.created:
                return 200
            self.created[key] += 1
            self.bodies[key] = body
            return 201

    def __enter__(self) -> CrmServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stop serving and close the socket."""
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=10)
