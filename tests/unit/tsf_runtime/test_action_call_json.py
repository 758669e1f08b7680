"""Rasa's calls to an endpoint carry the same values when their JSON is written by ujson."""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Iterator
from typing import Any

import pytest
import ujson
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from tests.support.loopback_app import serving
from tsf_runtime.action_call_json import install_ujson_for_endpoint_requests

PAYLOAD = {
    "next_action": "action_answer_enquiry",
    "tracker": {
        "events": [
            {"event": "user", "timestamp": 1796233672.835223, "text": "£400k? é/ü 👋 \u2028"},
            {"event": "slot", "name": "amount", "value": 0.30000000000000004},
            {"event": "slot", "name": "big", "value": 123456789012345678901234567890},
            {"event": "slot", "name": "tiny", "value": 5e-324},
            {"event": "slot", "name": "none", "value": None},
        ]
    },
}


@pytest.fixture
def original_session() -> Iterator[Any]:
    unpatched = EndpointConfig.session
    yield unpatched
    EndpointConfig.session = unpatched  # type: ignore[method-assign]


async def _echoed(payload: dict[str, Any]) -> Any:
    received: list[bytes] = []

    async def handler(request: web.Request) -> web.Response:
        received.append(await request.read())
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", handler)
    async with serving(app) as url:
        answer = await EndpointConfig(f"{url}/webhook").request(json=payload, method="post")
    return answer, received[0]


def test_the_action_server_reads_exactly_what_rasa_sent(original_session: Any) -> None:
    install_ujson_for_endpoint_requests()

    answer, body = asyncio.run(_echoed(PAYLOAD))

    assert answer == {"events": [], "responses": []}
    assert json.loads(body) == PAYLOAD
    assert body == ujson.dumps(PAYLOAD).encode()


def test_a_float_that_is_not_a_number_is_written_as_the_standard_library_writes_it() -> None:
    assert ujson.dumps(float("nan")) == json.dumps(float("nan"))
    assert math.isnan(json.loads(ujson.dumps({"v": float("nan")}))["v"])


def test_installing_twice_wraps_once(original_session: Any) -> None:
    install_ujson_for_endpoint_requests()
    once = EndpointConfig.session
    install_ujson_for_endpoint_requests()

    assert EndpointConfig.session is once is not original_session
