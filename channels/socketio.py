"""Rasa's socket.io channel with session persistence that works on python-socketio 5.

Rasa 3.6 calls ``AsyncServer.enter_room`` without ``await`` (a coroutine since
python-socketio 5.x), so with ``session_persistence: true`` a client never joins its
session's room and never hears a reply (RasaHQ/rasa#13027). This channel registers a
``session_request`` handler that awaits it.

It also replaces Rasa's message handler with one that checks every message first
(:mod:`channels.message_guard`): a malformed event is ignored with a log line instead of an
exception, and an empty or over-long message gets a polite reply without reaching the model.

Session ids are issued by the server (:mod:`channels.conversation_ids`): a
``session_request`` or message with an id this server did not sign gets a new session
(``session_confirm`` tells the client its id), so nobody can join another's conversation by
sending its id. Conversations are ``web:<session id>`` in the tracker store. A packet that
cannot be decoded (JSON nested too deep) is dropped with a log line.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from channels.conversation_ids import (
    conversation_id,
    mint_session_id,
    resumed_or_new_session_id,
    session_key,
    verified_session_id,
)
from channels.live_chat import live_chat_relay
from channels.webhook_input import answer_or_hand_over

logger = logging.getLogger(__name__)


def _refuse_undecodable_packets(sio: Any) -> None:
    """Drop, with one log line, a packet python-socketio cannot decode (JSON nested too deep
    raises ``RecursionError``), instead of the traceback its handler would log."""
    decode_and_dispatch = sio._handle_eio_message

    async def guarded(eio_sid: str, data: Any) -> None:
        try:
            await decode_and_dispatch(eio_sid, data)
        except (RecursionError, ValueError):
            logger.warning("Ignored a socket.io packet that could not be decoded.")

    sio.eio.on("message", guarded)


class PersistentSocketIOInput(SocketIOInput):
    """socket.io input whose sessions survive reconnects and page reloads."""

    session_secret: bytes = b""

    @classmethod
    def name(cls) -> str:
        """Same name as Rasa's channel, so replies report ``socketio`` as their channel."""
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> PersistentSocketIOInput:
        """Rasa's settings, plus ``session_secret``: the key of the session ids."""
        channel = super().from_credentials(credentials)
        assert isinstance(channel, PersistentSocketIOInput)
        channel.session_secret = session_key((credentials or {}).get("session_secret"))
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint, with the session handler replaced."""
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None

        secret = self.session_secret or session_key(None)

        async def enter(sid: str, session_id: str) -> None:
            """Put the client in the room its conversation's replies go to."""
            room = conversation_id("web", session_id)
            joined = sio.enter_room(sid, room, namespace=self.namespace)
            if inspect.isawaitable(joined):
                await joined

        async def session_request(sid: str, data: dict[str, Any] | None) -> None:
            claimed = (data or {}).get("session_id") if isinstance(data, dict) else None
            session_id = resumed_or_new_session_id(claimed, secret)
            if self.session_persistence:
                await enter(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)
            logger.debug("A socket.io client started or resumed a session.")

        async def user_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                logger.warning("Ignored a socket.io message that was not an object.")
                return
            raw = data.get("message")
            if raw is not None and not isinstance(raw, str):
                logger.warning("Ignored a socket.io message without usable text.")
                return
            if self.session_persistence:
                session_id = verified_session_id(data.get("session_id"), secret)
                if session_id is None:  # made up or copied: a conversation of its own
                    session_id = mint_session_id(secret)
                    await enter(sid, session_id)
                    await sio.emit("session_confirm", session_id, room=sid)
            else:
                session_id = sid  # one conversation per connection, in a room of its own
                await enter(sid, sid)
            metadata = data.get(self.metadata_key)
            try:
                await answer_or_hand_over(
                    on_new_message,
                    SocketIOOutput(sio, self.bot_message_evt),
                    raw,
                    conversation_id("web", session_id),
                    input_channel=self.name(),
                    metadata=metadata if isinstance(metadata, dict) else None,
                )
            except Exception as error:
                logger.error("A socket.io message could not be handled: %s", type(error).__name__)

        relay = live_chat_relay()
        relay.attach(blueprint)
        relay.attach_socketio(sio, self.bot_message_evt, self.namespace)
        _refuse_undecodable_packets(sio)
        sio.on("session_request", handler=session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, handler=user_message, namespace=self.namespace)
        return blueprint
