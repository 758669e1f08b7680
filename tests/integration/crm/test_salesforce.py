"""Salesforce: client-credentials token, Lead upsert by external id, one refresh on 401."""

from __future__ import annotations

import pytest

from tests.fakes.crm_harness import Harness, fake_of
from tests.fakes.leads import REFERENCE, make_lead
from tests.fakes.salesforce import FakeSalesforce
from tsf_leads.contracts import CrmAuthError, CrmRejected, CrmUnavailable

fake = fake_of(FakeSalesforce)


def test_the_lead_is_created_with_its_fields(salesforce: Harness) -> None:
    receipt = salesforce.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    record = fake(salesforce).leads[REFERENCE]
    assert receipt.status_code == 201
    assert receipt.external_id == record["Id"]
    assert record["TSF_Reference__c"] == REFERENCE
    assert {name: record[name] for name in ("FirstName", "LastName", "Company", "Email")} == {
        "FirstName": "Jane",
        "LastName": "Smith",
        "Company": "Northshire Health Tech CIC",
        "Email": "jane.smith@example.org",
    }
    assert record["LeadSource"] == "Web"
    assert record["Rating"] == "Hot"
    assert REFERENCE in record["Description"]


def test_a_second_delivery_updates_and_still_reports_the_lead_id(salesforce: Harness) -> None:
    adapter = salesforce.adapter()
    first = adapter.deliver(make_lead(REFERENCE), REFERENCE)

    second = adapter.deliver(make_lead(REFERENCE), REFERENCE)

    assert second.status_code == 204
    assert second.external_id == first.external_id
    assert fake(salesforce).delivery_count(REFERENCE) == 1
    assert fake(salesforce).request_count(REFERENCE) == 2


def test_the_token_is_reused_until_salesforce_refuses_it(salesforce: Harness) -> None:
    adapter = salesforce.adapter()
    adapter.deliver(make_lead("TSF-2026-000001"), "TSF-2026-000001")
    adapter.deliver(make_lead("TSF-2026-000002"), "TSF-2026-000002")
    assert fake(salesforce).tokens_issued == 1

    fake(salesforce).revoke_tokens()
    adapter.deliver(make_lead("TSF-2026-000003"), "TSF-2026-000003")

    assert fake(salesforce).tokens_issued == 2
    assert fake(salesforce).delivery_count("TSF-2026-000003") == 1


def test_a_401_is_retried_after_exactly_one_refresh(salesforce: Harness) -> None:
    fake(salesforce).fail_next(401, times=2)

    with pytest.raises(CrmAuthError):
        salesforce.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert fake(salesforce).tokens_issued == 2
    patches = [r for r in fake(salesforce).requests if r.method == "PATCH"]
    assert len(patches) == 2


def test_wrong_client_credentials_are_an_auth_error(salesforce: Harness) -> None:
    adapter = salesforce.adapter(TSF_SALESFORCE_CLIENT_SECRET="wrong")

    with pytest.raises(CrmAuthError, match="invalid_client"):
        adapter.deliver(make_lead(REFERENCE), REFERENCE)

    assert [r.path for r in fake(salesforce).requests] == ["/services/oauth2/token"]


def test_a_token_endpoint_outage_is_temporary(salesforce: Harness) -> None:
    fake(salesforce).fail_next(503, retry_after="30", path="/services/oauth2/token")

    with pytest.raises(CrmUnavailable) as raised:
        salesforce.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert raised.value.retry_after == 30.0


@pytest.mark.parametrize(
    ("status", "code"), [(403, "REQUEST_LIMIT_EXCEEDED"), (400, "UNABLE_TO_LOCK_ROW")]
)
def test_salesforce_temporary_error_codes_are_retried(
    salesforce: Harness, status: int, code: str
) -> None:
    fake(salesforce).fail_next(status, body=[{"message": "busy", "errorCode": code, "fields": []}])

    with pytest.raises(CrmUnavailable, match=code):
        salesforce.adapter().deliver(make_lead(REFERENCE), REFERENCE)


def test_several_leads_with_the_same_reference_need_a_person(salesforce: Harness) -> None:
    fake(salesforce).fail_next(300, body=["/services/data/v67.0/sobjects/Lead/00Q1", "/00Q2"])

    with pytest.raises(CrmRejected, match="several Leads") as raised:
        salesforce.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert raised.value.status_code == 300


def test_the_external_id_field_and_api_version_are_configurable() -> None:
    with FakeSalesforce(
        "id", "secret", external_id_field="Enquiry_Ref__c", api_version="61.0"
    ) as org:
        harness = Harness(
            "salesforce",
            org,
            {
                "TSF_CRM": "salesforce",
                "TSF_SALESFORCE_LOGIN_URL": org.url,
                "TSF_SALESFORCE_CLIENT_ID": "id",
                "TSF_SALESFORCE_CLIENT_SECRET": "secret",
                "TSF_SALESFORCE_EXTERNAL_ID_FIELD": "Enquiry_Ref__c",
                "TSF_SALESFORCE_API_VERSION": "v61.0",
                "TSF_SALESFORCE_LEAD_SOURCE": "TSF Assistant",
            },
        )

        harness.adapter().deliver(make_lead(REFERENCE), REFERENCE)

        assert org.leads[REFERENCE]["LeadSource"] == "TSF Assistant"


def test_a_mistyped_external_id_field_is_rejected(salesforce: Harness) -> None:
    adapter = salesforce.adapter(TSF_SALESFORCE_EXTERNAL_ID_FIELD="TSF_Ref__c")

    with pytest.raises(CrmRejected) as raised:
        adapter.deliver(make_lead(REFERENCE), REFERENCE)

    assert raised.value.status_code == 404
