"""The real Rasa server's, action server's and delivery worker's metrics, scraped before and
after a scripted conversation that asks a question, takes the eligibility check and leaves
a lead."""

from __future__ import annotations

import re
import time
import urllib.request
import uuid
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.fakes.webhook import WebhookReceiver
from tests.support.eligible_interview import ELIGIBLE_ANSWERS
from tests.support.harness import RunningAssistant, free_port, start_assistant

pytestmark = pytest.mark.e2e

SECRET = "e2e-webhook-secret-0123456789"
REFERENCE = re.compile(r"TSF-\d{4}-\d{6}")
CRM = "crm:webhook"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(SECRET) as running:
        yield running


@pytest.fixture(scope="module")
def assistant(
    receiver: WebhookReceiver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningAssistant]:
    running = start_assistant(
        tmp_path_factory.mktemp("metrics"),
        extra_env={
            "TSF_CRM": "webhook",
            "TSF_CRM_WEBHOOK_URL": receiver.hook_url,
            "TSF_CRM_WEBHOOK_SECRET": SECRET,
            "TSF_DELIVERY_POLL_SECONDS": "0.5",
            "TSF_WORKER_METRICS_PORT": str(free_port()),
        },
    )
    yield running
    running.stop()


def scrape(url: str) -> Samples:
    """Every sample at ``url``, by name and labels."""
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/plain")
        text = response.read().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def worker_url(assistant: RunningAssistant) -> str:
    return f"http://127.0.0.1:{assistant.extra_env['TSF_WORKER_METRICS_PORT']}/metrics"


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def wait_for_worker_gauge(assistant: RunningAssistant, status: str, count: float) -> Samples:
    deadline = time.monotonic() + 30
    while True:
        samples = scrape(worker_url(assistant))
        if value(samples, "tsf_leads", status=status) >= count or time.monotonic() > deadline:
            return samples
        time.sleep(0.25)


def test_the_counters_move_for_a_scripted_conversation_and_its_lead(
    assistant: RunningAssistant, receiver: WebhookReceiver
) -> None:
    actions, rasa = f"{assistant.actions_url}/metrics", f"{assistant.rasa_url}/webhooks/metrics/"
    before, worker_before = scrape(actions), wait_for_worker_gauge(assistant, "pending", 0)
    rasa_before = scrape(rasa)
    sender = f"metrics-{uuid.uuid4().hex[:12]}"
    script = [
        "hello",
        "how long do we get to pay the loan back?",
        "I'd like to see if we qualify",
        *ELIGIBLE_ANSWERS,
        "/affirm",
        "/request_contact",
        "/affirm",
        "Jo Bloggs",
        "Finance director",
        "jo@riverside-care.org",
        "020 7946 0000",
        "weekday mornings",
    ]
    replies = [" ".join(assistant.texts(sender, message)) for message in script]
    reference = REFERENCE.search(" ".join(assistant.texts(sender, "/affirm")))
    assert reference, replies[-3:]

    after, rasa_after = scrape(actions), scrape(rasa)
    worker = wait_for_worker_gauge(assistant, "delivered", 1)

    def moved(name: str, samples: Samples = after, old: Samples = before, **labels: str) -> float:
        return value(samples, name, **labels) - value(old, name, **labels)

    messages, intents = "tsf_messages_total", "tsf_intents_total"
    assert moved(messages, rasa_after, rasa_before, channel="rest") == len(script) + 1
    assert moved(intents, rasa_after, rasa_before, intent="greet") == 1
    intents_moved = sum(v for (name, _), v in rasa_after.items() if name == intents) - sum(
        v for (name, _), v in rasa_before.items() if name == intents
    )
    assert intents_moved == len(script) + 1
    assert moved("tsf_answers_total", fact="loan_term") == 1
    assert moved("tsf_eligibility_checks_total", verdict="eligible") == 1
    assert moved("tsf_fallbacks_total") == 0
    assert receiver.delivery_count(reference.group(0)) == 1
    attempts = "tsf_delivery_attempts_total"
    assert moved(attempts, worker, worker_before, destination=CRM, outcome="sent") == 1
    latency = "tsf_lead_delivery_latency_seconds_count"
    assert moved(latency, worker, worker_before, destination=CRM) == 1
    assert value(worker, "tsf_leads", status="delivered") == 1
    assert value(worker, "tsf_leads", status="pending") == 0
    assert value(worker, "tsf_outbox_depth") == 0
    assert value(worker, "tsf_worker_heartbeat_timestamp_seconds") > time.time() - 60


def test_a_message_nothing_answers_counts_as_a_fallback(assistant: RunningAssistant) -> None:
    actions, rasa = f"{assistant.actions_url}/metrics", f"{assistant.rasa_url}/webhooks/metrics/"
    before, rasa_before = scrape(actions), scrape(rasa)

    assistant.texts(f"metrics-{uuid.uuid4().hex[:12]}", "qwzx blorp flibbertigibbet")
    after, rasa_after = scrape(actions), scrape(rasa)

    assert value(after, "tsf_fallbacks_total") - value(before, "tsf_fallbacks_total") == 1
    assert (
        value(rasa_after, "tsf_messages_total", channel="rest")
        - value(rasa_before, "tsf_messages_total", channel="rest")
        == 1
    )
