"""Microsoft Teams channel over the Bot Framework, at ``/webhooks/teams/webhook``.

Rasa 3.6's ``botframework`` channel fetches Microsoft's keys at start-up (so it cannot start
offline), uses the multi-tenant token endpoint that single-tenant bots cannot use, skips the
issuer and ``serviceUrl`` checks, blocks the event loop with ``requests``, ignores
``conversationUpdate``, leaves ``<at>`` mentions in the text and sends buttons Teams cannot
click. This channel does none of that:

- every request must carry a valid Bot Framework token (``channels.teams_auth``), or it gets
  401 and is not processed; the signing keys are fetched on the first request;
- replies go to ``{serviceUrl}/v3/conversations/{id}/activities/{replyToId}`` with aiohttp
  (timeouts set) and a token from the bot's own tenant, cached until shortly before it
  expires (fetched in a worker thread);
- buttons are hero cards with ``messageBack`` actions whose value carries the payload;
- a ``conversationUpdate`` adding the bot or people starts the conversation with ``/greet``;
- live chat: **Take it** and **Hand back** on a hand-over card (``Action.Submit`` messages
  whose value names ``tsf_handover``) count only from the team channel
  (``TSF_TEAM_TEAMS_CHANNEL``), others get 403; in a taken request's reply chain
  (``19:…@thread.tacv2;messageid=<card>``) a message goes to the applicant and ``handback``
  ends the chat; each such activity is handled once, however often it is retried (its id is
  remembered in the event log the Slack channel uses);
- leads: **Claim**, **Contacted** and **Not a fit** on a lead card (``Action.Submit`` values
  naming ``tsf_lead``) count only from the team channel (403 elsewhere), each activity once;
  the lead's team status is set through :func:`channels.lead_buttons.press` and the card is
  redrawn in place (``PUT …/activities/{replyToId}``), or the problem said in a reply; staff
  questions ("leads today", "open leads", "lead TSF-…") addressed to the bot are answered here,
  never by Rasa, and only in the team channel (elsewhere: no lead data);
- "Was this helpful?": an answer's last paragraph is an Adaptive Card with Yes and No
  (``Action.Submit`` values naming ``tsf_feedback`` and the answer's token); a press counts
  only on an answer of the presser's own conversation (404 otherwise, 400 when malformed)
  and the card is redrawn with "Thanks — noted." (:mod:`channels.answer_feedback`);
- any other channel message is answered only when it @mentions the bot (the app's
  ``ChannelMessage.Read.Group`` permission delivers every message of the team's channels).

Credentials (see ``tsf_runtime/channel_credentials.py``): ``app_id``, ``app_password``,
``tenant_id``, ``token_url``, ``openid_metadata_url``, ``allowed_service_urls``, ``dedup_db``,
``dedup_redis_url`` and, optionally, ``allow_other_tenants`` (false by default: the bot is for
one organisation).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.shared.exceptions import InvalidConfigException
from redis.exceptions import RedisError
from sanic import Blueprint

from channels.answer_feedback import Outcome, feedback_token, give_feedback
from channels.conversation_ids import conversation_id, local_id
from channels.lead_buttons import lead_service, press
from channels.live_chat import Staff, live_chat_relay
from channels.message_guard import parse_json_object
from channels.slack_dedup import DEFAULT_TTL_SECONDS, event_log
from channels.teams_auth import (
    AuthenticationError,
    BotFrameworkAuthenticator,
    SigningKeys,
)
from channels.teams_cards import (
    FEEDBACK_KEY,
    addressed_to_bot,
    answer_card_activity,
    feedback_press,
    hero_card_activity,
    image_activity,
    text_activity,
    user_text,
    welcome_recipient,
)
from channels.webhook_input import BackgroundWebhookInput, OnNewMessage, answer_or_hand_over
from tsf_handover.cards import HAND_BACK_ACTION, TAKE_ACTION
from tsf_leads.contracts import CrmError
from tsf_leads.notify.teams import teams_updated_message
from tsf_leads.oauth import TokenCache, bot_token_cache
from tsf_leads.team_actions import TeamAction, parse_teams_submit, teams_actor
from tsf_leads.team_queries import TeamQuery, answer_team_query, parse_team_query
from tsf_leads.team_status import NOT_A_FIT

logger = logging.getLogger(__name__)

DEFAULT_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
DEFAULT_TOKEN_URL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
WELCOME_MESSAGE = "/greet"
DEFAULT_DEDUP_DB = "var/slack_events.db"
HAND_BACK_WORDS = frozenset({"handback", "/handback", "hand back"})
LIVE_CHAT_KEY = "tsf_handover"
LEAD_KEY = "tsf_lead"
NOT_FOR_HERE = "Questions about leads are for the Social Investment Team's channel."
REASON_NEEDED = "Please give a reason."
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=15, connect=5)


class HttpClient:
    """One aiohttp session for the running event loop, created on first use."""

    def __init__(self, timeout: aiohttp.ClientTimeout = HTTP_TIMEOUT) -> None:
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def session(self) -> aiohttp.ClientSession:
        """The session, (re)created if closed or made on another loop."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
            self._loop = loop
        return self._session

    async def close(self) -> None:
        """Close the session, if any."""
        if self._session is not None:
            await self._session.close()  # closing a closed session does nothing
        self._session = None

    async def get_json(self, url: str) -> Any:
        """GET ``url`` and decode its JSON; raise on a non-2xx answer."""
        async with self.session().get(url) as answer:
            answer.raise_for_status()
            return await answer.json(content_type=None)


class TeamsOutput(OutputChannel):
    """Replies into the Teams conversation a message came from, through its Bot Connector."""

    @classmethod
    def name(cls) -> str:
        """Replies report ``teams`` as their channel."""
        return "teams"

    def __init__(self, http: HttpClient, tokens: TokenCache, activity: Mapping[str, Any]) -> None:
        """A channel answering ``activity``, with the bot's ``tokens``, over ``http``."""
        self.http = http
        self.tokens = tokens
        self.service_url = str(activity["serviceUrl"])
        self.conversation_id = activity["conversation"]["id"]
        self.bot = dict(activity.get("recipient") or {})
        self.reply_to_id = activity.get("id")

    async def send(self, recipient_id: str, activity: Mapping[str, Any]) -> bool:
        """Address ``activity`` to the user and POST it to the conversation, as a reply to
        the message answered if it had an id.

        Returns:
            Whether the connector accepted it. Failures are logged, never raised.
        """
        message = {
            **activity,
            "from": self.bot,
            "recipient": {"id": local_id(recipient_id)},
            "conversation": {"id": self.conversation_id},
        }
        url = self._activities_url()
        if self.reply_to_id:
            message["replyToId"] = self.reply_to_id
            url += f"/{quote(self.reply_to_id, safe='')}"
        return await self._call("POST", url, message)

    async def update(self, activity_id: str, activity: Mapping[str, Any]) -> bool:
        """Replace the bot's own activity ``activity_id`` in this conversation with
        ``activity`` (``PUT /v3/conversations/{id}/activities/{activityId}``), e.g. to redraw
        a card after one of its buttons was pressed.

        Returns:
            Whether the connector accepted it. Failures are logged, never raised.
        """
        message = {
            **activity,
            "id": activity_id,
            "from": self.bot,
            "conversation": {"id": self.conversation_id},
        }
        url = f"{self._activities_url()}/{quote(activity_id, safe='')}"
        return await self._call("PUT", url, message)

    def _activities_url(self) -> str:
        conversation = quote(str(self.conversation_id), safe="")
        return f"{self.service_url.rstrip('/')}/v3/conversations/{conversation}/activities"

    async def _call(self, method: str, url: str, message: Mapping[str, Any]) -> bool:
        """Send ``message`` with the bot's token, once more with a new token after a 401."""
        for attempt in range(2):
            try:
                token = await asyncio.to_thread(self.tokens.get)
                async with self.http.session().request(
                    method, url, json=message, headers={"Authorization": f"Bearer {token.value}"}
                ) as answer:
                    if answer.status == HTTPStatus.UNAUTHORIZED and attempt == 0:
                        self.tokens.invalidate(token)
                        continue
                    if answer.status >= 300:
                        logger.error(
                            "The Bot Connector refused a %s: HTTP %d",
                            "reply" if method == "POST" else "card update",
                            answer.status,
                        )
                        return False
                    return True
            except CrmError as error:
                logger.error("No Bot Framework token, so nothing sent: %s", error)
                return False
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                logger.error("Could not reach the Bot Connector: %s", type(error).__name__)
                return False
        return False

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """One message per paragraph; an answer's last is a card asking "Was this helpful?"."""
        parts = text.strip().split("\n\n")
        token = feedback_token(kwargs)
        for index, part in enumerate(parts):
            if token and index == len(parts) - 1:
                await self.send(recipient_id, answer_card_activity(part, token))
            else:
                await self.send(recipient_id, text_activity(part))

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        """A hero card whose buttons send their payload back as ``messageBack`` values."""
        await self.send(recipient_id, hero_card_activity(text, buttons))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """A hero card with the image."""
        await self.send(recipient_id, image_activity(image))

    async def send_elements(
        self, recipient_id: str, elements: Iterable[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Each element as an activity of its own."""
        for element in elements:
            await self.send(recipient_id, {"type": "message", **element})

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """A Bot Framework activity given as a custom response."""
        await self.send(recipient_id, {"type": "message", **json_message})


def sender_of(activity: Mapping[str, Any]) -> str:
    """The Teams id of who sent ``activity`` (``""`` if it names nobody)."""
    return str((activity.get("from") or {}).get("id") or "")


def _hosts(value: Any) -> tuple[str, ...]:
    """Service hosts given as a list or as text separated by spaces or commas."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return tuple(map(str, value)) if isinstance(value, list | tuple) else ()


class TeamsInput(BackgroundWebhookInput):
    """Bot Framework input for Microsoft Teams, with full token validation."""

    @classmethod
    def name(cls) -> str:
        """The URL prefix and input channel name: ``teams``."""
        return "teams"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from its block in the credentials file."""
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            app_id=str(credentials.get("app_id") or ""),
            app_password=str(credentials.get("app_password") or ""),
            tenant_id=str(credentials.get("tenant_id") or ""),
            token_url=str(credentials.get("token_url") or DEFAULT_TOKEN_URL),
            openid_metadata_url=str(
                credentials.get("openid_metadata_url") or DEFAULT_OPENID_METADATA_URL
            ),
            allowed_service_urls=_hosts(credentials.get("allowed_service_urls")),
            allow_other_tenants=bool(credentials.get("allow_other_tenants", False)),
            dedup_db=str(credentials.get("dedup_db") or DEFAULT_DEDUP_DB),
            dedup_redis_url=str(credentials.get("dedup_redis_url") or ""),
        )

    def __init__(
        self,
        app_id: str,
        app_password: str,
        tenant_id: str,
        token_url: str = DEFAULT_TOKEN_URL,
        openid_metadata_url: str = DEFAULT_OPENID_METADATA_URL,
        allowed_service_urls: Iterable[str] = (),
        allow_other_tenants: bool = False,
        dedup_db: str = DEFAULT_DEDUP_DB,
        dedup_redis_url: str = "",
    ) -> None:
        required = {"app_id": app_id, "app_password": app_password, "tenant_id": tenant_id}
        missing = [name for name, value in required.items() if not value]
        if missing:
            raise InvalidConfigException(f"The Teams channel needs {', '.join(missing)}.")
        self.tenant_id = tenant_id
        self.allow_other_tenants = allow_other_tenants
        self.http = HttpClient()
        self.authenticator = BotFrameworkAuthenticator(
            app_id,
            SigningKeys(openid_metadata_url, self.http.get_json),
            allowed_service_hosts=allowed_service_urls,
        )
        self.tokens = bot_token_cache(
            token_url.replace("{tenant}", tenant_id), app_id, app_password
        )
        self.event_log = event_log(dedup_db, dedup_redis_url, DEFAULT_TTL_SECONDS)
        self._background_tasks: set[asyncio.Task] = set()

    def _tenant_of(self, activity: Mapping[str, Any]) -> str | None:
        channel_data = activity.get("channelData")
        tenant = channel_data.get("tenant") if isinstance(channel_data, Mapping) else None
        if isinstance(tenant, Mapping) and tenant.get("id"):
            return str(tenant["id"])
        conversation = activity.get("conversation") or {}
        return str(conversation["tenantId"]) if conversation.get("tenantId") else None

    def _dispatch(
        self,
        on_new_message: OnNewMessage,
        activity: Mapping[str, Any],
        text: str,
        sender_id: str,
    ) -> None:
        conversation = activity.get("conversation") or {}
        work = answer_or_hand_over(
            on_new_message,
            TeamsOutput(self.http, self.tokens, activity),
            text,
            conversation_id(self.name(), sender_id),
            input_channel=self.name(),
            metadata={"conversation_type": conversation.get("conversationType", "personal")},
        )
        self._in_background(work)

    async def handle_request(
        self,
        headers: Mapping[str, str],
        body: bytes,
        on_new_message: OnNewMessage,
    ) -> tuple[int, dict[str, Any]]:
        """Authenticate and handle one activity; return the HTTP status and JSON body.

        The token is checked before the body is even parsed; nothing is processed unless
        the token is valid for this bot and this activity.
        """
        header = {name.lower(): value for name, value in headers.items()}
        try:
            identity = await self.authenticator.verify_token(header.get("authorization"))
            activity = parse_json_object(body)
            if activity is None:
                return HTTPStatus.BAD_REQUEST, {"error": "the body is not a JSON activity"}
            self.authenticator.check_activity(identity, activity)
        except AuthenticationError as error:
            logger.warning("Refused a Teams request: %s.", error)
            return HTTPStatus.UNAUTHORIZED, {"error": "unauthorized"}
        conversation = activity.get("conversation")
        if not isinstance(conversation, Mapping) or not conversation.get("id"):
            return HTTPStatus.BAD_REQUEST, {"error": "the activity has no conversation"}
        try:
            return await self._handle_activity(activity, on_new_message)
        except (AttributeError, KeyError, TypeError, ValueError):
            return HTTPStatus.BAD_REQUEST, {"error": "malformed activity"}

    async def _handle_activity(
        self,
        activity: Mapping[str, Any],
        on_new_message: OnNewMessage,
    ) -> tuple[int, dict[str, Any]]:
        tenant = self._tenant_of(activity)
        if tenant and tenant != self.tenant_id and not self.allow_other_tenants:
            logger.warning("Ignored a Teams activity from another organisation's tenant.")
            return HTTPStatus.FORBIDDEN, {"error": "this bot serves one organisation"}
        kind = activity.get("type")
        if kind == "message":
            value = activity.get("value")
            if isinstance(value, Mapping) and LEAD_KEY in value:
                return await self._lead_button(activity, value)
            if isinstance(value, Mapping) and FEEDBACK_KEY in value:
                return await self._feedback_button(activity, value)
            live = await self._live_chat(activity)
            if live is not None:
                return live
            if not addressed_to_bot(activity):
                return HTTPStatus.OK, {"ignored": "a channel message not for the bot"}
            sender = (activity.get("from") or {}).get("id")
            text = user_text(activity)
            if not sender or not text:
                return HTTPStatus.OK, {"ignored": "empty message"}
            query = parse_team_query(text)
            if query is not None:
                return await self._staff_question(activity, query)
            self._dispatch(on_new_message, activity, text, str(sender))
            return HTTPStatus.ACCEPTED, {}
        if kind == "conversationUpdate":
            recipient = welcome_recipient(activity)
            if recipient is None:
                return HTTPStatus.OK, {"ignored": "nobody added"}
            self._dispatch(on_new_message, activity, WELCOME_MESSAGE, recipient)
            return HTTPStatus.ACCEPTED, {}
        return HTTPStatus.OK, {"ignored": f"activity type {str(kind)[:40]!r}"}

    async def _live_chat(self, activity: Mapping[str, Any]) -> tuple[int, dict[str, Any]] | None:
        """Handle a hand-over card's button or a message in a taken request's reply chain;
        ``None`` for any other message (the assistant answers it as usual)."""
        relay = live_chat_relay()
        value = activity.get("value")
        clicked = isinstance(value, Mapping) and LIVE_CHAT_KEY in value
        in_team_channel = self._in_team_channel(activity)
        if clicked:
            if not in_team_channel:
                logger.warning("Refused a live-chat action from outside the team channel.")
                return HTTPStatus.FORBIDDEN, {"error": "not the team channel"}
            return await self._live_chat_action(activity, value)
        thread = str(activity["conversation"]["id"])
        if not in_team_channel or ";messageid=" not in thread:
            return None
        store = await relay.store()
        handover = await asyncio.to_thread(store.taken_in_teams_thread, thread)
        if handover is None:
            return None
        if not await self._first_time(activity):
            return HTTPStatus.OK, {"ignored": "duplicate"}
        text = user_text(activity)
        if not text:
            return HTTPStatus.OK, {"ignored": "empty message"}
        if text.strip().lower() in HAND_BACK_WORDS:
            self._in_background(self._hand_back(handover.token))
        else:
            self._in_background(relay.staff_reply(handover, self._staff(activity), text))
        return HTTPStatus.OK, {}

    async def _live_chat_action(
        self, activity: Mapping[str, Any], value: Mapping[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """**Take it** or **Hand back**, pressed in the team channel."""
        action, token = value.get(LIVE_CHAT_KEY), str(value.get("token") or "")
        if action not in {TAKE_ACTION, HAND_BACK_ACTION} or not token:
            return HTTPStatus.BAD_REQUEST, {"error": "unknown live-chat action"}
        if not await self._first_time(activity):
            return HTTPStatus.OK, {"ignored": "duplicate"}
        if action == TAKE_ACTION:
            self._in_background(self._take(token, self._staff(activity)))
        else:
            self._in_background(self._hand_back(token))
        return HTTPStatus.OK, {}

    @staticmethod
    def _in_team_channel(activity: Mapping[str, Any]) -> bool:
        """Whether ``activity`` comes from the team channel (``TSF_TEAM_TEAMS_CHANNEL``, as
        Teams names it in ``channelData.channel.id``)."""
        team_channel = live_chat_relay().team_teams_channel()
        channel_data = activity.get("channelData")
        channel = channel_data.get("channel") if isinstance(channel_data, Mapping) else None
        channel_id = channel.get("id") if isinstance(channel, Mapping) else None
        return bool(team_channel) and channel_id == team_channel

    async def _staff_question(
        self, activity: Mapping[str, Any], query: TeamQuery
    ) -> tuple[int, dict[str, Any]]:
        """ "leads today", "open leads" or "lead TSF-…": answered here (never by Rasa), with
        lead data only in the team channel; each activity once."""
        if not await self._first_time(activity):
            return HTTPStatus.OK, {"ignored": "duplicate"}
        in_team_channel = self._in_team_channel(activity)
        self._in_background(self._answer_staff(activity, query, in_team_channel))
        return HTTPStatus.OK, {}

    async def _answer_staff(
        self, activity: Mapping[str, Any], query: TeamQuery, in_team_channel: bool
    ) -> None:
        """Reply in the conversation: the answer's text, or for one lead its card with the
        buttons still allowed (posted by the bot, so their submissions reach it)."""
        output = TeamsOutput(self.http, self.tokens, activity)
        sender = sender_of(activity)
        if not in_team_channel:
            await output.send(sender, text_activity(NOT_FOR_HERE))
            return
        answer = await asyncio.to_thread(
            answer_team_query, query, lead_service(), datetime.now(timezone.utc)
        )
        if query.kind == "one" and answer.leads:
            record = answer.leads[0]
            await output.send(sender, teams_updated_message(record.lead, record.team))
        else:
            await output.send(sender, text_activity(answer.text))

    async def _lead_button(
        self, activity: Mapping[str, Any], value: Mapping[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Claim, Contacted or Not a fit on a lead card, from the team channel only; each
        activity once."""
        if not self._in_team_channel(activity):
            logger.warning("Refused a lead button from outside the team channel.")
            return HTTPStatus.FORBIDDEN, {"error": "not the team channel"}
        pressed, actor = parse_teams_submit(value), teams_actor(activity)
        if pressed is None or actor is None or not activity.get("id"):
            return HTTPStatus.BAD_REQUEST, {"error": "unknown lead action"}
        if not await self._first_time(activity):
            return HTTPStatus.OK, {"ignored": "duplicate"}
        output = TeamsOutput(self.http, self.tokens, activity)
        if pressed.status == NOT_A_FIT and pressed.reason is None:
            self._in_background(output.send(sender_of(activity), text_activity(REASON_NEEDED)))
            return HTTPStatus.OK, {}
        card_id = str(activity.get("replyToId") or "")
        interaction, sender = f"teams:{activity['id']}", sender_of(activity)
        self._in_background(
            self._apply_lead_button(output, sender, pressed, actor, interaction, card_id)
        )
        return HTTPStatus.OK, {}

    async def _feedback_button(
        self, activity: Mapping[str, Any], value: Mapping[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """A "Was this helpful?" press, on an answer of the presser's own conversation (as
        :meth:`_dispatch` names it); the card is redrawn in place with "Thanks — noted."."""
        pressed, sender = feedback_press(value), sender_of(activity)
        if pressed is None or not sender:
            return HTTPStatus.BAD_REQUEST, {"error": "malformed feedback"}
        answer_id, helpful = pressed
        feedback = await give_feedback(
            conversation_id(self.name(), sender), answer_id, helpful, self.name()
        )
        if feedback.outcome is Outcome.UNKNOWN or feedback.answer is None:
            return HTTPStatus.NOT_FOUND, {"error": "unknown answer"}
        card_id = str(activity.get("replyToId") or "")
        if card_id:
            shown = feedback.answer.text.strip().split("\n\n")[-1]
            output = TeamsOutput(self.http, self.tokens, activity)
            self._in_background(output.update(card_id, answer_card_activity(shown, None)))
        return HTTPStatus.OK, {}

    @staticmethod
    async def _apply_lead_button(
        output: TeamsOutput,
        sender: str,
        pressed: TeamAction,
        actor: tuple[str, str],
        interaction: str,
        card_id: str,
    ) -> None:
        """Set the status; redraw the card in place (the click's ``replyToId`` is the card),
        or reply with why nothing changed."""
        result = await asyncio.to_thread(press, pressed, *actor, interaction)
        if result.record is None:
            await output.send(sender, text_activity(result.problem or "Nothing changed."))
            return
        card = teams_updated_message(result.record.lead, result.record.team)
        if not card_id or not await output.update(card_id, card):
            await output.send(sender, card)

    @staticmethod
    def _staff(activity: Mapping[str, Any]) -> Staff:
        """Who sent ``activity``: their Entra object id (else Teams id) and display name."""
        sender = activity.get("from") or {}
        staff_id = sender.get("aadObjectId") or sender.get("id") or ""
        return Staff(str(staff_id), str(sender.get("name") or "") or "A colleague")

    @staticmethod
    async def _take(token: str, staff: Staff) -> None:
        said = (
            f"{staff.name} is chatting with the applicant now: replies in this thread go to "
            "them. Press Hand back on the card, or write handback here, when you are done."
        )
        await live_chat_relay().take_token(token, staff, "teams", (said, said))

    @staticmethod
    async def _hand_back(token: str) -> None:
        await live_chat_relay().hand_back_token(token)

    async def _first_time(self, activity: Mapping[str, Any]) -> bool:
        """Whether this activity (by its id) is new; if the log cannot be read, handle it."""
        if not activity.get("id"):
            return True
        try:
            return await asyncio.to_thread(self.event_log.claim, f"teams:{activity['id']}")
        except (sqlite3.Error, RedisError) as error:
            logger.error(
                "The event log is unavailable (%s); handling the activity.", type(error).__name__
            )
            return True

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The health route and the authenticated webhook; the HTTP session closes at shutdown."""
        webhook = super().blueprint(on_new_message)
        live_chat_relay().attach(webhook)

        @webhook.listener("after_server_stop")
        async def close_http(*_: Any) -> None:
            await self.http.close()

        return webhook
