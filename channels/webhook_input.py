"""What the channels share: the health route, the checked hand-over of a message to Rasa, and
for Slack and Teams a webhook that answers at once while the message is handled in the
background."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.live_chat import live_chat_relay
from channels.message_guard import check_message

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
LIVE_CHAT_PREFIXES = ("rest:", "web:")
"""The conversations a live chat can hold: the widget's (REST) and socket.io's."""


def health_blueprint(name: str) -> Blueprint:
    """A blueprint with Rasa's health route: ``GET /`` answers ``{"status": "ok"}``."""
    blueprint = Blueprint(name, __name__)

    @blueprint.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    return blueprint


async def answer_or_hand_over(
    on_new_message: OnNewMessage,
    output: OutputChannel,
    raw: object,
    conversation: str,
    *,
    input_channel: str,
    metadata: dict[str, Any] | None,
    recipient_id: str | None = None,
) -> Any:
    """Handle ``raw`` in ``conversation``, once checked (:mod:`channels.message_guard`):
    relayed to the team while someone from it holds a live chat, else Rasa's to answer;
    a message the checks refuse gets the channel's own reply to ``recipient_id`` (by
    default, the conversation)."""
    checked = check_message(raw)
    if checked.text is None:
        return await output.send_text_message(recipient_id or conversation, checked.reply or "")
    if conversation.startswith(LIVE_CHAT_PREFIXES) and await live_chat_relay().applicant_message(
        conversation, checked.text
    ):
        return None
    message = UserMessage(
        checked.text, output, conversation, input_channel=input_channel, metadata=metadata
    )
    return await on_new_message(message)


class BackgroundWebhookInput(InputChannel):
    """A channel whose ``/webhook`` answers at once and hands messages to Rasa in the background.

    Subclasses implement :meth:`handle_request` and keep ``_background_tasks``, the set that
    holds the running tasks until they finish.
    """

    _background_tasks: set[asyncio.Task]

    async def handle_request(
        self, headers: Mapping[str, str], body: bytes, on_new_message: OnNewMessage
    ) -> tuple[int, dict[str, Any]]:
        """Check and handle one request (headers, raw body); return the status and JSON body."""
        raise NotImplementedError

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The health route and the webhook, which hands each request to ``handle_request``."""
        webhook = health_blueprint(f"{self.name()}_webhook")

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            status, answer = await self.handle_request(
                request.headers, request.body or b"", on_new_message
            )
            return response.json(answer, status=status)

        return webhook

    def _in_background(self, work: Awaitable[Any]) -> None:
        """Run ``work`` (:func:`answer_or_hand_over`'s) after the webhook has answered."""
        task = asyncio.create_task(work)
        self._background_tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task) -> None:
        self._background_tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error(
                "A %s message could not be handled: %r", self.name(), type(task.exception())
            )
