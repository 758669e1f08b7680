"""Slack channel: Rasa's, with retries de-duplicated, mentions stripped and Block Kit buttons.

Rasa 3.6's ``SlackInput`` checks Slack's request signature but answers a bad one with 400,
does not de-duplicate events (Slack retries any event it did not see acknowledged within
three seconds, even across a restart), drops ``http_timeout`` retries of events it never
received, answers unknown interactive payloads with 500, and posts with ``as_user``, which
new Slack apps may not use. This channel keeps Rasa's webhook (``/webhooks/slack/webhook``),
its conversation-id rules and its interactive-component parsing, and fixes the rest. An
answer that gives a fact ends with "Was this helpful?" Yes / No buttons; a press counts only
on an answer of the presser's own conversation (:mod:`channels.answer_feedback`).

Credentials (see ``tsf_runtime/channel_credentials.py``): ``slack_token``,
``slack_signing_secret``, ``slack_api_url``, ``dedup_db`` and, optionally, Rasa's own
``slack_channel``, ``use_threads``, ``conversation_granularity`` and ``proxy``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.slack import SlackBot, SlackInput
from rasa.shared.exceptions import InvalidConfigException
from redis.exceptions import RedisError
from sanic import Blueprint
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import Clock, SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from channels.answer_feedback import Outcome, feedback_token, give_feedback
from channels.conversation_ids import conversation_id, local_id
from channels.lead_buttons import Pressed, lead_service, press
from channels.live_chat import Staff, live_chat_relay
from channels.message_guard import parse_json_object
from channels.slack_dedup import DEFAULT_TTL_SECONDS, event_log
from channels.webhook_input import BackgroundWebhookInput, OnNewMessage, answer_or_hand_over
from tsf_handover.cards import HAND_BACK_ACTION, TAKE_ACTION
from tsf_insight.answers import ASK, THANKS, valid_answer_id
from tsf_leads.notify.slack import (
    REASON_BLOCK_ID,
    not_a_fit_modal,
    slack_lead_card,
    slack_updated_message,
)
from tsf_leads.team_actions import (
    TeamAction,
    modal_metadata,
    parse_slack_block_action,
    parse_slack_view_submission,
    slack_actor,
)
from tsf_leads.team_queries import TeamQuery, answer_team_query, parse_team_query
from tsf_leads.team_status import NOT_A_FIT

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api"
DEFAULT_DEDUP_DB = "var/slack_events.db"
API_TIMEOUT_SECONDS = 10
MAX_BUTTONS_PER_BLOCK = 25
MAX_SECTION_TEXT = 3000
MAX_BUTTON_TITLE = 75
MAX_BUTTON_VALUE = 2000
HAND_BACK_COMMAND = "/handback"
LEAD_ACTION_PREFIX = "tsf_lead_"
LIVE_CHAT_ACTIONS = frozenset({TAKE_ACTION, HAND_BACK_ACTION})
FEEDBACK_YES = "tsf_feedback_yes"
FEEDBACK_NO = "tsf_feedback_no"
FEEDBACK_BLOCK = "tsf_feedback"
FEEDBACK_ASK_BLOCK = "tsf_feedback_ask"
# Message subtypes that are still a person writing to the bot.
_USER_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})

_USER_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_CHANNEL_REFERENCE = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]*)(?:\|([^>]*))?>")
_SPECIAL_MENTION = re.compile(r"<![^>]*>")
_SPACES = re.compile(r"[ \t]+")


def verify_signature(
    signing_secret: str,
    timestamp: str | None,
    body: bytes,
    signature: str | None,
    clock: Clock = Clock(),  # noqa: B008 - stateless: it reads the system time
) -> bool:
    """Whether a request carries Slack's v0 signature, made less than five minutes ago.

    ``slack_sdk``'s verifier does the check; a missing secret, signature or timestamp, a
    timestamp that is not a number of seconds or a body that is not UTF-8 fails it instead
    of raising. ``clock`` tells the time (the system's unless a test stops it).
    """
    if not (signing_secret.strip() and timestamp and timestamp.isdigit() and signature):
        return False
    verifier = SignatureVerifier(signing_secret, clock)
    try:
        return verifier.is_valid(body, timestamp, signature)
    except UnicodeDecodeError:
        return False


def clean_text(text: str) -> str:
    """The words of a Slack message: mentions removed, links and escapes undone."""
    text = _USER_MENTION.sub(" ", text)
    text = _SPECIAL_MENTION.sub(" ", text)
    text = _CHANNEL_REFERENCE.sub(r"#\1", text)
    text = _LINK.sub(lambda match: match.group(2) or match.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def escape(text: str) -> str:
    """Escape the three characters Slack's message text reserves."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def feedback_blocks(text: str, answer_id: str) -> list[dict[str, Any]]:
    """An answer's paragraph, then "Was this helpful?" with Yes and No buttons (their value
    is the answer's token, block :data:`FEEDBACK_BLOCK`)."""
    buttons = [
        {
            "type": "button",
            "action_id": action_id,
            "text": {"type": "plain_text", "text": title},
            "accessibility_label": label,
            "value": answer_id,
        }
        for action_id, title, label in (
            (FEEDBACK_YES, "Yes", "Yes, this answer was helpful"),
            (FEEDBACK_NO, "No", "No, this answer was not helpful"),
        )
    ]
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": escape(text)[:MAX_SECTION_TEXT]}},
        {
            "type": "context",
            "block_id": FEEDBACK_ASK_BLOCK,
            "elements": [{"type": "plain_text", "text": ASK}],
        },
        {"type": "actions", "block_id": FEEDBACK_BLOCK, "elements": buttons},
    ]


def feedback_given(message: Mapping[str, Any]) -> dict[str, Any]:
    """The answer's message as redrawn after a press: the question and buttons replaced by
    a "Thanks — noted." context line (for the press's ``response_url``)."""
    blocks = message.get("blocks") if isinstance(message.get("blocks"), list) else []
    kept = [
        block
        for block in blocks
        if isinstance(block, dict)
        and block.get("block_id") not in (FEEDBACK_BLOCK, FEEDBACK_ASK_BLOCK)
    ]
    text = str(message.get("text") or "")
    if not kept and text:
        kept = [{"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}}]
    thanks = {"type": "context", "elements": [{"type": "plain_text", "text": THANKS}]}
    return {"replace_original": True, "text": text or THANKS, "blocks": [*kept, thanks]}


def button_blocks(text: str, buttons: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A ``section`` with the text, then ``actions`` blocks of buttons (value = payload)."""
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": escape(text)[:MAX_SECTION_TEXT]}}
    ]
    elements = [
        {
            "type": "button",
            "action_id": f"tsf_button_{index}",
            "text": {"type": "plain_text", "text": str(button["title"])[:MAX_BUTTON_TITLE]},
            "value": str(button["payload"])[:MAX_BUTTON_VALUE],
        }
        for index, button in enumerate(buttons)
        if button.get("title") and button.get("payload")
    ]
    for start in range(0, len(elements), MAX_BUTTONS_PER_BLOCK):
        chunk = elements[start : start + MAX_BUTTONS_PER_BLOCK]
        blocks.append({"type": "actions", "elements": chunk})
    return blocks


def _interaction_thread(payload: Mapping[str, Any]) -> str | None:
    """The thread of the message an interaction's button was on."""
    message = payload.get("message") or {}
    container = payload.get("container") or {}
    return (
        message.get("thread_ts")
        or container.get("thread_ts")
        or message.get("ts")
        or container.get("message_ts")
    )


async def _respond(response_url: str, message: Mapping[str, Any], what: str) -> None:
    """Post ``message`` to an interaction's ``response_url`` (it redraws ``what``)."""
    try:
        async with (
            aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=API_TIMEOUT_SECONDS)
            ) as session,
            session.post(response_url, json=dict(message)) as answer,
        ):
            if answer.status >= 300:
                logger.error("Slack refused an update of %s: HTTP %s", what, answer.status)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        logger.error("Could not update %s: %s", what, type(error).__name__)


class TsfSlackBot(SlackBot):
    """Posts replies with ``chat.postMessage`` to a configurable Slack Web API address."""

    def __init__(
        self,
        token: str,
        slack_channel: str | None = None,
        thread_id: str | None = None,
        proxy: str | None = None,
        api_url: str = DEFAULT_API_URL,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(
            token=token,
            base_url=api_url.rstrip("/") + "/",
            proxy=proxy,
            timeout=API_TIMEOUT_SECONDS,
        )

    async def _post(self, recipient_id: str, /, channel: str | None = None, **kwargs: Any) -> None:
        """Post to ``channel``, else the configured channel, else the recipient (in the thread)."""
        channel = channel or self.slack_channel or local_id(recipient_id)
        if self.thread_id:
            kwargs["thread_ts"] = self.thread_id
        try:
            await self.client.chat_postMessage(channel=channel, **kwargs)
        except SlackApiError as error:
            logger.error("Slack refused a reply: %s", error.response.get("error", "unknown"))
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.error("Could not reach the Slack Web API: %s", type(error).__name__)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """One message per paragraph; an answer's last asks "Was this helpful?"."""
        parts = text.strip().split("\n\n")
        token = feedback_token(kwargs)
        for index, part in enumerate(parts):
            if token and index == len(parts) - 1:
                await self._post(
                    recipient_id, text=escape(part), blocks=feedback_blocks(part, token)
                )
            else:
                await self._post(recipient_id, text=escape(part))

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        """A Block Kit message; ``text`` is the notification and accessibility fallback."""
        await self._post(recipient_id, text=escape(text), blocks=button_blocks(text, buttons))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """An ``image`` block."""
        block = {"type": "image", "image_url": image, "alt_text": "image"}
        await self._post(recipient_id, text=image, blocks=[block])

    async def send_attachment(  # type: ignore[override]
        self, recipient_id: str, attachment: dict[str, Any], **kwargs: Any
    ) -> None:
        """A legacy attachment, as Rasa sends it."""
        await self._post(recipient_id, attachments=[attachment])

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Any ``chat.postMessage`` arguments (but ``as_user``), given as a custom response."""
        await self._post(
            recipient_id, **{key: value for key, value in json_message.items() if key != "as_user"}
        )


class TsfSlackInput(BackgroundWebhookInput, SlackInput):
    """Slack Events API and interactivity input at ``/webhooks/slack/webhook``."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build the channel from its block in the credentials file."""
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            slack_token=credentials.get("slack_token") or "",
            slack_channel=credentials.get("slack_channel"),
            proxy=credentials.get("proxy"),
            use_threads=bool(credentials.get("use_threads", False)),
            slack_signing_secret=credentials.get("slack_signing_secret") or "",
            conversation_granularity=credentials.get("conversation_granularity", "sender"),
            slack_api_url=credentials.get("slack_api_url") or DEFAULT_API_URL,
            dedup_db=credentials.get("dedup_db") or DEFAULT_DEDUP_DB,
            dedup_redis_url=credentials.get("dedup_redis_url") or "",
            dedup_ttl_seconds=float(credentials.get("dedup_ttl_seconds", DEFAULT_TTL_SECONDS)),
        )

    def __init__(
        self,
        slack_token: str,
        *,
        slack_api_url: str = DEFAULT_API_URL,
        dedup_db: str = DEFAULT_DEDUP_DB,
        dedup_ttl_seconds: float = DEFAULT_TTL_SECONDS,
        dedup_redis_url: str = "",
        **rasa_settings: Any,
    ) -> None:
        """Rasa's Slack channel (``rasa_settings`` are its own: ``slack_channel``, ``proxy``,
        ``use_threads``, ``slack_signing_secret``, ``conversation_granularity``), replying
        through ``slack_api_url`` and remembering events in Redis or the ``dedup_db`` file."""
        if not slack_token:
            raise InvalidConfigException("The Slack channel needs a bot token (slack_token).")
        super().__init__(slack_token, **rasa_settings)
        self.slack_api_url = slack_api_url
        self.event_log = event_log(dedup_db, dedup_redis_url, dedup_ttl_seconds)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The webhook, with the live chat's relay told the server's app."""
        webhook = super().blueprint(on_new_message)
        live_chat_relay().attach(webhook)
        return webhook

    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> OutputChannel:
        """A reply channel to ``channel`` (or the configured one), in ``thread_id`` if any."""
        return TsfSlackBot(
            self.slack_token,
            channel or self.slack_channel,
            thread_id,
            self.proxy,
            api_url=self.slack_api_url,
        )

    def _dispatch(
        self,
        on_new_message: OnNewMessage,
        text: str,
        user_id: str,
        channel_id: str | None,
        thread_id: str | None,
    ) -> None:
        """Hand the message to Rasa in the background: Slack wants its 200 within 3 s."""
        conversation = self._get_conversation_id(user_id, channel_id, thread_id)
        work = answer_or_hand_over(
            on_new_message,
            self.get_output_channel(channel_id, thread_id if self.use_threads else None),
            text,
            conversation_id(self.name(), conversation),
            input_channel=self.name(),
            metadata={"out_channel": channel_id, "thread_id": thread_id},
            recipient_id=channel_id or user_id,
        )
        self._in_background(work)

    async def _handle_event(
        self,
        body: Mapping[str, Any],
        on_new_message: OnNewMessage,
    ) -> tuple[int, dict[str, Any]]:
        event = body.get("event")
        if body.get("type") != "event_callback" or not isinstance(event, dict):
            return HTTPStatus.OK, {"ok": True, "ignored": "not an event"}
        if not self._is_user_event(event):
            return HTTPStatus.OK, {"ok": True, "ignored": "not a user message"}
        channel_id = event.get("channel")
        thread_ts = event.get("thread_ts")
        team_channel = live_chat_relay().team_slack_channel()
        if team_channel and channel_id == team_channel and thread_ts:
            handover = await self._live_chat_in_thread(str(channel_id), str(thread_ts))
            if handover is not None:
                return await self._relay_staff_message(body, event, handover)
        if not (
            event.get("type") == "app_mention"
            or event.get("channel_type") == "im"
            or (self.slack_channel and channel_id == self.slack_channel)
        ):
            return HTTPStatus.OK, {"ok": True, "ignored": "channel not supported"}
        keys = []
        if body.get("event_id"):
            keys.append(f"event:{body['event_id']}")
        if channel_id and event.get("ts"):
            keys.append(f"message:{channel_id}:{event['ts']}")
        if keys and not await self._first_time(keys):
            logger.info("Slack event %s already handled; ignoring the retry.", body.get("event_id"))
            return HTTPStatus.OK, {"ok": True, "ignored": "duplicate"}
        text = clean_text(str(event.get("text", "")))
        if not text:
            return HTTPStatus.OK, {"ok": True, "ignored": "empty message"}
        thread_id = event.get("thread_ts") or event.get("ts")
        query = parse_team_query(text)
        in_team_channel = bool(team_channel) and channel_id == team_channel
        if query is not None and (event.get("channel_type") == "im" or in_team_channel):
            self._in_background(
                self._answer_staff(query, str(event["user"]), str(channel_id), thread_id)
            )
            return HTTPStatus.OK, {"ok": True}
        self._dispatch(on_new_message, text, str(event["user"]), channel_id, thread_id)
        return HTTPStatus.OK, {"ok": True}

    @staticmethod
    async def _live_chat_in_thread(channel: str, thread_ts: str) -> Any:
        """The taken hand-over whose card starts this thread, if any."""
        store = await live_chat_relay().store()
        return await asyncio.to_thread(store.taken_in_slack_thread, channel, thread_ts)

    async def _relay_staff_message(
        self, body: Mapping[str, Any], event: Mapping[str, Any], handover: Any
    ) -> tuple[int, dict[str, Any]]:
        """A reply in a live chat's thread goes to the applicant; ``/handback`` ends it."""
        keys = [f"message:{event['channel']}:{event['ts']}"] if event.get("ts") else []
        if body.get("event_id"):
            keys.append(f"event:{body['event_id']}")
        if keys and not await self._first_time(keys):
            return HTTPStatus.OK, {"ok": True, "ignored": "duplicate"}
        text = clean_text(str(event.get("text", "")))
        if not text:
            return HTTPStatus.OK, {"ok": True, "ignored": "empty message"}
        user_id = str(event["user"])
        if text.lower() in {HAND_BACK_COMMAND, "/done"}:
            self._in_background(self._hand_back(handover.token))
        else:
            self._in_background(self._staff_says(handover, user_id, text))
        return HTTPStatus.OK, {"ok": True}

    @staticmethod
    async def _staff(user_id: str, fallback: str) -> Staff:
        slack = live_chat_relay().slack()
        name = await slack.display_name(user_id) if slack is not None else None
        return Staff(user_id, name or fallback or "A colleague")

    async def _staff_says(self, handover: Any, user_id: str, text: str) -> None:
        staff = await self._staff(user_id, handover.taken_by_name or "")
        await live_chat_relay().staff_reply(handover, staff, text)

    @staticmethod
    async def _take(token: str, staff: Staff) -> None:
        how_to_end = (
            f"Press *Hand back* on the card, or write `{HAND_BACK_COMMAND}` here, when you "
            "are done."
        )
        said = f"{escape(staff.name)} is chatting with the applicant now: replies in this "
        said += f"thread go to them. {how_to_end}"
        await live_chat_relay().take_token(token, staff, "slack", (said, said))

    @staticmethod
    async def _hand_back(token: str) -> None:
        await live_chat_relay().hand_back_token(token)

    async def _live_chat_action(
        self, payload: Mapping[str, Any], action: Mapping[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """**Take it** or **Hand back** on a hand-over card, from the team channel only."""
        user = payload.get("user") or {}
        channel_id = (payload.get("channel") or {}).get("id")
        team_channel = live_chat_relay().team_slack_channel()
        if not team_channel or channel_id != team_channel:
            logger.warning("Refused a live-chat action from outside the team channel.")
            return HTTPStatus.FORBIDDEN, {"ok": False, "error": "not the team channel"}
        token = str(action.get("value") or "")
        key = f"action:{channel_id}:{action.get('action_ts')}:{user.get('id')}:{token}"
        if not await self._first_time([key]):
            return HTTPStatus.OK, {"ok": True, "ignored": "duplicate"}
        if action.get("action_id") == TAKE_ACTION:
            staff = await self._staff(str(user["id"]), str(user.get("name") or ""))
            self._in_background(self._take(token, staff))
        else:
            self._in_background(self._hand_back(token))
        return HTTPStatus.OK, {"ok": True}

    async def _hand_back_command(self, form: Mapping[str, list[str]]) -> tuple[int, dict[str, Any]]:
        """``/handback``: hand back the live chat this person holds, from the team channel."""
        channel_id = (form.get("channel_id") or [""])[0]
        user_id = (form.get("user_id") or [""])[0]
        team_channel = live_chat_relay().team_slack_channel()
        if not team_channel or channel_id != team_channel or not user_id:
            return HTTPStatus.OK, {
                "response_type": "ephemeral",
                "text": "Live chats are handed back from the team channel.",
            }
        store = await live_chat_relay().store()
        handover = await asyncio.to_thread(store.latest_taken_by, user_id, "slack")
        if handover is None:
            return HTTPStatus.OK, {
                "response_type": "ephemeral",
                "text": "You are not in a live chat.",
            }
        self._in_background(self._hand_back(handover.token))
        return HTTPStatus.OK, {
            "response_type": "ephemeral",
            "text": "Handing the chat back to the assistant.",
        }

    async def _first_time(self, keys: list[str]) -> bool:
        """Whether the event is new; if the log cannot be read, answer rather than stay silent."""
        try:
            return await asyncio.to_thread(self.event_log.claim, *keys)
        except (sqlite3.Error, RedisError) as error:
            logger.error(
                "The Slack event log is unavailable (%s); handling the event.", type(error).__name__
            )
            return True

    @staticmethod
    def _is_user_event(event: Mapping[str, Any]) -> bool:
        return (
            event.get("type") in {"message", "app_mention"}
            and bool(event.get("text"))
            and bool(event.get("user"))
            and not event.get("bot_id")
            and event.get("subtype") in _USER_SUBTYPES
        )

    async def _answer_staff(
        self, query: TeamQuery, user_id: str, channel_id: str, thread_ts: str | None
    ) -> None:
        """Answer a question about leads, for members of the team channel only."""
        slack = live_chat_relay().slack()
        if slack is None:
            return
        if not (channel_id == slack.channel or await slack.is_member(user_id)):
            await slack.post(
                channel_id,
                thread_ts,
                text="Questions about leads are for members of the Social Investment Team's "
                "channel.",
            )
            return
        answer = await asyncio.to_thread(
            answer_team_query, query, lead_service(), datetime.now(timezone.utc)
        )
        if query.kind == "one" and answer.leads:
            record = answer.leads[0]
            card = slack_lead_card(record.lead, record.team)
            await slack.post(channel_id, thread_ts, text=card["text"], blocks=card["blocks"])
        else:
            await slack.post(channel_id, thread_ts, text=escape(answer.text))

    async def _from_the_team(self, channel_id: str | None, user_id: str) -> bool:
        """Whether a press comes from the team channel, or from a member's direct message."""
        slack = live_chat_relay().slack()
        if slack is None or not channel_id:
            return False
        if channel_id == slack.channel:
            return True
        return channel_id.startswith("D") and await slack.is_member(user_id)

    async def _lead_button(
        self, payload: Mapping[str, Any], action: Mapping[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Claim, Contacted or Not a fit on a lead card, from the team channel only."""
        channel_id = (payload.get("channel") or {}).get("id")
        if not await self._from_the_team(channel_id, str((payload.get("user") or {}).get("id"))):
            logger.warning("Refused a lead button from outside the team channel.")
            return HTTPStatus.FORBIDDEN, {"ok": False, "error": "not the team channel"}
        pressed, actor = parse_slack_block_action(payload), await self._actor(payload)
        if pressed is None or actor is None:
            return HTTPStatus.OK, {"ok": True, "ignored": "not a lead button"}
        response_url = str(payload.get("response_url") or "")
        if pressed.status == NOT_A_FIT and pressed.reason is None:
            slack = live_chat_relay().slack()
            trigger = str(payload.get("trigger_id") or "")
            if slack is not None and trigger:  # the trigger lasts 3 s: open the modal now
                await slack.open_view(not_a_fit_modal(pressed.reference, trigger, response_url))
            return HTTPStatus.OK, {"ok": True}
        interaction = f"slack:{action.get('action_ts')}:{actor[0]}"
        self._in_background(self._apply_lead_button(pressed, actor, interaction, response_url))
        return HTTPStatus.OK, {"ok": True}

    async def _actor(self, payload: Mapping[str, Any]) -> tuple[str, str] | None:
        """Who pressed: their Slack id and display name (``users.info``, else the payload's)."""
        actor = slack_actor(payload)
        if actor is None:
            return None
        staff = await self._staff(*actor)
        return staff.id, staff.name

    async def _lead_reason(self, payload: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """The "Not a fit" modal's reason: set the status, or show the problem in the modal."""
        submitted, actor = parse_slack_view_submission(payload), await self._actor(payload)
        if submitted is None or actor is None:
            return HTTPStatus.OK, {
                "response_action": "errors",
                "errors": {REASON_BLOCK_ID: "Please say why the lead is not a fit."},
            }
        reference, reason = submitted
        _, response_url = modal_metadata(payload)
        view_id = str((payload.get("view") or {}).get("id") or "")
        result = await asyncio.to_thread(
            press, TeamAction(reference, NOT_A_FIT, reason), *actor, f"slack:view:{view_id}"
        )
        if result.record is None:
            return HTTPStatus.OK, {
                "response_action": "errors",
                "errors": {REASON_BLOCK_ID: result.problem or "Nothing changed."},
            }
        if response_url:
            self._in_background(self._redraw_lead(result, response_url))
        return HTTPStatus.OK, {"response_action": "clear"}

    async def _apply_lead_button(
        self, pressed: TeamAction, actor: tuple[str, str], interaction: str, response_url: str
    ) -> None:
        result = await asyncio.to_thread(press, pressed, *actor, interaction)
        await self._redraw_lead(result, response_url)

    @staticmethod
    async def _redraw_lead(result: Pressed, response_url: str) -> None:
        """Redraw the card through the press's ``response_url``, or say why nothing changed
        (only to the person who pressed)."""
        if not response_url:
            return
        if result.record is None:
            message: dict[str, Any] = {
                "response_type": "ephemeral",
                "replace_original": False,
                "text": result.problem or "Nothing changed.",
            }
        else:
            message = slack_updated_message(result.record.lead, result.record.team)
        await _respond(response_url, message, "a lead card")

    async def _handle_interaction(
        self,
        payload: Mapping[str, Any],
        on_new_message: OnNewMessage,
    ) -> tuple[int, dict[str, Any]]:
        if payload.get("type") == "view_submission":
            return await self._lead_reason(payload)
        user_id = (payload.get("user") or {}).get("id")
        actions = payload.get("actions")
        if not (user_id and isinstance(actions, list) and actions) or not isinstance(
            actions[0], dict
        ):
            return HTTPStatus.OK, {"ok": True, "ignored": "no action"}
        if actions[0].get("action_id") in LIVE_CHAT_ACTIONS:
            return await self._live_chat_action(payload, actions[0])
        if str(actions[0].get("action_id", "")).startswith(LEAD_ACTION_PREFIX):
            return await self._lead_button(payload, actions[0])
        if actions[0].get("action_id") in (FEEDBACK_YES, FEEDBACK_NO):
            return await self._feedback_button(payload, actions[0], str(user_id))
        if not self._is_interactive_message(dict(payload)):
            return HTTPStatus.OK, {"ok": True, "ignored": "unsupported action"}
        text = self._get_interactive_response(actions[0])
        if not text:
            return HTTPStatus.OK, {"ok": True, "ignored": "no value"}
        channel_id = (payload.get("channel") or {}).get("id")
        self._dispatch(
            on_new_message, str(text), str(user_id), channel_id, _interaction_thread(payload)
        )
        return HTTPStatus.OK, {"ok": True}

    async def _feedback_button(
        self, payload: Mapping[str, Any], action: Mapping[str, Any], user_id: str
    ) -> tuple[int, dict[str, Any]]:
        """A "Was this helpful?" press, on an answer of the presser's own conversation (as
        :meth:`_dispatch` names it); the message is redrawn with "Thanks — noted."."""
        answer = valid_answer_id(action.get("value"))
        if answer is None:
            return HTTPStatus.BAD_REQUEST, {"ok": False, "error": "no answer"}
        channel_id = (payload.get("channel") or {}).get("id")
        conversation = self._get_conversation_id(user_id, channel_id, _interaction_thread(payload))
        feedback = await give_feedback(
            conversation_id(self.name(), str(conversation)),
            answer,
            action.get("action_id") == FEEDBACK_YES,
            self.name(),
        )
        if feedback.outcome is Outcome.UNKNOWN:
            return HTTPStatus.NOT_FOUND, {"ok": False, "error": "unknown answer"}
        response_url = str(payload.get("response_url") or "")
        message = payload.get("message")
        if response_url:
            redrawn = feedback_given(message if isinstance(message, dict) else {})
            self._in_background(_respond(response_url, redrawn, "an answer's feedback buttons"))
        return HTTPStatus.OK, {"ok": True}

    async def handle_request(
        self,
        headers: Mapping[str, str],
        body: bytes,
        on_new_message: OnNewMessage,
    ) -> tuple[int, dict[str, Any]]:
        """Check and handle one request from Slack; return the HTTP status and JSON body.

        Args:
            headers: The request headers (any case).
            body: The raw request body, exactly as signed.
            on_new_message: Rasa's handler for user messages.
        """
        header = {name.lower(): value for name, value in headers.items()}
        if not verify_signature(
            self.slack_signing_secret,
            header.get("x-slack-request-timestamp"),
            body,
            header.get("x-slack-signature"),
        ):
            logger.warning("Refused a Slack request with a missing, bad or old signature.")
            return HTTPStatus.UNAUTHORIZED, {"ok": False, "error": "invalid or expired signature"}
        content_type = header.get("content-type", "").split(";")[0].strip().lower()
        try:
            if content_type == "application/json":
                event = parse_json_object(body)
                if event is None:
                    raise ValueError("not an object")
                if event.get("type") == "url_verification":
                    return HTTPStatus.OK, {"challenge": str(event.get("challenge", ""))}
                return await self._handle_event(event, on_new_message)
            if content_type == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8"))
                if form.get("command") == [HAND_BACK_COMMAND]:
                    return await self._hand_back_command(form)
                payload = parse_json_object(form["payload"][0])
                if payload is None:
                    raise ValueError("not an object")
                return await self._handle_interaction(payload, on_new_message)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            return HTTPStatus.BAD_REQUEST, {"ok": False, "error": "malformed request body"}
        return HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"ok": False, "error": "unsupported content"}
