"""A fake Microsoft login, Bot Framework OpenID metadata and Bot Connector on 127.0.0.1.

One local server plays every Microsoft part a Teams bot talks to:

- ``GET /v1/.well-known/openidconfiguration`` and ``GET /v1/keys``: the OpenID metadata and
  a JWKS with a locally generated RSA key, endorsed for ``msteams``;
- ``POST /{tenant}/oauth2/v2.0/token``: client credentials for one app id and password;
- ``POST /connector/v3/conversations/{id}/activities[/{replyToId}]``: the bot's replies,
  recorded (with the activity id answered) when they carry the token the login issued;
- ``POST /connector/v3/conversations``: a new thread in a team channel (``isGroup``, the
  channel in ``channelData``), answered ``{id: "<channel>;messageid=<activityId>",
  activityId}`` as Teams does;
- ``PUT /connector/v3/conversations/{id}/activities/{activityId}``: an activity updated.

``down`` makes every connector call fail with 503 (the token endpoint still answers).

:meth:`FakeBotFramework.token` mints the tokens the Bot Connector would send to the bot.
"""

from __future__ import annotations

import itertools
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.fakes.json_server import BackgroundServer, JsonHandler

ISSUER = "https://api.botframework.com"


def new_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey, kid: str, endorsements: list[str] | None) -> dict:
    """The public half of ``key`` as a JWK, as Microsoft publishes its keys."""
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": kid, "use": "sig"})
    if endorsements is not None:
        jwk["endorsements"] = endorsements
    return jwk


def mint(key: rsa.RSAPrivateKey, kid: str, claims: dict[str, Any]) -> str:
    """An RS256 JWT with ``claims``, signed by ``key`` and naming ``kid``."""
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


@dataclass
class Reply:
    """One activity the bot posted to the fake connector."""

    conversation_id: str
    reply_to_id: str | None
    activity: dict[str, Any]
    activity_id: str = ""


@dataclass
class Thread:
    """A thread the bot started in a team channel with ``POST /v3/conversations``."""

    channel: str
    conversation_id: str
    activity_id: str
    body: dict[str, Any]


class _Handler(JsonHandler):
    fake: FakeBotFramework

    def do_GET(self) -> None:
        self.send_json(*self.fake.get(self.path))

    def do_PUT(self) -> None:
        raw = self.read_body()
        self.send_json(*self.fake.put(self.path, self.headers.get("Authorization"), raw))

    def do_POST(self) -> None:
        raw = self.read_body()
        self.send_json(*self.fake.post(self.path, self.headers.get("Authorization"), raw))


class FakeBotFramework(BackgroundServer):
    """Microsoft's login, OpenID metadata and Bot Connector, for one bot.

    Attributes:
        openid_metadata_url: where the bot finds the signing keys.
        token_url: the login's token endpoint, with the ``{tenant}`` placeholder the channel
            fills.
        service_url: the Bot Connector address activities name as their ``serviceUrl``.
    """

    def __init__(
        self,
        app_id: str,
        app_password: str,
        tenant_id: str,
        endorsements: list[str] | None = None,
    ) -> None:
        super().__init__(_Handler)
        self.openid_metadata_url = f"{self.root_url}/v1/.well-known/openidconfiguration"
        self.token_url = f"{self.root_url}/{{tenant}}/oauth2/v2.0/token"
        self.service_url = f"{self.root_url}/connector/"
        self.app_id = app_id
        self.app_password = app_password
        self.tenant_id = tenant_id
        self.key = new_key()
        self.kid = f"fake-{uuid.uuid4().hex[:8]}"
        self.endorsements = ["msteams"] if endorsements is None else endorsements
        self.issued_tokens: list[str] = []
        self.replies: list[Reply] = []
        self.refused_replies = 0
        self.threads: list[Thread] = []
        self.updates: list[Reply] = []
        self.down = False
        self.requests: dict[str, int] = {"metadata": 0, "keys": 0, "token": 0}
        self._ids = itertools.count(1)

    def get(self, path: str) -> tuple[int, Any]:
        """OpenID metadata and keys."""
        if path == "/v1/.well-known/openidconfiguration":
            self.requests["metadata"] += 1
            return 200, {
                "issuer": ISSUER,
                "jwks_uri": f"{self.root_url}/v1/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        if path == "/v1/keys":
            self.requests["keys"] += 1
            return 200, {"keys": [public_jwk(self.key, self.kid, self.endorsements)]}
        return 404, {"error": "not found"}

    def post(self, path: str, authorization: str | None, raw: bytes) -> tuple[int, Any]:
        """The token endpoint and the connector's activities endpoint."""
        if path == f"/{self.tenant_id}/oauth2/v2.0/token":
            return self._token(raw)
        parts = path.split("/")
        if parts[1:4] == ["connector", "v3", "conversations"] and self.down:
            return 503, {"error": {"code": "ServiceUnavailable"}}
        if parts[1:] == ["connector", "v3", "conversations"]:
            if not self._authorized(authorization):
                return 401, {"error": {"code": "Unauthorized"}}
            return self._new_thread(json.loads(raw))
        # ['', 'connector', 'v3', 'conversations', id, 'activities', (replyToId)]
        if parts[1:4] == ["connector", "v3", "conversations"] and parts[5:6] == ["activities"]:
            if not self._authorized(authorization):
                return 401, {"error": {"code": "Unauthorized"}}
            reply = Reply(
                conversation_id=unquote(parts[4]),
                reply_to_id=unquote(parts[6]) if len(parts) > 6 and parts[6] else None,
                activity=json.loads(raw),
                activity_id=f"reply-{next(self._ids)}",
            )
            with self._condition:
                self.replies.append(reply)
                self._condition.notify_all()
            return 200, {"id": reply.activity_id}
        return 404, {"error": "not found"}

    def put(self, path: str, authorization: str | None, raw: bytes) -> tuple[int, Any]:
        """``PUT /connector/v3/conversations/{id}/activities/{activityId}``: an update."""
        parts = path.split("/")
        if not (
            parts[1:4] == ["connector", "v3", "conversations"]
            and parts[5:6] == ["activities"]
            and len(parts) == 7
        ):
            return 404, {"error": "not found"}
        if self.down:
            return 503, {"error": {"code": "ServiceUnavailable"}}
        if not self._authorized(authorization):
            return 401, {"error": {"code": "Unauthorized"}}
        update = Reply(unquote(parts[4]), unquote(parts[6]), json.loads(raw))
        with self._condition:
            self.updates.append(update)
            self._condition.notify_all()
        return 200, {"id": update.reply_to_id}

    def _authorized(self, authorization: str | None) -> bool:
        if authorization in {f"Bearer {token}" for token in self.issued_tokens}:
            return True
        with self._condition:
            self.refused_replies += 1
        return False

    def _new_thread(self, body: dict[str, Any]) -> tuple[int, Any]:
        channel = ((body.get("channelData") or {}).get("channel") or {}).get("id")
        if body.get("isGroup") is not True or not channel or not body.get("activity"):
            return 400, {"error": {"code": "BadSyntax"}}
        activity_id = f"{int(time.time() * 1000)}{next(self._ids)}"
        thread = Thread(channel, f"{channel};messageid={activity_id}", activity_id, body)
        with self._condition:
            self.threads.append(thread)
            self._condition.notify_all()
        return 201, {"id": thread.conversation_id, "activityId": activity_id}

    def threads_in(self, channel: str) -> list[Thread]:
        """The threads the bot started in ``channel`` so far."""
        with self._condition:
            return [thread for thread in self.threads if thread.channel == channel]

    def updates_of(self, activity_id: str) -> list[Reply]:
        """The updates of one activity so far."""
        with self._condition:
            return [update for update in self.updates if update.reply_to_id == activity_id]

    def _token(self, raw: bytes) -> tuple[int, Any]:
        form = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        self.requests["token"] += 1
        if (
            form.get("grant_type") != "client_credentials"
            or form.get("client_id") != self.app_id
            or form.get("client_secret") != self.app_password
            or form.get("scope") != "https://api.botframework.com/.default"
        ):
            return 401, {"error": "invalid_client"}
        token = secrets.token_urlsafe(24)
        self.issued_tokens.append(token)
        return 200, {"token_type": "Bearer", "expires_in": 3599, "access_token": token}

    def token(
        self,
        service_url: str | None = None,
        *,
        key: rsa.RSAPrivateKey | None = None,
        kid: str | None = None,
        lifetime: float = 3600,
        not_before: float | None = None,
        **claims: Any,
    ) -> str:
        """A Bot Connector token for this bot; keyword arguments override its claims."""
        now = time.time()
        body: dict[str, Any] = {
            "iss": ISSUER,
            "aud": self.app_id,
            "iat": int(now) - 10,
            "nbf": int(now if not_before is None else not_before) - 10,
            "exp": int(now + lifetime),
            "serviceurl": service_url or self.service_url,
        }
        body.update(claims)
        return mint(
            key or self.key, kid or self.kid, {k: v for k, v in body.items() if v is not None}
        )

    def activity(
        self,
        text: str = "hello",
        *,
        conversation_id: str | None = None,
        user_id: str = "29:user-1",
        activity_type: str = "message",
        **fields: Any,
    ) -> dict[str, Any]:
        """A Teams activity to the bot from ``user_id``."""
        activity = {
            "type": activity_type,
            "id": f"activity-{uuid.uuid4().hex[:12]}",
            "timestamp": "2024-01-01T00:00:00.000Z",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": {"id": user_id, "name": "A User", "aadObjectId": str(uuid.uuid4())},
            "conversation": {
                "id": conversation_id or f"a:conversation-{uuid.uuid4().hex[:12]}",
                "conversationType": "personal",
                "tenantId": self.tenant_id,
            },
            "recipient": {"id": f"28:{self.app_id}", "name": "TSF Assistant"},
            "channelData": {"tenant": {"id": self.tenant_id}},
        }
        if activity_type == "message":
            activity["text"] = text
        activity.update(fields)
        return activity

    def channel_activity(
        self,
        channel: str,
        thread: str,
        text: str = "",
        *,
        user_id: str = "29:staff-1",
        name: str = "Sam Jones",
        aad_object_id: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """A message to the bot in a team channel's reply chain ``thread`` (its
        ``conversation.id``, ``<channel>;messageid=<root>``), as Teams sends it."""
        activity = self.activity(text, conversation_id=thread, user_id=user_id, **fields)
        activity["from"] = {
            "id": user_id,
            "name": name,
            "aadObjectId": aad_object_id or str(uuid.uuid5(uuid.NAMESPACE_URL, user_id)),
        }
        activity["conversation"]["conversationType"] = "channel"
        activity["channelData"] = {
            "tenant": {"id": self.tenant_id},
            "teamsChannelId": channel,
            "channel": {"id": channel},
            "team": {"id": "19:team-general@thread.tacv2"},
        }
        return activity

    def click(
        self, channel: str, thread: str, action: str, token: str, **fields: Any
    ) -> dict[str, Any]:
        """A press of an ``Action.Submit`` button on a card in ``thread``: a message whose
        ``value`` is the button's data, and no text."""
        activity = self.channel_activity(
            channel, thread, value={"tsf_handover": action, "token": token}, **fields
        )
        activity.pop("text", None)
        return activity

    def replies_to(self, conversation_id: str) -> list[Reply]:
        """What the bot has posted to one conversation so far."""
        with self._condition:
            return [reply for reply in self.replies if reply.conversation_id == conversation_id]

    def wait_for_replies(
        self, conversation_id: str, count: int, timeout: float = 30.0, settle: float = 1.0
    ) -> list[Reply]:
        """Wait until ``count`` replies reached the conversation, then ``settle`` seconds."""
        return self.wait_until(lambda: self.replies_to(conversation_id), count, timeout, settle)
