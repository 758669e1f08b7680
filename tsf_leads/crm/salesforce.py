"""Salesforce: a Lead upserted by an external-id field holding the lead reference.

Calls:

1. ``POST {login_url}/services/oauth2/token`` with the OAuth 2.0 client-credentials grant
   (a connected or external client app with "Enable Client Credentials Flow" and a run-as
   user). The answer gives ``access_token`` and ``instance_url``; it has no ``expires_in``,
   so the token is kept until the API refuses it (401), then fetched again once.
2. ``PATCH {instance_url}/services/data/v67.0/sobjects/Lead/{field}/{reference}`` with the
   Lead fields: 201 when the Lead was created, 200/204 when it already existed and was
   updated (then ``GET`` on the same URL with ``fields=Id`` finds the Lead Id). The field
   (default ``TSF_Reference__c``) must be a custom Text field marked "External ID" (and
   preferably "Unique") on Lead.

A team status change (after the lead was delivered) is ``PATCH .../sobjects/Lead/{Id}`` with
the Lead's ``Status`` (:data:`LEAD_STATUS`, values of the default Lead Status picklist) on the
Lead Id the delivery returned (or, without one, the external-id URL of the reference).

Salesforce-specific answers: 300 (several Leads share the reference) and other 4xx are
permanent; 403 ``REQUEST_LIMIT_EXCEEDED`` (the org's API allowance is used up) and 400
``UNABLE_TO_LOCK_ROW`` are temporary.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from tsf_leads.contracts import (
    CrmError,
    CrmRejected,
    CrmUnavailable,
    DeliveryReceipt,
    StatusUpdate,
    StoredLead,
)
from tsf_leads.crm.base import HttpClient, Timeouts, parse_retry_after
from tsf_leads.crm.mapping import TRUNCATION_MARK, one_line, split_name, truncate
from tsf_leads.oauth import AccessToken, TokenCache, authorized_request

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_EXTERNAL_ID_FIELD",
    "DEFAULT_LEAD_SOURCE",
    "DEFAULT_LOGIN_URL",
    "LEAD_STATUS",
    "SalesforceAdapter",
    "lead_fields",
]

DEFAULT_LOGIN_URL = "https://login.salesforce.com"
DEFAULT_API_VERSION = "67.0"
DEFAULT_EXTERNAL_ID_FIELD = "TSF_Reference__c"
DEFAULT_LEAD_SOURCE = "Web"
RATINGS = {"high": "Hot", "medium": "Warm", "low": "Cold"}
#: Team status -> Lead ``Status`` (the default Lead Status picklist values).
LEAD_STATUS = {
    "claimed": "Open - Not Contacted",
    "contacted": "Working - Contacted",
    "not_a_fit": "Closed - Not Converted",
}
# Standard Lead field lengths; longer values are refused with STRING_TOO_LONG.
_LIMITS = {
    "FirstName": 40,
    "LastName": 80,
    "Company": 255,
    "Email": 80,
    "Phone": 40,
    "Title": 128,
    "LeadSource": 255,
    "Description": 32_000,
}
_TEMPORARY_CODES = frozenset({"REQUEST_LIMIT_EXCEEDED", "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE"})


def lead_fields(lead: StoredLead, lead_source: str = DEFAULT_LEAD_SOURCE) -> dict[str, str]:
    """The Lead fields for ``lead``, cut to Salesforce's lengths (empty optional ones left out).

    The external-id field is not in the body: it is in the URL.
    """
    summary = lead.summary
    contact = summary.contact
    first, last = split_name(contact.name)
    fields = {
        "FirstName": first,
        "LastName": last or "(name not given)",
        "Company": one_line(summary.organisation) or "(organisation not given)",
        "Email": contact.email.strip(),
        "Phone": one_line(contact.phone or ""),
        "Title": one_line(contact.role),
        "LeadSource": lead_source,
        "Rating": RATINGS.get(summary.priority, ""),
        "Description": lead.markdown,
    }
    result = {}
    for name, value in fields.items():
        if not value:
            continue
        limit = _LIMITS.get(name)
        if limit is not None:
            value = truncate(value, limit, TRUNCATION_MARK if name == "Description" else "…")
        result[name] = value
    return result


def _error_codes(response: requests.Response) -> list[str]:
    try:
        answer = response.json()
    except ValueError:
        return []
    items = answer if isinstance(answer, list) else [answer]
    return [str(item.get("errorCode", "")) for item in items if isinstance(item, dict)]


def _classify(response: requests.Response) -> CrmError | None:
    codes = _error_codes(response)
    temporary = _TEMPORARY_CODES.intersection(codes)
    if temporary:
        return CrmUnavailable(
            f"salesforce answered HTTP {response.status_code} {sorted(temporary)[0]}",
            parse_retry_after(response.headers.get("Retry-After")),
        )
    if response.status_code == 300:
        return CrmRejected(
            "salesforce found several Leads with this external id: merge them, then retry", 300
        )
    return None


class SalesforceAdapter:
    """Deliver leads to Salesforce as Leads upserted by their reference.

    Args:
        client_id: the app's consumer key (``TSF_SALESFORCE_CLIENT_ID``).
        client_secret: the app's consumer secret (``TSF_SALESFORCE_CLIENT_SECRET``).
        login_url: where to get tokens: your My Domain URL (``TSF_SALESFORCE_LOGIN_URL``).
        external_id_field: the Lead external-id field holding the reference.
        api_version: REST API version, e.g. ``"67.0"``.
        lead_source: value for the ``LeadSource`` picklist.
        session: an injectable ``requests.Session``.
        timeouts: connect/read timeouts.
    """

    name = "salesforce"

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        login_url: str = DEFAULT_LOGIN_URL,
        external_id_field: str = DEFAULT_EXTERNAL_ID_FIELD,
        api_version: str = DEFAULT_API_VERSION,
        lead_source: str = DEFAULT_LEAD_SOURCE,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
    ) -> None:
        """Keep the settings; no token is fetched until the first delivery."""
        if not (client_id and client_secret):
            raise ValueError("the Salesforce client id and secret must not be empty")
        self.login_url = login_url.rstrip("/")
        self.external_id_field = external_id_field
        self.api_version = api_version.lower().removeprefix("v")
        self.lead_source = lead_source
        self._http = HttpClient(self.name, session, timeouts, classify=_classify)
        self.tokens = TokenCache(
            self._http, f"{self.login_url}/services/oauth2/token", client_id, client_secret
        )

    def lead_url(self, token: AccessToken, reference: str) -> str:
        """The upsert URL for ``reference`` on the token's instance."""
        instance_url = str(token.extra.get("instance_url") or "").rstrip("/")
        if not instance_url:
            raise CrmRejected("salesforce token answer has no instance_url")
        return (
            f"{instance_url}/services/data/v{self.api_version}/sobjects/Lead/"
            f"{quote(self.external_id_field, safe='')}/{quote(reference, safe='')}"
        )

    def deliver(self, lead: StoredLead, idempotency_key: str) -> DeliveryReceipt:
        """Upsert the Lead whose external id is ``idempotency_key`` (the reference).

        Returns:
            A receipt with the Lead's Salesforce Id; ``status_code`` is 201 when the Lead was
            created now, 200 or 204 when it existed (a retry) and was updated.
        """
        response = authorized_request(
            self._http,
            self.tokens,
            "PATCH",
            lambda token: self.lead_url(token, idempotency_key),
            json_body=lead_fields(lead, self.lead_source),
            headers={"Content-Type": "application/json"},
        )
        record_id = _record_id(response)
        if record_id is None:
            record_id = self._lookup_id(idempotency_key)
        return DeliveryReceipt(self.name, record_id, response.status_code)

    def record_url(self, token: AccessToken, record_id: str) -> str:
        """The URL of the Lead with this Salesforce Id on the token's instance."""
        base = self.lead_url(token, "x").rsplit("/", 2)[0]
        return f"{base}/{quote(record_id, safe='')}"

    def update_status(self, update: StatusUpdate, idempotency_key: str) -> DeliveryReceipt:
        """Set the Lead's ``Status`` (a PATCH: sending it twice is harmless)."""
        value = LEAD_STATUS.get(update.team.status)
        if value is None:
            raise CrmRejected(f"no Lead Status for team status {update.team.status!r}")
        record_id = update.crm_record_id

        def url(token: AccessToken) -> str:
            if record_id:
                return self.record_url(token, record_id)
            return self.lead_url(token, update.reference)

        response = authorized_request(
            self._http,
            self.tokens,
            "PATCH",
            url,
            json_body={"Status": value},
            headers={"Content-Type": "application/json"},
        )
        return DeliveryReceipt(self.name, record_id, response.status_code)

    def _lookup_id(self, reference: str) -> str | None:
        """The Lead Id for ``reference`` after an update (204 has no body); ``None`` if unknown."""
        try:
            response = authorized_request(
                self._http,
                self.tokens,
                "GET",
                lambda token: self.lead_url(token, reference),
                params={"fields": "Id"},
            )
            answer = response.json()
        except (CrmError, ValueError):
            return None
        identifier = answer.get("Id") if isinstance(answer, dict) else None
        return identifier if isinstance(identifier, str) else None


def _record_id(response: requests.Response) -> str | None:
    if response.status_code == 204 or not response.content:
        return None
    try:
        answer: Any = response.json()
    except ValueError:
        return None
    if isinstance(answer, dict) and isinstance(answer.get("id"), str):
        return answer["id"]
    return None
