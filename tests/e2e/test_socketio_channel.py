"""The socket.io channel answers, and a reconnecting client keeps its conversation."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
import socketio

from tsf_runtime.harness import RunningAssistant

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


async def exchange(url: str, session_id: str, message: str) -> list[dict[str, Any]]:
    """Connect, resume ``session_id``, send ``message`` and collect replies for a moment."""
    client = socketio.AsyncClient(reconnection=False)
    replies: list[dict[str, Any]] = []
    confirmed = asyncio.Event()
    client.on("session_confirm", lambda *_: confirmed.set())
    client.on("bot_uttered", replies.append)
    await client.connect(url, socketio_path="/socket.io", transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), timeout=10)
        await client.emit("user_uttered", {"message": message, "session_id": session_id})
        await wait_until_quiet(replies)
    finally:
        await client.disconnect()
    return replies


async def test_a_socketio_client_gets_replies_in_its_session(
    assistant: RunningAssistant,
) -> None:
    replies = await exchange(assistant.rasa_url, uuid.uuid4().hex, "are you a bot?")

    assert any("automated assistant" in reply.get("text", "") for reply in replies), replies


async def test_a_reconnecting_client_continues_the_same_conversation(
    assistant: RunningAssistant,
) -> None:
    session_id = uuid.uuid4().hex
    first = await exchange(assistant.rasa_url, session_id, "hello")

    second = await exchange(assistant.rasa_url, session_id, "hello again")

    assert any(reply.get("text", "").startswith("Privacy") for reply in first)
    assert second and not any(reply.get("text", "").startswith("Privacy") for reply in second)
