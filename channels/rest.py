"""Rasa's REST channel, with every request checked before the assistant reads it.

Same address (``/webhooks/rest/webhook``) and the same reply format as Rasa's ``rest``
channel: ``POST {"sender": "...", "message": "..."}`` returns a JSON list of replies. The
differences:

- a body that is not a JSON object, a missing or unusable ``sender`` or a ``message`` that
  is not text gets a ``400`` with a JSON ``{"error": ...}`` saying what is wrong, never a
  ``500``;
- the message is cleaned and checked by :mod:`channels.message_guard`, so an empty or
  over-long message gets a polite reply without reaching the model;
- Rasa's failure log, which repeats the whole message, is replaced by one line without it;
- an answer that gives a fact has ``"feedback": {"answer": <token>}`` on its last reply, and
  ``POST /webhooks/rest/feedback`` takes the widget's "Was this helpful?" press
  (:mod:`channels.answer_feedback`);
- ``?stream=true`` is not offered (the widget and the tests do not use it);
- who may talk, and as whom, is the ``mode`` (``TSF_REST_CHANNEL``): ``public`` (the
  default: the chat widget) accepts only session ids this server issued
  (:mod:`channels.conversation_ids`) and answers any other ``sender`` in a new session whose
  id every reply's ``recipient_id`` carries; ``token`` accepts only callers that send the
  Rasa API token (``?token=`` or ``Authorization: Bearer``); ``off`` answers ``404``. A
  caller with the token may name any ``sender`` in either mode. Conversations are
  ``rest:<sender>`` in the tracker store, apart from every other channel's.
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import time
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.answer_feedback import AnswerCollectingOutputChannel, Outcome, give_feedback
from channels.conversation_ids import (
    conversation_id,
    resumed_or_new_session_id,
    session_key,
    verified_session_id,
)
from channels.live_chat import live_chat_relay
from channels.message_guard import MAX_SENDER_CHARS, parse_json_object, valid_sender
from channels.webhook_input import answer_or_hand_over, health_blueprint
from tsf_config.shared import REST_CHANNEL_MODES
from tsf_insight.answers import valid_answer_id

logger = logging.getLogger(__name__)

BAD_BODY = 'Send a JSON object: {"sender": "<conversation id>", "message": "<text>"}.'
BAD_SENDER = (
    f"'sender' must be 1 to {MAX_SENDER_CHARS} letters, digits or the characters _ . : @ -."
)
BAD_MESSAGE = "'message' must be text."
BAD_FEEDBACK = (
    'Send a JSON object: {"sender": "<session id>", "answer": "<answer id>", "helpful": '
    "true or false}."
)
NEEDS_TOKEN = "This REST channel only answers callers with the API token."
LIVE_STREAM_SECONDS = 300
"""How long one live stream stays open; the browser reconnects and resumes after it."""
LIVE_KEEPALIVE_SECONDS = 15
LIVE_RETRY_MS = 1000


def _error(reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=400)


def widget_metadata(body: dict[str, Any]) -> dict[str, Any] | None:
    """What the client says it can do: ``{"live_chat": true}`` from the chat widget, which
    shows the team's messages (:meth:`GuardedRestInput.blueprint`'s ``/live``)."""
    metadata = body.get("metadata")
    if isinstance(metadata, dict) and metadata.get("live_chat") is True:
        return {"live_chat": True}
    return None


def _after(value: object) -> float:
    """A stream position (a tracker timestamp); 0 for anything that is not one."""
    try:
        number = float(str(value))
    except ValueError:
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


def _presented_token(request: Request) -> str:
    authorization = request.headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return str(request.args.get("token") or "")


class GuardedRestInput(RestInput):
    """The ``rest`` channel with request validation, message checks and session ids."""

    def __init__(self, mode: str = "public", api_token: str = "", session_secret: str = "") -> None:
        """A channel in ``mode``; ``api_token`` marks trusted callers."""
        if mode not in REST_CHANNEL_MODES:
            raise ValueError(f"the REST channel's mode must be one of {REST_CHANNEL_MODES}")
        self.mode = mode
        self.api_token = api_token
        self.secret = session_key(session_secret)

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GuardedRestInput:
        """The channel the credentials file describes (``mode``, ``api_token``,
        ``session_secret``)."""
        credentials = credentials or {}
        return cls(
            str(credentials.get("mode") or "public").lower(),
            str(credentials.get("api_token") or ""),
            str(credentials.get("session_secret") or ""),
        )

    @classmethod
    def name(cls) -> str:
        """Rasa's name, so the webhook address and reply metadata stay the same."""
        return "rest"

    def _trusted(self, request: Request) -> bool:
        presented = _presented_token(request)
        return bool(self.api_token and presented) and hmac.compare_digest(
            presented.encode(), self.api_token.encode()
        )

    def _session(self, sender: str, trusted: bool) -> str:
        """The conversation's own id: a trusted caller's ``sender``, an issued session id,
        or a new session."""
        return sender if trusted else resumed_or_new_session_id(sender, self.secret)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The health and webhook routes."""
        webhook = health_blueprint("tsf_rest_webhook")

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            trusted = self._trusted(request)
            if self.mode == "off":
                return response.json({"error": "Not found."}, status=404)
            if self.mode == "token" and not trusted:
                return response.json({"error": NEEDS_TOKEN}, status=401)
            body = parse_json_object(request.body or b"")
            if body is None:
                return _error(BAD_BODY)
            sender = valid_sender(body.get("sender"))
            if sender is None:
                return _error(BAD_SENDER)
            raw = body.get("message")
            if raw is not None and not isinstance(raw, str):
                return _error(BAD_MESSAGE)
            session = self._session(sender, trusted)
            collector = AnswerCollectingOutputChannel()
            try:
                await answer_or_hand_over(
                    on_new_message,
                    collector,
                    raw,
                    conversation_id("rest", session),
                    input_channel=self.name(),
                    metadata=widget_metadata(body),
                )
            except CancelledError:
                logger.error("A REST message timed out before the assistant answered.")
            except Exception as error:
                logger.error("A REST message could not be handled: %s", type(error).__name__)
            return response.json(
                [{**reply, "recipient_id": session} for reply in collector.messages]
            )

        @webhook.route("/feedback", methods=["POST"])
        async def feedback(request: Request) -> HTTPResponse:
            """A "Was this helpful?" press on an answer of the caller's own conversation:
            ``200`` recorded (or already recorded: an answer counts once), ``404`` for an
            answer the conversation never gave, ``403`` for a session this server did not
            issue."""
            trusted = self._trusted(request)
            if self.mode == "off":
                return response.json({"error": "Not found."}, status=404)
            if self.mode == "token" and not trusted:
                return response.json({"error": NEEDS_TOKEN}, status=401)
            body = parse_json_object(request.body or b"")
            answer = valid_answer_id(body.get("answer")) if body is not None else None
            if body is None or answer is None or not isinstance(body.get("helpful"), bool):
                return _error(BAD_FEEDBACK)
            if trusted:
                session = valid_sender(body.get("sender"))
            else:
                session = verified_session_id(body.get("sender"), self.secret)
            if session is None:
                return response.json({"error": "Unknown session."}, status=403)
            pressed = await give_feedback(
                conversation_id("rest", session), answer, body["helpful"], self.name()
            )
            if pressed.outcome is Outcome.UNKNOWN:
                return response.json({"error": "No such answer in this conversation."}, status=404)
            return response.json({"recorded": pressed.outcome is Outcome.RECORDED})

        @webhook.route("/live", methods=["GET"])
        async def live(request: Request) -> HTTPResponse | None:
            """The team's messages in the caller's live chat, as Server-Sent Events: each
            event's id is its time, so a reconnecting EventSource resumes after it."""
            if self.mode == "off":
                return response.json({"error": "Not found."}, status=404)
            session = verified_session_id(request.args.get("session"), self.secret)
            if session is None:
                return response.json({"error": "Unknown session."}, status=403)
            after = _after(request.headers.get("last-event-id") or request.args.get("after"))
            stream = await request.respond(
                content_type="text/event-stream",
                headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
            )
            relay = live_chat_relay()
            conversation = conversation_id("rest", session)
            deadline = time.monotonic() + LIVE_STREAM_SECONDS
            await stream.send(f"retry: {LIVE_RETRY_MS}\n\n")
            while time.monotonic() < deadline:
                messages = await relay.live_messages(conversation, after, LIVE_KEEPALIVE_SECONDS)
                if not messages:
                    await stream.send(": keep-alive\n\n")
                for message in messages:
                    after = max(after, float(message.get("timestamp") or 0))
                    data = json.dumps(message, ensure_ascii=False)
                    await stream.send(f"id: {after!r}\ndata: {data}\n\n")
            await stream.eof()
            return None

        live_chat_relay().attach(webhook)
        return webhook
