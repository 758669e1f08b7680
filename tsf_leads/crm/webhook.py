"""A signed JSON webhook: the lead as a documented JSON document, POSTed to any receiver.

Works with Power Automate ("When a HTTP request is received"), Zapier ("Catch Hook") or any
HTTPS endpoint. Each POST is signed as the Standard Webhooks specification says
(https://www.standardwebhooks.com), so its libraries verify it too:

- ``Content-Type: application/json`` and the body described by :data:`LEAD_JSON_SCHEMA`
  (compact UTF-8 JSON with sorted keys, the same bytes for every retry of a lead);
- ``webhook-id``: the lead reference, the same for every retry of a lead;
- ``webhook-timestamp``: Unix seconds when this attempt was sent;
- ``webhook-signature: v1,<base64>``: HMAC-SHA256 of ``"<id>.<timestamp>.<body>"`` keyed by
  the shared secret (``TSF_CRM_WEBHOOK_SECRET``; a ``whsec_<base64>`` secret is decoded
  first, as Standard Webhooks does). The timestamp and id are signed, so a captured request
  cannot be sent again later, or under another id;
- ``Idempotency-Key``: the lead reference too, for receivers that know that header.

Receivers check all of it with :func:`verify_webhook`: a bad signature or a timestamp more
than five minutes away is refused, and an id seen before is reported as a replay
(:class:`WebhookReplayed`), which the receiver answers with 2xx without creating a second
record (it is a retry, or a copy). Answer 409 while the first request is still being
processed; the sender retries later.

Any 2xx is success; a JSON answer's ``"id"`` becomes the receipt's ``external_id``.

A team status change (after the lead was delivered) is POSTed the same way, signed, as the
event described by :data:`STATUS_EVENT_JSON_SCHEMA` (``"type": "lead.status_changed"``); its
``webhook-id`` and ``Idempotency-Key`` are the change's own key
(``TSF-2026-000123/status/7``), also in the body as ``idempotency_key``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from tsf_leads.contracts import DeliveryReceipt, StatusUpdate, StoredLead
from tsf_leads.crm.base import HttpClient, Timeouts
from tsf_leads.crm.mapping import iso_utc
from tsf_leads.payload import consent_document, summary_document

__all__ = [
    "ID_HEADER",
    "LEAD_JSON_SCHEMA",
    "SCHEMA_VERSION",
    "SIGNATURE_HEADER",
    "STATUS_EVENT",
    "STATUS_EVENT_JSON_SCHEMA",
    "TIMESTAMP_HEADER",
    "ReplayGuard",
    "VerifiedWebhook",
    "WebhookAdapter",
    "WebhookReplayed",
    "WebhookVerificationError",
    "encode_payload",
    "lead_payload",
    "sign",
    "status_event",
    "verify_webhook",
]

SCHEMA_VERSION = 1
ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
TOLERANCE_SECONDS = 300
"""How far a timestamp may be from the receiver's clock (five minutes, as Standard Webhooks)."""
_SECRET_PREFIX = "whsec_"

_TEXT = {"type": "string"}
_OPTIONAL_TEXT = {"type": ["string", "null"]}


def _record(properties: dict[str, Any]) -> dict[str, Any]:
    """A JSON Schema object with exactly these properties, every one required."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


_LEAD_PROPERTIES: dict[str, Any] = {
    "schema_version": {"const": SCHEMA_VERSION, "description": "Version of this schema."},
    "reference": {
        "type": "string",
        "minLength": 1,
        "examples": ["TSF-2026-000123"],
        "description": "The lead reference, also sent as the Idempotency-Key header.",
    },
    "organisation": {**_TEXT, "description": "The organisation, as the enquirer wrote it."},
    "contact": _record(
        {
            "name": _TEXT,
            "role": _TEXT,
            "email": _TEXT,
            "phone": _OPTIONAL_TEXT,
            "preferred_time": _OPTIONAL_TEXT,
        }
    ),
    "answers": {
        "type": "array",
        "description": "Interview answers: question, the enquirer's own words, our reading.",
        "items": _record({"slot": _TEXT, "question": _TEXT, "own_words": _TEXT, "value": _TEXT}),
    },
    "amount": {
        "type": ["integer", "null"],
        "minimum": 0,
        "description": "Loan amount sought, in whole pounds sterling.",
    },
    "purpose": {**_OPTIONAL_TEXT, "description": "What the loan is for."},
    "verdict": {"enum": ["eligible", "borderline"]},
    "criteria": {
        "type": "array",
        "items": _record(
            {
                "criterion": _TEXT,
                "title": _TEXT,
                "status": {"enum": ["met", "not_met", "to_discuss"]},
                "reason": _TEXT,
            }
        ),
    },
    "priority": {"enum": ["high", "medium", "low"]},
    "score": {"type": "integer", "minimum": 0, "maximum": 100},
    "channel": {**_TEXT, "description": "Where the conversation happened (web, slack...)."},
    "conversation_id": _TEXT,
    "created_at": {"type": "string", "format": "date-time", "description": "UTC."},
    "consent": _record(
        {
            "given_at": {"type": "string", "format": "date-time"},
            "notice_version": _TEXT,
            "purpose": _TEXT,
        }
    ),
    "notes": {"type": "array", "items": _TEXT},
    "markdown": {**_TEXT, "description": "The readable lead summary (Markdown)."},
}

#: JSON Schema (draft-07) of the body the webhook adapter sends.
LEAD_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "https://tsf-assistant.invalid/schemas/lead-v1.json",
    "title": "TSF Assistant warm lead",
    "description": "A warm lead from the Technology Spin-Out Fund assistant, sent with consent.",
    **_record(_LEAD_PROPERTIES),
}


STATUS_EVENT = "lead.status_changed"

#: JSON Schema (draft-07) of the event sent when the team changes a lead's status.
STATUS_EVENT_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "https://tsf-assistant.invalid/schemas/lead-status-changed-v1.json",
    "title": "TSF Assistant lead status changed",
    **_record(
        {
            "schema_version": {"const": SCHEMA_VERSION},
            "type": {"const": STATUS_EVENT},
            "idempotency_key": {
                **_TEXT,
                "description": "Unique per change; also the webhook-id and Idempotency-Key.",
            },
            "reference": {**_TEXT, "examples": ["TSF-2026-000123"]},
            "status": {"enum": ["claimed", "contacted", "not_a_fit"]},
            "previous_status": {"enum": [None, "claimed", "contacted"]},
            "changed_by": _record({"id": _TEXT, "name": _TEXT}),
            "changed_at": {"type": "string", "format": "date-time", "description": "UTC."},
            "reason": {**_OPTIONAL_TEXT, "description": "Why it is not a fit, or a note."},
            "crm_record_id": {
                **_OPTIONAL_TEXT,
                "description": "The id this receiver answered for the lead, if any.",
            },
        }
    ),
}


def status_event(update: StatusUpdate, idempotency_key: str) -> dict[str, Any]:
    """The ``lead.status_changed`` event described by :data:`STATUS_EVENT_JSON_SCHEMA`."""
    team = update.team
    return {
        "schema_version": SCHEMA_VERSION,
        "type": STATUS_EVENT,
        "idempotency_key": idempotency_key,
        "reference": update.reference,
        "status": team.status,
        "previous_status": update.previous_status,
        "changed_by": {"id": team.staff_id, "name": team.staff_name},
        "changed_at": iso_utc(team.changed_at),
        "reason": team.reason,
        "crm_record_id": update.crm_record_id,
    }


def _encode(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def lead_payload(lead: StoredLead) -> dict[str, Any]:
    """The lead as the JSON document described by :data:`LEAD_JSON_SCHEMA`."""
    return {
        "schema_version": SCHEMA_VERSION,
        "reference": lead.reference,
        **summary_document(lead.summary, iso_utc),
        "consent": consent_document(lead.consent, iso_utc),
        "markdown": lead.markdown,
    }


def encode_payload(lead: StoredLead) -> bytes:
    """The exact body bytes: compact UTF-8 JSON with sorted keys (stable across retries)."""
    return _encode(lead_payload(lead))


def signing_key(secret: str | bytes) -> bytes:
    """The HMAC key: a ``whsec_<base64>`` secret decoded, any other text as UTF-8."""
    if isinstance(secret, bytes):
        return secret
    if secret.startswith(_SECRET_PREFIX):
        try:  # padded or not, as the Standard Webhooks libraries read it
            return base64.b64decode(secret[len(_SECRET_PREFIX) :] + "==")
        except binascii.Error:
            pass
    return secret.encode("utf-8")


def sign(message_id: str, timestamp: int, body: bytes, secret: str | bytes) -> str:
    """The ``webhook-signature`` value: ``v1,<base64 HMAC-SHA256 of "id.timestamp.body">``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


class WebhookVerificationError(ValueError):
    """The request is not a webhook signed with the shared secret, sent just now."""


class WebhookReplayed(WebhookVerificationError):
    """A genuine webhook whose id was seen before: a retry, or a copy sent again."""


@dataclass(frozen=True)
class VerifiedWebhook:
    """What a verified request says: its id (the lead reference) and when it was sent."""

    message_id: str
    timestamp: int


class ReplayGuard:
    """The webhook ids seen within the tolerance window (in memory, thread-safe).

    A receiver with several processes shares one store instead (a database table with a
    unique key on the id, or Redis ``SET NX EX``); the check is the same.
    """

    def __init__(self, remember_seconds: float = 2 * TOLERANCE_SECONDS) -> None:
        """Remember each id this long: past it, its timestamp is refused as stale anyway."""
        self._remember = remember_seconds
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_time(self, message_id: str, now: float) -> bool:
        """Whether ``message_id`` is new (and from now on, seen)."""
        with self._lock:
            self._seen = {key: until for key, until in self._seen.items() if until > now}
            if message_id in self._seen:
                return False
            self._seen[message_id] = now + self._remember
            return True


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return str(value).strip()
    return ""


def verify_webhook(
    body: bytes,
    headers: Mapping[str, str],
    secret: str | bytes,
    *,
    seen: ReplayGuard | None = None,
    now: float | None = None,
    tolerance: float = TOLERANCE_SECONDS,
) -> VerifiedWebhook:
    """Check a received webhook; what it says, or an exception saying why it is refused.

    Args:
        body: the raw request body, exactly as received (before any JSON parsing).
        headers: the request headers (any letter case).
        secret: the shared secret (``TSF_CRM_WEBHOOK_SECRET``).
        seen: the ids already received; without it replays are not detected.
        now: the receiver's clock (Unix seconds), injectable for tests.
        tolerance: how many seconds the timestamp may be from ``now``.

    Raises:
        WebhookVerificationError: missing headers, a bad signature or a stale timestamp.
        WebhookReplayed: a genuine webhook whose id ``seen`` already holds.
    """
    message_id = _header(headers, ID_HEADER)
    raw_timestamp = _header(headers, TIMESTAMP_HEADER)
    signatures = _header(headers, SIGNATURE_HEADER).split()
    if not (message_id and raw_timestamp.isdigit() and signatures and secret):
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or signature")
    timestamp = int(raw_timestamp)
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise WebhookVerificationError("the timestamp is too old or in the future")
    expected = sign(message_id, timestamp, body, secret).encode("ascii")
    if not any(
        hmac.compare_digest(expected, given.encode("utf-8", "replace")) for given in signatures
    ):
        raise WebhookVerificationError("bad signature")
    if seen is not None and not seen.first_time(message_id, now):
        raise WebhookReplayed(f"webhook {message_id} was received before")
    return VerifiedWebhook(message_id, timestamp)


class WebhookAdapter:
    """Deliver leads as signed JSON POSTs to one URL.

    Args:
        url: the receiver (``TSF_CRM_WEBHOOK_URL``).
        secret: the shared HMAC secret (``TSF_CRM_WEBHOOK_SECRET``).
        session: an injectable ``requests.Session``.
        timeouts: connect/read timeouts.
        clock: wall clock for ``webhook-timestamp``, injectable for tests.
    """

    name = "webhook"

    def __init__(
        self,
        url: str,
        secret: str,
        *,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Keep the target and secret; nothing is sent yet."""
        if not secret:
            raise ValueError("the webhook secret must not be empty")
        self.url = url
        self._secret = secret
        self._clock = clock
        self._http = HttpClient(self.name, session, timeouts)

    def deliver(self, lead: StoredLead, idempotency_key: str) -> DeliveryReceipt:
        """POST the lead; any 2xx is success (see the module docstring for the contract)."""
        return self._post(encode_payload(lead), idempotency_key)

    def update_status(self, update: StatusUpdate, idempotency_key: str) -> DeliveryReceipt:
        """POST the ``lead.status_changed`` event, signed, keyed by the change's own key."""
        return self._post(_encode(status_event(update, idempotency_key)), idempotency_key)

    def _post(self, body: bytes, idempotency_key: str) -> DeliveryReceipt:
        timestamp = int(self._clock())
        headers = {
            "Content-Type": "application/json",
            ID_HEADER: idempotency_key,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(idempotency_key, timestamp, body, self._secret),
            IDEMPOTENCY_HEADER: idempotency_key,
        }
        response = self._http.request("POST", self.url, data=body, headers=headers)
        return DeliveryReceipt(self.name, _answer_id(response), response.status_code)


def _answer_id(response: requests.Response) -> str | None:
    try:
        answer = response.json()
    except ValueError:
        return None
    if isinstance(answer, dict):
        identifier = answer.get("id")
        if isinstance(identifier, (str, int)) and not isinstance(identifier, bool):
            return str(identifier)
    return None
