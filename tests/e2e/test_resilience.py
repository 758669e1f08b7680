"""Resilience: hostile input, the action server going away and Rasa restarting mid-form.

The assistant runs as separate real processes (Rasa and the action server on loopback, a
SQLite tracker store), so that one of them can be stopped and started while a conversation
is going on. Every test is bounded: a fixed number of messages, each with a timeout.
"""

from __future__ import annotations

import asyncio
import json
import signal
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import socketio

from channels.message_guard import EMPTY_REPLY, TOO_LONG_REPLY
from tests.support.harness import ServiceGroup, start_services
from tests.support.hostile_messages import hostile_messages
from tsf_runtime.action_outage import unavailable_reply

pytestmark = pytest.mark.e2e

HOSTILE_COUNT = 1000
REST_SENDERS = 8
SOCKET_SESSIONS = 8
REPLY_TIMEOUT_SECONDS = 60.0
FUND_SIZE = "£6 million"


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceGroup]:
    """Rasa and the action server, each its own process, on free loopback ports."""
    group = start_services(tmp_path_factory.mktemp("resilience"))
    yield group
    group.stop_all()


def new_sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def post(url: str, body: bytes) -> tuple[int, Any]:
    """POST raw bytes as JSON; the status and the decoded body."""
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=REPLY_TIMEOUT_SECONDS) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, json.loads(raw)


def assert_logs_clean(services: ServiceGroup) -> None:
    for name in ("rasa", "actions"):
        assert "Traceback" not in services.log(name), services.log(name)[-4000:]


def assert_still_answers(services: ServiceGroup) -> None:
    texts = services.texts(new_sender("after"), "how big is the fund?")
    assert any(FUND_SIZE in text for text in texts), texts


# Hostile input ---------------------------------------------------------------------------


def test_a_thousand_hostile_messages_over_rest_get_replies_not_errors(
    services: ServiceGroup,
) -> None:
    messages = hostile_messages(HOSTILE_COUNT)
    webhook = f"{services.rasa_url}/webhooks/rest/webhook"
    senders = [new_sender("hostile-rest") for _ in range(REST_SENDERS)]

    def send(index: int) -> tuple[str, int, Any]:
        kind, message = messages[index]
        body = json.dumps({"sender": senders[index % REST_SENDERS], "message": message})
        status, replies = post(webhook, body.encode())
        return kind, status, replies

    with ThreadPoolExecutor(max_workers=REST_SENDERS) as pool:
        results = list(pool.map(send, range(len(messages))))

    failures = [(kind, status) for kind, status, _ in results if status != 200]
    assert not failures, failures[:20]
    unanswered = [kind for kind, _, replies in results if not replies]
    assert not unanswered, unanswered[:20]
    by_kind = {kind: replies for kind, _, replies in results}
    assert by_kind["empty"][0]["text"] == EMPTY_REPLY
    assert by_kind["very long"][0]["text"] == TOO_LONG_REPLY
    assert_logs_clean(services)
    assert_still_answers(services)


async def socket_conversation(url: str, messages: list[str]) -> list[int]:
    """Send ``messages`` in one socket.io session, one at a time; replies to each."""
    client = socketio.AsyncClient(reconnection=False)
    session_id = uuid.uuid4().hex
    replies: list[dict[str, Any]] = []
    arrived = asyncio.Condition()
    confirmed = asyncio.Event()

    async def on_reply(reply: dict[str, Any]) -> None:
        async with arrived:
            replies.append(reply)
            arrived.notify_all()

    client.on("session_confirm", lambda *_: confirmed.set())
    client.on("bot_uttered", on_reply)
    await client.connect(url, socketio_path="/socket.io", transports=["polling"])
    counts = []
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), timeout=10)
        for message in messages:
            before = len(replies)
            await client.emit("user_uttered", {"message": message, "session_id": session_id})
            async with arrived:
                await asyncio.wait_for(
                    arrived.wait_for(lambda seen=before: len(replies) > seen), REPLY_TIMEOUT_SECONDS
                )
            counts.append(len(replies) - before)
    finally:
        await client.disconnect()
    return counts


async def test_a_thousand_hostile_messages_over_socketio_get_replies_and_keep_the_socket(
    services: ServiceGroup,
) -> None:
    messages = [message for _, message in hostile_messages(HOSTILE_COUNT, seed=1970)]
    shares = [messages[start::SOCKET_SESSIONS] for start in range(SOCKET_SESSIONS)]

    counts = await asyncio.gather(
        *(socket_conversation(services.rasa_url, share) for share in shares)
    )

    assert sum(len(session) for session in counts) == HOSTILE_COUNT
    assert all(count >= 1 for session in counts for count in session)
    assert_logs_clean(services)
    assert_still_answers(services)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json at all", "JSON object"),
        (b'{"sender": "x", "message": "unterminated', "JSON object"),
        (b"[1, 2, 3]", "JSON object"),
        (b'"just a string"', "JSON object"),
        (b'{"message": "no sender"}', "'sender'"),
        (b'{"sender": "has spaces", "message": "hi"}', "'sender'"),
        (b'{"sender": "' + b"x" * 500 + b'", "message": "hi"}', "'sender'"),
        (b'{"sender": ["a"], "message": "hi"}', "'sender'"),
        (b'{"sender": "ok-1", "message": 42}', "'message'"),
        (b'{"sender": "ok-1", "message": {"text": "hi"}}', "'message'"),
        (b'{"sender": "ok-1", "message": ["hi"]}', "'message'"),
        (b'{"sender": "ok-1", "message": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", "JSON object"),
    ],
)
def test_a_malformed_request_gets_a_400_saying_what_is_wrong(
    services: ServiceGroup, body: bytes, reason: str
) -> None:
    status, answer = post(f"{services.rasa_url}/webhooks/rest/webhook", body)

    assert status == 400
    assert reason in answer["error"]


# The action server going away ------------------------------------------------------------


def test_with_the_action_server_down_the_user_hears_so_and_the_form_carries_on_after(
    services: ServiceGroup,
) -> None:
    sender = new_sender("outage")
    services.say(sender, "are we eligible?")
    asked_origin = services.texts(sender, "Riverside Community Care CIC")
    assert any("set up by" in text for text in asked_origin), asked_origin

    services.stop("actions")
    try:
        during = services.texts(sender, "yes")
        enquiry = services.texts(new_sender("outage-enquiry"), "how big is the fund?")
    finally:
        services.start("actions")

    assert during == [unavailable_reply()]
    assert enquiry == [unavailable_reply()]
    after = services.texts(sender, "yes")
    assert any("how it came about" in text for text in after), after
    assert_still_answers(services)
    assert "Traceback" not in services.log("rasa")


# Rasa restarting -------------------------------------------------------------------------


def test_a_form_resumes_from_the_stored_conversation_after_rasa_is_killed(
    services: ServiceGroup,
) -> None:
    sender = new_sender("restart")
    services.say(sender, "I'd like to see if we qualify")
    services.say(sender, "Riverside Community Care CIC")
    services.say(sender, "/affirm")
    asked_trading = services.texts(sender, "district nurses from the local NHS trust")
    assert any("trading" in text for text in asked_trading), asked_trading

    services.stop("rasa", signal.SIGKILL)
    services.start("rasa")

    asked_services = services.texts(sender, "yes, trading for three years")
    assert any("services" in text.lower() for text in asked_services), asked_services
    for answer in ["community nursing", "tablets for nurses", "450k"]:
        services.say(sender, answer)
    summary = "\n".join(services.texts(sender, "/affirm"))
    assert "Riverside Community Care CIC" in summary
    assert "£450,000" in summary
