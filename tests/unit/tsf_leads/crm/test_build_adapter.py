"""``build_adapter`` reads the environment at call time and names what is missing or wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tsf_leads.crm as crm_package
from tsf_config import SettingsError
from tsf_leads.crm import (
    VARIABLES,
    DynamicsAdapter,
    HubSpotAdapter,
    SalesforceAdapter,
    WebhookAdapter,
    build_adapter,
)

COMPLETE = {
    "webhook": {
        "TSF_CRM": "webhook",
        "TSF_CRM_WEBHOOK_URL": "https://prod-01.uksouth.logic.azure.com/workflows/1/triggers",
        "TSF_CRM_WEBHOOK_SECRET": "0123456789abcdef0123",
    },
    "hubspot": {"TSF_CRM": "hubspot", "TSF_HUBSPOT_TOKEN": "pat-eu1-abc"},
    "salesforce": {
        "TSF_CRM": "salesforce",
        "TSF_SALESFORCE_CLIENT_ID": "3MVG9",
        "TSF_SALESFORCE_CLIENT_SECRET": "secret",
    },
    "dynamics": {
        "TSF_CRM": "dynamics",
        "TSF_DYNAMICS_URL": "https://org.crm11.dynamics.com",
        "TSF_DYNAMICS_TENANT_ID": "tenant",
        "TSF_DYNAMICS_CLIENT_ID": "client",
        "TSF_DYNAMICS_CLIENT_SECRET": "secret",
    },
}
TYPES = {
    "webhook": WebhookAdapter,
    "hubspot": HubSpotAdapter,
    "salesforce": SalesforceAdapter,
    "dynamics": DynamicsAdapter,
}


@pytest.mark.parametrize("environ", [{}, {"TSF_CRM": "none"}, {"TSF_CRM": " None "}])
def test_no_crm_by_default(environ: dict[str, str]) -> None:
    assert build_adapter(environ) is None


@pytest.mark.parametrize("name", sorted(COMPLETE))
def test_each_crm_is_built_from_its_variables(name: str) -> None:
    adapter = build_adapter(COMPLETE[name])

    assert isinstance(adapter, TYPES[name])
    assert adapter.name == name


def test_defaults_are_the_public_endpoints() -> None:
    hubspot = build_adapter(COMPLETE["hubspot"])
    salesforce = build_adapter(COMPLETE["salesforce"])
    dynamics = build_adapter(COMPLETE["dynamics"])

    assert isinstance(hubspot, HubSpotAdapter)
    assert hubspot.base_url == "https://api.hubapi.com"
    assert isinstance(salesforce, SalesforceAdapter)
    assert salesforce.login_url == "https://login.salesforce.com"
    assert salesforce.external_id_field == "TSF_Reference__c"
    assert salesforce.api_version == "67.0"
    assert isinstance(dynamics, DynamicsAdapter)
    assert dynamics.lead_url("TSF-2026-000001") == (
        "https://org.crm11.dynamics.com/api/data/v9.2/leads(tsf_reference='TSF-2026-000001')"
    )


REQUIRED = [
    (name, variable)
    for name, environ in COMPLETE.items()
    for variable in environ
    if variable != "TSF_CRM"
]


@pytest.mark.parametrize(("name", "variable"), REQUIRED)
def test_a_missing_variable_is_named(name: str, variable: str) -> None:
    environ = {key: value for key, value in COMPLETE[name].items() if key != variable}

    with pytest.raises(ValueError, match=variable):
        build_adapter(environ)


@pytest.mark.parametrize(("name", "variable"), REQUIRED)
def test_a_blank_variable_counts_as_missing(name: str, variable: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        build_adapter({**COMPLETE[name], variable: "   "})


@pytest.mark.parametrize(
    ("name", "variable", "value", "message"),
    [
        ("webhook", "TSF_CRM_WEBHOOK_URL", "http://hooks.example.com/x", "https"),
        ("webhook", "TSF_CRM_WEBHOOK_URL", "hooks.example.com/x", "https"),
        ("webhook", "TSF_CRM_WEBHOOK_SECRET", "short", "too short"),
        ("hubspot", "TSF_HUBSPOT_BASE_URL", "ftp://api.hubapi.com", "https"),
        ("salesforce", "TSF_SALESFORCE_EXTERNAL_ID_FIELD", "Ref__c/../x", "API name"),
        ("salesforce", "TSF_SALESFORCE_API_VERSION", "latest", "67.0"),
        ("dynamics", "TSF_DYNAMICS_ALTERNATE_KEY", "key'); drop", "API name"),
        ("dynamics", "TSF_DYNAMICS_URL", "http://org.crm11.dynamics.com", "https"),
        ("hubspot", "TSF_CRM_READ_TIMEOUT", "0", "positive number of seconds"),
        ("hubspot", "TSF_CRM_CONNECT_TIMEOUT", "soon", "must be a number of seconds"),
    ],
)
def test_unusable_values_are_refused_with_the_variable_named(
    name: str, variable: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError, match=re.escape(variable)) as raised:
        build_adapter({**COMPLETE[name], variable: value})

    assert message in str(raised.value)


def test_plain_http_is_allowed_on_loopback_only() -> None:
    environ = {**COMPLETE["webhook"], "TSF_CRM_WEBHOOK_URL": "http://127.0.0.1:8099/hook"}

    assert isinstance(build_adapter(environ), WebhookAdapter)


def test_an_unknown_crm_lists_the_choices() -> None:
    with pytest.raises(SettingsError, match="TSF_CRM must be one of none, webhook"):
        build_adapter({"TSF_CRM": "zoho"})


def test_every_variable_read_is_documented() -> None:
    source = "".join(path.read_text() for path in Path(crm_package.__file__).parent.glob("*.py"))
    read = set(re.findall(r'"(TSF_[A-Z_]+)"', source))

    assert read == {variable.name for variable in VARIABLES} | {"TSF_CRM"}  # a lead setting
