"""CRM adapters: hand a stored lead to the Social Investment Team's CRM, idempotently.

``build_adapter()`` reads ``TSF_CRM`` (a lead setting) and the chosen CRM's variables (listed
in ``VARIABLES``) when it is called, and returns a ``CrmAdapter`` or ``None`` (no CRM: leads
stay in the local store and the CLI lists them). Each adapter's ``deliver(lead, key)`` creates or
updates the lead and raises the ``CrmError`` tree of ``tsf_leads.contracts`` on failure; a
missing or unusable variable raises ``tsf_config.SettingsError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

import requests

from tsf_config import Reader, SettingsError, Variable
from tsf_leads.contracts import CrmAdapter
from tsf_leads.crm.base import Timeouts
from tsf_leads.crm.dynamics import DEFAULT_ALTERNATE_KEY, DEFAULT_AUTHORITY, DynamicsAdapter
from tsf_leads.crm.hubspot import DEFAULT_BASE_URL, HubSpotAdapter
from tsf_leads.crm.salesforce import (
    DEFAULT_API_VERSION,
    DEFAULT_EXTERNAL_ID_FIELD,
    DEFAULT_LEAD_SOURCE,
    DEFAULT_LOGIN_URL,
    SalesforceAdapter,
)
from tsf_leads.crm.webhook import WebhookAdapter
from tsf_leads.settings import CRM_KINDS
from tsf_leads.settings import VARIABLES as LEAD_VARIABLES

__all__ = [
    "VARIABLES",
    "DynamicsAdapter",
    "HubSpotAdapter",
    "SalesforceAdapter",
    "WebhookAdapter",
    "build_adapter",
    "timeouts_from",
]

MIN_SECRET_LENGTH = 16
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_API_VERSION = re.compile(r"^v?[0-9]+\.[0-9]+$")

VARIABLES: tuple[Variable, ...] = (
    Variable("TSF_CRM_CONNECT_TIMEOUT", "5", "Seconds to wait for a connection to the CRM."),
    Variable("TSF_CRM_READ_TIMEOUT", "20", "Seconds to wait for each read from the CRM."),
    Variable("TSF_CRM_WEBHOOK_URL", None, "webhook: the https:// URL leads are POSTed to."),
    Variable(
        "TSF_CRM_WEBHOOK_SECRET",
        None,
        "webhook: shared secret (16+ characters, or whsec_<base64>) for the webhook-signature"
        " HMAC-SHA256.",
    ),
    Variable("TSF_HUBSPOT_TOKEN", None, "hubspot: Service Key (or a legacy private-app token)."),
    Variable(
        "TSF_HUBSPOT_CONTACT_PROPERTIES",
        None,
        "hubspot: JSON object of fixed contact properties for the portal's required ones, e.g."
        ' {"lifecyclestage": "lead"}.',
    ),
    Variable("TSF_HUBSPOT_BASE_URL", DEFAULT_BASE_URL, "hubspot: API root URL."),
    Variable(
        "TSF_SALESFORCE_LOGIN_URL",
        DEFAULT_LOGIN_URL,
        "salesforce: where tokens are issued; use your My Domain URL "
        "(https://yourorg.my.salesforce.com) for the client-credentials flow.",
    ),
    Variable("TSF_SALESFORCE_CLIENT_ID", None, "salesforce: the app's consumer key."),
    Variable("TSF_SALESFORCE_CLIENT_SECRET", None, "salesforce: the app's consumer secret."),
    Variable(
        "TSF_SALESFORCE_EXTERNAL_ID_FIELD",
        DEFAULT_EXTERNAL_ID_FIELD,
        "salesforce: the Lead external-id field that holds the lead reference.",
    ),
    Variable(
        "TSF_SALESFORCE_API_VERSION",
        DEFAULT_API_VERSION,
        "salesforce: REST API version (67.0 is Summer '26).",
    ),
    Variable(
        "TSF_SALESFORCE_LEAD_SOURCE",
        DEFAULT_LEAD_SOURCE,
        "salesforce: value written to the Lead Source picklist.",
    ),
    Variable(
        "TSF_DYNAMICS_URL",
        None,
        "dynamics: the environment URL, e.g. https://org.crm11.dynamics.com.",
    ),
    Variable("TSF_DYNAMICS_TENANT_ID", None, "dynamics: the Microsoft Entra ID tenant id."),
    Variable("TSF_DYNAMICS_CLIENT_ID", None, "dynamics: the app registration's client id."),
    Variable("TSF_DYNAMICS_CLIENT_SECRET", None, "dynamics: the app registration's secret."),
    Variable(
        "TSF_DYNAMICS_AUTHORITY",
        DEFAULT_AUTHORITY,
        "dynamics: the Microsoft Entra ID authority that issues tokens.",
    ),
    Variable(
        "TSF_DYNAMICS_ALTERNATE_KEY",
        DEFAULT_ALTERNATE_KEY,
        "dynamics: the lead column, with an alternate key, that holds the lead reference.",
    ),
)


def timeouts_from(env: Reader) -> Timeouts:
    """The CRM timeouts from ``TSF_CRM_CONNECT_TIMEOUT`` and ``TSF_CRM_READ_TIMEOUT``."""
    return Timeouts(
        connect=env.seconds("TSF_CRM_CONNECT_TIMEOUT"), read=env.seconds("TSF_CRM_READ_TIMEOUT")
    )


def _name(env: Reader, variable: str) -> str:
    value = env.text(variable)
    if not _NAME.match(value):
        raise SettingsError(f"{variable} must be an API name like TSF_Reference__c, not {value!r}")
    return value


def _api_version(env: Reader) -> str:
    value = env.text("TSF_SALESFORCE_API_VERSION")
    if not _API_VERSION.match(value):
        raise SettingsError(f"TSF_SALESFORCE_API_VERSION must look like 67.0, not {value!r}")
    return value


def _fixed_properties(raw: str) -> dict[str, str]:
    """``TSF_HUBSPOT_CONTACT_PROPERTIES``: a JSON object of text values (empty when unset)."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in value.items()
    ):
        raise SettingsError(
            "TSF_HUBSPOT_CONTACT_PROPERTIES must be a JSON object of text, like "
            '{"lifecyclestage": "lead"}'
        )
    return value


def build_adapter(
    environ: Mapping[str, str] | None = None, *, session: requests.Session | None = None
) -> CrmAdapter | None:
    """The CRM adapter chosen by ``TSF_CRM``, configured from ``environ`` (default: os.environ).

    Args:
        environ: the environment to read, at call time (``os.environ`` when omitted).
        session: an optional ``requests.Session`` to share (connection pool, proxies, tests).

    Returns:
        The adapter, or ``None`` when ``TSF_CRM`` is ``none`` or unset.

    Raises:
        SettingsError: a ``ValueError`` naming the missing or unusable variable.
    """
    choice = Reader(LEAD_VARIABLES, environ).choice("TSF_CRM", CRM_KINDS)
    if choice == "none":
        return None
    env = Reader(VARIABLES, environ, context=f"TSF_CRM={choice}")
    timeouts = timeouts_from(env)
    if choice == "webhook":
        secret = env.required("TSF_CRM_WEBHOOK_SECRET", "the shared HMAC secret")
        if len(secret) < MIN_SECRET_LENGTH:
            raise SettingsError(
                f"TSF_CRM_WEBHOOK_SECRET is too short: use at least {MIN_SECRET_LENGTH} "
                "random characters"
            )
        return WebhookAdapter(
            env.url("TSF_CRM_WEBHOOK_URL", "the receiver's URL"),
            secret,
            session=session,
            timeouts=timeouts,
        )
    if choice == "hubspot":
        return HubSpotAdapter(
            env.required("TSF_HUBSPOT_TOKEN", "a HubSpot Service Key or private-app token"),
            base_url=env.url("TSF_HUBSPOT_BASE_URL", "the HubSpot API root"),
            fixed_properties=_fixed_properties(env.text("TSF_HUBSPOT_CONTACT_PROPERTIES")),
            session=session,
            timeouts=timeouts,
        )
    if choice == "salesforce":
        return SalesforceAdapter(
            client_id=env.required("TSF_SALESFORCE_CLIENT_ID", "the app's consumer key"),
            client_secret=env.required("TSF_SALESFORCE_CLIENT_SECRET", "the app's consumer secret"),
            login_url=env.url("TSF_SALESFORCE_LOGIN_URL", "the Salesforce login URL"),
            external_id_field=_name(env, "TSF_SALESFORCE_EXTERNAL_ID_FIELD"),
            api_version=_api_version(env),
            lead_source=env.text("TSF_SALESFORCE_LEAD_SOURCE"),
            session=session,
            timeouts=timeouts,
        )
    return DynamicsAdapter(
        url=env.url("TSF_DYNAMICS_URL", "the Dynamics 365 environment URL"),
        tenant_id=env.required("TSF_DYNAMICS_TENANT_ID", "the Entra ID tenant id"),
        client_id=env.required("TSF_DYNAMICS_CLIENT_ID", "the app registration's client id"),
        client_secret=env.required("TSF_DYNAMICS_CLIENT_SECRET", "the app registration's secret"),
        authority=env.url("TSF_DYNAMICS_AUTHORITY", "the Entra ID authority"),
        alternate_key=_name(env, "TSF_DYNAMICS_ALTERNATE_KEY"),
        session=session,
        timeouts=timeouts,
    )
