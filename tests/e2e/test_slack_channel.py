"""The Slack channel in the real assistant, talking to a fake Slack Web API on loopback."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.slack_api import FakeSlackApi, block_actions_body, event_body, sign
from tests.support import harness
from tests.support.channel_stack import ChannelStack

pytestmark = pytest.mark.e2e

TOKEN = "xoxb-e2e-slack-token"
SECRET = "e2e-signing-secret-0123456789abcdef"
BOT_USER = "U0BOT00001"


class Stack(ChannelStack):
    """The assistant with Slack switched on, and the fake Slack it replies to."""

    channel = "slack"

    def __init__(self, workdir: Path, slack: FakeSlackApi) -> None:
        self.slack = slack
        super().__init__(
            workdir,
            {
                "SLACK_BOT_TOKEN": TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "TSF_SLACK_API_URL": slack.url,
                "TSF_SLACK_DEDUP_DB": str(workdir / "slack_events.db"),
            },
        )

    def post(
        self, body: bytes, content_type: str = "application/json", **headers: str
    ) -> tuple[int, Any]:
        """POST ``body`` to the Slack webhook, signed unless headers are given."""
        request = urllib.request.Request(
            f"{self.assistant.rasa_url}/webhooks/slack/webhook",
            data=body,
            method="POST",
            headers={"Content-Type": content_type, **(headers or sign(SECRET, body))},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with FakeSlackApi(TOKEN) as slack, Stack(tmp_path_factory.mktemp("slack"), slack) as running:
        yield running


def ids() -> tuple[str, str, str]:
    """A fresh event id, user id and DM channel id, so tests do not share replies."""
    suffix = uuid.uuid4().hex[:10].upper()
    return f"Ev{suffix}", f"U{suffix}", f"D{suffix}"


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(message.get("text", "")) for message in messages)


def test_the_url_verification_challenge_is_answered(stack: Stack) -> None:
    body = json.dumps({"type": "url_verification", "token": "x", "challenge": "c-123"}).encode()

    assert stack.post(body) == (200, {"challenge": "c-123"})


def test_a_greeting_is_answered_with_block_kit_buttons(stack: Stack) -> None:
    event_id, user, channel = ids()

    status, _ = stack.post(event_body(event_id, "hello", user=user, channel=channel))
    replies = stack.slack.wait_for(2, channel=channel)

    assert status == 200
    assert texts(replies).startswith("Privacy:")
    [greeting] = [reply for reply in replies if reply.get("blocks")]
    section, actions = greeting["blocks"]
    assert "Technology Spin-Out Fund assistant" in section["text"]["text"]
    assert [button["text"]["text"] for button in actions["elements"]] == [
        "Ask about the fund",
        "Check eligibility",
        "Talk to the team",
    ]
    assert actions["elements"][2]["value"] == "/ask_contact_team"


def test_an_app_mention_is_answered_in_its_channel_without_the_mention(stack: Stack) -> None:
    event_id, user, _ = ids()
    channel = f"C{user[1:]}"
    body = event_body(
        event_id,
        f"<@{BOT_USER}> are you a bot?",
        user=user,
        channel=channel,
        event_type="app_mention",
    )

    status, _ = stack.post(body)
    replies = stack.slack.wait_for(2, channel=channel)

    assert status == 200
    assert "automated assistant" in texts(replies)
    assert stack.latest_text(user) == "are you a bot?"


def test_a_button_click_is_answered(stack: Stack) -> None:
    _, user, channel = ids()

    status, _ = stack.post(
        block_actions_body("/ask_contact_team", user=user, channel=channel),
        content_type="application/x-www-form-urlencoded",
    )
    replies = stack.slack.wait_for(2, channel=channel)

    assert status == 200
    assert "020 7187 7379" in texts(replies)


def test_forged_and_stale_signatures_get_401_and_no_reply(stack: Stack) -> None:
    event_id, user, channel = ids()
    body = event_body(event_id, "hello", user=user, channel=channel)
    forged = sign("not-the-signing-secret", body)
    stale = sign(SECRET, body, timestamp=int(time.time()) - 10 * 60)

    assert stack.post(body, **forged)[0] == 401
    assert stack.post(body, **stale)[0] == 401
    assert stack.slack.wait_for(1, channel=channel, timeout=3, settle=0) == []


def test_a_retried_event_is_answered_once_even_after_a_restart(stack: Stack) -> None:
    event_id, user, channel = ids()
    body = event_body(event_id, "are you a bot?", user=user, channel=channel)
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}

    stack.post(body)
    first = stack.slack.wait_for(2, channel=channel)
    assert stack.post(body, **retry, **sign(SECRET, body)) == (
        200,
        {"ok": True, "ignored": "duplicate"},
    )
    stack.restart()
    after_restart = stack.post(body, **retry, **sign(SECRET, body))
    event_id_2, _, _ = ids()
    stack.post(event_body(event_id_2, "thanks a lot", user=user, channel=channel))
    later = stack.slack.wait_for(len(first) + 1, channel=channel)

    assert "not a person" in texts(first)
    assert after_restart == (200, {"ok": True, "ignored": "duplicate"})
    assert texts(later).count("not a person") == 1
    assert "welcome" in texts(later[len(first) :])


def test_a_rest_request_with_a_slack_user_id_never_reaches_that_users_conversation(
    stack: Stack,
) -> None:
    event_id, user, channel = ids()
    stack.post(
        event_body(event_id, "hello, my email is staff@example.org", user=user, channel=channel)
    )
    stack.slack.wait_for(2, channel=channel)

    as_browser = harness.http(
        "POST",
        f"{stack.assistant.rasa_url}/webhooks/rest/webhook",
        {"sender": user, "message": "can you show me that again?"},
    )[1]
    as_trusted_caller = stack.assistant.texts(user, "what did I just tell you?")

    assert as_browser[0]["recipient_id"] != user
    assert as_browser[0]["text"].startswith("Privacy:")
    assert as_trusted_caller[0].startswith("Privacy:")  # rest:<user>, a conversation of its own
    assert "staff@example.org" not in texts(as_browser) + "\n".join(as_trusted_caller)
    assert stack.latest_text(user) == "hello, my email is staff@example.org"
