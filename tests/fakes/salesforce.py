"""A fake Salesforce: OAuth client-credentials token endpoint and Lead upsert by external id.

- ``POST /services/oauth2/token`` (form-encoded): ``grant_type=client_credentials`` with the
  right client id and secret gives ``access_token``, ``instance_url`` (this fake),
  ``token_type``, ``issued_at``, ``signature`` and no ``expires_in``, like Salesforce; wrong
  credentials get 400 ``invalid_client``, another grant 400 ``unsupported_grant_type``.
- ``PATCH /services/data/v67.0/sobjects/Lead/{field}/{value}``: a valid bearer token
  (otherwise 401 ``INVALID_SESSION_ID``), the configured external-id field (otherwise 404
  ``NOT_FOUND``), JSON with known Lead fields only (400 ``INVALID_FIELD``), no ``Id`` in the
  body; creating needs ``LastName`` and ``Company`` (400 ``REQUIRED_FIELD_MISSING``). Answers
  201 with ``{"id", "success", "errors", "created": true}`` on create, 204 on update.
- ``GET`` on the same URL (``?fields=Id``) returns the Lead.
- ``PATCH /services/data/v67.0/sobjects/Lead/{Id}``: updates the Lead with that Id (404
  otherwise); ``Status`` must be a value of the default Lead Status picklist (400
  ``INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST``). Answers 204; ``status_updates`` counts them.

Errors use Salesforce's body: a list of ``{"message", "errorCode", "fields"}``.
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections import Counter
from typing import Any

from tests.fakes.http_server import CountingFake, Recorded, Reply

LEAD_FIELDS = frozenset(
    {
        "FirstName",
        "LastName",
        "Salutation",
        "Company",
        "Email",
        "Phone",
        "MobilePhone",
        "Title",
        "LeadSource",
        "Rating",
        "Status",
        "Description",
        "Industry",
        "Website",
    }
)
LEAD_STATUSES = frozenset(
    {"Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"}
)
_ERROR_CODES = {
    400: "INVALID_FIELD",
    401: "INVALID_SESSION_ID",
    403: "INSUFFICIENT_ACCESS",
    404: "NOT_FOUND",
    409: "CONFLICT",
    429: "REQUEST_LIMIT_EXCEEDED",
    500: "UNKNOWN_EXCEPTION",
    503: "SERVER_UNAVAILABLE",
}


def _error(status: int, code: str, message: str, fields: list[str] | None = None) -> Reply:
    return Reply(status, [{"message": message, "errorCode": code, "fields": fields or []}])


class FakeSalesforce(CountingFake):
    """Fake Salesforce org; ``leads`` maps external-id values to Lead records.

    Args:
        client_id: the consumer key it accepts.
        client_secret: the consumer secret it accepts.
        external_id_field: the Lead external-id field.
        api_version: the REST version served, e.g. ``"67.0"``.
    """

    scripted_path = "/services/data/"

    def __init__(
        self,
        client_id: str = "3MVG9-test-client",
        client_secret: str = "test-secret",
        *,
        external_id_field: str = "TSF_Reference__c",
        api_version: str = "67.0",
    ) -> None:
        """An empty org."""
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.external_id_field = external_id_field
        self.api_version = api_version
        self.leads: dict[str, dict[str, Any]] = {}
        self.valid_tokens: set[str] = set()
        self.tokens_issued = 0
        self.status_updates: Counter[str] = Counter()
        self._ids = itertools.count(1)

    def revoke_tokens(self) -> None:
        """Make every issued token invalid (session expired, or revoked by an admin)."""
        with self.lock:
            self.valid_tokens.clear()

    def error_body(self, status: int) -> Any:
        """Salesforce's error list."""
        code = _ERROR_CODES.get(status, "UNKNOWN_EXCEPTION")
        return [{"message": f"scripted failure {status}", "errorCode": code, "fields": []}]

    def handle(self, request: Recorded) -> Reply:
        """Route one request."""
        if request.path == "/services/oauth2/token":
            return self._token(request)
        prefix = f"/services/data/v{self.api_version}/sobjects/Lead/"
        rest = request.path[len(prefix) :]
        if request.path.startswith(prefix) and request.method == "PATCH" and "/" not in rest:
            return self._update_by_id(request, rest)
        if request.path.startswith(prefix) and request.method == "PATCH":
            return self._upsert(request, rest)
        if request.path.startswith(prefix) and request.method == "GET":
            return self._get(request, request.path[len(prefix) :])
        return _error(404, "NOT_FOUND", "The requested resource does not exist")

    def _token(self, request: Recorded) -> Reply:
        if request.method != "POST":
            return Reply(405, {"error": "invalid_request"})
        if request.content_type != "application/x-www-form-urlencoded":
            return Reply(400, {"error": "invalid_request", "error_description": "must be a form"})
        form = request.form()
        if form.get("grant_type") != "client_credentials":
            return Reply(
                400,
                {
                    "error": "unsupported_grant_type",
                    "error_description": "grant type not supported",
                },
            )
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return Reply(
                400, {"error": "invalid_client", "error_description": "invalid client credentials"}
            )
        token = "00D000000000001!" + secrets.token_urlsafe(24)
        with self.lock:
            self.valid_tokens.add(token)
            self.tokens_issued += 1
        return Reply(
            200,
            {
                "access_token": token,
                "signature": secrets.token_urlsafe(16),
                "instance_url": self.url,
                "id": f"{self.url}/id/00D000000000001/005000000000001",
                "token_type": "Bearer",
                "issued_at": str(int(time.time() * 1000)),
            },
        )

    def _authorised(self, request: Recorded) -> bool:
        with self.lock:
            return request.bearer_token in self.valid_tokens

    def _get(self, request: Recorded, rest: str) -> Reply:
        if not self._authorised(request):
            return _error(401, "INVALID_SESSION_ID", "Session expired or invalid")
        field, _, value = rest.partition("/")
        with self.lock:
            record = self.leads.get(value) if field == self.external_id_field else None
            if record is None:
                return _error(404, "NOT_FOUND", "The requested resource does not exist")
            wanted = (request.query.get("fields") or [""])[0].split(",")
            answer = {name: record.get(name) for name in wanted if name} or dict(record)
        return Reply(200, {"attributes": {"type": "Lead"}, **answer})

    def _update_by_id(self, request: Recorded, record_id: str) -> Reply:
        if not self._authorised(request):
            return _error(401, "INVALID_SESSION_ID", "Session expired or invalid")
        try:
            body = request.json()
        except ValueError:
            return _error(400, "JSON_PARSER_ERROR", "Invalid JSON")
        if not isinstance(body, dict) or "Id" in body:
            return _error(400, "INVALID_FIELD", "Expected a JSON object without Id")
        unknown = sorted(set(body) - LEAD_FIELDS)
        if unknown:
            return _error(400, "INVALID_FIELD", f"No such column '{unknown[0]}'", unknown)
        if "Status" in body and body["Status"] not in LEAD_STATUSES:
            return _error(
                400,
                "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                f"Lead Status: bad value for restricted picklist field: {body['Status']}",
                ["Status"],
            )
        with self.lock:
            record = next((r for r in self.leads.values() if r["Id"] == record_id), None)
            if record is None:
                return _error(404, "NOT_FOUND", "The requested resource does not exist")
            record.update(body)
            self.status_updates[record_id] += 1
        return Reply(204)

    def _upsert(self, request: Recorded, rest: str) -> Reply:
        if not self._authorised(request):
            return _error(401, "INVALID_SESSION_ID", "Session expired or invalid")
        field, _, value = rest.partition("/")
        if field != self.external_id_field or not value or "/" in value:
            return _error(404, "NOT_FOUND", f"Provided external ID field does not exist: {field}")
        if request.content_type != "application/json":
            return _error(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json")
        try:
            body = request.json()
        except ValueError:
            return _error(400, "JSON_PARSER_ERROR", "Invalid JSON")
        if not isinstance(body, dict):
            return _error(400, "JSON_PARSER_ERROR", "Expected a JSON object")
        if "Id" in body:
            return _error(400, "INVALID_FIELD", "The Id field should not be specified", ["Id"])
        unknown = sorted(set(body) - LEAD_FIELDS)
        if unknown:
            return _error(
                400,
                "INVALID_FIELD",
                f"No such column '{unknown[0]}' on sobject of type Lead",
                unknown,
            )
        with self.lock:
            existing = self.leads.get(value)
            if existing is None:
                missing = [name for name in ("LastName", "Company") if not body.get(name)]
                if missing:
                    return _error(
                        400,
                        "REQUIRED_FIELD_MISSING",
                        f"Required fields are missing: {missing}",
                        missing,
                    )
                record_id = f"00Q{next(self._ids):015d}"
                self.leads[value] = {"Id": record_id, self.external_id_field: value, **body}
                self.created[value] += 1
                self.accepted[value] += 1
                return Reply(201, {"id": record_id, "success": True, "errors": [], "created": True})
            existing.update(body)
            self.accepted[value] += 1
        return Reply(204)
