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
- ``?stream=true`` is not offered (the widget and the tests do not use it).
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.message_guard import MAX_SENDER_CHARS, check_message, valid_sender

logger = logging.getLogger(__name__)

BAD_BODY = 'Send a JSON object: {"sender": "<conversation id>", "message": "<text>"}.'
BAD_SENDER = (
    f"'sender' must be 1 to {MAX_SENDER_CHARS} letters, digits or the characters _ . : @ -."
)
BAD_MESSAGE = "'message' must be text."


def _error(reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=400)


def _body(request: Request) -> dict[str, Any] | None:
    """The request's JSON object, or ``None`` if the body is not one."""
    try:
        body = request.json
    except Exception:
        return None
    return body if isinstance(body, dict) else None


class GuardedRestInput(RestInput):
    """The ``rest`` channel with request validation and message checks."""

    @classmethod
    def name(cls) -> str:
        """Rasa's name, so the webhook address and reply metadata stay the same."""
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The health and webhook routes."""
        webhook = Blueprint("tsf_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = _body(request)
            if body is None:
                return _error(BAD_BODY)
            sender = valid_sender(body.get("sender"))
            if sender is None:
                return _error(BAD_SENDER)
            raw = body.get("message")
            if raw is not None and not isinstance(raw, str):
                return _error(BAD_MESSAGE)
            checked = check_message(raw)
            if checked.text is None:
                return response.json([{"recipient_id": sender, "text": checked.reply}])
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        checked.text,
                        collector,
                        sender,
                        input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    )
                )
            except CancelledError:
                logger.error("A REST message timed out before the assistant answered.")
            except Exception as error:
                logger.error("A REST message could not be handled: %s", type(error).__name__)
            return response.json(collector.messages)

        return webhook
