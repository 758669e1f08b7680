"""Dynamics 365: Entra ID token cached until expiry, lead upsert by alternate key."""

from __future__ import annotations

import pytest

from tests.fakes.crm_harness import Harness, fake_of
from tests.fakes.dynamics import FakeDynamics
from tests.fakes.leads import REFERENCE, make_lead
from tsf_leads.contracts import CrmAuthError

fake = fake_of(FakeDynamics)


def test_the_lead_row_is_upserted_by_its_alternate_key(dynamics: Harness) -> None:
    receipt = dynamics.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    row = fake(dynamics).leads[REFERENCE]
    assert receipt.status_code == 204
    assert receipt.external_id == row["leadid"]
    assert row["tsf_reference"] == REFERENCE
    assert row["subject"] == f"TSF enquiry {REFERENCE}: Northshire Health Tech CIC"
    assert (row["firstname"], row["lastname"]) == ("Jane", "Smith")
    assert row["companyname"] == "Northshire Health Tech CIC"
    assert row["emailaddress1"] == "jane.smith@example.org"
    assert row["leadqualitycode"] == 1
    upsert = next(r for r in fake(dynamics).requests if r.method == "PATCH")
    assert upsert.header("OData-Version") == "4.0"
    assert upsert.header("OData-MaxVersion") == "4.0"
    assert upsert.header("If-Match") is None


def test_the_token_is_cached_until_it_expires(dynamics: Harness) -> None:
    adapter = dynamics.adapter()

    adapter.deliver(make_lead("TSF-2026-000001"), "TSF-2026-000001")
    adapter.deliver(make_lead("TSF-2026-000002"), "TSF-2026-000002")

    assert fake(dynamics).tokens_issued == 1


def test_a_token_close_to_expiry_is_replaced_before_use(dynamics: Harness) -> None:
    fake(dynamics).token_lifetime = 30  # under the one-minute safety margin
    adapter = dynamics.adapter()

    adapter.deliver(make_lead("TSF-2026-000001"), "TSF-2026-000001")
    adapter.deliver(make_lead("TSF-2026-000002"), "TSF-2026-000002")

    assert fake(dynamics).tokens_issued == 2


def test_a_refused_token_is_refreshed_once(dynamics: Harness) -> None:
    adapter = dynamics.adapter()
    adapter.deliver(make_lead("TSF-2026-000001"), "TSF-2026-000001")
    fake(dynamics).expire_tokens()

    adapter.deliver(make_lead("TSF-2026-000002"), "TSF-2026-000002")

    assert fake(dynamics).tokens_issued == 2
    assert fake(dynamics).delivery_count("TSF-2026-000002") == 1


@pytest.mark.parametrize(
    ("variable", "value", "status"),
    [
        ("TSF_DYNAMICS_CLIENT_SECRET", "wrong", 401),
        ("TSF_DYNAMICS_TENANT_ID", "other-tenant", 400),
        ("TSF_DYNAMICS_CLIENT_ID", "other-app", 400),
    ],
)
def test_refused_credentials_are_an_auth_error(
    dynamics: Harness, variable: str, value: str, status: int
) -> None:
    with pytest.raises(CrmAuthError) as raised:
        dynamics.adapter(**{variable: value}).deliver(make_lead(REFERENCE), REFERENCE)

    assert raised.value.status_code == status
    assert not any(r.method == "PATCH" for r in fake(dynamics).requests)


def test_the_scope_is_the_environment_default_scope(dynamics: Harness) -> None:
    dynamics.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    token_request = fake(dynamics).requests[0]
    assert token_request.path == "/tenant-1/oauth2/v2.0/token"
    assert token_request.form()["scope"] == f"{fake(dynamics).url}/.default"
    assert token_request.form()["grant_type"] == "client_credentials"


def test_quotes_in_a_key_are_escaped_for_odata(dynamics: Harness) -> None:
    odd = "TSF-2026-O'Brien"

    dynamics.adapter().deliver(make_lead(odd), odd)

    assert fake(dynamics).delivery_count(odd) == 1
