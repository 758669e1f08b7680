"""Request bodies read by orjson hold exactly what ujson, Sanic's reader before, read."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
import ujson
from sanic import Sanic
from sanic.compat import Header
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from tsf_runtime.request_json import install_orjson_for_requests, read_json

BODIES = [
    '{"event": "user", "timestamp": 1796233672.835223, "text": "£400k? é/ü 👋 \\u2028"}',
    '{"value": 0.30000000000000004, "tiny": 5e-324, "none": null, "yes": true}',
    '{"big": 123456789012345678901234567890, "u64": 18446744073709551615}',
    '{"negative": -9223372036854775809, "text": "call 0123456789012345678901"}',
    '{"lone": "\\ud800", "a": 1, "a": 2}',
    "[1e400, -1e400]",
    '  {"nested": [[], {}, [{"x": [1, 2.5, "3"]}]]}  ',
]

APP = "request_json_test"


@pytest.fixture(scope="module", autouse=True)
def app() -> Sanic:
    return Sanic(APP)


@pytest.fixture
def original() -> Iterator[Any]:
    unpatched = Request.load_json
    yield unpatched
    Request.load_json = unpatched  # type: ignore[method-assign]


@pytest.mark.parametrize("body", BODIES)
def test_every_body_reads_as_ujson_reads_it(body: str) -> None:
    for text in (body, body.encode("utf-8", "surrogatepass")):
        ours, theirs = read_json(text), ujson.loads(text)
        assert ours == theirs
        assert repr(ours) == repr(theirs)  # an int stays an int, a float a float


def test_orjson_alone_would_turn_a_long_integer_into_a_float() -> None:
    assert isinstance(orjson.loads(BODIES[2])["big"], float)  # why long numbers go to ujson


def test_a_float_that_is_not_a_number_reads_as_before() -> None:
    assert math.isnan(read_json('{"v": NaN}')["v"])


@pytest.mark.parametrize("body", ["{", "[1, 2", "nope", ""])
def test_text_that_is_not_json_fails_as_it_did(body: str) -> None:
    with pytest.raises(ujson.JSONDecodeError):
        ujson.loads(body)
    with pytest.raises(ujson.JSONDecodeError):
        read_json(body)


def _request(body: bytes) -> Request:
    request = Request(b"/webhook", Header(), "1.1", "POST", None, Sanic.get_app(APP))
    request.body = body
    return request


def test_a_sanic_request_reads_its_body_with_it(
    original: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_orjson_for_requests()
    with pytest.raises(InvalidUsage):
        _request(b"{nope").json  # noqa: B018 (reading is the point)
    read: list[object] = []
    monkeypatch.setattr(orjson, "loads", lambda text: read.append(text) or {"by": "orjson"})

    assert _request(BODIES[1].encode()).json == {"by": "orjson"}
    assert read == [BODIES[1].encode()]


def test_installing_twice_wraps_once(original: Any) -> None:
    install_orjson_for_requests()
    once = Request.load_json
    install_orjson_for_requests()

    assert Request.load_json is once is not original
