"""Conversation ids that only their owner can reach.

Every channel puts its own prefix on the ids it hands to Rasa (``web:``, ``rest:``,
``slack:``, ``teams:``), so no channel can name another's conversation: a REST request with
a Slack user id as its ``sender`` reaches ``rest:U…``, never ``slack:U…``.

The chat widget's session id is a capability the server issued: :func:`mint_session_id`
adds an HMAC tag keyed by the channel's ``session_secret`` (``TSF_SESSION_SECRET``), and
:func:`verified_session_id` accepts only ids whose tag verifies. A client that makes up an
id, or copies one it saw without its tag, gets a new conversation of its own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets

logger = logging.getLogger(__name__)

CHANNEL_PREFIXES = ("web", "rest", "slack", "teams")
"""The prefix each channel puts on its conversation ids."""
_SESSION_ID = re.compile(r"(?P<nonce>[0-9a-f]{32})\.(?P<tag>[A-Za-z0-9_-]{22})")
_TAG_BYTES = 16


def conversation_id(channel: str, local_id: str) -> str:
    """The id Rasa knows a channel's conversation by: ``<channel>:<local id>``."""
    if channel not in CHANNEL_PREFIXES:
        raise ValueError(f"unknown channel {channel!r}")
    return f"{channel}:{local_id}"


def local_id(conversation: str) -> str:
    """The channel's own id inside a conversation id (what the channel replies to)."""
    channel, separator, rest = conversation.partition(":")
    return rest if separator and channel in CHANNEL_PREFIXES else conversation


def session_key(configured: str | None) -> bytes:
    """The key of the session tags: the configured secret, else a random one for this
    process (sessions then end when the server restarts)."""
    if configured:
        return configured.encode()
    logger.warning("No session secret is set: widget sessions end when this server restarts.")
    return secrets.token_bytes(32)


def _tag(nonce: str, secret: bytes) -> str:
    digest = hmac.new(secret, nonce.encode(), hashlib.sha256).digest()[:_TAG_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def mint_session_id(secret: bytes) -> str:
    """A new widget session id: a random nonce and its tag."""
    nonce = secrets.token_hex(16)
    return f"{nonce}.{_tag(nonce, secret)}"


def resumed_or_new_session_id(candidate: object, secret: bytes) -> str:
    """``candidate`` if it is a session id this server issued, else a new one."""
    return verified_session_id(candidate, secret) or mint_session_id(secret)


def verified_session_id(candidate: object, secret: bytes) -> str | None:
    """``candidate`` if it is a session id this server issued, else ``None``."""
    if not isinstance(candidate, str):
        return None
    match = _SESSION_ID.fullmatch(candidate)
    if match is None:
        return None
    expected = _tag(match.group("nonce"), secret)
    return candidate if hmac.compare_digest(expected, match.group("tag")) else None
