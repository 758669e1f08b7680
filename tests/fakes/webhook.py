"""A webhook receiver that follows the contract in ``tsf_leads.crm.webhook``.

It refuses a wrong method, path or content type, anything the shipped verifier
(:func:`tsf_leads.crm.webhook.verify_webhook`) refuses (a bad signature, a stale timestamp),
a missing ``Idempotency-Key`` and a body whose reference differs from the key. A webhook id
seen before (a retry, or a replayed copy) gets 200 and the same id without being processed
again, unless ``dedupe=False``; it counts processing per key so tests can assert
exactly-once delivery. A ``lead.status_changed`` event must carry its ``idempotency_key``
(equal to the header); processed events are kept in ``status_events`` by key.
"""

from __future__ import annotations

import json
from typing import Any

from tests.fakes.http_server import CountingFake, Recorded, Reply
from tsf_leads.crm.webhook import (
    ID_HEADER,
    SIGNATURE_HEADER,
    STATUS_EVENT,
    TIMESTAMP_HEADER,
    ReplayGuard,
    WebhookReplayed,
    WebhookVerificationError,
    verify_webhook,
)

WEBHOOK_HEADERS = (ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER)


class WebhookReceiver(CountingFake):
    """Fake receiver for the signed lead webhook.

    Args:
        secret: the shared HMAC secret.
        path: the path it listens on.
        dedupe: process each Idempotency-Key once (a well-behaved receiver).
    """

    def __init__(self, secret: str, path: str = "/hooks/tsf-leads", *, dedupe: bool = True):
        """Empty receiver; start it with ``with``."""
        super().__init__()
        self.secret = secret
        self.path = path
        self.dedupe = dedupe
        self.deliveries: dict[str, dict[str, Any]] = {}
        self.bodies: list[bytes] = []
        self.status_events: dict[str, dict[str, Any]] = {}
        self._ids: dict[str, str] = {}
        self._seen = ReplayGuard()
        self.replays = 0

    @property
    def hook_url(self) -> str:
        """The full URL to configure as ``TSF_CRM_WEBHOOK_URL``."""
        return self.url + self.path

    def error_body(self, status: int) -> Any:
        """A plain JSON error, as most receivers send."""
        return {"error": f"HTTP {status}"}

    def handle(self, request: Recorded) -> Reply:
        """Check the contract, then record (once per key)."""
        if request.path != self.path:
            return Reply(404, {"error": "not found"})
        if request.method != "POST":
            return Reply(405, {"error": "method not allowed"}, {"Allow": "POST"})
        if request.content_type != "application/json":
            return Reply(415, {"error": f"unsupported content type {request.content_type!r}"})
        headers = {name: request.header(name) or "" for name in WEBHOOK_HEADERS}
        replayed = False
        try:
            verify_webhook(request.body, headers, self.secret, seen=self._seen)
        except WebhookReplayed:
            replayed = True
        except WebhookVerificationError as error:
            return Reply(401, {"error": str(error)})
        key = request.header("Idempotency-Key")
        if not key:
            return Reply(400, {"error": "missing Idempotency-Key"})
        try:
            payload = json.loads(request.body.decode("utf-8"))
        except ValueError:
            return Reply(400, {"error": "body is not JSON"})
        if payload.get("type") == STATUS_EVENT:
            return self._status_event(payload, key, replayed)
        if payload.get("reference") != key:
            return Reply(422, {"error": "reference does not match Idempotency-Key"})
        with self.lock:
            self.bodies.append(request.body)
            self.accepted[key] += 1
            self.replays += replayed
            if self.dedupe and key in self._ids:
                return Reply(200, {"id": self._ids[key], "duplicate": True})
            self.created[key] += 1
            identifier = f"wh-{len(self._ids) + 1}"
            self._ids.setdefault(key, identifier)
            self.deliveries[key] = payload
            return Reply(201, {"id": self._ids[key]})

    def _status_event(self, payload: dict[str, Any], key: str, replayed: bool) -> Reply:
        if payload.get("idempotency_key") != key or not payload.get("reference"):
            return Reply(422, {"error": "idempotency_key does not match Idempotency-Key"})
        with self.lock:
            self.accepted[key] += 1
            self.replays += replayed
            if self.dedupe and key in self.status_events:
                return Reply(200, {"duplicate": True})
            self.created[key] += 1
            self.status_events[key] = payload
        return Reply(201, {})
