"""Rasa's socket.io channel with session persistence that works on python-socketio 5.

Rasa 3.6 calls ``AsyncServer.enter_room`` without ``await`` (a coroutine since
python-socketio 5.x), so with ``session_persistence: true`` a client never joins its
session's room and never hears a reply (RasaHQ/rasa#13027). This channel registers a
``session_request`` handler that awaits it.

It also replaces Rasa's message handler with one that checks every message first
(:mod:`channels.message_guard`): a malformed event is ignored with a log line instead of an
exception, and an empty or over-long message gets a polite reply without reaching the model.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from channels.message_guard import check_message, valid_sender

logger = logging.getLogger(__name__)


class PersistentSocketIOInput(SocketIOInput):
    """socket.io input whose sessions survive reconnects and page reloads."""

    @classmethod
    def name(cls) -> str:
        """Same name as Rasa's channel, so replies report ``socketio`` as their channel."""
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint, with the session handler replaced."""
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None

        async def session_request(sid: str, data: dict[str, Any] | None) -> None:
            data = dict(data or {})
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not 0 < len(session_id) <= 128:
                session_id = uuid.uuid4().hex
            data["session_id"] = session_id
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid)
            logger.debug("A socket.io client started or resumed a session.")

        async def user_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                logger.warning("Ignored a socket.io message that was not an object.")
                return
            sender = valid_sender(data.get("session_id") if self.session_persistence else sid)
            raw = data.get("message")
            if sender is None or (raw is not None and not isinstance(raw, str)):
                logger.warning("Ignored a socket.io message without a usable session or text.")
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            checked = check_message(raw)
            if checked.text is None:
                await output.send_text_message(sender, checked.reply or "")
                return
            metadata = data.get(self.metadata_key)
            try:
                await on_new_message(
                    UserMessage(
                        checked.text,
                        output,
                        sender,
                        input_channel=self.name(),
                        metadata=metadata if isinstance(metadata, dict) else None,
                    )
                )
            except Exception as error:
                logger.error("A socket.io message could not be handled: %s", type(error).__name__)

        sio.on("session_request", handler=session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handler=user_message, namespace=self.namespace)
        return blueprint
