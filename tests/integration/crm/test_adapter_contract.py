"""Every CRM adapter honours the same contract against its fake CRM over real HTTP."""

from __future__ import annotations

import socket

import pytest

from tests.fakes.crm_harness import Harness
from tests.fakes.leads import REFERENCE, make_lead
from tsf_leads.contracts import CrmAuthError, CrmRejected, CrmUnavailable, DeliveryReceipt
from tsf_leads.crm import build_adapter


def test_a_lead_is_delivered_once_with_a_receipt(crm: Harness) -> None:
    receipt = crm.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert isinstance(receipt, DeliveryReceipt)
    assert receipt.crm == crm.name
    assert 200 <= receipt.status_code < 300
    assert receipt.external_id
    assert crm.fake.delivery_count(REFERENCE) == 1


def test_delivering_the_same_key_twice_creates_one_record(crm: Harness) -> None:
    adapter = crm.adapter()

    first = adapter.deliver(make_lead(REFERENCE), REFERENCE)
    second = adapter.deliver(make_lead(REFERENCE), REFERENCE)

    assert crm.fake.delivery_count(REFERENCE) == 1
    assert second.external_id == first.external_id


def test_different_leads_are_separate_records(crm: Harness) -> None:
    adapter = crm.adapter()

    adapter.deliver(make_lead("TSF-2026-000001"), "TSF-2026-000001")
    adapter.deliver(make_lead("TSF-2026-000002"), "TSF-2026-000002")

    assert crm.fake.delivery_count("TSF-2026-000001") == 1
    assert crm.fake.delivery_count("TSF-2026-000002") == 1


@pytest.mark.parametrize("status", [408, 409, 500, 502, 503, 504])
def test_temporary_statuses_raise_unavailable_and_a_retry_succeeds(
    crm: Harness, status: int
) -> None:
    adapter = crm.adapter()
    crm.fake.fail_next(status)

    with pytest.raises(CrmUnavailable) as raised:
        adapter.deliver(make_lead(REFERENCE), REFERENCE)
    assert str(status) in str(raised.value)
    assert crm.fake.delivery_count(REFERENCE) == 0

    adapter.deliver(make_lead(REFERENCE), REFERENCE)
    assert crm.fake.delivery_count(REFERENCE) == 1


@pytest.mark.parametrize(("retry_after", "seconds"), [("7", 7.0), ("0", 0.0)])
def test_429_keeps_the_servers_retry_after(crm: Harness, retry_after: str, seconds: float) -> None:
    crm.fake.fail_next(429, retry_after=retry_after)

    with pytest.raises(CrmUnavailable) as raised:
        crm.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert raised.value.retry_after == seconds


def test_503_with_an_http_date_retry_after_gives_seconds(crm: Harness) -> None:
    crm.fake.fail_next(503, retry_after="Fri, 01 Jan 2100 00:00:00 GMT")

    with pytest.raises(CrmUnavailable) as raised:
        crm.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert raised.value.retry_after is not None and raised.value.retry_after > 86_400


def test_400_is_a_permanent_rejection(crm: Harness) -> None:
    crm.fake.fail_next(400)

    with pytest.raises(CrmRejected) as raised:
        crm.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert not isinstance(raised.value, CrmAuthError)
    assert raised.value.status_code == 400
    assert crm.fake.delivery_count(REFERENCE) == 0


def test_401_that_persists_is_an_auth_error(crm: Harness) -> None:
    crm.fake.fail_next(401, times=2)

    with pytest.raises(CrmAuthError) as raised:
        crm.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert raised.value.status_code == 401
    assert crm.fake.delivery_count(REFERENCE) == 0


def test_a_timeout_is_temporary_and_the_retry_does_not_duplicate(crm: Harness) -> None:
    adapter = crm.adapter(read_timeout=0.3)
    crm.fake.delay_next(1.0, process=True)

    with pytest.raises(CrmUnavailable, match="did not answer in time"):
        adapter.deliver(make_lead(REFERENCE), REFERENCE)
    crm.fake.wait_until_idle()  # the CRM did the work; only its answer was lost

    crm.adapter().deliver(make_lead(REFERENCE), REFERENCE)
    assert crm.fake.delivery_count(REFERENCE) == 1


def test_an_unreachable_crm_is_temporary(crm: Harness) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    dead = f"http://127.0.0.1:{closed_port}"
    overrides = {
        "webhook": {"TSF_CRM_WEBHOOK_URL": dead + "/hook"},
        "hubspot": {"TSF_HUBSPOT_BASE_URL": dead},
        "salesforce": {"TSF_SALESFORCE_LOGIN_URL": dead},
        "dynamics": {"TSF_DYNAMICS_AUTHORITY": dead},
    }[crm.name]

    with pytest.raises(CrmUnavailable, match="could not be reached"):
        crm.adapter(**overrides).deliver(make_lead(REFERENCE), REFERENCE)


def test_every_request_stays_on_loopback_and_is_recorded(crm: Harness) -> None:
    crm.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert crm.fake.requests
    assert crm.fake.url.startswith("http://127.0.0.1:")


def test_no_crm_configured_means_no_adapter() -> None:
    assert build_adapter({}) is None
    assert build_adapter({"TSF_CRM": "none"}) is None
