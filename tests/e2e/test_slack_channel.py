"""The Slack channel in the real assistant, talking to a fake Slack Web API on loopback."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from channels.slack import FEEDBACK_BLOCK, FEEDBACK_NO, FEEDBACK_YES
from tests.fakes.slack_api import FakeSlackApi, block_actions_body, event_body, sign
from tests.support import harness
from tests.support.channel_stack import ChannelStack
from tsf_insight.store import UNHELPFUL, FactFeedback, InsightStore

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


def answer_with_feedback(stack: Stack, user: str, channel: str, question: str) -> dict[str, Any]:
    """Ask ``question`` (one the documents answer); the posted message that asks for feedback."""
    event_id = f"Ev{uuid.uuid4().hex[:10].upper()}"
    stack.post(event_body(event_id, question, user=user, channel=channel))
    asking = stack.slack.wait_until(
        lambda: [
            message
            for message in stack.slack.messages(channel)
            if any(block.get("block_id") == FEEDBACK_BLOCK for block in message.get("blocks", []))
        ],
        1,
        30,
        0.5,
    )
    return asking[0]


def token_of(message: dict[str, Any]) -> str:
    [actions] = [block for block in message["blocks"] if block.get("block_id") == FEEDBACK_BLOCK]
    return str(actions["elements"][0]["value"])


def press_feedback(
    stack: Stack, message: dict[str, Any], action_id: str, user: str, channel: str, name: str
) -> tuple[int, Any]:
    return stack.post(
        block_actions_body(
            token_of(message),
            user=user,
            channel=channel,
            action_id=action_id,
            response_url=stack.slack.response_url(name),
            message={"text": message["text"], "blocks": message["blocks"]},
        ),
        content_type="application/x-www-form-urlencoded",
    )


def insight(stack: Stack) -> InsightStore:
    return InsightStore.from_url(f"sqlite:///{stack.workdir / 'tracker.db'}")


def test_a_yes_under_an_answer_is_counted_once_and_the_buttons_give_way_to_thanks(
    stack: Stack,
) -> None:
    since = datetime.now(timezone.utc)
    _, user, channel = ids()
    answer = answer_with_feedback(stack, user, channel, "how long is the loan term?")

    assert press_feedback(stack, answer, FEEDBACK_YES, user, channel, "yes") == (200, {"ok": True})
    assert press_feedback(stack, answer, FEEDBACK_NO, user, channel, "again")[0] == 200

    [redrawn] = stack.slack.wait_until(lambda: stack.slack.responses_to("yes"), 1, 30, 0.5)
    assert redrawn["replace_original"] is True
    assert redrawn["blocks"][0]["text"]["text"] == answer["text"]
    assert redrawn["blocks"][-1]["elements"][0]["text"] == "Thanks — noted."
    assert not any(block.get("block_id") == FEEDBACK_BLOCK for block in redrawn["blocks"])
    store = insight(stack)
    try:
        assert store.feedback_by_fact(since) == [FactFeedback("loan_term", 1, 0)]
        assert [gap for gap in store.gaps_since(since) if gap.reason == UNHELPFUL] == []
    finally:
        store.dispose()


def test_a_no_under_an_answer_records_one_gap_without_the_email_given(stack: Stack) -> None:
    since = datetime.now(timezone.utc)
    _, user, channel = ids()
    answer = answer_with_feedback(
        stack, user, channel, "I'm at jo@riverside-care.org: how long is the loan term?"
    )

    assert press_feedback(stack, answer, FEEDBACK_NO, user, channel, "no") == (200, {"ok": True})

    stack.slack.wait_until(lambda: stack.slack.responses_to("no"), 1, 30, 0.5)
    store = insight(stack)
    try:
        assert store.feedback_by_fact(since) == [FactFeedback("loan_term", 0, 1)]
        [gap] = [gap for gap in store.gaps_since(since) if gap.reason == UNHELPFUL]
    finally:
        store.dispose()
    assert gap.best_guess == "loan_term"
    assert gap.question == "I'm at [email redacted]: how long is the loan term?"


def test_a_press_on_someone_elses_or_no_answer_gets_a_4xx_and_changes_nothing(
    stack: Stack,
) -> None:
    since = datetime.now(timezone.utc)
    _, owner, channel = ids()
    _, stranger, _ = ids()
    answer = answer_with_feedback(stack, owner, channel, "how long is the loan term?")
    forged = {**answer, "blocks": [{**block} for block in answer["blocks"]]}
    [actions] = [block for block in forged["blocks"] if block.get("block_id") == FEEDBACK_BLOCK]
    actions["elements"] = [{**actions["elements"][0], "value": ""}]

    assert press_feedback(stack, answer, FEEDBACK_NO, stranger, channel, "x")[0] == 404
    assert press_feedback(stack, forged, FEEDBACK_NO, owner, channel, "x")[0] == 400
    unknown = {**answer, "blocks": [{"block_id": FEEDBACK_BLOCK, "elements": [{"value": "nope"}]}]}
    assert press_feedback(stack, unknown, FEEDBACK_NO, owner, channel, "x")[0] == 404

    store = insight(stack)
    try:
        assert store.feedback_by_fact(since) == []
    finally:
        store.dispose()
    assert stack.slack.responses_to("x") == []
