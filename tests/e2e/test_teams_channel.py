"""The Teams channel in the real assistant, with Microsoft's services faked on loopback."""

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

from tests.fakes.bot_connector import FakeBotFramework, Reply, new_key
from tests.support.channel_stack import ChannelStack
from tsf_insight.store import UNHELPFUL, FactFeedback, InsightStore

pytestmark = pytest.mark.e2e

APP_ID = "3c9f6a52-0000-4000-8000-00000000e2e0"
PASSWORD = "e2e-app-password"
TENANT = "9d2b7e41-0000-4000-8000-00000000e2e1"


class Stack(ChannelStack):
    """The assistant with Teams switched on, and the fake Microsoft services."""

    channel = "teams"

    def __init__(self, workdir: Path, microsoft: FakeBotFramework) -> None:
        self.microsoft = microsoft
        super().__init__(
            workdir,
            {
                "MICROSOFT_APP_ID": APP_ID,
                "MICROSOFT_APP_PASSWORD": PASSWORD,
                "MICROSOFT_APP_TENANT_ID": TENANT,
                "TSF_TEAMS_OPENID_METADATA_URL": microsoft.openid_metadata_url,
                "TSF_TEAMS_TOKEN_URL": microsoft.token_url,
                "TSF_TEAMS_ALLOWED_SERVICE_URLS": "127.0.0.1",
            },
        )

    def send(self, activity: dict[str, Any], authorization: str | None) -> int:
        """POST an activity to the Teams webhook; return the status."""
        headers = {"Content-Type": "application/json"}
        if authorization is not None:
            headers["Authorization"] = authorization
        request = urllib.request.Request(
            f"{self.assistant.rasa_url}/webhooks/teams/webhook",
            data=json.dumps(activity).encode(),
            method="POST",
            headers=headers,
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    def send_signed(self, activity: dict[str, Any]) -> int:
        """POST an activity with a valid Bot Connector token."""
        return self.send(activity, f"Bearer {self.microsoft.token()}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with (
        FakeBotFramework(APP_ID, PASSWORD, TENANT) as microsoft,
        Stack(tmp_path_factory.mktemp("teams"), microsoft) as running,
    ):
        yield running


def user() -> str:
    return f"29:e2e-{uuid.uuid4().hex[:12]}"


def texts(replies: list[Reply]) -> str:
    parts = []
    for reply in replies:
        parts.append(str(reply.activity.get("text", "")))
        for card in reply.activity.get("attachments", []):
            parts.append(str(card["content"].get("text", "")))
    return "\n".join(parts)


def test_start_up_called_no_microsoft_service(stack: Stack) -> None:
    assert stack.microsoft.requests == {"metadata": 0, "keys": 0, "token": 0}


def test_a_message_with_a_valid_token_gets_a_reply(stack: Stack) -> None:
    activity = stack.microsoft.activity("are you a bot?", user_id=user())

    status = stack.send_signed(activity)
    replies = stack.microsoft.wait_for_replies(activity["conversation"]["id"], 2)

    assert status == 202
    assert "not a person" in texts(replies)
    assert {reply.reply_to_id for reply in replies} == {activity["id"]}
    assert stack.microsoft.requests["keys"] == 1


def test_the_bot_mention_is_stripped(stack: Stack) -> None:
    sender = user()
    activity = stack.microsoft.activity("<at>TSF Assistant</at> are you a bot?", user_id=sender)
    activity["entities"] = [
        {"type": "mention", "text": "<at>TSF Assistant</at>", "mentioned": activity["recipient"]}
    ]

    stack.send_signed(activity)
    replies = stack.microsoft.wait_for_replies(activity["conversation"]["id"], 2)

    assert "not a person" in texts(replies)
    assert stack.latest_text(sender) == "are you a bot?"


def test_a_message_back_click_is_handled_as_its_payload(stack: Stack) -> None:
    activity = stack.microsoft.activity(
        "Talk to the team", user_id=user(), value={"payload": "/ask_contact_team"}
    )

    stack.send_signed(activity)
    replies = stack.microsoft.wait_for_replies(activity["conversation"]["id"], 2)

    assert "020 7187 7379" in texts(replies)


def test_adding_the_bot_sends_the_welcome_with_clickable_buttons(stack: Stack) -> None:
    activity = stack.microsoft.activity(
        activity_type="conversationUpdate",
        user_id=user(),
        membersAdded=[{"id": f"28:{APP_ID}"}],
    )

    status = stack.send_signed(activity)
    replies = stack.microsoft.wait_for_replies(activity["conversation"]["id"], 2)

    assert status == 202
    assert texts(replies).startswith("Privacy:")
    [card] = [a for reply in replies for a in reply.activity.get("attachments", [])]
    assert "Technology Spin-Out Fund assistant" in card["content"]["text"]
    assert [(b["type"], b["title"], b["value"]) for b in card["content"]["buttons"]] == [
        ("messageBack", "Ask about the fund", {"payload": "/ask_fund_overview"}),
        ("messageBack", "Check eligibility", {"payload": "/check_eligibility"}),
        ("messageBack", "Talk to the team", {"payload": "/ask_contact_team"}),
    ]


def test_requests_without_a_valid_token_get_401_and_no_reply(stack: Stack) -> None:
    microsoft = stack.microsoft
    other_key = new_key()
    cases = {
        "no token": None,
        "wrong issuer": f"Bearer {microsoft.token(iss='https://sts.windows.net/x/')}",
        "wrong audience": f"Bearer {microsoft.token(aud='another-bot')}",
        "expired": f"Bearer {microsoft.token(lifetime=-900)}",
        "signed by another key": f"Bearer {microsoft.token(key=other_key)}",
        "serviceUrl mismatch": f"Bearer {microsoft.token('https://smba.example/')}",
    }
    activities = {case: microsoft.activity("hello", user_id=user()) for case in cases}

    statuses = {case: stack.send(activities[case], header) for case, header in cases.items()}
    time.sleep(3)

    assert statuses == dict.fromkeys(cases, 401)
    assert [microsoft.replies_to(a["conversation"]["id"]) for a in activities.values()] == [
        [] for _ in cases
    ]


def answer_card(stack: Stack, sender: str, question: str) -> tuple[dict[str, Any], Reply]:
    """Ask ``question`` (one the documents answer); the activity and the card asking for
    feedback that the bot posted in reply."""
    activity = stack.microsoft.activity(question, user_id=sender)
    stack.send_signed(activity)

    def asking() -> list[Reply]:
        return [
            reply
            for reply in stack.microsoft.replies_to(activity["conversation"]["id"])
            for attachment in reply.activity.get("attachments", [])
            if attachment["content"].get("actions")
        ]

    [card] = stack.microsoft.wait_until(asking, 1, 30, 0.5)
    return activity, card


def press_feedback(
    stack: Stack, asked: dict[str, Any], card: Reply, choice: str, sender: str, **value: Any
) -> int:
    """Press Yes or No (``choice``) on ``card`` as ``sender``: its data, changed by ``value``."""
    [action] = [
        action
        for action in card.activity["attachments"][0]["content"]["actions"]
        if action["data"]["tsf_feedback"] == choice
    ]
    activity = stack.microsoft.activity(
        conversation_id=asked["conversation"]["id"],
        user_id=sender,
        value={**action["data"], **value},
        replyToId=card.activity_id,
    )
    activity.pop("text", None)
    return stack.send_signed(activity)


def insight(stack: Stack) -> InsightStore:
    return InsightStore.from_url(f"sqlite:///{stack.workdir / 'tracker.db'}")


def test_a_no_on_an_answer_card_is_stored_once_with_a_gap_and_the_card_says_thanks(
    stack: Stack,
) -> None:
    since = datetime.now(timezone.utc)
    sender = user()
    asked, card = answer_card(
        stack, sender, "I'm at jo@riverside-care.org: how long is the loan term?"
    )
    body = card.activity["attachments"][0]["content"]["body"]
    assert body[0]["text"].startswith("Source")
    assert body[-1]["text"] == "Was this helpful?"

    assert press_feedback(stack, asked, card, "no", sender) == 200
    assert press_feedback(stack, asked, card, "yes", sender) == 200  # counted once

    [update, *_] = stack.microsoft.wait_until(
        lambda: stack.microsoft.updates_of(card.activity_id), 1, 30, 0.5
    )
    redrawn = update.activity["attachments"][0]["content"]
    assert [block["text"] for block in redrawn["body"]] == [body[0]["text"], "Thanks — noted."]
    assert "actions" not in redrawn
    store = insight(stack)
    try:
        assert store.feedback_by_fact(since) == [FactFeedback("loan_term", 0, 1)]
        [gap] = [gap for gap in store.gaps_since(since) if gap.reason == UNHELPFUL]
    finally:
        store.dispose()
    assert (gap.question, gap.best_guess) == (
        "I'm at [email redacted]: how long is the loan term?",
        "loan_term",
    )


def test_a_yes_is_counted_and_leaves_no_gap(stack: Stack) -> None:
    since = datetime.now(timezone.utc)
    sender = user()
    asked, card = answer_card(stack, sender, "how long is the loan term?")

    assert press_feedback(stack, asked, card, "yes", sender) == 200

    stack.microsoft.wait_until(lambda: stack.microsoft.updates_of(card.activity_id), 1, 30, 0.5)
    store = insight(stack)
    try:
        assert store.feedback_by_fact(since) == [FactFeedback("loan_term", 1, 0)]
        assert [gap for gap in store.gaps_since(since) if gap.reason == UNHELPFUL] == []
    finally:
        store.dispose()


def test_a_press_on_someone_elses_or_no_answer_gets_a_4xx_and_changes_nothing(
    stack: Stack,
) -> None:
    since = datetime.now(timezone.utc)
    owner = user()
    asked, card = answer_card(stack, owner, "how long is the loan term?")

    assert press_feedback(stack, asked, card, "no", user()) == 404  # another person's answer
    assert press_feedback(stack, asked, card, "no", owner, answer="no-such-answer") == 404
    assert press_feedback(stack, asked, card, "no", owner, answer=7) == 400
    assert press_feedback(stack, asked, card, "no", owner, tsf_feedback="maybe") == 400

    store = insight(stack)
    try:
        assert store.feedback_by_fact(since) == []
    finally:
        store.dispose()
    assert stack.microsoft.updates_of(card.activity_id) == []
