"""A fake Slack Web API on 127.0.0.1: ``chat.postMessage`` checks the token and records calls.

Also signs requests the way Slack does, for tests that play Slack's part.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlencode

from tests.fakes.json_server import BackgroundServer, JsonHandler


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
    value: str,
    *,
    user: str = "U0USER0001",
    channel: str = "D0DM000001",
    action_id: str = "tsf_button_0",
    action_ts: str = "1700000001.000200",
    user_name: str = "",
    response_url: str = "",
    message: dict[str, Any] | None = None,
) -> bytes:
    """A form-encoded ``block_actions`` interaction: a click on a button with ``value`` (on
    ``message``, the posted message's text and blocks, if given)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "name": user_name or user.lower()},
        "channel": {"id": channel},
        "container": {"type": "message", "message_ts": "1700000000.000100"},
        "message": {"ts": "1700000000.000100", **(message or {})},
        "trigger_id": "1.2.3",
        "response_url": response_url or "https://hooks.slack.com/actions/T0/1/abc",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "A button"},
                "value": value,
                "action_ts": action_ts,
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def view_submission_body(private_metadata: str, reason: str, *, user: str) -> bytes:
    """A form-encoded ``view_submission`` of the "Not a fit" modal."""
    payload = {
        "type": "view_submission",
        "user": {"id": user, "name": user.lower()},
        "view": {
            "id": "V0VIEW0001",
            "callback_id": "tsf_lead_not_a_fit",
            "private_metadata": private_metadata,
            "state": {
                "values": {"reason": {"reason": {"type": "plain_text_input", "value": reason}}}
            },
        },
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def slash_command_body(command: str, *, user: str, channel: str, text: str = "") -> bytes:
    """A form-encoded slash command, as Slack posts it."""
    return urlencode(
        {"command": command, "text": text, "user_id": user, "channel_id": channel}
    ).encode()


class _Handler(JsonHandler):
    fake: FakeSlackApi

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        params = {key: values[0] for key, values in parse_qs(query).items()}
        method = path.rsplit("/", 1)[-1]
        self.send_json(*self.fake.answer(method, self.headers.get("Authorization"), params))

    def do_POST(self) -> None:
        raw = self.read_body()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            params = json.loads(raw or b"{}")
        else:
            params = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        if self.path.startswith("/response/"):
            self.send_json(*self.fake.respond(self.path.rsplit("/", 1)[-1], params))
            return
        method = self.path.rsplit("/", 1)[-1]
        self.send_json(*self.fake.answer(method, self.headers.get("Authorization"), params))


class FakeSlackApi(BackgroundServer):
    """A Slack Web API that answers ``chat.postMessage``, ``chat.update``, ``views.open``,
    ``users.info`` (for the people in ``users``: id → display name) and
    ``conversations.members`` (``members``: channel → user ids) for one bot token."""

    def __init__(
        self,
        token: str,
        users: dict[str, str] | None = None,
        members: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(_Handler)
        self.token = token
        self.users = dict(users or {})
        self.members = dict(members or {})
        self.calls: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []
        self.down = False

    @property
    def url(self) -> str:
        """The base address to give the channel as ``slack_api_url``."""
        return f"{self.root_url}/api"

    def answer(
        self, method: str, authorization: str | None, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Slack's answer to one Web API call; records it when the token is right."""
        known = {"chat.postMessage", "chat.update", "users.info", "views.open"}
        if method not in {*known, "conversations.members"}:
            return 404, {"ok": False, "error": "unknown_method"}
        if self.down:
            return 503, {"ok": False, "error": "service_unavailable"}
        if authorization != f"Bearer {self.token}":
            return 200, {"ok": False, "error": "invalid_auth"}
        if method == "conversations.members":
            channel = str(params.get("channel"))
            if channel not in self.members:
                return 200, {"ok": False, "error": "channel_not_found"}
            return 200, {"ok": True, "members": self.members[channel]}
        if method == "users.info":
            name = self.users.get(str(params.get("user")))
            if name is None:
                return 200, {"ok": False, "error": "user_not_found"}
            return 200, {
                "ok": True,
                "user": {"id": params["user"], "profile": {"display_name": name}},
            }
        if method == "views.open":
            if not params.get("trigger_id") or (params.get("view") or {}).get("type") != "modal":
                return 200, {"ok": False, "error": "invalid_arguments"}
            with self._condition:
                self.calls.append({"method": method, **params})
                self._condition.notify_all()
            return 200, {"ok": True, "view": {"id": "V0VIEW0001", **params["view"]}}
        if not params.get("channel") or not (params.get("text") or params.get("blocks")):
            return 200, {"ok": False, "error": "no_text"}
        if method == "chat.update" and not params.get("ts"):
            return 200, {"ok": False, "error": "message_not_found"}
        ts = str(params["ts"]) if method == "chat.update" else f"{time.time():.6f}"
        with self._condition:
            self.calls.append({"method": method, **params, "posted_ts": ts})
            self._condition.notify_all()
        return 200, {"ok": True, "channel": params["channel"], "ts": ts, "message": params}

    def response_url(self, name: str) -> str:
        """A ``response_url`` for an interaction: posts to it are recorded under ``name``."""
        return f"{self.root_url}/response/{name}"

    def respond(self, name: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Slack's answer to a post to a ``response_url``."""
        if not (body.get("text") or body.get("blocks")):
            return 400, {"ok": False, "error": "no_text"}
        with self._condition:
            self.responses.append({"name": name, **body})
            self._condition.notify_all()
        return 200, {"ok": True}

    def responses_to(self, name: str) -> list[dict[str, Any]]:
        """What was posted to the ``response_url`` called ``name``."""
        with self._condition:
            return [response for response in self.responses if response["name"] == name]

    def views(self) -> list[dict[str, Any]]:
        """The ``views.open`` calls so far."""
        with self._condition:
            return [call for call in self.calls if call["method"] == "views.open"]

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """The ``chat.postMessage`` calls so far, to ``channel`` if given."""
        with self._condition:
            return [
                call
                for call in self.calls
                if call["method"] == "chat.postMessage" and channel in (None, call.get("channel"))
            ]

    def updates(self, ts: str | None = None) -> list[dict[str, Any]]:
        """The ``chat.update`` calls so far, of the message ``ts`` if given."""
        with self._condition:
            return [
                call
                for call in self.calls
                if call["method"] == "chat.update" and ts in (None, call.get("ts"))
            ]

    def in_thread(self, thread_ts: str) -> list[dict[str, Any]]:
        """The messages posted in the thread of ``thread_ts``."""
        return [call for call in self.messages() if call.get("thread_ts") == thread_ts]

    def wait_for(
        self, count: int, channel: str | None = None, timeout: float = 30.0, settle: float = 1.0
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` messages reached ``channel``, then ``settle`` seconds more."""
        return self.wait_until(lambda: self.messages(channel), count, timeout, settle)
