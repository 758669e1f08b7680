"""The team's Teams channel as the hand-over sees it: post a request card, redraw it, and
talk in its reply chain, through the Bot Connector REST API.

- ``POST {service}/v3/conversations`` with ``isGroup`` and the channel in ``channelData``
  starts a new thread in the channel whose first message is the card; the answer's ``id``
  is the thread's conversation (``19:…@thread.tacv2;messageid=<activityId>``) and its
  ``activityId`` the card's;
- ``PUT {service}/v3/conversations/{thread}/activities/{activityId}`` redraws the card;
- ``POST {service}/v3/conversations/{thread}/activities`` replies in the thread.

The bot's token comes from its own tenant (:func:`tsf_leads.oauth.bot_token_cache`), one
cache per app for the whole process.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import aiohttp

from tsf_config import Reader, shared
from tsf_handover.cards import teams_request_card
from tsf_handover.settings import VARIABLES
from tsf_handover.store import Handover
from tsf_leads.contracts import CrmError
from tsf_leads.oauth import TokenCache, bot_token_cache

logger = logging.getLogger(__name__)

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=15, connect=5)
APP_SETTINGS = ("MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID")


def thread_conversation(channel: str, activity_id: str) -> str:
    """The conversation id of the reply chain a channel message starts, as Teams names it."""
    return f"{channel};messageid={activity_id}"


def card_activity(handover: Handover) -> dict[str, Any]:
    """A message activity carrying the request's Adaptive Card."""
    return {
        "type": "message",
        "attachments": [{"contentType": ADAPTIVE_CARD, "content": teams_request_card(handover)}],
    }


@functools.lru_cache(maxsize=4)
def _shared_tokens(token_url: str, app_id: str, app_password: str) -> TokenCache:
    return bot_token_cache(token_url, app_id, app_password)


class TeamsTeamChannel:
    """The configured team channel, reached through the Bot Connector with the bot's token."""

    def __init__(
        self,
        channel: str,
        service_url: str,
        tokens: TokenCache,
        timeout: aiohttp.ClientTimeout = HTTP_TIMEOUT,
    ) -> None:
        self.channel = channel
        self.service_url = service_url.rstrip("/")
        self.tokens = tokens
        self.timeout = timeout

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> TeamsTeamChannel | None:
        """The channel ``TSF_TEAM_TEAMS_CHANNEL`` names, if it and the bot's app id,
        password and tenant id are set."""
        env = Reader((*VARIABLES, *shared.VARIABLES), environ)
        channel = env.text("TSF_TEAM_TEAMS_CHANNEL")
        app_id, password, tenant = (env.text(name) for name in APP_SETTINGS)
        if not (channel and app_id and password and tenant):
            return None
        token_url = env.text("TSF_TEAMS_TOKEN_URL").replace("{tenant}", tenant)
        return cls(
            channel,
            env.url("TSF_TEAMS_SERVICE_URL", "the Teams service URL"),
            _shared_tokens(token_url, app_id, password),
        )

    async def _call(self, method: str, path: str, body: Mapping[str, Any]) -> dict[str, Any] | None:
        """Send ``body`` to the connector; its JSON answer (``{}`` if none), or ``None`` when
        it refused or could not be reached (logged without the content)."""
        url = f"{self.service_url}/v3/{path}"
        for attempt in range(2):
            try:
                token = await asyncio.to_thread(self.tokens.get)
                async with (
                    aiohttp.ClientSession(timeout=self.timeout) as session,
                    session.request(
                        method, url, json=body, headers={"Authorization": f"Bearer {token.value}"}
                    ) as answer,
                ):
                    if answer.status == HTTPStatus.UNAUTHORIZED and attempt == 0:
                        self.tokens.invalidate(token)
                        continue
                    if answer.status >= 300:
                        logger.error(
                            "The Bot Connector refused %s %s: HTTP %d",
                            method,
                            path.split("/", 1)[0],
                            answer.status,
                        )
                        return None
                    try:
                        data = await answer.json(content_type=None)
                    except ValueError:
                        data = None
                    return dict(data) if isinstance(data, dict) else {}
            except CrmError as error:
                logger.error("No Bot Framework token, so nothing posted to Teams: %s", error)
                return None
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                logger.error("Could not reach the Bot Connector: %s", type(error).__name__)
                return None
        return None

    async def post_request(self, handover: Handover) -> tuple[str, str] | None:
        """Start a thread in the team channel with the request's card; return the thread's
        conversation id and the card's activity id (``None`` if Teams refused)."""
        answer = await self._call(
            "POST",
            "conversations",
            {
                "isGroup": True,
                "channelData": {"channel": {"id": self.channel}},
                "activity": card_activity(handover),
            },
        )
        activity_id = str((answer or {}).get("activityId") or "")
        if not activity_id:
            return None
        conversation = str(answer.get("id") or "") if answer else ""
        if ";messageid=" not in conversation:
            conversation = thread_conversation(self.channel, activity_id)
        return conversation, activity_id

    async def redraw(self, handover: Handover) -> bool:
        """Redraw the request's card for its current state."""
        if not (handover.teams_conversation and handover.teams_activity):
            return False
        conversation = quote(handover.teams_conversation, safe="")
        activity = quote(handover.teams_activity, safe="")
        answer = await self._call(
            "PUT",
            f"conversations/{conversation}/activities/{activity}",
            {**card_activity(handover), "id": handover.teams_activity},
        )
        return answer is not None

    async def say_in_thread(self, handover: Handover, text: str) -> bool:
        """Post ``text`` (shown as plain text, so nothing in it is formatted) in the
        request's thread."""
        if not handover.teams_conversation:
            return False
        conversation = quote(handover.teams_conversation, safe="")
        answer = await self._call(
            "POST",
            f"conversations/{conversation}/activities",
            {"type": "message", "text": text, "textFormat": "plain"},
        )
        return answer is not None
