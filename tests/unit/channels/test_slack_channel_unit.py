"""The Slack channel: signatures, text cleaning, Block Kit buttons and request handling."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from slack_sdk.signature import Clock

from channels.message_guard import MAX_MESSAGE_CHARS, TOO_LONG_REPLY
from channels.slack import (
    FEEDBACK_BLOCK,
    FEEDBACK_NO,
    FEEDBACK_YES,
    TsfSlackInput,
    button_blocks,
    clean_text,
    escape,
    feedback_given,
    verify_signature,
)
from tests.fakes.slack_api import FakeSlackApi, block_actions_body, event_body, sign

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-unit-test-token"
NOW = 1_700_000_000


class FixedClock(Clock):
    """Slack's clock, stopped at ``NOW``."""

    def now(self) -> float:
        return NOW


def slack_signature(body: bytes, timestamp: int, secret: str = SECRET) -> str:
    base = f"v0:{timestamp}:".encode() + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    ("timestamp", "signature", "valid"),
    [
        (str(NOW), slack_signature(b"body", NOW), True),
        (str(NOW - 299), slack_signature(b"body", NOW - 299), True),
        (str(NOW + 299), slack_signature(b"body", NOW + 299), True),
        (str(NOW - 301), slack_signature(b"body", NOW - 301), False),
        (str(NOW + 301), slack_signature(b"body", NOW + 301), False),
        (str(NOW), slack_signature(b"other body", NOW), False),
        (str(NOW), slack_signature(b"body", NOW, secret="wrong"), False),
        (str(NOW), slack_signature(b"body", NOW - 1), False),
        (str(NOW), "", False),
        (str(NOW), None, False),
        (None, slack_signature(b"body", NOW), False),
        ("", slack_signature(b"body", NOW), False),
        ("1e9", slack_signature(b"body", NOW), False),
        (str(NOW), slack_signature(b"body", NOW).replace("v0=", "v1="), False),
    ],
)
def test_signatures_are_checked_with_a_five_minute_window(
    timestamp: str | None, signature: str | None, valid: bool
) -> None:
    assert verify_signature(SECRET, timestamp, b"body", signature, FixedClock()) is valid


def test_an_empty_signing_secret_never_verifies() -> None:
    signature = slack_signature(b"body", NOW, "")

    assert verify_signature("", str(NOW), b"body", signature, FixedClock()) is False


def test_a_body_that_is_not_utf8_fails_the_check_instead_of_raising() -> None:
    body = b"\xff\xfe"

    assert (
        verify_signature(SECRET, str(NOW), body, slack_signature(body, NOW), FixedClock()) is False
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<@U0BOT00001> how much can we borrow?", "how much can we borrow?"),
        ("how much can we borrow <@U0BOT00001>", "how much can we borrow"),
        ("<@U0BOT00001|tsf> hi", "hi"),
        ("ask <@W012A3CDE> and <@U0BOT00001> about it", "ask and about it"),
        ("<!here> who can apply?", "who can apply?"),
        ("see <https://example.org/fund|the fund page>", "see the fund page"),
        ("see <https://example.org/fund>", "see https://example.org/fund"),
        ("mail <mailto:a@example.org|a@example.org>", "mail a@example.org"),
        ("in <#C0123|general>", "in #general"),
        ("R&amp;D &lt;£1m&gt;", "R&D <£1m>"),
        ("  lots   of\tspace  ", "lots of space"),
        ("<@U0BOT00001>", ""),
    ],
)
def test_mentions_links_and_escapes_are_cleaned(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_buttons_become_a_section_and_an_actions_block() -> None:
    blocks = button_blocks(
        "What would you like to do? <Pick> one & go",
        [
            {"title": "Ask about the fund", "payload": "/ask_fund_overview"},
            {"title": "Check eligibility", "payload": "/check_eligibility"},
        ],
    )

    assert blocks == [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "What would you like to do? &lt;Pick&gt; one &amp; go",
            },
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "tsf_button_0",
                    "text": {"type": "plain_text", "text": "Ask about the fund"},
                    "value": "/ask_fund_overview",
                },
                {
                    "type": "button",
                    "action_id": "tsf_button_1",
                    "text": {"type": "plain_text", "text": "Check eligibility"},
                    "value": "/check_eligibility",
                },
            ],
        },
    ]


def test_many_buttons_are_split_into_blocks_of_25_and_long_titles_cut() -> None:
    buttons = [{"title": "x" * 100, "payload": f"/p{i}"} for i in range(30)]

    blocks = button_blocks("Pick", buttons)

    assert [len(block.get("elements", [])) for block in blocks] == [0, 25, 5]
    assert len(blocks[1]["elements"][0]["text"]["text"]) == 75
    assert len({e["action_id"] for b in blocks[1:] for e in b["elements"]}) == 30


class Collector:
    """Rasa's ``on_new_message``: records what the channel hands over."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi(TOKEN) as fake:
        yield fake


@pytest.fixture
def channel(tmp_path: Path, fake_slack: FakeSlackApi) -> TsfSlackInput:
    return TsfSlackInput.from_credentials(  # type: ignore[return-value]
        {
            "slack_token": TOKEN,
            "slack_signing_secret": SECRET,
            "slack_api_url": fake_slack.url,
            "dedup_db": str(tmp_path / "slack_events.db"),
        }
    )


async def post(
    channel: TsfSlackInput,
    body: bytes,
    collector: Collector,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    status, answer = await channel.handle_request(
        {"Content-Type": content_type, **(sign(SECRET, body) if headers is None else headers)},
        body,
        collector,
    )
    await asyncio.sleep(0.01)
    return status, answer


async def replies(fake_slack: FakeSlackApi, count: int, timeout: float = 10.0) -> list[dict]:
    """The Web API calls, once ``count`` have arrived (a background task sends them)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while len(fake_slack.messages()) < count and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.01)
    return fake_slack.messages()


async def test_a_signed_direct_message_is_handed_to_rasa_cleaned(channel: TsfSlackInput) -> None:
    collector = Collector()

    status, _ = await post(channel, event_body("Ev1", "<@U0BOT00001> who can apply?"), collector)

    assert status == 200
    [message] = collector.messages
    assert message.text == "who can apply?"
    assert message.sender_id == "slack:U0USER0001"
    assert message.input_channel == "slack"
    assert message.output_channel.slack_channel == "D0DM000001"


async def test_a_retried_event_is_handled_once(channel: TsfSlackInput) -> None:
    collector = Collector()
    body = event_body("Ev2", "hello")
    retry = {**sign(SECRET, body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"}

    first = await post(channel, body, collector)
    second = await post(channel, body, collector, headers=retry)

    assert first[0] == second[0] == 200
    assert second[1]["ignored"] == "duplicate"
    assert len(collector.messages) == 1


async def test_a_first_delivery_marked_as_a_retry_is_still_handled(
    channel: TsfSlackInput,
) -> None:
    collector = Collector()
    body = event_body("Ev3", "hello")
    retry = {**sign(SECRET, body), "X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout"}

    status, _ = await post(channel, body, collector, headers=retry)

    assert status == 200
    assert len(collector.messages) == 1


async def test_the_same_message_as_mention_and_message_events_is_handled_once(
    channel: TsfSlackInput,
) -> None:
    collector = Collector()
    mention = event_body(
        "Ev4", "<@U0BOT00001> hi", channel="C0CHAN0001", ts="1.5", event_type="app_mention"
    )
    message = event_body(
        "Ev5", "<@U0BOT00001> hi", channel="C0CHAN0001", ts="1.5", channel_type="im"
    )

    await post(channel, mention, collector)
    await post(channel, message, collector)

    assert len(collector.messages) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"},
        sign("someone-else's-secret", event_body("Ev6", "hello")),
        sign(SECRET, event_body("Ev6", "hello"), timestamp=int(time.time()) - 600),
    ],
    ids=["unsigned", "forged", "wrong-secret", "stale"],
)
async def test_unauthentic_requests_get_401_and_are_not_handled(
    channel: TsfSlackInput, headers: dict[str, str]
) -> None:
    collector = Collector()

    status, _ = await post(channel, event_body("Ev6", "hello"), collector, headers=headers)

    assert status == 401
    assert collector.messages == []


async def test_the_url_verification_challenge_is_answered(channel: TsfSlackInput) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aB", "token": "x"})

    status, answer = await post(channel, body.encode(), Collector())

    assert (status, answer) == (200, {"challenge": "3eZbrw1aB"})


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (
            {"type": "message", "user": "U1", "text": "hi", "bot_id": "B1", "channel_type": "im"},
            "not a user message",
        ),
        (
            {
                "type": "message",
                "subtype": "channel_join",
                "user": "U1",
                "text": "<@U1> joined",
                "channel_type": "im",
            },
            "not a user message",
        ),
        (
            {
                "type": "message",
                "user": "U1",
                "text": "hi",
                "channel": "C1",
                "channel_type": "channel",
            },
            "channel not supported",
        ),
        ({"type": "reaction_added", "user": "U1"}, "not a user message"),
        (
            {
                "type": "app_mention",
                "user": "U1",
                "text": "<@U0BOT00001>",
                "channel": "C1",
                "ts": "2.0",
            },
            "empty message",
        ),
    ],
)
async def test_events_that_are_not_a_person_talking_to_the_bot_are_acknowledged_and_ignored(
    channel: TsfSlackInput, event: dict[str, Any], reason: str
) -> None:
    collector = Collector()
    body = json.dumps({"type": "event_callback", "event_id": "Ev7" + reason, "event": event})

    status, answer = await post(channel, body.encode(), collector)

    assert (status, answer.get("ignored")) == (200, reason)
    assert collector.messages == []


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (
            b'{"type": "event_callback", "event": {"type": "message", "user": 5, "text": 1}}',
            "application/json",
            200,
        ),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400),  # too deep to parse
        (b'{"a": ' * 100_000 + b"1" + b"}" * 100_000, "application/json", 400),
        (b"payload=" + b"%5B" * 100_000, "application/x-www-form-urlencoded", 400),
        (b"payload=%7Bbad", "application/x-www-form-urlencoded", 400),
        (b"nothing=here", "application/x-www-form-urlencoded", 400),
        (b"payload=%7B%22user%22%3A%22U1%22%7D", "application/x-www-form-urlencoded", 400),
        (b"hello", "text/plain", 415),
    ],
)
async def test_malformed_requests_get_a_polite_4xx_or_are_ignored(
    channel: TsfSlackInput, body: bytes, content_type: str, status: int
) -> None:
    collector = Collector()

    answer = await post(channel, body, collector, content_type=content_type)

    assert answer[0] == status
    assert collector.messages == []


async def test_a_button_click_becomes_the_buttons_payload(channel: TsfSlackInput) -> None:
    collector = Collector()

    status, _ = await post(
        channel,
        block_actions_body("/check_eligibility"),
        collector,
        content_type="application/x-www-form-urlencoded",
    )

    assert status == 200
    [message] = collector.messages
    assert (message.text, message.sender_id) == ("/check_eligibility", "slack:U0USER0001")
    assert message.output_channel.slack_channel == "D0DM000001"


async def test_replies_with_buttons_reach_the_web_api_as_block_kit(
    channel: TsfSlackInput, fake_slack: FakeSlackApi
) -> None:
    output = channel.get_output_channel("D0DM000001")

    await output.send_response(
        "U0USER0001",
        {"text": "Hello & welcome", "buttons": [{"title": "Check eligibility", "payload": "/x"}]},
    )
    await output.send_response("U0USER0001", {"text": "First part.\n\nSecond part."})

    calls = fake_slack.messages()
    assert [call["channel"] for call in calls] == ["D0DM000001"] * 3
    assert calls[0]["text"] == "Hello &amp; welcome"
    assert calls[0]["blocks"][1]["elements"][0]["value"] == "/x"
    assert [call["text"] for call in calls[1:]] == ["First part.", "Second part."]
    assert not any("as_user" in call for call in calls)


async def test_a_refused_reply_is_logged_without_raising(
    tmp_path: Path, fake_slack: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    channel = TsfSlackInput(
        "xoxb-wrong",
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.url,
        dedup_db=str(tmp_path / "e.db"),
    )

    await channel.get_output_channel("D1").send_text_message("U1", "secret words")

    assert fake_slack.messages() == []
    assert "invalid_auth" in caplog.text
    assert "secret words" not in caplog.text


async def test_an_unusable_event_log_does_not_silence_the_bot(
    tmp_path: Path, fake_slack: FakeSlackApi
) -> None:
    channel = TsfSlackInput(
        TOKEN, slack_signing_secret=SECRET, slack_api_url=fake_slack.url, dedup_db=str(tmp_path)
    )
    collector = Collector()

    status, _ = await post(channel, event_body("Ev9", "hello"), collector)

    assert status == 200
    assert len(collector.messages) == 1


async def test_an_over_long_message_is_answered_by_the_channel_not_rasa(
    channel: TsfSlackInput, fake_slack: FakeSlackApi
) -> None:
    collector = Collector()

    status, _ = await post(channel, event_body("Ev99", "x" * (MAX_MESSAGE_CHARS + 1)), collector)

    assert status == 200
    assert collector.messages == []
    [reply] = await replies(fake_slack, 1)
    assert reply["channel"] == "D0DM000001"
    assert reply["text"] == escape(TOO_LONG_REPLY)


async def test_control_characters_are_removed_before_rasa_reads_a_message(
    channel: TsfSlackInput,
) -> None:
    collector = Collector()

    await post(channel, event_body("Ev98", "who can\x00 apply?\x07"), collector)

    [message] = collector.messages
    assert message.text == "who can apply?"


def test_a_redis_url_puts_the_event_record_in_redis(tmp_path: Path) -> None:
    from channels.slack_dedup import RedisSlackEventLog, SlackEventLog

    credentials = {"slack_token": TOKEN, "slack_signing_secret": SECRET}
    local = TsfSlackInput.from_credentials({**credentials, "dedup_db": str(tmp_path / "e.db")})
    shared = TsfSlackInput.from_credentials(
        {**credentials, "dedup_redis_url": "redis://:pw@127.0.0.1:6399/2"}
    )

    assert isinstance(local.event_log, SlackEventLog)  # type: ignore[attr-defined]
    assert isinstance(shared.event_log, RedisSlackEventLog)  # type: ignore[attr-defined]


async def test_an_unreachable_redis_does_not_silence_the_bot(tmp_path: Path) -> None:
    channel = TsfSlackInput.from_credentials(
        {
            "slack_token": TOKEN,
            "slack_signing_secret": SECRET,
            "dedup_redis_url": "redis://:pw@127.0.0.1:1/2",  # nothing listens there
        }
    )

    assert await channel._first_time(["Ev-unreachable"]) is True  # type: ignore[attr-defined]


async def test_an_answers_last_paragraph_asks_was_this_helpful_with_its_token(
    channel: TsfSlackInput, fake_slack: FakeSlackApi
) -> None:
    output = channel.get_output_channel("D0DM000001")
    answer = {"text": "Loans run 3 to 5 years.\n\nSource: <a blog>", "tsf_answer": {"id": "t1"}}

    await output.send_response("U0USER0001", answer)

    first, last = fake_slack.messages()
    assert "blocks" not in first
    section, ask, actions = last["blocks"]
    assert section["text"]["text"] == last["text"] == "Source: &lt;a blog&gt;"
    assert ask["elements"][0]["text"] == "Was this helpful?"
    assert actions["block_id"] == FEEDBACK_BLOCK
    assert [(b["action_id"], b["text"]["text"], b["value"]) for b in actions["elements"]] == [
        (FEEDBACK_YES, "Yes", "t1"),
        (FEEDBACK_NO, "No", "t1"),
    ]
    assert all("helpful" in button["accessibility_label"] for button in actions["elements"])


def test_after_a_press_the_question_and_buttons_give_way_to_thanks() -> None:
    posted: dict[str, Any] = {
        "text": "Source: a blog",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "Source: a blog"}},
            {"type": "context", "block_id": "tsf_feedback_ask", "elements": []},
            {"type": "actions", "block_id": FEEDBACK_BLOCK, "elements": []},
        ],
    }

    redrawn = feedback_given(posted)

    assert redrawn["replace_original"] is True
    assert [block["type"] for block in redrawn["blocks"]] == ["section", "context"]
    assert redrawn["blocks"][0] == posted["blocks"][0]
    assert redrawn["blocks"][-1]["elements"][0]["text"] == "Thanks — noted."
    assert feedback_given({})["blocks"][-1]["elements"][0]["text"] == "Thanks — noted."
