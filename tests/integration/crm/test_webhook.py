"""The signed webhook: documented body, signature, idempotency key, any receiver."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import jsonschema
import pytest

from tests.fakes.crm_harness import WEBHOOK_SECRET, Harness, fake_of
from tests.fakes.leads import REFERENCE, make_lead
from tests.fakes.webhook import WEBHOOK_HEADERS, WebhookReceiver
from tsf_leads.contracts import CrmAuthError, CrmRejected
from tsf_leads.crm.webhook import LEAD_JSON_SCHEMA, verify_webhook

receiver = fake_of(WebhookReceiver)


def test_the_post_is_signed_keyed_and_follows_the_schema(webhook: Harness) -> None:
    before = int(time.time())

    receipt = webhook.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    [request] = receiver(webhook).requests
    assert request.method == "POST"
    assert request.header("Content-Type") == "application/json"
    assert request.header("Idempotency-Key") == REFERENCE
    headers = {name: request.header(name) or "" for name in WEBHOOK_HEADERS}
    verified = verify_webhook(request.body, headers, WEBHOOK_SECRET)
    assert verified.message_id == REFERENCE
    assert before <= verified.timestamp <= int(time.time())
    jsonschema.validate(json.loads(request.body), LEAD_JSON_SCHEMA)
    assert receipt.external_id == "wh-1"
    assert receipt.status_code == 201


def test_a_retry_sends_the_same_bytes_and_the_receiver_keeps_one(webhook: Harness) -> None:
    adapter = webhook.adapter()

    adapter.deliver(make_lead(REFERENCE), REFERENCE)
    adapter.deliver(make_lead(REFERENCE), REFERENCE)

    first, second = receiver(webhook).bodies
    assert first == second
    assert receiver(webhook).request_count(REFERENCE) == 2
    assert receiver(webhook).delivery_count(REFERENCE) == 1


def _resend(hook_url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body`` with ``headers`` as anyone could; the status."""
    request = urllib.request.Request(hook_url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_captured_request_sent_again_re_dated_or_re_keyed_is_no_new_lead(
    webhook: Harness,
) -> None:
    webhook.adapter().deliver(make_lead(REFERENCE), REFERENCE)
    captured = receiver(webhook).requests[-1]
    replays, leads = receiver(webhook).replays, len(receiver(webhook).deliveries)
    headers = {name: captured.header(name) or "" for name in WEBHOOK_HEADERS}
    headers |= {"Content-Type": "application/json", "Idempotency-Key": REFERENCE}
    hook = receiver(webhook).hook_url

    replayed = _resend(hook, captured.body, headers)
    fresh = str(int(headers["webhook-timestamp"]) + 60)  # still inside the five minutes
    re_dated = _resend(hook, captured.body, headers | {"webhook-timestamp": fresh})
    re_keyed = _resend(
        hook, captured.body, headers | {"webhook-id": "TSF-2026-999999", "Idempotency-Key": "x"}
    )

    assert replayed == 200  # answered as the lead it is, not processed again
    assert receiver(webhook).replays == replays + 1
    assert re_dated == 401
    assert re_keyed == 401
    assert receiver(webhook).delivery_count(REFERENCE) == 1
    assert len(receiver(webhook).deliveries) == leads


def test_a_receiver_that_ignores_the_key_would_process_twice() -> None:
    with WebhookReceiver(WEBHOOK_SECRET, dedupe=False) as naive:
        harness = Harness(
            "webhook",
            naive,
            {
                "TSF_CRM": "webhook",
                "TSF_CRM_WEBHOOK_URL": naive.hook_url,
                "TSF_CRM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            },
        )
        adapter = harness.adapter()

        adapter.deliver(make_lead(REFERENCE), REFERENCE)
        adapter.deliver(make_lead(REFERENCE), REFERENCE)

        assert naive.delivery_count(REFERENCE) == 2  # deduplication is the receiver's job


def test_a_wrong_secret_is_refused_by_the_receiver(webhook: Harness) -> None:
    adapter = webhook.adapter(TSF_CRM_WEBHOOK_SECRET="another-secret-of-enough-length")

    with pytest.raises(CrmAuthError, match="bad signature"):
        adapter.deliver(make_lead(REFERENCE), REFERENCE)

    assert receiver(webhook).delivery_count(REFERENCE) == 0


def test_an_accepted_answer_without_a_body_is_success(webhook: Harness) -> None:
    receiver(webhook).fail_next(202, body="")  # Power Automate's "202 Accepted"

    receipt = webhook.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert (receipt.status_code, receipt.external_id) == (202, None)


def test_redirects_are_not_followed(webhook: Harness) -> None:
    receiver(webhook).fail_next(302, body="")

    with pytest.raises(CrmRejected, match="redirected") as raised:
        webhook.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    assert raised.value.status_code == 302
    assert len(receiver(webhook).requests) == 1
