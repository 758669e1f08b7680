"""The signed webhook: documented body, signature, idempotency key, any receiver."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import jsonschema
import pytest

from tests.fakes.crm_harness import WEBHOOK_SECRET, Harness, running
from tests.fakes.leads import make_lead
from tests.fakes.webhook import WebhookReceiver
from tsf_leads.contracts import CrmAuthError, CrmRejected
from tsf_leads.crm.webhook import LEAD_JSON_SCHEMA, verify_signature

REFERENCE = "TSF-2026-000123"


@pytest.fixture
def webhook() -> Iterator[Harness]:
    with running("webhook") as harness:
        yield harness


def receiver(harness: Harness) -> WebhookReceiver:
    assert isinstance(harness.fake, WebhookReceiver)
    return harness.fake


def test_the_post_is_signed_keyed_and_follows_the_schema(webhook: Harness) -> None:
    before = int(time.time())

    receipt = webhook.adapter().deliver(make_lead(REFERENCE), REFERENCE)

    [request] = receiver(webhook).requests
    assert request.method == "POST"
    assert request.header("Content-Type") == "application/json"
    assert request.header("Idempotency-Key") == REFERENCE
    assert verify_signature(request.body, request.header("X-TSF-Signature"), WEBHOOK_SECRET)
    assert before <= int(request.header("X-TSF-Timestamp") or 0) <= int(time.time())
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
