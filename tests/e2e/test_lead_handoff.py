"""From greeting to lead reference, delivered to a signed webhook exactly once."""

from __future__ import annotations

import re
import sqlite3
import time
import uuid
from collections.abc import Iterator

import pytest
import yaml

from channels.conversation_ids import conversation_id
from tests.fakes.webhook import WEBHOOK_HEADERS, WebhookReceiver
from tests.support.eligible_interview import ELIGIBLE_ANSWERS
from tests.support.harness import ROOT, RunningAssistant, start_assistant
from tsf_leads.crm.webhook import verify_webhook

pytestmark = pytest.mark.e2e

SECRET = "e2e-webhook-secret-0123456789"
REFERENCE = re.compile(r"TSF-\d{4}-\d{6}")
SESSION_MINUTES = yaml.safe_load((ROOT / "rasa_project/domain/session.yml").read_text())[
    "session_config"
]["session_expiration_time"]


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(SECRET) as running:
        yield running


@pytest.fixture(scope="module")
def assistant_with_crm(
    receiver: WebhookReceiver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningAssistant]:
    running = start_assistant(
        tmp_path_factory.mktemp("leads"),
        extra_env={
            "TSF_CRM": "webhook",
            "TSF_CRM_WEBHOOK_URL": receiver.hook_url,
            "TSF_CRM_WEBHOOK_SECRET": SECRET,
            "TSF_DELIVERY_POLL_SECONDS": "0.5",
        },
    )
    yield running
    running.stop()


def interviewed(assistant: RunningAssistant, *opening: str) -> str:
    """A new sender who said ``opening``, then answered the eligibility interview as eligible."""
    sender = f"lead-{uuid.uuid4().hex[:12]}"
    for message in [*opening, "I'd like to see if we qualify", *ELIGIBLE_ANSWERS]:
        assistant.texts(sender, message)
    return sender


def wait_for_delivery(receiver: WebhookReceiver, reference: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while receiver.delivery_count(reference) == 0 and time.monotonic() < deadline:
        time.sleep(0.2)


def test_a_consented_lead_reaches_the_crm_signed_and_exactly_once(
    assistant_with_crm: RunningAssistant, receiver: WebhookReceiver
) -> None:
    sender = interviewed(assistant_with_crm, "hello")
    say = assistant_with_crm.texts
    verdict = say(sender, "/affirm")
    assert any("Would you like me to pass your answers" in text for text in verdict), verdict

    notice = say(sender, "/request_contact")
    assert any("Do you agree?" in text for text in notice), notice
    for answer in ["/affirm", "Jo Bloggs", "Finance director", "jo@riverside-care.org"]:
        say(sender, answer)
    say(sender, "020 7946 0000")
    summary = say(sender, "weekday mornings")
    assert any("jo@riverside-care.org" in text for text in summary), summary
    confirmation = " ".join(say(sender, "/affirm"))

    reference = REFERENCE.search(confirmation)
    assert reference, confirmation
    wait_for_delivery(receiver, reference.group(0))
    assert receiver.delivery_count(reference.group(0)) == 1

    (request,) = [r for r in receiver.requests if r.header("Idempotency-Key") == reference.group(0)]
    headers = {name: request.header(name) or "" for name in WEBHOOK_HEADERS}
    assert verify_webhook(request.body, headers, SECRET).message_id == reference.group(0)
    lead = request.json()
    assert lead["reference"] == reference.group(0)
    assert lead["organisation"] == "Riverside Community Care CIC"
    assert lead["contact"]["email"] == "jo@riverside-care.org"
    assert lead["verdict"] == "eligible"
    assert lead["amount"] == 450000
    assert lead["conversation_id"] == conversation_id("rest", sender)  # as the tracker store has it
    assert lead["consent"]["notice_version"]
    assert "district nursing team at the local NHS trust" in lead["markdown"]


def _age_conversation(assistant: RunningAssistant, sender: str, seconds: float) -> None:
    """Move the stored conversation ``seconds`` into the past, as if the user had left."""
    database = assistant.log_path.parent / "tracker.db"
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE events SET timestamp = timestamp - :by, data = json_set(data, "
            "'$.timestamp', json_extract(data, '$.timestamp') - :by) WHERE sender_id = :id",
            {"by": seconds, "id": conversation_id("rest", sender)},
        )


def test_a_user_back_after_the_session_expired_carries_on_with_the_form_and_their_consent(
    assistant_with_crm: RunningAssistant, receiver: WebhookReceiver
) -> None:
    sender = interviewed(assistant_with_crm)
    say = assistant_with_crm.texts
    for answer in ["/affirm", "/request_contact", "/affirm", "Jo Bloggs"]:
        say(sender, answer)
    _age_conversation(assistant_with_crm, sender, SESSION_MINUTES * 60 + 600)

    back = say(sender, "Finance director")

    assert back[0].startswith("Privacy:"), back  # a new session
    assert any("email" in text.lower() for text in back[1:]), back  # the form's next question
    say(sender, "jo@riverside-care.org")
    say(sender, "020 7946 0000")
    summary = " ".join(say(sender, "weekday mornings"))
    assert "Jo Bloggs" in summary and "Finance director" in summary, summary
    reference = REFERENCE.search(" ".join(say(sender, "/affirm")))
    assert reference
    wait_for_delivery(receiver, reference.group(0))
    (request,) = [r for r in receiver.requests if r.header("Idempotency-Key") == reference.group(0)]
    lead = request.json()
    assert lead["organisation"] == "Riverside Community Care CIC"
    assert lead["contact"]["email"] == "jo@riverside-care.org"
    assert lead["consent"]["notice_version"]


def test_without_consent_nothing_reaches_the_crm(
    assistant_with_crm: RunningAssistant, receiver: WebhookReceiver
) -> None:
    sender = interviewed(assistant_with_crm)
    say = assistant_with_crm.texts
    say(sender, "/affirm")
    before = len(receiver.requests)
    say(sender, "/request_contact")

    reply = " ".join(say(sender, "/deny"))

    assert "nothing has been sent" in reply
    time.sleep(2)
    assert len(receiver.requests) == before
