"""Live chat over Microsoft Teams, end to end: an applicant on the chat page (over REST) asks
for a person, the card starts a thread in the team's Teams channel, a colleague takes it,
they talk, and the assistant gets the chat back.

Everything runs on loopback: the real assistant (Rasa, the action server) and a fake
Microsoft (login, signing keys, Bot Connector); Teams' side is played by activities signed
with the fake's keys and posted to the Teams webhook.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.browser_support import bot_messages, choices, expect, log, open_chat, say
from tests.fakes.bot_connector import FakeBotFramework, Reply, Thread, new_key
from tests.support.channel_stack import ChannelStack
from tests.support.harness import http
from tests.support.live_chat import wait_for

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e

APP_ID = "4d8a6b73-0000-4000-8000-00000000e3e0"
PASSWORD = "e2e-live-chat-app-password"
TENANT = "5e9b7c84-0000-4000-8000-00000000e3e1"
TEAM = "19:e2e0team0live0chat@thread.tacv2"
WAIT_SECONDS = 25
TAKE, HAND_BACK = "tsf_handover_take", "tsf_handover_end"
SAM = {"user_id": "29:staff-sam", "name": "Sam Jones", "aad_object_id": "aad-sam"}
ALEX = {"user_id": "29:staff-alex", "name": "Alex Smith", "aad_object_id": "aad-alex"}


class Stack(ChannelStack):
    """The assistant with Teams and live chat switched on; the team is always in."""

    channel = "rest"

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
                "TSF_TEAMS_SERVICE_URL": microsoft.service_url,
                "TSF_TEAM_TEAMS_CHANNEL": TEAM,
                "TSF_SLACK_DEDUP_DB": str(workdir / "events.db"),
                "TSF_OFFICE_HOURS": "always",
                "TSF_HANDOVER_WAIT_SECONDS": str(WAIT_SECONDS),
            },
        )

    def send(self, activity: dict[str, Any], authorization: str | None = "signed") -> int:
        """POST an activity to the Teams webhook, signed by the fake's key unless told."""
        if authorization == "signed":
            authorization = f"Bearer {self.microsoft.token()}"
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

    def click(self, thread: Thread, action: str, staff: dict[str, str], channel: str = TEAM) -> int:
        """A colleague presses a button on a hand-over card."""
        activity = self.microsoft.click(
            channel, thread.conversation_id, action, token_of(thread), **staff
        )
        return self.send(activity)

    def reply_in_thread(self, thread: Thread, staff: dict[str, str], text: str) -> int:
        """A colleague writes in a hand-over card's thread."""
        return self.send(
            self.microsoft.channel_activity(TEAM, thread.conversation_id, text, **staff)
        )

    def events(self, conversation: str) -> list[dict[str, Any]]:
        """The conversation's tracker events."""
        status, tracker = http(
            "GET",
            f"{self.assistant.rasa_url}/conversations/{conversation}/tracker"
            f"?token={self.assistant.token}",
        )
        assert status == 200, tracker
        return list(tracker["events"])


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with (
        FakeBotFramework(APP_ID, PASSWORD, TENANT) as microsoft,
        Stack(tmp_path_factory.mktemp("live_chat_teams"), microsoft) as running,
    ):
        yield running


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return dict(attachment["content"])


def token_of(thread: Thread) -> str:
    """The request's token, from the Take it button of the card that started ``thread``."""
    [action] = card_of(thread.body["activity"])["actions"]
    assert action["data"]["tsf_handover"] == TAKE
    return str(action["data"]["token"])


def rest(stack: Stack, sender: str, message: str) -> list[dict[str, Any]]:
    """A message from a live-chat client over REST (the API token names the sender)."""
    status, replies = http(
        "POST",
        f"{stack.assistant.rasa_url}/webhooks/rest/webhook?token={stack.assistant.token}",
        {"sender": sender, "message": message, "metadata": {"live_chat": True}},
    )
    assert status == 200, replies
    return list(replies)


def request_person(stack: Stack, sender: str) -> Thread:
    """Ask for a person and agree; return the thread the card started in the team channel."""
    before = len(stack.microsoft.threads_in(TEAM))
    rest(stack, sender, "/ask_contact_team")
    replies = rest(stack, sender, "/affirm")
    assert any("I've asked" in str(reply.get("text")) for reply in replies), replies
    return wait_for(lambda: stack.microsoft.threads_in(TEAM)[before:])[0]


def live(stack: Stack, sender: str, kind: str) -> list[str]:
    """The texts of the conversation's live messages of ``kind``."""
    return [
        str(event.get("text"))
        for event in stack.events(f"rest:{sender}")
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("tsf_live") == kind
    ]


def said_in(stack: Stack, thread: Thread) -> list[str]:
    """What the bot has said in the thread so far."""
    return [
        str(reply.activity.get("text"))
        for reply in stack.microsoft.replies_to(thread.conversation_id)
    ]


def updates(stack: Stack, thread: Thread) -> list[Reply]:
    return stack.microsoft.updates_of(thread.activity_id)


def test_a_colleague_takes_the_chat_in_teams_talks_and_hands_back(stack: Stack) -> None:
    sender = f"t-{uuid.uuid4().hex[:8]}"
    thread = request_person(stack, sender)
    card = card_of(thread.body["activity"])
    assert "[button] ask contact team" in json.dumps(card["body"])  # the transcript
    assert thread.conversation_id == f"{TEAM};messageid={thread.activity_id}"

    assert stack.click(thread, TAKE, SAM) == 200
    assert wait_for(lambda: live(stack, sender, "joined")) == [
        "Sam from the Social Investment Team has joined the chat."
    ]
    update = card_of(wait_for(lambda: updates(stack, thread))[-1].activity)
    assert "Taken by Sam Jones" in json.dumps(update["body"])
    assert [a["data"] for a in update["actions"]] == [
        {"tsf_handover": HAND_BACK, "token": token_of(thread)}
    ]
    assert wait_for(lambda: said_in(stack, thread))[0].startswith("Sam Jones is chatting")

    assert stack.reply_in_thread(thread, SAM, "Hello, I'm Sam. How can I help?") == 200
    assert wait_for(lambda: live(stack, sender, "staff")) == ["Hello, I'm Sam. How can I help?"]

    assert rest(stack, sender, "We are a community interest company spun out of the NHS.") == []
    relayed = wait_for(lambda: [t for t in said_in(stack, thread) if "community interest" in t])
    assert relayed == ["Applicant: We are a community interest company spun out of the NHS."]

    assert stack.click(thread, HAND_BACK, SAM) == 200
    assert wait_for(lambda: live(stack, sender, "ended"))[0].startswith(
        "Sam has handed you back to the assistant."
    )
    ended = wait_for(
        lambda: [
            u for u in updates(stack, thread) if "handed the chat back" in json.dumps(u.activity)
        ]
    )
    assert "actions" not in card_of(ended[-1].activity)
    assert wait_for(lambda: "The assistant has the chat again." in said_in(stack, thread))
    answer = rest(stack, sender, "are you a bot?")
    assert "assistant" in " ".join(str(reply.get("text")) for reply in answer)


def test_two_chats_at_once_each_hear_only_their_own_thread(stack: Stack) -> None:
    first, second = f"a-{uuid.uuid4().hex[:8]}", f"b-{uuid.uuid4().hex[:8]}"
    thread_one, thread_two = request_person(stack, first), request_person(stack, second)
    assert thread_one.conversation_id != thread_two.conversation_id
    assert stack.click(thread_one, TAKE, SAM) == 200
    assert stack.click(thread_two, TAKE, ALEX) == 200
    wait_for(lambda: updates(stack, thread_one) and updates(stack, thread_two))

    assert stack.reply_in_thread(thread_one, SAM, "For the first applicant") == 200
    assert stack.reply_in_thread(thread_two, ALEX, "For the second applicant") == 200

    assert wait_for(lambda: live(stack, first, "staff")) == ["For the first applicant"]
    assert wait_for(lambda: live(stack, second, "staff")) == ["For the second applicant"]
    rest(stack, second, "A question for Alex")
    wait_for(lambda: [t for t in said_in(stack, thread_two) if "A question for Alex" in t])
    time.sleep(1)
    assert live(stack, first, "staff") == ["For the first applicant"]
    assert not [t for t in said_in(stack, thread_one) if "A question for Alex" in t]

    assert stack.reply_in_thread(thread_one, SAM, "handback") == 200
    wait_for(lambda: live(stack, first, "ended"))
    assert live(stack, second, "ended") == []


def test_forged_replayed_and_wrong_channel_clicks_change_nothing(stack: Stack) -> None:
    sender = f"c-{uuid.uuid4().hex[:8]}"
    thread = request_person(stack, sender)
    microsoft = stack.microsoft
    take = microsoft.click(TEAM, thread.conversation_id, TAKE, token_of(thread), **ALEX)

    assert stack.send(take, None) == 401
    assert stack.send(take, f"Bearer {microsoft.token(key=new_key())}") == 401
    assert stack.send(take, f"Bearer {microsoft.token(lifetime=-900)}") == 401
    assert stack.click(thread, TAKE, ALEX, channel="19:elsewhere@thread.tacv2") == 403
    time.sleep(1)
    assert not [e for e in stack.events(f"rest:{sender}") if e.get("event") == "pause"]
    assert updates(stack, thread) == []

    taken = microsoft.click(TEAM, thread.conversation_id, TAKE, token_of(thread), **SAM)
    assert stack.send(taken) == 200
    assert stack.send(taken) == 200  # the connector's retry of the same activity
    assert stack.click(thread, TAKE, ALEX) == 200  # a colleague a moment too late
    wait_for(lambda: updates(stack, thread))
    time.sleep(1.5)
    events = stack.events(f"rest:{sender}")
    assert [e["event"] for e in events].count("pause") == 1
    assert live(stack, sender, "joined") == [
        "Sam from the Social Investment Team has joined the chat."
    ]
    assert len(updates(stack, thread)) == 1

    reply = microsoft.channel_activity(TEAM, thread.conversation_id, "Only once, please", **SAM)
    assert stack.send(reply) == 200
    assert stack.send(reply) == 200  # retried
    wait_for(lambda: live(stack, sender, "staff"))
    time.sleep(1)
    assert live(stack, sender, "staff") == ["Only once, please"]


def test_when_nobody_takes_it_in_time_the_card_says_so_and_cannot_be_taken(stack: Stack) -> None:
    sender = f"d-{uuid.uuid4().hex[:8]}"
    thread = request_person(stack, sender)

    offer = wait_for(lambda: live(stack, sender, "expired"), timeout=WAIT_SECONDS + 30)[0]
    assert "nobody from the team is free" in offer
    update = card_of(wait_for(lambda: updates(stack, thread))[-1].activity)
    assert "Nobody took it in time" in json.dumps(update["body"])
    assert "actions" not in update
    assert stack.click(thread, TAKE, SAM) == 200
    time.sleep(1)
    assert not [e for e in stack.events(f"rest:{sender}") if e.get("event") == "pause"]


def test_the_widget_in_chromium_chats_with_a_colleague_in_teams(
    browser: Browser, stack: Stack
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    before = len(stack.microsoft.threads_in(TEAM))
    open_chat(page, stack.assistant.web_url)
    choices(page).get_by_text("Talk to the team").click()
    choices(page).get_by_text("Yes, ask them to join").click()
    expect(bot_messages(page).last).to_contain_text("I've asked the Social Investment Team")
    thread = wait_for(lambda: stack.microsoft.threads_in(TEAM)[before:])[0]

    assert stack.click(thread, TAKE, ALEX) == 200
    expect(log(page)).to_contain_text("Alex from the Social Investment Team has joined the chat.")
    assert stack.reply_in_thread(thread, ALEX, "Hello from Teams") == 200
    staff = log(page).locator(".tsf-chat__msg--staff")
    expect(staff.last).to_contain_text("Hello from Teams")
    expect(staff.last.locator(".tsf-chat__who")).to_have_text("Alex, Social Investment Team")

    say(page, "Thanks Alex, we need about £400k")
    relayed = wait_for(lambda: [t for t in said_in(stack, thread) if "£400k" in t])
    assert relayed == ["Applicant: Thanks Alex, we need about £400k"]

    assert stack.click(thread, HAND_BACK, ALEX) == 200
    expect(log(page)).to_contain_text("Alex has handed you back to the assistant.")
    answered = bot_messages(page).count()
    say(page, "are you a bot?")
    expect(bot_messages(page)).to_have_count(answered + 1)
    context.close()
