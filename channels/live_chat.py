"""The live chat's relay in the Rasa server: a staff member takes a hand-over, their replies
reach the applicant, the applicant's reach them, and the assistant gets the chat back.

Everything said is written to the conversation's tracker (so the transcript stays whole and
erasure covers it): taking pauses the conversation (``ConversationPaused``), handing back
resumes it (``ConversationResumed``), staff messages are bot messages whose metadata says
``tsf_live`` (``joined``, ``staff``, ``ended`` or, from the timeout action, ``expired``)
and the staff member's first name. Applicant messages during the chat are logged as they are,
without NLU, and relayed to the request's Slack or Teams thread (whichever it was taken in).

The widget hears live messages through :meth:`LiveChatRelay.live_messages`: the tracker's
``tsf_live`` messages after a point, woken at once in this process and every
:data:`POLL_SECONDS` otherwise (another replica, a reminder). socket.io clients are also sent
them in their room as they happen.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.events import (
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    UserUttered,
)
from sanic import Blueprint

from tsf_config import Reader, SettingsError, shared
from tsf_handover.cards import TEAM_NAME
from tsf_handover.settings import HandoverSettings
from tsf_handover.slack_team import SlackTeamChannel
from tsf_handover.store import TAKEN, Handover, HandoverStore
from tsf_handover.teams_team import TeamsTeamChannel
from tsf_leads.notify.slack import escape_mrkdwn

logger = logging.getLogger(__name__)

LIVE = "tsf_live"
POLL_SECONDS = 1.0
HANDED_BACK = (
    "{name} has handed you back to the assistant. Thank you for chatting with the Social "
    "Investment Team. You can keep asking me questions."
)


@dataclass(frozen=True)
class Staff:
    """A member of the team, as their platform names them."""

    id: str
    name: str

    @property
    def first_name(self) -> str:
        """The name the applicant sees: the first word of the display name."""
        return (self.name.split() or ["A colleague"])[0]


def live_message(kind: str, text: str, staff: str) -> BotUttered:
    """A bot message the live chat sent: its kind and who from."""
    return BotUttered(text, metadata={LIVE: kind, "staff": staff, "team": TEAM_NAME})


def as_widget_message(event: dict[str, Any]) -> dict[str, Any]:
    """A tracker ``bot`` event as the widget shows it."""
    metadata = event.get("metadata") or {}
    data = event.get("data") or {}
    message: dict[str, Any] = {
        "text": event.get("text") or "",
        "timestamp": event.get("timestamp"),
        "kind": metadata.get(LIVE),
    }
    if metadata.get("staff"):
        message["staff"] = {"name": metadata["staff"], "team": metadata.get("team", TEAM_NAME)}
    if data.get("buttons"):
        message["buttons"] = data["buttons"]
    return message


class LiveChatRelay:
    """The process's relay between the applicants' conversations and the team's channel."""

    def __init__(
        self,
        store_factory: Callable[[], HandoverStore],
        slack_factory: Callable[[], SlackTeamChannel | None] = SlackTeamChannel.from_environ,
        clock: Callable[[], float] = time.time,
        settings_factory: Callable[[], HandoverSettings] = HandoverSettings.from_environ,
        teams_factory: Callable[[], TeamsTeamChannel | None] = TeamsTeamChannel.from_environ,
    ) -> None:
        self._settings_factory = settings_factory
        self._settings: HandoverSettings | None = None
        self._store_factory = functools.cache(store_factory)
        self._slack_factory = functools.cache(slack_factory)
        self._teams_factory = functools.cache(teams_factory)
        self.clock = clock
        self.app: Any = None
        self.socketio: tuple[Any, str, str] | None = None
        self._listeners: dict[str, set[asyncio.Event]] = {}

    async def store(self) -> HandoverStore:
        """The hand-over store, opened on first use."""
        return await asyncio.to_thread(self._store_factory)

    def slack(self) -> SlackTeamChannel | None:
        """The team's Slack channel, if configured."""
        return self._slack_factory()

    def teams(self) -> TeamsTeamChannel | None:
        """The team's Teams channel, if configured."""
        return self._teams_factory()

    @property
    def agent(self) -> Any:
        """Rasa's agent, once the server has loaded it (``None`` before)."""
        return getattr(getattr(self.app, "ctx", None), "agent", None)

    def attach(self, blueprint: Blueprint) -> None:
        """Learn the Sanic app (and so Rasa's agent) when ``blueprint``'s server starts."""

        async def remember_app(app: Any, _loop: Any) -> None:
            self.app = app

        blueprint.listener("before_server_start")(remember_app)

    def attach_socketio(self, sio: Any, event: str, namespace: str | None) -> None:
        """Send live messages to socket.io rooms too (the channel calls this)."""
        self.socketio = (sio, event, namespace or "/")

    async def _append(self, conversation_id: str, events: list[Event]) -> None:
        """Add ``events`` to the conversation's tracker, under its lock."""
        if self.agent is None:
            raise RuntimeError("the live chat relay has no Rasa agent yet")
        async with self.agent.lock_store.lock(conversation_id):
            tracker = await self.agent.processor.get_tracker(conversation_id)
            for event in events:
                tracker.update(event)
            await self.agent.processor.save_tracker(tracker)
        await self._announce(conversation_id, events)

    async def _announce(self, conversation_id: str, events: list[Event]) -> None:
        for listener in self._listeners.get(conversation_id, ()):
            listener.set()
        if self.socketio is None or not conversation_id.startswith("web:"):
            return
        sio, name, namespace = self.socketio
        for event in events:
            if isinstance(event, BotUttered):
                message = as_widget_message(event.as_dict())
                await sio.emit(name, message, room=conversation_id, namespace=namespace)

    async def take(self, token: str, staff: Staff, via: str) -> Handover | None:
        """``staff`` takes the request: pause the conversation and tell the applicant.
        ``None`` if it was not waiting (taken, closed, unknown): nothing changes."""
        store = await self.store()
        change = await asyncio.to_thread(store.take, token, staff.id, staff.name, via, self.clock())
        if not change.changed or change.handover is None:
            return None
        handover = change.handover
        await self._append(
            handover.conversation_id,
            [
                ConversationPaused(),
                live_message(
                    "joined",
                    f"{staff.first_name} from the {TEAM_NAME} has joined the chat.",
                    staff.first_name,
                ),
            ],
        )
        return handover

    async def hand_back(self, handover: Handover) -> Handover | None:
        """Close a taken request and give the conversation back to the assistant."""
        store = await self.store()
        change = await asyncio.to_thread(store.end, handover.token, self.clock())
        if not change.changed or change.handover is None:
            return None
        first = Staff(handover.taken_by_id or "", handover.taken_by_name or "").first_name
        await self._append(
            handover.conversation_id,
            [live_message("ended", HANDED_BACK.format(name=first), first), ConversationResumed()],
        )
        return change.handover

    async def take_token(
        self, token: str, staff: Staff, via: str, how_to_end: tuple[str, str]
    ) -> Handover | None:
        """``staff`` takes the request from a card on ``via``: pause and tell the applicant,
        redraw the card, and tell the thread how to hand back (``how_to_end``: the plain
        text and Slack's mrkdwn)."""
        handover = await self.take(token, staff, via)
        if handover is not None:
            await self.redraw(handover)
            text, slack_text = how_to_end
            await self.tell_team(handover, text, slack_text=slack_text)
        return handover

    async def hand_back_token(self, token: str) -> Handover | None:
        """Hand back the taken request whose buttons carry ``token`` (a button or a command
        on either platform): resume the assistant, redraw the card, tell the thread."""
        store = await self.store()
        handover = await asyncio.to_thread(store.by_token, token)
        if handover is None or handover.status != TAKEN:
            return None
        ended = await self.hand_back(handover)
        if ended is not None:
            await self.redraw(ended)
            await self.tell_team(ended, "The assistant has the chat again.")
        return ended

    async def tell_team(self, handover: Handover, text: str, *, slack_text: str = "") -> None:
        """Say ``text`` in the thread of the platform the request was taken on (``slack_text``
        instead on Slack, for its mrkdwn)."""
        slack, teams = self.slack(), self.teams()
        if handover.taken_via == "slack" and slack is not None:
            await slack.say_in_thread(handover, slack_text or text)
        elif handover.taken_via == "teams" and teams is not None:
            await teams.say_in_thread(handover, text)

    async def redraw(self, handover: Handover) -> None:
        """Redraw the request's card on every platform it was posted to."""
        slack, teams = self.slack(), self.teams()
        if slack is not None and handover.slack_ts:
            await slack.redraw(handover)
        if teams is not None and handover.teams_activity:
            await teams.redraw(handover)

    async def staff_reply(self, handover: Handover, staff: Staff, text: str) -> None:
        """A staff message in the request's thread, to the applicant."""
        await self._append(
            handover.conversation_id, [live_message("staff", text, staff.first_name)]
        )

    async def applicant_message(self, conversation_id: str, text: str) -> bool:
        """Relay ``text`` to the team if someone holds the conversation; ``False`` (the
        assistant answers) otherwise."""
        if self.settings() is None:
            return False
        store = await self.store()
        handover = await asyncio.to_thread(store.open_for, conversation_id)
        if handover is None or handover.status != TAKEN:
            return False
        await self._append(conversation_id, [UserUttered(text, metadata={LIVE: "applicant"})])
        await self.tell_team(
            handover, f"Applicant: {text}", slack_text=f"*Applicant:* {escape_mrkdwn(text)}"
        )
        return True

    async def live_messages(
        self, conversation_id: str, after: float, wait: float
    ) -> list[dict[str, Any]]:
        """The conversation's live messages later than ``after``, waiting up to ``wait``
        seconds for one to arrive."""
        deadline = time.monotonic() + wait
        news = asyncio.Event()
        listeners = self._listeners.setdefault(conversation_id, set())
        listeners.add(news)
        try:
            while True:
                news.clear()
                messages = await self._live_since(conversation_id, after)
                remaining = deadline - time.monotonic()
                if messages or remaining <= 0:
                    return messages
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(news.wait(), min(POLL_SECONDS, remaining))
        finally:
            listeners.discard(news)
            if not listeners:
                self._listeners.pop(conversation_id, None)

    async def _live_since(self, conversation_id: str, after: float) -> list[dict[str, Any]]:
        if self.agent is None:
            return []
        tracker = await self.agent.tracker_store.retrieve(conversation_id)
        if tracker is None:
            return []
        return [
            as_widget_message(event)
            for event in (e.as_dict() for e in tracker.events)
            if event.get("event") == "bot"
            and (event.get("metadata") or {}).get(LIVE)
            and float(event.get("timestamp") or 0) > after
        ]

    def settings(self) -> HandoverSettings | None:
        """The hand-over settings, read once; ``None`` when live chat is off (no team
        channel) or its settings are wrong (logged)."""
        if self._settings is None:
            try:
                self._settings = self._settings_factory()
            except SettingsError as error:
                logger.error("Live chat is off: %s", error)
                return None
        return self._settings if self._settings.enabled else None

    def team_slack_channel(self) -> str:
        """The configured team channel's id ("" when live chat is off)."""
        settings = self.settings()
        return settings.slack_channel if settings else ""

    def team_teams_channel(self) -> str:
        """The configured Teams team channel's id ("" when live chat is off)."""
        settings = self.settings()
        return settings.teams_channel if settings else ""


def _open_store() -> HandoverStore:
    return HandoverStore.open(Reader(shared.VARIABLES).text("TSF_TRACKER_DB_URL"))


@functools.cache
def live_chat_relay() -> LiveChatRelay:
    """The Rasa server's relay, made on first use (every channel shares it)."""
    return LiveChatRelay(_open_store)
