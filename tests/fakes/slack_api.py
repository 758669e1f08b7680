"""A fake Slack Web API on 127.0.0.1: ``chat.postMessage`` checks the token and records calls.

Also signs requests the way Slack does, for tests that play Slack's part.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode


def sign(signing_secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """Slack's ``X-Slack-Request-Timestamp`` and v0 ``X-Slack-Signature`` for ``body``."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + stamp.encode() + b":" + body
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def event_body(
    event_id: str,
    text: str,
    *,
    user: str = "U0USER0001",
    channel: str = "D0DM000001",
    event_type: str = "message",
    channel_type: str = "im",
    ts: str | None = None,
) -> bytes:
    """An Events API ``event_callback`` body for a user's message."""
    event: dict[str, Any] = {
        "type": event_type,
        "user": user,
        "text": text,
        "channel": channel,
        "ts": ts or f"{time.time():.6f}",
    }
    if event_type == "message":
        event["channel_type"] = channel_type
    body = {
        "token": "unused",
        "team_id": "T0TEAM0001",
        "api_app_id": "A0APP00001",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"user_id": "U0BOT00001", "is_bot": True}],
        "event": event,
    }
    return json.dumps(body).encode()


def block_actions_body(
    value: str, *, user: str = "U0USER0001", channel: str = "D0DM000001"
) -> bytes:
    """A form-encoded ``block_actions`` interaction: a click on a button with ``value``."""
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "channel": {"id": channel},
        "container": {"type": "message", "message_ts": "1700000000.000100"},
        "message": {"ts": "1700000000.000100"},
        "trigger_id": "1.2.3",
        "actions": [
            {
                "type": "button",
                "action_id": "tsf_button_0",
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "A button"},
                "value": value,
                "action_ts": "1700000001.000200",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


class FakeSlackApi:
    """A Slack Web API that answers ``chat.postMessage`` for one bot token."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[dict[str, Any]] = []
        self._condition = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params = json.loads(raw or b"{}")
                else:
                    params = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
                method = self.path.rsplit("/", 1)[-1]
                status, answer = fake.answer(method, self.headers.get("Authorization"), params)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """The base address to give the channel as ``slack_api_url``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/api"

    def answer(
        self, method: str, authorization: str | None, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Slack's answer to one Web API call; records it when the token is right."""
        if method != "chat.postMessage":
            return 404, {"ok": False, "error": "unknown_method"}
        if authorization != f"Bearer {self.token}":
            return 200, {"ok": False, "error": "invalid_auth"}
        if not params.get("channel") or not (params.get("text") or params.get("blocks")):
            return 200, {"ok": False, "error": "no_text"}
        with self._condition:
            self.calls.append({"method": method, **params})
            self._condition.notify_all()
        ts = f"{time.time():.6f}"
        return 200, {"ok": True, "channel": params["channel"], "ts": ts, "message": params}

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """The ``chat.postMessage`` calls so far, to ``channel`` if given."""
        with self._condition:
            return [call for call in self.calls if channel in (None, call.get("channel"))]

    def wait_for(
        self, count: int, channel: str | None = None, timeout: float = 30.0, settle: float = 1.0
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` messages reached ``channel``, then ``settle`` seconds more."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while len(self.messages(channel)) < count and time.monotonic() < deadline:
                self._condition.wait(timeout=0.2)
        time.sleep(settle)
        return self.messages(channel)

    def start(self) -> FakeSlackApi:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlackApi:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
