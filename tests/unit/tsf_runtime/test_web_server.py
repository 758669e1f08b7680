"""The chat page server serves the page and its config, safely, and nothing else."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import partial
from http.server import ThreadingHTTPServer

import pytest

from tsf_runtime.settings import load_settings
from tsf_runtime.web_server import ChatPageHandler


@pytest.fixture
def base_url() -> Iterator[str]:
    settings = load_settings({"TSF_PUBLIC_RASA_URL": "http://localhost:5999"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(ChatPageHandler, settings=settings))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_chat_page_is_served_with_security_headers(base_url: str) -> None:
    status, headers, body = _get(base_url + "/")

    assert status == 200
    assert b'<script src="chat.js"' in body
    assert b"Technology Spin-Out Fund" in body
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert (
        "connect-src 'self' http://localhost:5999 ws://localhost:5999"
        in headers["Content-Security-Policy"]
    )


def test_config_tells_the_page_where_rasa_is(base_url: str) -> None:
    status, headers, body = _get(base_url + "/config.json")

    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"server": "http://localhost:5999"}


@pytest.mark.parametrize("path", ["/../pyproject.toml", "/%2e%2e/pyproject.toml", "/nothing.js"])
def test_files_outside_the_web_folder_are_not_served(base_url: str, path: str) -> None:
    status, _, body = _get(base_url + path)

    assert status == 404
    assert b"tsf-assistant" not in body


def test_folders_are_not_listed(base_url: str) -> None:
    status, _, _ = _get(base_url + "/missing-folder/")

    assert status == 404
