"""Dynamics 365 (Dataverse Web API): a lead upserted by an alternate key on the reference.

Calls:

1. ``POST {authority}/{tenant}/oauth2/v2.0/token`` (Microsoft Entra ID, client-credentials
   grant, ``scope={TSF_DYNAMICS_URL}/.default``) for an app registration that is an
   application user in the environment with a security role that can create and update leads.
   The token is cached until ``expires_in`` (less a minute) and fetched again once on 401/403.
2. ``PATCH {url}/api/data/v9.2/leads({key}='{reference}')`` with ``OData-MaxVersion: 4.0``,
   ``OData-Version: 4.0`` and the lead columns as JSON. Without ``If-Match`` this is an upsert:
   the lead is created if no row has that key, updated otherwise; both answer 204 with the row
   URL in ``OData-EntityId``. ``{key}`` (default ``tsf_reference``) is a custom text column on
   the lead table with an alternate key defined on it.

A team status change (after the lead was delivered) is ``PATCH {url}/api/data/v9.2/leads({id})``
with ``If-Match: *`` (update only, never create) and the lead's ``statecode`` and
``statuscode`` (:data:`LEAD_STATE`): Open/New, Open/Contacted, Disqualified/Canceled. Without
the row id from the delivery, the alternate-key URL of the reference is used.

Dataverse's service-protection limits answer 429 with ``Retry-After``: temporary.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import requests

from tsf_leads.contracts import CrmRejected, DeliveryReceipt, StatusUpdate, StoredLead
from tsf_leads.crm.base import HttpClient, Timeouts
from tsf_leads.crm.mapping import TRUNCATION_MARK, one_line, split_name, truncate
from tsf_leads.oauth import TokenCache, authorized_request

__all__ = [
    "DEFAULT_ALTERNATE_KEY",
    "DEFAULT_AUTHORITY",
    "LEAD_STATE",
    "DynamicsAdapter",
    "lead_attributes",
]

DEFAULT_AUTHORITY = "https://login.microsoftonline.com"
DEFAULT_ALTERNATE_KEY = "tsf_reference"
API_PATH = "/api/data/v9.2"
LEAD_QUALITY = {"high": 1, "medium": 2, "low": 3}  # leadqualitycode: Hot, Warm, Cold
#: Team status -> (statecode, statuscode) of the lead table: 0 Open (1 New, 2 Contacted),
#: 2 Disqualified (4 Lost, 5 Cannot Contact, 6 No Longer Interested, 7 Canceled).
LEAD_STATE = {"claimed": (0, 1), "contacted": (0, 2), "not_a_fit": (2, 7)}
_ODATA_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "OData-MaxVersion": "4.0",
    "OData-Version": "4.0",
}
# Default column lengths of the lead table; longer values are refused.
_LIMITS = {
    "subject": 300,
    "firstname": 50,
    "lastname": 50,
    "companyname": 100,
    "emailaddress1": 100,
    "telephone1": 50,
    "jobtitle": 100,
    "description": 2_000,
}
_ENTITY_ID = re.compile(r"\(([0-9a-fA-F-]{36})\)\s*$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def lead_attributes(lead: StoredLead) -> dict[str, str | int]:
    """The lead columns for ``lead``, cut to Dataverse's default lengths.

    The alternate-key column is not in the body: it is in the URL.
    """
    summary = lead.summary
    contact = summary.contact
    first, last = split_name(contact.name)
    texts = {
        "subject": f"TSF enquiry {lead.reference}: {one_line(summary.organisation)}",
        "firstname": first,
        "lastname": last or "(name not given)",
        "companyname": one_line(summary.organisation),
        "emailaddress1": contact.email.strip(),
        "telephone1": one_line(contact.phone or ""),
        "jobtitle": one_line(contact.role),
        "description": lead.markdown,
    }
    attributes: dict[str, str | int] = {}
    for name, value in texts.items():
        if value:
            mark = TRUNCATION_MARK if name == "description" else "…"
            attributes[name] = truncate(value, _LIMITS[name], mark)
    quality = LEAD_QUALITY.get(summary.priority)
    if quality is not None:
        attributes["leadqualitycode"] = quality
    return attributes


def _odata_string(value: str) -> str:
    """An OData string literal (quotes doubled), percent-encoded for a URL path."""
    return quote("'" + value.replace("'", "''") + "'", safe="'")


class DynamicsAdapter:
    """Deliver leads to Dynamics 365 as lead rows upserted by an alternate key.

    Args:
        url: the environment URL, e.g. ``https://org.crm11.dynamics.com`` (``TSF_DYNAMICS_URL``).
        tenant_id: the Entra ID tenant (``TSF_DYNAMICS_TENANT_ID``).
        client_id: the app registration's client id.
        client_secret: its client secret.
        authority: the Entra ID authority host.
        alternate_key: the lead column (with an alternate key) holding the reference.
        session: an injectable ``requests.Session``.
        timeouts: connect/read timeouts.
    """

    name = "dynamics"

    def __init__(
        self,
        *,
        url: str,
        tenant_id: str,
        client_id: str,
        client_secret: str,
        authority: str = DEFAULT_AUTHORITY,
        alternate_key: str = DEFAULT_ALTERNATE_KEY,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
    ) -> None:
        """Keep the settings; no token is fetched until the first delivery."""
        if not (tenant_id and client_id and client_secret):
            raise ValueError("the Dynamics tenant, client id and secret must not be empty")
        self.url = url.rstrip("/")
        self.alternate_key = alternate_key
        self._http = HttpClient(self.name, session, timeouts)
        self.tokens = TokenCache(
            self._http,
            f"{authority.rstrip('/')}/{quote(tenant_id, safe='')}/oauth2/v2.0/token",
            client_id,
            client_secret,
            scope=f"{self.url}/.default",
        )

    def lead_url(self, reference: str) -> str:
        """The upsert URL of the lead whose alternate key is ``reference``."""
        key = f"{self.alternate_key}={_odata_string(reference)}"
        return f"{self.url}{API_PATH}/leads({key})"

    def deliver(self, lead: StoredLead, idempotency_key: str) -> DeliveryReceipt:
        """Upsert the lead whose alternate key is ``idempotency_key`` (the reference)."""
        response = authorized_request(
            self._http,
            self.tokens,
            "PATCH",
            self.lead_url(idempotency_key),
            json_body=lead_attributes(lead),
            headers=_ODATA_HEADERS,
        )
        match = _ENTITY_ID.search(response.headers.get("OData-EntityId", ""))
        return DeliveryReceipt(self.name, match.group(1) if match else None, response.status_code)

    def update_status(self, update: StatusUpdate, idempotency_key: str) -> DeliveryReceipt:
        """Set the lead's ``statecode``/``statuscode`` (``If-Match: *``: update, never create)."""
        state = LEAD_STATE.get(update.team.status)
        if state is None:
            raise CrmRejected(f"no statuscode for team status {update.team.status!r}")
        record_id = update.crm_record_id
        if record_id and _GUID.match(record_id):
            url = f"{self.url}{API_PATH}/leads({record_id})"
        else:
            url = self.lead_url(update.reference)
        response = authorized_request(
            self._http,
            self.tokens,
            "PATCH",
            url,
            json_body={"statecode": state[0], "statuscode": state[1]},
            headers={**_ODATA_HEADERS, "If-Match": "*"},
        )
        return DeliveryReceipt(self.name, record_id, response.status_code)
