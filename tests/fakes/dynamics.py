"""A fake Dynamics 365: Entra ID token endpoint plus Dataverse lead upsert by alternate key.

One server plays both hosts (authority and environment), so configure
``TSF_DYNAMICS_AUTHORITY`` and ``TSF_DYNAMICS_URL`` both as ``fake.url``.

- ``POST /{tenant}/oauth2/v2.0/token`` (form): ``grant_type=client_credentials``, the right
  client id, ``scope={fake.url}/.default`` (400 ``invalid_scope`` otherwise), right secret
  (401 ``invalid_client`` otherwise), known tenant (400 ``invalid_request``). Answers
  ``token_type``, ``expires_in`` (``token_lifetime``), ``ext_expires_in``, ``access_token``.
- ``PATCH /api/data/v9.2/leads({key}='{value}')``: needs ``OData-MaxVersion: 4.0`` and
  ``OData-Version: 4.0``, JSON, a valid unexpired bearer token (401 with
  ``WWW-Authenticate: Bearer error="invalid_token"`` otherwise), the configured alternate key
  and known lead columns. Without ``If-Match`` it creates or updates; ``If-Match: *`` on a
  missing row is 404. Answers 204 with ``OData-EntityId``.

- ``PATCH /api/data/v9.2/leads({leadid})``: the same checks; ``statecode`` with a
  ``statuscode`` valid for it (400 otherwise); ``If-Match: *`` on an unknown id is 404 (and
  without it a row would be created, as Dataverse does). ``status_updates`` counts them.

Errors use Dataverse's body: ``{"error": {"code": "0x...", "message": "..."}}``.
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from collections import Counter
from typing import Any

from tests.fakes.http_server import CountingFake, Recorded, Reply

LEAD_COLUMNS = frozenset(
    {
        "subject",
        "firstname",
        "lastname",
        "companyname",
        "emailaddress1",
        "telephone1",
        "mobilephone",
        "jobtitle",
        "description",
        "leadqualitycode",
        "leadsourcecode",
        "websiteurl",
        "statecode",
        "statuscode",
    }
)
#: statecode -> its statuscodes on the lead table.
LEAD_STATES = {0: {1, 2}, 1: {3}, 2: {4, 5, 6, 7}}
_LEAD_ID = re.compile(r"^/api/data/v9\.2/leads\(([0-9a-fA-F-]{36})\)$")
_LEAD_KEY = re.compile(r"^/api/data/v9\.2/leads\((\w+)='((?:[^']|'')*)'\)$")


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"error": {"code": code, "message": message}}, headers or {})


class FakeDynamics(CountingFake):
    """Fake Dataverse environment; ``leads`` maps alternate-key values to rows.

    Args:
        tenant_id: the tenant whose token endpoint exists.
        client_id: the app registration it accepts.
        client_secret: its secret.
        alternate_key: the lead column with an alternate key.
        token_lifetime: ``expires_in`` of issued tokens, in seconds.
    """

    scripted_path = "/api/data/"

    def __init__(
        self,
        tenant_id: str = "00000000-0000-0000-0000-00000000beef",
        client_id: str = "11111111-2222-3333-4444-555555555555",
        client_secret: str = "test-dynamics-secret",
        *,
        alternate_key: str = "tsf_reference",
        token_lifetime: int = 3599,
    ) -> None:
        """An empty environment."""
        super().__init__()
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.alternate_key = alternate_key
        self.token_lifetime = token_lifetime
        self.leads: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, float] = {}
        self.tokens_issued = 0
        self.status_updates: Counter[str] = Counter()

    def expire_tokens(self) -> None:
        """Make every issued token invalid, as if it had expired."""
        with self.lock:
            self.tokens.clear()

    def entity_url(self, reference: str) -> str:
        """The ``OData-EntityId`` of the row for ``reference``."""
        return f"{self.url}/api/data/v9.2/leads({self.leads[reference]['leadid']})"

    def error_body(self, status: int) -> Any:
        """Dataverse's error shape."""
        return {"error": {"code": "0x80040216", "message": f"scripted failure {status}"}}

    def handle(self, request: Recorded) -> Reply:
        """Route one request."""
        if request.path == f"/{self.tenant_id}/oauth2/v2.0/token":
            return self._token(request)
        if request.path.endswith("/oauth2/v2.0/token"):
            return Reply(
                400,
                {"error": "invalid_request", "error_description": "AADSTS90002: Tenant not found."},
            )
        by_id = _LEAD_ID.match(request.path)
        if by_id and request.method == "PATCH":
            return self._update_by_id(request, by_id.group(1))
        match = _LEAD_KEY.match(request.path)
        if match and request.method == "PATCH":
            return self._upsert(request, match.group(1), match.group(2).replace("''", "'"))
        return _error(404, "0x80060888", f"Resource not found for the segment '{request.path}'.")

    def _token(self, request: Recorded) -> Reply:
        if request.method != "POST":
            return Reply(405, {"error": "invalid_request"})
        if request.content_type != "application/x-www-form-urlencoded":
            return Reply(400, {"error": "invalid_request", "error_description": "AADSTS900144"})
        form = request.form()
        if form.get("grant_type") != "client_credentials":
            return Reply(400, {"error": "unsupported_grant_type"})
        if form.get("client_id") != self.client_id:
            return Reply(
                400,
                {"error": "unauthorized_client", "error_description": "AADSTS700016: not found"},
            )
        if form.get("scope") != f"{self.url}/.default":
            return Reply(
                400,
                {"error": "invalid_scope", "error_description": "AADSTS70011: invalid scope"},
            )
        if form.get("client_secret") != self.client_secret:
            return Reply(
                401,
                {
                    "error": "invalid_client",
                    "error_description": "AADSTS7000215: Invalid client secret provided.",
                },
            )
        token = "eyJ0eXAiOiJKV1Qi." + secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.token_lifetime
            self.tokens_issued += 1
        return Reply(
            200,
            {
                "token_type": "Bearer",
                "expires_in": self.token_lifetime,
                "ext_expires_in": self.token_lifetime,
                "access_token": token,
            },
        )

    def _update_by_id(self, request: Recorded, lead_id: str) -> Reply:
        with self.lock:
            expiry = self.tokens.get(request.bearer_token)
        if expiry is None or expiry < time.monotonic():
            return _error(401, "0x80072560", "The user is not a member of the organization.")
        for header in ("OData-MaxVersion", "OData-Version"):
            if request.header(header) != "4.0":
                return _error(400, "0x80048d19", f"{header}: 4.0 is required")
        try:
            body = request.json()
        except ValueError:
            return _error(400, "0x80048d19", "Error parsing the request body")
        unknown = sorted(set(body) - LEAD_COLUMNS) if isinstance(body, dict) else ["?"]
        if unknown:
            return _error(400, "0x80060888", f"Could not find a property named '{unknown[0]}'")
        if "statecode" in body and body.get("statuscode") not in LEAD_STATES.get(
            body["statecode"], set()
        ):
            return _error(
                400,
                "0x80048408",
                f"{body.get('statuscode')} is not a valid status code for state code "
                f"{body['statecode']}",
            )
        with self.lock:
            row = next((r for r in self.leads.values() if r["leadid"] == lead_id), None)
            if row is None:
                if request.header("If-Match") == "*":
                    return _error(404, "0x80040217", f"lead With Id = {lead_id} Does Not Exist")
                return _error(400, "0x80040217", "this fake does not create rows by id")
            row.update(body)
            self.status_updates[lead_id] += 1
        return Reply(204, None, {"OData-EntityId": f"{self.url}/api/data/v9.2/leads({lead_id})"})

    def _upsert(self, request: Recorded, key: str, value: str) -> Reply:
        with self.lock:
            expiry = self.tokens.get(request.bearer_token)
        if expiry is None or expiry < time.monotonic():
            return _error(
                401,
                "0x80072560",
                "The user is not a member of the organization.",
                {"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        for header in ("OData-MaxVersion", "OData-Version"):
            if request.header(header) != "4.0":
                return _error(400, "0x80048d19", f"{header}: 4.0 is required")
        if request.content_type != "application/json":
            return _error(415, "0x80048d19", "Content-Type must be application/json")
        if key != self.alternate_key:
            return _error(400, "0x80060892", f"Alternate key {key!r} is not defined on lead")
        try:
            body = request.json()
        except ValueError:
            return _error(400, "0x80048d19", "Error parsing the request body")
        if not isinstance(body, dict):
            return _error(400, "0x80048d19", "Expected a JSON object")
        unknown = sorted(set(body) - LEAD_COLUMNS)
        if unknown:
            return _error(
                400,
                "0x80060888",
                f"Could not find a property named '{unknown[0]}' on type "
                "'Microsoft.Dynamics.CRM.lead'.",
            )
        with self.lock:
            existing = self.leads.get(value)
            if existing is None:
                if request.header("If-Match") == "*":
                    return _error(404, "0x80040217", "lead with that key does not exist")
                existing = {"leadid": str(uuid.uuid4()), self.alternate_key: value}
                self.leads[value] = existing
                self.created[value] += 1
            elif request.header("If-None-Match") == "*":
                return _error(
                    412, "0x80040237", "A record with matching key values already exists."
                )
            existing.update(body)
            self.accepted[value] += 1
            entity = self.entity_url(value)
        return Reply(204, None, {"OData-EntityId": entity})
