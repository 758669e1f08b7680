"""A signed JSON webhook: the lead as a documented JSON document, POSTed to any receiver.

Works with Power Automate ("When a HTTP request is received"), Zapier ("Catch Hook") or any
HTTPS endpoint. Each POST carries:

- ``Content-Type: application/json`` and the body described by :data:`LEAD_JSON_SCHEMA`
  (compact UTF-8 JSON with sorted keys, the same bytes for every retry of a lead);
- ``X-TSF-Signature: sha256=<hex>``: HMAC-SHA256 of the exact body bytes with the shared
  secret (``TSF_CRM_WEBHOOK_SECRET``); receivers check it with :func:`verify_signature`;
- ``X-TSF-Timestamp``: Unix seconds when this attempt was sent (informational: it is not
  covered by the signature);
- ``Idempotency-Key``: the lead reference. Receivers must treat a repeated key as the same
  lead: answer 2xx again without creating a second record, or 409 while the first request is
  still being processed (the sender retries later).

Any 2xx is success; a JSON answer's ``"id"`` becomes the receipt's ``external_id``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import requests

from tsf_leads.contracts import DeliveryReceipt, StoredLead
from tsf_leads.crm.base import HttpClient, Timeouts
from tsf_leads.crm.mapping import iso_utc
from tsf_leads.payload import consent_document, summary_document

__all__ = [
    "LEAD_JSON_SCHEMA",
    "SCHEMA_VERSION",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WebhookAdapter",
    "encode_payload",
    "lead_payload",
    "sign",
    "verify_signature",
]

SCHEMA_VERSION = 1
SIGNATURE_HEADER = "X-TSF-Signature"
TIMESTAMP_HEADER = "X-TSF-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"

_TEXT = {"type": "string"}
_OPTIONAL_TEXT = {"type": ["string", "null"]}

#: JSON Schema (draft-07) of the body the webhook adapter sends.
LEAD_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "https://tsf-assistant.invalid/schemas/lead-v1.json",
    "title": "TSF Assistant warm lead",
    "description": "A warm lead from the Technology Spin-Out Fund assistant, sent with consent.",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "schema_version",
        "reference",
        "organisation",
        "contact",
        "answers",
        "amount",
        "purpose",
        "verdict",
        "criteria",
        "priority",
        "score",
        "channel",
        "conversation_id",
        "created_at",
        "consent",
        "notes",
        "markdown",
    ],
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION, "description": "Version of this schema."},
        "reference": {
            "type": "string",
            "minLength": 1,
            "examples": ["TSF-2026-000123"],
            "description": "The lead reference, also sent as the Idempotency-Key header.",
        },
        "organisation": {**_TEXT, "description": "The organisation, as the enquirer wrote it."},
        "contact": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "role", "email", "phone", "preferred_time"],
            "properties": {
                "name": _TEXT,
                "role": _TEXT,
                "email": _TEXT,
                "phone": _OPTIONAL_TEXT,
                "preferred_time": _OPTIONAL_TEXT,
            },
        },
        "answers": {
            "type": "array",
            "description": "Interview answers: question, the enquirer's own words, our reading.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["slot", "question", "own_words", "value"],
                "properties": {
                    "slot": _TEXT,
                    "question": _TEXT,
                    "own_words": _TEXT,
                    "value": _TEXT,
                },
            },
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
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["criterion", "title", "status", "reason"],
                "properties": {
                    "criterion": _TEXT,
                    "title": _TEXT,
                    "status": {"enum": ["met", "not_met", "to_discuss"]},
                    "reason": _TEXT,
                },
            },
        },
        "priority": {"enum": ["high", "medium", "low"]},
        "score": {"type": "integer", "minimum": 0, "maximum": 100},
        "channel": {**_TEXT, "description": "Where the conversation happened (web, slack...)."},
        "conversation_id": _TEXT,
        "created_at": {"type": "string", "format": "date-time", "description": "UTC."},
        "consent": {
            "type": "object",
            "additionalProperties": False,
            "required": ["given_at", "notice_version", "purpose"],
            "properties": {
                "given_at": {"type": "string", "format": "date-time"},
                "notice_version": _TEXT,
                "purpose": _TEXT,
            },
        },
        "notes": {"type": "array", "items": _TEXT},
        "markdown": {**_TEXT, "description": "The readable lead summary (Markdown)."},
    },
}


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
    return json.dumps(
        lead_payload(lead), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def _key(secret: str | bytes) -> bytes:
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def sign(body: bytes, secret: str | bytes) -> str:
    """The ``X-TSF-Signature`` value for ``body``: ``sha256=<hex HMAC-SHA256>``."""
    return "sha256=" + hmac.new(_key(secret), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str | None, secret: str | bytes) -> bool:
    """Whether ``header`` is the right ``X-TSF-Signature`` for ``body`` (constant time).

    Args:
        body: the raw request body, exactly as received (before any JSON parsing).
        header: the ``X-TSF-Signature`` header, or ``None`` when it was missing.
        secret: the shared secret (``TSF_CRM_WEBHOOK_SECRET``).
    """
    if not header or not secret:
        return False
    expected = sign(body, secret).encode("ascii")
    given = header.strip().encode("utf-8", "replace")
    return hmac.compare_digest(expected, given)


class WebhookAdapter:
    """Deliver leads as signed JSON POSTs to one URL.

    Args:
        url: the receiver (``TSF_CRM_WEBHOOK_URL``).
        secret: the shared HMAC secret (``TSF_CRM_WEBHOOK_SECRET``).
        session: an injectable ``requests.Session``.
        timeouts: connect/read timeouts.
        clock: wall clock for ``X-TSF-Timestamp``, injectable for tests.
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
        body = encode_payload(lead)
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, self._secret),
            TIMESTAMP_HEADER: str(int(self._clock())),
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
