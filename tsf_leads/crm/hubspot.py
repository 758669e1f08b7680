"""HubSpot CRM, date-based API version 2026-09: the contact upserted by email, and the lead
summary as a note on it.

Calls, with a Service Key or a (legacy) private-app access token — the same
``Authorization: Bearer`` header; scopes ``crm.objects.contacts.read`` and
``crm.objects.contacts.write`` (notes are written with the contacts scopes):

1. ``POST /crm/objects/2026-09/contacts/batch/upsert`` with ``idProperty: "email"``: creates
   the contact or updates the one with that email; the answer gives its id. From 2026-09
   HubSpot enforces the portal's required properties on creates: ``TSF_HUBSPOT_CONTACT_PROPERTIES``
   supplies fixed values for them, and a refusal names the properties missing.
2. ``GET /crm/objects/2026-09/contacts/{id}/associations/notes`` then
   ``POST /crm/objects/2026-09/notes/batch/read``: the notes already on the contact. If one
   contains the lead reference, the lead was delivered before (a retry after a crash) and
   nothing is created. This reads the records themselves, not the search index, which can
   lag for seconds behind a just-created note.
3. ``POST /crm/objects/2026-09/notes`` with ``hs_timestamp``, ``hs_note_body`` (the summary as
   HTML) and an association to the contact (``HUBSPOT_DEFINED`` type 202, note to contact).

A team status change (after the lead was delivered) is
``PATCH /crm/objects/2026-09/contacts/{id}`` with the contact's ``hs_lead_status``
(:data:`LEAD_STATUS`), on the contact id the delivery returned.

The numbered paths these replace (``/crm/v3``, ``/crm/v4``) go unsupported in 2027.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

import requests

from tsf_leads.contracts import (
    CrmRejected,
    CrmUnavailable,
    DeliveryReceipt,
    StatusUpdate,
    StoredLead,
)
from tsf_leads.crm.base import HttpClient, Timeouts, parse_retry_after
from tsf_leads.crm.mapping import iso_utc, one_line, split_name, truncate

__all__ = [
    "DEFAULT_BASE_URL",
    "LEAD_STATUS",
    "NOTE_TO_CONTACT_ASSOCIATION",
    "HubSpotAdapter",
    "contact_properties",
    "note_body",
]

DEFAULT_BASE_URL = "https://api.hubapi.com"
API_VERSION = "2026-09"
"""The date-based API version every path uses."""
OBJECTS = f"/crm/objects/{API_VERSION}"
NOTE_TO_CONTACT_ASSOCIATION = 202
NOTE_BODY_LIMIT = 65_536
_ASSOCIATION_PAGE = 500
_READ_BATCH = 100
_MAX_ASSOCIATION_PAGES = 20
#: Team status -> the contact's ``hs_lead_status`` (HubSpot's default options).
LEAD_STATUS = {"claimed": "IN_PROGRESS", "contacted": "CONNECTED", "not_a_fit": "UNQUALIFIED"}


def contact_properties(lead: StoredLead) -> dict[str, str]:
    """HubSpot contact properties for the lead's contact (empty values left out).

    The email is lower-cased: HubSpot matches contacts by email without regard to case.
    """
    summary = lead.summary
    contact = summary.contact
    first, last = split_name(contact.name)
    properties = {
        "email": contact.email.strip().lower(),
        "firstname": first,
        "lastname": last,
        "company": one_line(summary.organisation),
        "jobtitle": one_line(contact.role),
        "phone": one_line(contact.phone or ""),
    }
    return {name: value for name, value in properties.items() if value}


def note_body(lead: StoredLead) -> str:
    """The note's HTML: a title with the reference, then the escaped summary (within limits)."""
    text = lead.markdown.strip()
    body = _note_html(lead.reference, text, shortened=False)
    while len(body) > NOTE_BODY_LIMIT:
        overflow = len(body) - NOTE_BODY_LIMIT
        text = text[: max(0, len(text) - overflow - 1)]
        body = _note_html(lead.reference, text, shortened=True)
    return body


def _note_html(reference: str, text: str, *, shortened: bool) -> str:
    parts = [f"<p><strong>TSF Assistant lead {html.escape(reference)}</strong></p>"]
    for block in text.split("\n\n"):
        lines = [html.escape(line) for line in block.splitlines()]
        if lines:
            parts.append("<p>" + "<br>".join(lines) + "</p>")
    if shortened:
        parts.append("<p>… (shortened: the full summary is in the TSF Assistant's lead store)</p>")
    return "".join(parts)


def _classify(response: requests.Response) -> CrmUnavailable | None:
    if response.status_code == 423:  # locked: too many writes to one record; wait and retry
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return CrmUnavailable("hubspot answered HTTP 423 (record locked)", retry_after or 2.0)
    return None


class HubSpotAdapter:
    """Deliver leads to HubSpot as a contact plus one note per lead.

    Args:
        token: a Service Key or private-app access token (``TSF_HUBSPOT_TOKEN``).
        base_url: the API root (``TSF_HUBSPOT_BASE_URL``).
        fixed_properties: contact properties set on every lead, for the portal's required
            properties (``TSF_HUBSPOT_CONTACT_PROPERTIES``); the lead's own values win.
        session: an injectable ``requests.Session``.
        timeouts: connect/read timeouts.
    """

    name = "hubspot"

    def __init__(
        self,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        fixed_properties: dict[str, str] | None = None,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
    ) -> None:
        """Keep the credentials; nothing is sent yet."""
        if not token:
            raise ValueError("the HubSpot token must not be empty")
        self.base_url = base_url.rstrip("/")
        self.fixed_properties = dict(fixed_properties or {})
        self._auth = {"Authorization": f"Bearer {token}"}
        self._http = HttpClient(self.name, session, timeouts, classify=_classify)

    def deliver(self, lead: StoredLead, idempotency_key: str) -> DeliveryReceipt:
        """Upsert the contact, then add the note unless one for this reference exists.

        Returns:
            A receipt whose ``external_id`` is the HubSpot contact id; ``status_code`` is 201
            when the note was created now, 200 when it was already there.
        """
        if not lead.summary.contact.email.strip():
            raise CrmRejected("hubspot contacts are keyed by email, and this lead has none")
        contact_id = self._upsert_contact(lead)
        if self._note_exists(contact_id, idempotency_key):
            return DeliveryReceipt(self.name, contact_id, 200)
        status = self._create_note(lead, contact_id)
        return DeliveryReceipt(self.name, contact_id, status)

    def update_status(self, update: StatusUpdate, idempotency_key: str) -> DeliveryReceipt:
        """Set the contact's ``hs_lead_status`` (a PATCH: sending it twice is harmless).

        Raises:
            CrmRejected: when the delivery gave no contact id, or for an unknown status.
        """
        value = LEAD_STATUS.get(update.team.status)
        if value is None:
            raise CrmRejected(f"no hs_lead_status for team status {update.team.status!r}")
        if not update.crm_record_id:
            raise CrmRejected(f"hubspot has no contact id for lead {update.reference}")
        response = self._call(
            "PATCH",
            f"{OBJECTS}/contacts/{quote(update.crm_record_id, safe='')}",
            json_body={"properties": {"hs_lead_status": value}},
        )
        return DeliveryReceipt(self.name, update.crm_record_id, response.status_code)

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self._http.request(method, self.base_url + path, headers=self._auth, **kwargs)

    def _upsert_contact(self, lead: StoredLead) -> str:
        properties = {**self.fixed_properties, **contact_properties(lead)}
        body = {
            "inputs": [{"idProperty": "email", "id": properties["email"], "properties": properties}]
        }
        try:
            response = self._call("POST", f"{OBJECTS}/contacts/batch/upsert", json_body=body)
        except CrmRejected as error:
            missing = _missing_required(error)
            if not missing:
                raise
            raise CrmRejected(
                f"hubspot requires contact properties this lead does not set: {', '.join(missing)}"
                " (give them fixed values in TSF_HUBSPOT_CONTACT_PROPERTIES)",
                error.status_code,
            ) from error
        answer = _json(response)
        results = answer.get("results") or []
        errors = answer.get("errors") or []
        if response.status_code == 207 or errors or not results:
            reason = "; ".join(str(error.get("message", error)) for error in errors) or str(answer)
            raise CrmRejected(f"hubspot refused the contact: {truncate(reason, 300)}", 207)
        return str(results[0]["id"])

    def _note_exists(self, contact_id: str, reference: str) -> bool:
        note_ids: list[str] = []
        after: str | None = None
        for _ in range(_MAX_ASSOCIATION_PAGES):
            params = {"limit": str(_ASSOCIATION_PAGE)}
            if after:
                params["after"] = after
            response = self._call(
                "GET", f"{OBJECTS}/contacts/{contact_id}/associations/notes", params=params
            )
            answer = _json(response)
            note_ids.extend(str(item["toObjectId"]) for item in answer.get("results") or [])
            after = ((answer.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                break
        for start in range(0, len(note_ids), _READ_BATCH):
            batch = note_ids[start : start + _READ_BATCH]
            body = {"properties": ["hs_note_body"], "inputs": [{"id": i} for i in batch]}
            response = self._call("POST", f"{OBJECTS}/notes/batch/read", json_body=body)
            for note in _json(response).get("results") or []:
                text = (note.get("properties") or {}).get("hs_note_body") or ""
                if reference in text:
                    return True
        return False

    def _create_note(self, lead: StoredLead, contact_id: str) -> int:
        body = {
            "properties": {
                "hs_timestamp": iso_utc(lead.summary.created_at),
                "hs_note_body": note_body(lead),
            },
            "associations": [
                {
                    "to": {"id": contact_id},
                    "types": [
                        {
                            "associationCategory": "HUBSPOT_DEFINED",
                            "associationTypeId": NOTE_TO_CONTACT_ASSOCIATION,
                        }
                    ],
                }
            ],
        }
        response = self._call("POST", f"{OBJECTS}/notes", json_body=body)
        return response.status_code


# HubSpot's property validation errors list each property as {"isValid": false, "message":
# ..., "error": "REQUIRED_FIELD", "name": "<property>"} (JSON inside the message, escaped).
_REQUIRED_AFTER = re.compile(r"REQUIRED_FIELD\W+name\W+([A-Za-z0-9_]+)")
_REQUIRED_BEFORE = re.compile(r"name\W+([A-Za-z0-9_]+)[^{}]*?REQUIRED_FIELD")


def _missing_required(error: CrmRejected) -> list[str]:
    """The properties a refusal says are required and missing (enforced from 2026-09)."""
    text = str(error)
    return sorted(set(_REQUIRED_AFTER.findall(text)) | set(_REQUIRED_BEFORE.findall(text)))


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError as error:
        raise CrmUnavailable(
            f"hubspot sent a non-JSON answer (HTTP {response.status_code})"
        ) from error
    if not isinstance(answer, dict):
        raise CrmUnavailable(f"hubspot sent an unexpected answer (HTTP {response.status_code})")
    return answer
