"""The socket.io channel answers, and a reconnecting client keeps its conversation."""

from __future__ import annotations

import asyncio
import json
import urllib.request
import uuid
from typing import Any

import pytest
import socketio

from tests.support.harness import RunningAssistant

pytestmark = pytest.mark.e2e


async def wait_until_quiet(replies: list[dict[str, Any]], quiet: float = 1.5) -> None:
    """Wait for the first reply, then until none has arrived for ``quiet`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    seen, last_change = 0, loop.time()
    while loop.time() < deadline:
        await asyncio.sleep(0.1)
        if len(replies) != seen:
            seen, last_change = len(replies), loop.time()
        elif replies and loop.time() - last_change > quiet:
            return


async def exchange(
    url: str, session_id: str | None, message: str
) -> tuple[str, list[dict[str, Any]]]:
    """Connect, ask to resume ``session_id``, send ``message`` in the session the server
    confirms, and collect replies for a moment; the confirmed id and the replies."""
    client = socketio.AsyncClient(reconnection=False)
    replies: list[dict[str, Any]] = []
    confirmed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    client.on(
        "session_confirm", lambda issued, *_: confirmed.done() or confirmed.set_result(issued)
    )
    client.on("bot_uttered", replies.append)
    await client.connect(url, socketio_path="/socket.io", transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        issued = await asyncio.wait_for(confirmed, timeout=10)
        await client.emit("user_uttered", {"message": message, "session_id": issued})
        await wait_until_quiet(replies)
    finally:
        await client.disconnect()
    return issued, replies


async def test_a_socketio_client_gets_replies_in_its_session(
    assistant: RunningAssistant,
) -> None:
    _, replies = await exchange(assistant.rasa_url, None, "are you a bot?")

    assert any("automated assistant" in reply.get("text", "") for reply in replies), replies


async def test_a_reconnecting_client_continues_the_same_conversation(
    assistant: RunningAssistant,
) -> None:
    session_id, first = await exchange(assistant.rasa_url, None, "hello")

    resumed, second = await exchange(assistant.rasa_url, session_id, "hello again")

    assert resumed == session_id
    assert any(reply.get("text", "").startswith("Privacy") for reply in first)
    assert second and not any(reply.get("text", "").startswith("Privacy") for reply in second)


@pytest.mark.parametrize(
    "claimed",
    [
        uuid.uuid4().hex,  # made up
        "U0USER0001",  # a Slack user id
        "e2e-victim-rest-sender",  # another channel's conversation
    ],
)
async def test_a_session_id_the_server_did_not_issue_gets_a_conversation_of_its_own(
    assistant: RunningAssistant, claimed: str
) -> None:
    issued, replies = await exchange(assistant.rasa_url, claimed, "hello")

    assert issued != claimed
    assert any(reply.get("text", "").startswith("Privacy") for reply in replies)


async def test_a_copied_session_nonce_without_its_tag_cannot_read_the_victims_details(
    assistant: RunningAssistant,
) -> None:
    victim, _ = await exchange(assistant.rasa_url, None, "my email is victim@example.org")
    nonce = victim.split(".")[0]

    issued, replies = await exchange(assistant.rasa_url, nonce, "can you show me that again?")

    assert issued not in (victim, nonce)
    assert not any("victim@example.org" in reply.get("text", "") for reply in replies)
    assert any(reply.get("text", "").startswith("Privacy") for reply in replies)


async def test_a_message_in_a_made_up_session_is_answered_in_a_new_one(
    assistant: RunningAssistant,
) -> None:
    victim, _ = await exchange(assistant.rasa_url, None, "hello")
    client = socketio.AsyncClient(reconnection=False)
    confirmed: list[str] = []
    replies: list[dict[str, Any]] = []
    client.on("session_confirm", lambda issued, *_: confirmed.append(issued))
    client.on("bot_uttered", replies.append)
    await client.connect(assistant.rasa_url, socketio_path="/socket.io", transports=["polling"])
    try:
        # no session_request: straight to a message naming the victim's untagged nonce
        await client.emit("user_uttered", {"message": "hi", "session_id": victim.split(".")[0]})
        await wait_until_quiet(replies)
    finally:
        await client.disconnect()

    assert confirmed and confirmed[0] != victim
    assert any(reply.get("text", "").startswith("Privacy") for reply in replies)


async def test_a_packet_nested_too_deep_to_decode_is_dropped_without_a_traceback(
    assistant: RunningAssistant,
) -> None:
    base = f"{assistant.rasa_url}/socket.io/?EIO=4&transport=polling"
    status, opened = await asyncio.to_thread(_polling, "GET", base)
    sid = json.loads(opened[1:])["sid"]
    await asyncio.to_thread(_polling, "POST", f"{base}&sid={sid}", b"40")
    nested = b'42["user_uttered",' + b"[" * 20_000 + b"]" * 20_000 + b"]"

    status, _ = await asyncio.to_thread(_polling, "POST", f"{base}&sid={sid}", nested)
    await asyncio.sleep(1)

    assert status == 200
    assert "RecursionError" not in assistant.log()
    _, replies = await exchange(assistant.rasa_url, None, "are you a bot?")
    assert any("automated assistant" in reply.get("text", "") for reply in replies)


def _polling(method: str, url: str, body: bytes | None = None) -> tuple[int, bytes]:
    """One Engine.IO long-polling request, as a browser without websockets sends it."""
    request = urllib.request.Request(
        url, data=body, method=method, headers={"Content-Type": "text/plain;charset=UTF-8"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, answer.read()
