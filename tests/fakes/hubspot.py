"""A fake HubSpot CRM API (date-based version 2026-09), strict where mistakes are likely.

Implements, behind a ``Authorization: Bearer <token>`` check (401 ``INVALID_AUTHENTICATION``),
only the date-based paths (the numbered ``/crm/v3`` and ``/crm/v4`` ones answer 404):

- ``POST /crm/objects/2026-09/contacts/batch/upsert``: needs ``idProperty: "email"`` and a
  valid email; only known contact properties; a new contact must carry the portal's
  ``required_properties`` (400 with a ``REQUIRED_FIELD`` entry per missing one, as 2026-09
  enforces); creates or updates the contact with that email (case-insensitive) and answers
  200 with ``results[].id`` and ``new``;
- ``POST /crm/objects/2026-09/notes``: needs ``hs_timestamp``; ``hs_note_body`` up to 65,536
  characters; associations must name an existing contact with ``HUBSPOT_DEFINED`` type 202
  (note to contact); answers 201;
- ``GET /crm/objects/2026-09/contacts/{id}/associations/notes``: paged (``limit`` up to 500,
  ``after`` cursor), type 201 (contact to note) as HubSpot reports it from the contact side;
- ``POST /crm/objects/2026-09/notes/batch/read``: up to 100 ids;
- ``PATCH /crm/objects/2026-09/contacts/{id}``: known properties only, ``hs_lead_status``
  one of HubSpot's default options; 404 for an unknown contact; ``status_updates`` counts
  the accepted ones per contact.

Errors use HubSpot's body: ``{"status": "error", "message", "correlationId", "category"}``.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from collections import Counter
from datetime import datetime, timezone
from typing import Any

from tests.fakes.http_server import FakeService, Recorded, Reply

CONTACT_PROPERTIES = frozenset(
    {
        "email",
        "firstname",
        "lastname",
        "company",
        "jobtitle",
        "phone",
        "mobilephone",
        "website",
        "lifecyclestage",
        "hs_lead_status",
    }
)
NOTE_PROPERTIES = frozenset(
    {"hs_timestamp", "hs_note_body", "hubspot_owner_id", "hs_attachment_ids"}
)
LEAD_STATUS_OPTIONS = frozenset(
    {
        "NEW",
        "OPEN",
        "IN_PROGRESS",
        "OPEN_DEAL",
        "UNQUALIFIED",
        "ATTEMPTED_TO_CONTACT",
        "CONNECTED",
        "BAD_TIMING",
    }
)
NOTE_TO_CONTACT = 202
CONTACT_TO_NOTE = 201
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
OBJECTS = "/crm/objects/2026-09"
_ASSOCIATIONS = re.compile(rf"^{OBJECTS}/contacts?/(\d+)/associations/notes?$")
_CONTACT = re.compile(rf"^{OBJECTS}/contacts/(\d+)$")


def _error(status: int, message: str, category: str) -> Reply:
    return Reply(
        status,
        {
            "status": "error",
            "message": message,
            "correlationId": str(uuid.uuid4()),
            "category": category,
        },
    )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class FakeHubSpot(FakeService):
    """Fake HubSpot; ``contacts`` and ``notes`` hold what was created.

    Args:
        token: the private-app token it accepts.
        association_page_size: results per association page (small values test paging).
    """

    scripted_path = "/crm/"

    def __init__(
        self,
        token: str = "pat-eu1-test-token",
        *,
        association_page_size: int = 500,
        required_properties: frozenset[str] = frozenset(),
    ):
        """An empty portal that requires ``required_properties`` on new contacts."""
        super().__init__()
        self.token = token
        self.required_properties = required_properties
        self.association_page_size = association_page_size
        self.contacts: dict[str, dict[str, Any]] = {}
        self.notes: dict[str, dict[str, Any]] = {}
        self.contact_notes: dict[str, list[str]] = {}
        self.status_updates: Counter[str] = Counter()
        self._ids = itertools.count(101)

    # -- assertions --------------------------------------------------------------------------

    def delivery_count(self, reference: str) -> int:
        """How many notes mention ``reference`` (1 = delivered exactly once)."""
        with self.lock:
            return sum(
                reference in note["properties"].get("hs_note_body", "")
                for note in self.notes.values()
            )

    def request_count(self, reference: str) -> int:
        """How many note-creation requests mentioned ``reference``."""
        with self.lock:
            return sum(
                request.method == "POST"
                and request.path == f"{OBJECTS}/notes"
                and reference.encode() in request.body
                for request in self.requests
            )

    def contact_by_email(self, email: str) -> dict[str, Any] | None:
        """The contact with this email, if any."""
        with self.lock:
            for contact in self.contacts.values():
                if contact["properties"].get("email", "").lower() == email.lower():
                    return contact
        return None

    def notes_of(self, contact_id: str) -> list[dict[str, Any]]:
        """The notes associated with a contact."""
        with self.lock:
            return [self.notes[i] for i in self.contact_notes.get(contact_id, [])]

    # -- HTTP --------------------------------------------------------------------------------

    def error_body(self, status: int) -> Any:
        """HubSpot's error shape."""
        categories = {401: "INVALID_AUTHENTICATION", 429: "RATE_LIMITS", 409: "CONFLICT"}
        return {
            "status": "error",
            "message": f"scripted failure {status}",
            "correlationId": str(uuid.uuid4()),
            "category": categories.get(status, "VALIDATION_ERROR" if status < 500 else "ERROR"),
        }

    def handle(self, request: Recorded) -> Reply:
        """Route one request."""
        if request.header("Authorization") != f"Bearer {self.token}":
            return _error(
                401,
                "Authentication credentials not found or invalid.",
                "INVALID_AUTHENTICATION",
            )
        route = (request.method, request.path)
        if route == ("POST", f"{OBJECTS}/contacts/batch/upsert"):
            return self._upsert_contacts(request)
        if route == ("POST", f"{OBJECTS}/notes"):
            return self._create_note(request)
        if route == ("POST", f"{OBJECTS}/notes/batch/read"):
            return self._read_notes(request)
        match = _ASSOCIATIONS.match(request.path)
        if request.method == "GET" and match:
            return self._list_associations(match.group(1), request)
        contact = _CONTACT.match(request.path)
        if request.method == "PATCH" and contact:
            return self._update_contact(contact.group(1), request)
        return _error(404, f"no route for {request.method} {request.path}", "OBJECT_NOT_FOUND")

    def _upsert_contacts(self, request: Recorded) -> Reply:
        try:
            inputs = request.json()["inputs"]
        except (ValueError, KeyError, TypeError):
            return _error(400, "Invalid input JSON: inputs is required", "VALIDATION_ERROR")
        if not isinstance(inputs, list) or not 1 <= len(inputs) <= 100:
            return _error(400, "inputs must hold 1 to 100 objects", "VALIDATION_ERROR")
        results = []
        with self.lock:
            for item in inputs:
                if item.get("idProperty") != "email":
                    return _error(400, "batch upsert needs idProperty 'email'", "VALIDATION_ERROR")
                email = str(item.get("id") or "")
                if not _EMAIL.match(email):
                    return _error(400, f"Email address {email} is invalid", "VALIDATION_ERROR")
                properties = item.get("properties") or {}
                unknown = sorted(set(properties) - CONTACT_PROPERTIES)
                if unknown:
                    return _error(
                        400,
                        f"Property values were not valid: PROPERTY_DOESNT_EXIST {unknown}",
                        "VALIDATION_ERROR",
                    )
                if not all(isinstance(value, str) for value in properties.values()):
                    return _error(400, "Property values must be strings", "VALIDATION_ERROR")
                existing = self.contact_by_email(email)
                missing = sorted(self.required_properties - {k for k, v in properties.items() if v})
                if existing is None and missing:
                    problems = [
                        {
                            "isValid": False,
                            "message": f"{name} is required",
                            "error": "REQUIRED_FIELD",
                            "name": name,
                        }
                        for name in missing
                    ]
                    return _error(
                        400,
                        f"Property values were not valid: {json.dumps(problems)}",
                        "VALIDATION_ERROR",
                    )
                if existing is None:
                    contact_id = str(next(self._ids))
                    existing = {"id": contact_id, "properties": {"email": email.lower()}}
                    self.contacts[contact_id] = existing
                    is_new = True
                else:
                    is_new = False
                existing["properties"].update(properties)
                existing["properties"]["email"] = email.lower()
                results.append(
                    {
                        "id": existing["id"],
                        "properties": dict(existing["properties"]),
                        "createdAt": _now(),
                        "updatedAt": _now(),
                        "archived": False,
                        "new": is_new,
                    }
                )
        return Reply(
            200,
            {"status": "COMPLETE", "results": results, "startedAt": _now(), "completedAt": _now()},
        )

    def _update_contact(self, contact_id: str, request: Recorded) -> Reply:
        try:
            properties = request.json()["properties"]
        except (ValueError, KeyError, TypeError):
            return _error(400, "properties is required", "VALIDATION_ERROR")
        unknown = sorted(set(properties) - CONTACT_PROPERTIES)
        if unknown:
            return _error(400, f"PROPERTY_DOESNT_EXIST {unknown}", "VALIDATION_ERROR")
        status = properties.get("hs_lead_status")
        if status is not None and status not in LEAD_STATUS_OPTIONS:
            return _error(400, f"{status!r} was not one of the allowed options", "VALIDATION_ERROR")
        with self.lock:
            contact = self.contacts.get(contact_id)
            if contact is None:
                return _error(404, f"contact {contact_id} not found", "OBJECT_NOT_FOUND")
            contact["properties"].update(properties)
            self.status_updates[contact_id] += 1
            answer = {"id": contact_id, "properties": dict(contact["properties"])}
        return Reply(200, {**answer, "createdAt": _now(), "updatedAt": _now(), "archived": False})

    def _create_note(self, request: Recorded) -> Reply:
        try:
            payload = request.json()
            properties = payload["properties"]
        except (ValueError, KeyError, TypeError):
            return _error(400, "properties is required", "VALIDATION_ERROR")
        unknown = sorted(set(properties) - NOTE_PROPERTIES)
        if unknown:
            return _error(400, f"PROPERTY_DOESNT_EXIST {unknown}", "VALIDATION_ERROR")
        timestamp = properties.get("hs_timestamp")
        if not timestamp:
            return _error(400, "hs_timestamp is required", "VALIDATION_ERROR")
        try:
            if not str(timestamp).isdigit():
                datetime.fromisoformat(str(timestamp).replace("Z", "+00:00"))
        except ValueError:
            return _error(400, f"hs_timestamp {timestamp!r} is not a date", "VALIDATION_ERROR")
        if len(properties.get("hs_note_body", "")) > 65_536:
            return _error(400, "hs_note_body is longer than 65536 characters", "VALIDATION_ERROR")
        contact_ids = []
        with self.lock:
            for association in payload.get("associations") or []:
                target = str((association.get("to") or {}).get("id", ""))
                if target not in self.contacts:
                    return _error(400, f"association target {target} not found", "VALIDATION_ERROR")
                types = association.get("types") or []
                valid = [
                    kind
                    for kind in types
                    if kind.get("associationCategory") == "HUBSPOT_DEFINED"
                    and kind.get("associationTypeId") == NOTE_TO_CONTACT
                ]
                if not types or len(valid) != len(types):
                    return _error(
                        400,
                        f"invalid association types {types} for note to contact",
                        "VALIDATION_ERROR",
                    )
                contact_ids.append(target)
            note_id = str(next(self._ids))
            note = {
                "id": note_id,
                "properties": {**properties, "hs_object_id": note_id},
                "contact_ids": contact_ids,
            }
            self.notes[note_id] = note
            for contact_id in contact_ids:
                self.contact_notes.setdefault(contact_id, []).append(note_id)
        return Reply(
            201,
            {
                "id": note_id,
                "properties": note["properties"],
                "createdAt": _now(),
                "updatedAt": _now(),
                "archived": False,
            },
        )

    def _list_associations(self, contact_id: str, request: Recorded) -> Reply:
        limit = int((request.query.get("limit") or ["500"])[0])
        if not 1 <= limit <= 500:
            return _error(400, "limit must be between 1 and 500", "VALIDATION_ERROR")
        offset = int((request.query.get("after") or ["0"])[0])
        with self.lock:
            if contact_id not in self.contacts:
                return _error(404, f"contact {contact_id} not found", "OBJECT_NOT_FOUND")
            note_ids = list(self.contact_notes.get(contact_id, []))
        size = min(limit, self.association_page_size)
        page = note_ids[offset : offset + size]
        answer: dict[str, Any] = {
            "results": [
                {
                    "toObjectId": int(note_id),
                    "associationTypes": [
                        {"category": "HUBSPOT_DEFINED", "typeId": CONTACT_TO_NOTE, "label": None}
                    ],
                }
                for note_id in page
            ]
        }
        if offset + size < len(note_ids):
            answer["paging"] = {"next": {"after": str(offset + size), "link": None}}
        return Reply(200, answer)

    def _read_notes(self, request: Recorded) -> Reply:
        try:
            payload = request.json()
            ids = [str(item["id"]) for item in payload["inputs"]]
        except (ValueError, KeyError, TypeError):
            return _error(400, "inputs is required", "VALIDATION_ERROR")
        if len(ids) > 100:
            return _error(400, "at most 100 inputs", "VALIDATION_ERROR")
        wanted = set(payload.get("properties") or []) | {"hs_object_id"}
        with self.lock:
            results = [
                {
                    "id": note_id,
                    "properties": {
                        name: value
                        for name, value in self.notes[note_id]["properties"].items()
                        if name in wanted
                    },
                    "archived": False,
                }
                for note_id in ids
                if note_id in self.notes
            ]
        return Reply(200, {"status": "COMPLETE", "results": results})
