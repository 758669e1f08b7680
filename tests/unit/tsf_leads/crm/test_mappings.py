"""How a lead maps to each CRM's fields, and the webhook's body and signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone

import jsonschema
import pytest

from tests.fakes.leads import make_contact, make_lead
from tsf_leads.crm.dynamics import DynamicsAdapter, lead_attributes
from tsf_leads.crm.hubspot import NOTE_BODY_LIMIT, contact_properties, note_body
from tsf_leads.crm.mapping import iso_utc, split_name, subject_line, truncate
from tsf_leads.crm.salesforce import lead_fields
from tsf_leads.crm.webhook import (
    LEAD_JSON_SCHEMA,
    ReplayGuard,
    VerifiedWebhook,
    WebhookReplayed,
    WebhookVerificationError,
    encode_payload,
    lead_payload,
    sign,
    verify_webhook,
)

SECRET = "webhook-secret-0123456789"


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Jane Smith", ("Jane", "Smith")),
        ("Dr  Jane   Ann Smith", ("Dr Jane Ann", "Smith")),
        ("Madonna", ("", "Madonna")),
        ("  ", ("", "")),
        ("Jane\nSmith", ("Jane", "Smith")),
    ],
)
def test_names_split_into_first_and_last(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts


def test_truncate_marks_what_it_cut() -> None:
    assert truncate("abcdef", 10) == "abcdef"
    assert truncate("abcdef", 4) == "abc…"
    assert len(truncate("x" * 100, 10, " [cut]")) == 10


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 3, 2, 10, 15, 30, tzinfo=timezone.utc), "2026-03-02T10:15:30.000Z"),
        (
            datetime(2026, 3, 2, 11, 15, 30, tzinfo=timezone(timedelta(hours=1))),
            "2026-03-02T10:15:30.000Z",
        ),
        (datetime(2026, 3, 2, 10, 15, 30), "2026-03-02T10:15:30.000Z"),
    ],
)
def test_timestamps_are_utc_iso(moment: datetime, text: str) -> None:
    assert iso_utc(moment) == text


def test_the_subject_line_is_one_line() -> None:
    lead = make_lead("TSF-2026-000009", organisation="Acme\r\nBcc: x@example.com")

    assert subject_line(lead) == (
        "TSF lead TSF-2026-000009: Acme Bcc: x@example.com (Eligible, high priority)"
    )


# -- webhook ----------------------------------------------------------------------------------


def test_the_webhook_payload_follows_its_schema() -> None:
    payload = lead_payload(make_lead())

    jsonschema.Draft7Validator.check_schema(LEAD_JSON_SCHEMA)
    jsonschema.validate(payload, LEAD_JSON_SCHEMA)
    assert payload["reference"] == "TSF-2026-000123"
    assert payload["amount"] == 500_000
    assert payload["answers"][1]["own_words"] == "about half a million"
    assert payload["created_at"] == "2026-03-02T10:15:30.000Z"
    assert payload["consent"]["notice_version"] == "2026-01"


def test_a_lead_with_optional_parts_missing_still_follows_the_schema() -> None:
    lead = make_lead(
        amount=None,
        purpose=None,
        answers=(),
        criteria=(),
        verdict="borderline",
        priority="low",
        contact=make_contact(phone=None, preferred_time=None),
    )

    jsonschema.validate(lead_payload(lead), LEAD_JSON_SCHEMA)


def test_the_body_is_compact_sorted_utf8_and_stable() -> None:
    lead = make_lead(organisation="Café Santé £")

    body = encode_payload(lead)

    assert body == encode_payload(lead)
    assert "Café Santé £".encode() in body
    assert json.loads(body) == lead_payload(lead)
    compact = json.dumps(
        lead_payload(lead), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert body == compact.encode("utf-8")


NOW = 1_796_000_000


def _signed(body: bytes, message_id: str = "TSF-2026-000001", at: int = NOW) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(at),
        "webhook-signature": sign(message_id, at, body, SECRET),
    }


def test_the_signature_is_the_standard_webhooks_hmac_of_id_timestamp_and_body() -> None:
    body = encode_payload(make_lead())
    digest = hmac.new(SECRET.encode(), f"TSF-1.{NOW}.".encode() + body, hashlib.sha256).digest()

    assert sign("TSF-1", NOW, body, SECRET) == "v1," + base64.b64encode(digest).decode()


def test_a_whsec_secret_is_decoded_as_standard_webhooks_libraries_do() -> None:
    key = b"\x00\x01binary-key-bytes\xff"
    secret = "whsec_" + base64.b64encode(key).decode()
    digest = hmac.new(key, f"TSF-1.{NOW}.".encode() + b"{}", hashlib.sha256).digest()

    assert sign("TSF-1", NOW, b"{}", secret) == "v1," + base64.b64encode(digest).decode()


def test_a_webhook_sent_just_now_verifies() -> None:
    body = encode_payload(make_lead())

    verified = verify_webhook(body, _signed(body), SECRET, now=NOW + 10)

    assert verified == VerifiedWebhook("TSF-2026-000001", NOW)


@pytest.mark.parametrize(
    "change",
    [
        {"webhook-signature": None},
        {"webhook-signature": ""},
        {"webhook-signature": "v1,"},
        {"webhook-signature": "v1," + "A" * 44},
        {"webhook-signature": "v2,€€€"},
        {"webhook-id": None},
        {"webhook-id": "TSF-2026-999999"},  # re-keyed: the id is signed
        {"webhook-timestamp": None},
        {"webhook-timestamp": "soon"},
        {"webhook-timestamp": str(NOW + 1)},  # re-dated: the timestamp is signed
    ],
)
def test_a_missing_or_changed_header_is_refused(change: dict[str, str | None]) -> None:
    body = encode_payload(make_lead())
    headers = {**_signed(body), **change}

    with pytest.raises(WebhookVerificationError):
        verify_webhook(body, {k: v for k, v in headers.items() if v is not None}, SECRET, now=NOW)


def test_a_changed_body_or_secret_is_refused() -> None:
    body = encode_payload(make_lead())

    for wrong_body, secret in ((body + b" ", SECRET), (body, SECRET + "x"), (body, "")):
        with pytest.raises(WebhookVerificationError):
            verify_webhook(wrong_body, _signed(body), secret, now=NOW)


@pytest.mark.parametrize("sent", [NOW - 301, NOW + 301])
def test_a_webhook_more_than_five_minutes_from_now_is_refused(sent: int) -> None:
    body = encode_payload(make_lead())

    with pytest.raises(WebhookVerificationError, match="too old"):
        verify_webhook(body, _signed(body, at=sent), SECRET, now=NOW)


def test_a_replayed_webhook_is_refused_as_a_replay_even_with_a_fresh_signature() -> None:
    body = encode_payload(make_lead())
    seen = ReplayGuard()
    verify_webhook(body, _signed(body), SECRET, seen=seen, now=NOW)

    with pytest.raises(WebhookReplayed):
        verify_webhook(body, _signed(body), SECRET, seen=seen, now=NOW + 1)
    with pytest.raises(WebhookReplayed):
        verify_webhook(body, _signed(body, at=NOW + 200), SECRET, seen=seen, now=NOW + 200)


def test_headers_are_found_in_any_letter_case() -> None:
    body = b"{}"
    headers = {name.upper(): value for name, value in _signed(body).items()}

    assert verify_webhook(body, headers, SECRET, now=NOW).message_id == "TSF-2026-000001"


# -- HubSpot ----------------------------------------------------------------------------------


def test_hubspot_contact_properties_leave_out_empty_values() -> None:
    lead = make_lead(contact=make_contact(name="Cher", phone=None, email=" cher@example.org "))

    assert contact_properties(lead) == {
        "email": "cher@example.org",
        "lastname": "Cher",
        "company": "Northshire Health Tech CIC",
        "jobtitle": "Finance Director",
    }


def test_hubspot_note_body_is_escaped_html_with_the_reference() -> None:
    lead = make_lead("TSF-2026-000777", markdown="# Title\n\nA <b>&</b> line\nnext line\n")

    assert note_body(lead) == (
        "<p><strong>TSF Assistant lead TSF-2026-000777</strong></p>"
        "<p># Title</p><p>A &lt;b&gt;&amp;&lt;/b&gt; line<br>next line</p>"
    )


def test_hubspot_note_body_is_shortened_to_the_limit() -> None:
    lead = make_lead(markdown="<&>" * 40_000)

    body = note_body(lead)

    assert len(body) <= NOTE_BODY_LIMIT
    assert "TSF-2026-000123" in body
    assert body.endswith("lead store)</p>")
    assert "&am</p>" not in body


# -- Salesforce -------------------------------------------------------------------------------


def test_salesforce_fields_map_the_lead() -> None:
    fields = lead_fields(make_lead(), "Web")

    assert fields == {
        "FirstName": "Jane",
        "LastName": "Smith",
        "Company": "Northshire Health Tech CIC",
        "Email": "jane.smith@example.org",
        "Phone": "020 7946 0000",
        "Title": "Finance Director",
        "LeadSource": "Web",
        "Rating": "Hot",
        "Description": make_lead().markdown,
    }


def test_salesforce_fields_respect_lengths_and_required_fields() -> None:
    lead = make_lead(
        organisation="",
        contact=make_contact(name="X" * 200, role="R" * 500, phone=None),
        markdown="d" * 40_000,
        priority="low",
    )

    fields = lead_fields(lead)

    assert len(fields["LastName"]) == 80
    assert fields["Company"] == "(organisation not given)"
    assert len(fields["Title"]) == 128
    assert len(fields["Description"]) == 32_000
    assert fields["Description"].endswith("lead store)")
    assert fields["Rating"] == "Cold"
    assert "Phone" not in fields
    assert "TSF_Reference__c" not in fields


# -- Dynamics ---------------------------------------------------------------------------------


def test_dynamics_attributes_map_the_lead() -> None:
    attributes = lead_attributes(make_lead(priority="medium"))

    assert attributes["subject"] == "TSF enquiry TSF-2026-000123: Northshire Health Tech CIC"
    assert attributes["emailaddress1"] == "jane.smith@example.org"
    assert attributes["jobtitle"] == "Finance Director"
    assert attributes["leadqualitycode"] == 2
    assert "tsf_reference" not in attributes


def test_dynamics_description_fits_the_default_column() -> None:
    attributes = lead_attributes(make_lead(markdown="m" * 5_000))

    assert len(str(attributes["description"])) == 2_000


def test_dynamics_alternate_key_values_are_odata_literals() -> None:
    adapter = DynamicsAdapter(
        url="https://org.crm11.dynamics.com/", tenant_id="t", client_id="c", client_secret="s"
    )

    assert adapter.lead_url("O'Brien #1") == (
        "https://org.crm11.dynamics.com/api/data/v9.2/leads(tsf_reference='O''Brien%20%231')"
    )


@pytest.mark.parametrize(
    ("secret", "library_key"),
    [
        ("whsec_" + base64.b64encode(b"a key of random bytes").decode(),) * 2,
        (SECRET, SECRET.encode()),  # a plain secret is its UTF-8 bytes
    ],
)
def test_the_standard_webhooks_library_verifies_what_the_adapter_signs(
    secret: str, library_key: str | bytes
) -> None:
    from standardwebhooks import Webhook

    body = encode_payload(make_lead())
    timestamp = int(datetime.now(timezone.utc).timestamp())
    headers = {
        "webhook-id": "TSF-2026-000001",
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign("TSF-2026-000001", timestamp, body, secret),
    }

    assert Webhook(library_key).verify(body, headers)["reference"] == make_lead().reference
