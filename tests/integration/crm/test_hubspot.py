"""HubSpot: contact upserted by email, one note per lead, idempotent across crashes."""

from __future__ import annotations

import pytest

from tests.fakes.crm_harness import Harness, fake_of
from tests.fakes.hubspot import FakeHubSpot
from tests.fakes.leads import REFERENCE, make_contact, make_lead
from tsf_leads.contracts import CrmAuthError, CrmRejected, CrmUnavailable

fake = fake_of(FakeHubSpot)


def test_the_contact_is_upserted_by_email_and_the_note_is_associated(hubspot: Harness) -> None:
    receipt = hubspot.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    contact = fake(hubspot).contact_by_email("jane.smith@example.org")
    assert contact is not None
    assert receipt.external_id == contact["id"]
    assert receipt.status_code == 201
    assert contact["properties"] == {
        "email": "jane.smith@example.org",
        "firstname": "Jane",
        "lastname": "Smith",
        "company": "Northshire Health Tech CIC",
        "jobtitle": "Finance Director",
        "phone": "020 7946 0000",
    }
    [note] = fake(hubspot).notes_of(contact["id"])
    assert REFERENCE in note["properties"]["hs_note_body"]
    assert note["properties"]["hs_timestamp"] == "2026-03-02T10:15:30.000Z"


def test_an_existing_contact_is_reused_whatever_the_email_case(hubspot: Harness) -> None:
    adapter = hubspot.adapter()
    adapter.deliver(make_lead("TSF-2026-000001"), "TSF-2026-000001")
    shouting = make_contact(email="JANE.SMITH@EXAMPLE.ORG", phone=None)

    adapter.deliver(make_lead("TSF-2026-000002", contact=shouting), "TSF-2026-000002")

    assert len(fake(hubspot).contacts) == 1
    contact = fake(hubspot).contact_by_email("jane.smith@example.org")
    assert contact is not None
    assert len(fake(hubspot).notes_of(contact["id"])) == 2


def test_user_text_is_escaped_in_the_note(hubspot: Harness) -> None:
    lead = make_lead(REFERENCE, markdown="# Lead\n\nOrganisation: <script>alert(1)</script> & co\n")

    hubspot.adapter().deliver(lead, REFERENCE)

    [note] = fake(hubspot).notes.values()
    body = note["properties"]["hs_note_body"]
    assert "<script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in body


def test_a_note_created_before_a_crash_is_not_created_again(hubspot: Harness) -> None:
    adapter = hubspot.adapter(read_timeout=0.3)
    fake(hubspot).delay_next(1.0, path="/crm/objects/2026-09/notes")

    with pytest.raises(CrmUnavailable):
        adapter.deliver(make_lead(REFERENCE), REFERENCE)
    fake(hubspot).wait_until_idle()
    assert fake(hubspot).delivery_count(REFERENCE) == 1

    receipt = hubspot.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert receipt.status_code == 200
    assert fake(hubspot).delivery_count(REFERENCE) == 1
    assert fake(hubspot).request_count(REFERENCE) == 1


def test_existing_notes_are_found_across_association_pages() -> None:
    with FakeHubSpot("pat-test-token", association_page_size=2) as portal:
        harness = Harness(
            "hubspot",
            portal,
            {
                "TSF_CRM": "hubspot",
                "TSF_HUBSPOT_TOKEN": "pat-test-token",
                "TSF_HUBSPOT_BASE_URL": portal.url,
            },
        )
        adapter = harness.adapter()
        references = [f"TSF-2026-00000{n}" for n in range(1, 6)]
        for reference in references:
            adapter.deliver(make_lead(reference), reference)

        for reference in references:
            assert adapter.deliver(make_lead(reference), reference).status_code == 200

        assert [portal.delivery_count(reference) for reference in references] == [1] * 5


def test_a_wrong_token_is_an_auth_error_without_retrying(hubspot: Harness) -> None:
    adapter = hubspot.adapter(TSF_HUBSPOT_TOKEN="pat-wrong")

    with pytest.raises(CrmAuthError, match="401"):
        adapter.deliver(make_lead(REFERENCE), REFERENCE)

    assert len(fake(hubspot).requests) == 1


def test_an_invalid_email_is_rejected(hubspot: Harness) -> None:
    lead = make_lead(REFERENCE, contact=make_contact(email="not-an-email"))

    with pytest.raises(CrmRejected) as raised:
        hubspot.adapter().deliver(lead, REFERENCE)

    assert raised.value.status_code == 400
    assert "invalid" in str(raised.value)


def test_a_lead_without_email_is_rejected_before_calling_hubspot(hubspot: Harness) -> None:
    lead = make_lead(REFERENCE, contact=make_contact(email=" "))

    with pytest.raises(CrmRejected, match="keyed by email"):
        hubspot.adapter().deliver(lead, REFERENCE)

    assert fake(hubspot).requests == []


def test_a_multi_status_batch_answer_is_a_rejection(hubspot: Harness) -> None:
    fake(hubspot).fail_next(
        207,
        body={
            "status": "COMPLETE",
            "results": [],
            "numErrors": 1,
            "errors": [{"status": "error", "message": "Property values were not valid"}],
        },
    )

    with pytest.raises(CrmRejected, match="Property values were not valid"):
        hubspot.adapter().deliver(make_lead(REFERENCE), REFERENCE)


def test_a_locked_record_is_temporary(hubspot: Harness) -> None:
    fake(hubspot).fail_next(423)

    with pytest.raises(CrmUnavailable) as raised:
        hubspot.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert raised.value.retry_after == 2.0


def test_only_the_date_based_2026_09_paths_are_called(hubspot: Harness) -> None:
    hubspot.adapter().deliver(make_lead(REFERENCE), REFERENCE)
    hubspot.adapter().deliver(make_lead(REFERENCE), REFERENCE)  # the retry path reads notes

    paths = {request.path for request in fake(hubspot).requests}
    assert paths and all(path.startswith("/crm/objects/2026-09/") for path in paths), paths


def test_a_portals_required_property_is_named_when_missing_and_filled_when_configured(
    hubspot: Harness,
) -> None:
    fake(hubspot).required_properties = frozenset({"lifecyclestage"})

    with pytest.raises(CrmRejected, match=r"lifecyclestage.*TSF_HUBSPOT_CONTACT_PROPERTIES"):
        hubspot.adapter().deliver(make_lead(REFERENCE), REFERENCE)
    configured = hubspot.adapter(TSF_HUBSPOT_CONTACT_PROPERTIES='{"lifecyclestage": "lead"}')
    configured.deliver(make_lead(REFERENCE), REFERENCE)

    contact = fake(hubspot).contact_by_email("jane.smith@example.org")
    assert contact is not None
    assert contact["properties"]["lifecyclestage"] == "lead"
    assert fake(hubspot).delivery_count(REFERENCE) == 1


@pytest.mark.parametrize("raw", ["lead", "[1]", '{"lifecyclestage": 3}'])
def test_fixed_contact_properties_must_be_a_json_object_of_text(hubspot: Harness, raw: str) -> None:
    from tsf_config import SettingsError

    with pytest.raises(SettingsError, match="TSF_HUBSPOT_CONTACT_PROPERTIES"):
        hubspot.adapter(TSF_HUBSPOT_CONTACT_PROPERTIES=raw)
