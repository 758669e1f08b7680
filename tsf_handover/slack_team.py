"""The team's Slack channel as the hand-over sees it: post a request card, redraw it, and
talk in its thread, through the Slack Web API (``chat.postMessage``, ``chat.update``)."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Mapping
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tsf_config import Reader, shared
from tsf_handover.cards import slack_fallback_text, slack_request_blocks
from tsf_handover.settings import VARIABLES
from tsf_handover.store import Handover

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
MEMBERS_CACHE_SECONDS = 60
MAX_MEMBER_PAGES = 20


class SlackTeamChannel:
    """The configured team channel, reached with the bot's token."""

    def __init__(self, token: str, channel: str, api_url: str = "https://slack.com/api") -> None:
        self.channel = channel
        self._members: set[str] = set()
        self._members_read_at = -math.inf
        self.client = AsyncWebClient(
            token=token, base_url=api_url.rstrip("/") + "/", timeout=TIMEOUT_SECONDS
        )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> SlackTeamChannel | None:
        """The channel ``TSF_TEAM_SLACK_CHANNEL`` names, if it and the bot token are set."""
        env = Reader((*VARIABLES, *shared.VARIABLES), environ)
        token, channel = env.text("SLACK_BOT_TOKEN"), env.text("TSF_TEAM_SLACK_CHANNEL")
        if not (token and channel):
            return None
        return cls(token, channel, env.text("TSF_SLACK_API_URL"))

    async def _call(self, method: str, **arguments: Any) -> dict[str, Any] | None:
        """Call a Web API method; ``None`` when Slack refuses or cannot be reached."""
        try:
            if method in {"users.info", "conversations.members"}:
                response = await self.client.api_call(method, http_verb="GET", params=arguments)
            else:
                response = await self.client.api_call(method, json=arguments)
        except SlackApiError as error:
            logger.error("Slack refused %s: %s", method, error.response.get("error", "unknown"))
            return None
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("Could not reach the Slack Web API: %s", type(error).__name__)
            return None
        return dict(response.data) if isinstance(response.data, dict) else None

    async def post_request(self, handover: Handover) -> str | None:
        """Post the request's card; return its message ``ts`` (``None`` if Slack refused)."""
        answer = await self._call(
            "chat.postMessage",
            channel=self.channel,
            text=slack_fallback_text(handover),
            blocks=slack_request_blocks(handover),
            unfurl_links=False,
        )
        return str(answer["ts"]) if answer and answer.get("ts") else None

    async def redraw(self, handover: Handover) -> bool:
        """Redraw the request's card for its current state."""
        if not (handover.slack_channel and handover.slack_ts):
            return False
        answer = await self._call(
            "chat.update",
            channel=handover.slack_channel,
            ts=handover.slack_ts,
            text=slack_fallback_text(handover),
            blocks=slack_request_blocks(handover),
        )
        return answer is not None

    async def say_in_thread(self, handover: Handover, text: str) -> bool:
        """Post ``text`` (plain text, escaped by the caller) in the request's thread."""
        if not (handover.slack_channel and handover.slack_ts):
            return False
        answer = await self._call(
            "chat.postMessage",
            channel=handover.slack_channel,
            thread_ts=handover.slack_ts,
            text=text,
            unfurl_links=False,
            unfurl_media=False,
        )
        return answer is not None

    async def post(self, channel: str, thread_ts: str | None = None, **message: Any) -> bool:
        """Post ``message`` (``text``, ``blocks``) to ``channel``, in ``thread_ts`` if given."""
        if thread_ts:
            message["thread_ts"] = thread_ts
        answer = await self._call(
            "chat.postMessage", channel=channel, unfurl_links=False, **message
        )
        return answer is not None

    async def is_member(self, user_id: str) -> bool:
        """Whether ``user_id`` is in the team channel (``conversations.members``, cached for
        a minute)."""
        now = time.monotonic()
        if now - self._members_read_at > MEMBERS_CACHE_SECONDS:
            members: set[str] = set()
            cursor = ""
            for _ in range(MAX_MEMBER_PAGES):
                answer = await self._call(
                    "conversations.members", channel=self.channel, limit=200, cursor=cursor
                )
                if answer is None:
                    return user_id in self._members
                members.update(str(member) for member in answer.get("members") or [])
                cursor = str((answer.get("response_metadata") or {}).get("next_cursor") or "")
                if not cursor:
                    break
            self._members, self._members_read_at = members, now
        return user_id in self._members

    async def open_view(self, arguments: dict[str, Any]) -> bool:
        """Open a modal (``views.open`` with its ``trigger_id`` and ``view``)."""
        return await self._call("views.open", **arguments) is not None

    async def display_name(self, user_id: str) -> str | None:
        """The user's display name from ``users.info``, if Slack gives it."""
        answer = await self._call("users.info", user=user_id)
        user = (answer or {}).get("user") or {}
        profile = user.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or user.get("real_name")
        return str(name) if name else None
