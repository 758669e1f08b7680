"""Fixtures shared by the benchmark tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from tests.support.loopback_app import serving


@pytest.fixture
async def fake_rasa() -> AsyncIterator[tuple[str, list[tuple[str, str]]]]:
    """A loopback server speaking the REST channel's contract; 'fail' gets a 500."""
    received: list[tuple[str, str]] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        received.append((body["sender"], body["message"]))
        await asyncio.sleep(0.01)
        if body["message"] == "fail":
            return web.json_response({"error": "boom"}, status=500)
        if body["message"] == "quiet":
            return web.json_response([])
        return web.json_response([{"recipient_id": body["sender"], "text": "ok"}])

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    async with serving(app) as url:
        yield url, received
