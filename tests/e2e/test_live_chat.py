"""Live chat, end to end: the widget in real headless Chromium asks for a person, the team
takes the chat in (fake) Slack, they talk, and the assistant gets the chat back.

Everything runs on loopback: the real assistant (Rasa, the action server, the chat page),
a fake Slack Web API, and Slack's side played by signed requests to the Slack webhook.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.browser_support import (
    BLOCKING_IMPACTS,
    bot_messages,
    choices,
    expect,
    log,
    open_chat,
    run_axe,
    save_axe_report,
    say,
    summarise,
)
from tests.fakes.slack_api import (
    FakeSlackApi,
    block_actions_body,
    event_body,
    sign,
    view_submission_body,
)
from tests.fakes.webhook import WebhookReceiver
from tests.support.channel_stack import ChannelStack
from tests.support.harness import http
from tests.support.live_chat import store_lead, wait_for
from tsf_leads.repository import open_store
from tsf_leads.service import LeadService

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.e2e

TOKEN = "xoxb-e2e-live-chat"
SECRET = "e2e-live-chat-signing-secret-0123"
TEAM = "C0TEAM0001"
SAM, ALEX = "U0STAFF0SAM", "U0STAFF0ALEX"
WAIT_SECONDS = 25
TAKE, HAND_BACK = "tsf_handover_take", "tsf_handover_end"
CRM_SECRET = "e2e-live-chat-crm-secret-0123456789"


class Stack(ChannelStack):
    """The assistant with Slack and live chat switched on; the team is always in."""

    channel = "rest"

    def __init__(self, workdir: Path, slack: FakeSlackApi, crm: WebhookReceiver) -> None:
        self.slack = slack
        self.crm = crm
        super().__init__(
            workdir,
            {
                "TSF_CRM": "webhook",
                "TSF_CRM_WEBHOOK_URL": crm.hook_url,
                "TSF_CRM_WEBHOOK_SECRET": CRM_SECRET,
                "TSF_DELIVERY_POLL_SECONDS": "0.2",
                "TSF_DELIVERY_BASE_DELAY_SECONDS": "0.5",
                "SLACK_BOT_TOKEN": TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "TSF_SLACK_API_URL": slack.url,
                "TSF_SLACK_DEDUP_DB": str(workdir / "slack_events.db"),
                "TSF_TEAM_SLACK_CHANNEL": TEAM,
                "TSF_OFFICE_HOURS": "always",
                "TSF_HANDOVER_WAIT_SECONDS": str(WAIT_SECONDS),
            },
        )

    def post(self, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> int:
        """POST ``body`` to the Slack webhook, signed unless ``headers`` are given."""
        request = urllib.request.Request(
            f"{self.assistant.rasa_url}/webhooks/slack/webhook",
            data=body,
            method="POST",
            headers={"Content-Type": content_type, **(headers or sign(SECRET, body))},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    def click(self, action: str, token: str, staff: str, channel: str = TEAM) -> int:
        """A team member presses a button on a hand-over card."""
        body = block_actions_body(
            token,
            user=staff,
            channel=channel,
            action_id=action,
            action_ts=f"{time.time():.6f}",
        )
        return self.post(body, "application/x-www-form-urlencoded")

    def reply_in_thread(self, thread_ts: str, staff: str, text: str) -> int:
        """A team member writes in a hand-over card's thread."""
        event = json.loads(event_body(f"Ev{uuid.uuid4().hex[:10]}", text, user=staff, channel=TEAM))
        event["event"]["thread_ts"] = thread_ts
        event["event"]["channel_type"] = "channel"
        return self.post(json.dumps(event).encode(), "application/json")

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
    users = {SAM: "Sam Jones", ALEX: "Alex Smith"}
    with (
        FakeSlackApi(TOKEN, users, members={TEAM: [SAM, ALEX]}) as slack,
        WebhookReceiver(CRM_SECRET) as crm,
        Stack(tmp_path_factory.mktemp("live_chat"), slack, crm) as running,
    ):
        yield running


def cards(slack: FakeSlackApi, after: int = 0) -> list[dict[str, Any]]:
    """The hand-over cards posted to the team channel (not thread replies)."""
    posted = [
        message
        for message in slack.messages(TEAM)
        if not message.get("thread_ts") and "talk to the team" in str(message.get("text"))
    ]
    return posted[after:]


def button(card: dict[str, Any], action: str) -> str:
    """The value (the request's token) of the card's button ``action``."""
    blocks = card["blocks"] if isinstance(card["blocks"], list) else json.loads(card["blocks"])
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == action:
                return str(element["value"])
    raise AssertionError(f"no {action} button on the card")


def ask_for_a_person(page: Page, url: str) -> None:
    """Open the chat, press "Talk to the team" and agree to share the conversation."""
    open_chat(page, url)
    choices(page).get_by_text("Talk to the team").click()
    expect(choices(page).get_by_text("Yes, ask them to join")).to_be_visible()
    assert "share this conversation" in bot_messages(page).last.inner_text()
    choices(page).get_by_text("Yes, ask them to join").click()
    expect(bot_messages(page).last).to_contain_text("I've asked the Social Investment Team")


def test_a_person_takes_the_chat_in_slack_talks_in_the_widget_and_hands_back(
    browser: Browser, stack: Stack
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    before = len(cards(stack.slack))
    ask_for_a_person(page, stack.assistant.web_url)

    card = wait_for(lambda: cards(stack.slack, before))[0]
    assert "[button] ask contact team" in json.dumps(card["blocks"])  # the transcript
    token, thread = button(card, TAKE), card["posted_ts"]

    assert stack.click(TAKE, token, SAM) == 200
    expect(log(page)).to_contain_text("Sam from the Social Investment Team has joined the chat.")
    update = wait_for(lambda: stack.slack.updates(thread))[-1]
    assert "Taken by Sam Jones" in json.dumps(update["blocks"])
    assert button(update, HAND_BACK) == token

    assert stack.reply_in_thread(thread, SAM, "Hello, I'm Sam. How can I help?") == 200
    staff = log(page).locator(".tsf-chat__msg--staff")
    expect(staff.last).to_contain_text("Hello, I'm Sam. How can I help?")
    expect(staff.last.locator(".tsf-chat__who")).to_have_text("Sam, Social Investment Team")

    say(page, "We are a community interest company spun out of the NHS.")
    relayed = wait_for(
        lambda: [m for m in stack.slack.in_thread(thread) if "community interest" in m["text"]]
    )
    assert relayed[0]["text"].startswith("*Applicant:*")

    page.reload()  # the staff message stays, and the chat goes on
    expect(log(page).locator(".tsf-chat__msg--staff").last).to_contain_text("How can I help?")
    violations = run_axe(page, stack.assistant.web_url)
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    save_axe_report("live_chat", violations)
    assert not blocking, summarise(blocking)
    assert stack.reply_in_thread(thread, SAM, "Thanks, I'll email you the form.") == 200
    expect(staff.last).to_contain_text("I'll email you the form.")

    assert stack.click(HAND_BACK, token, SAM) == 200
    expect(log(page)).to_contain_text("Sam has handed you back to the assistant.")
    answered = bot_messages(page).count()
    say(page, "are you a bot?")
    expect(bot_messages(page)).to_have_count(answered + 1)
    expect(bot_messages(page).last).to_contain_text("assistant")
    ended = wait_for(
        lambda: [
            u
            for u in stack.slack.updates(thread)
            if "handed the chat back" in json.dumps(u["blocks"])
        ]
    )
    assert HAND_BACK not in json.dumps(ended[-1]["blocks"])
    context.close()


def rest(stack: Stack, sender: str, message: str) -> list[dict[str, Any]]:
    """A message from a live-chat client over REST (the API token names the sender)."""
    status, replies = http(
        "POST",
        f"{stack.assistant.rasa_url}/webhooks/rest/webhook?token={stack.assistant.token}",
        {"sender": sender, "message": message, "metadata": {"live_chat": True}},
    )
    assert status == 200, replies
    return list(replies)


def request_person(stack: Stack, sender: str) -> dict[str, Any]:
    """Ask for a person and agree; return the card posted for it."""
    before = len(cards(stack.slack))
    rest(stack, sender, "/ask_contact_team")
    replies = rest(stack, sender, "/affirm")
    assert any("I've asked" in str(reply.get("text")) for reply in replies), replies
    return wait_for(lambda: cards(stack.slack, before))[0]


def staff_texts(stack: Stack, sender: str) -> list[str]:
    return [
        str(event.get("text"))
        for event in stack.events(f"rest:{sender}")
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("tsf_live") == "staff"
    ]


def test_two_chats_at_once_each_hear_only_their_own_thread(stack: Stack) -> None:
    first, second = f"a-{uuid.uuid4().hex[:8]}", f"b-{uuid.uuid4().hex[:8]}"
    card_one, card_two = request_person(stack, first), request_person(stack, second)
    assert stack.click(TAKE, button(card_one, TAKE), SAM) == 200
    assert stack.click(TAKE, button(card_two, TAKE), ALEX) == 200
    wait_for(lambda: len(stack.slack.updates(card_two["posted_ts"])) >= 1)

    assert stack.reply_in_thread(card_one["posted_ts"], SAM, "For the first applicant") == 200
    assert stack.reply_in_thread(card_two["posted_ts"], ALEX, "For the second applicant") == 200

    assert wait_for(lambda: staff_texts(stack, first)) == ["For the first applicant"]
    assert wait_for(lambda: staff_texts(stack, second)) == ["For the second applicant"]
    time.sleep(1)
    assert staff_texts(stack, first) == ["For the first applicant"]


def test_forged_replayed_and_wrong_channel_clicks_change_nothing(stack: Stack) -> None:
    sender = f"c-{uuid.uuid4().hex[:8]}"
    card = request_person(stack, sender)
    token = button(card, TAKE)
    forged = block_actions_body(token, user=ALEX, channel=TEAM, action_id=TAKE)
    form = "application/x-www-form-urlencoded"
    bad_signature = {**sign("not-the-secret", forged)}
    assert stack.post(forged, form, bad_signature) == 401
    stale = sign(SECRET, forged, timestamp=int(time.time()) - 3600)
    assert stack.post(forged, form, stale) == 401
    assert stack.click(TAKE, token, ALEX, channel="C0ELSEWHERE") == 403
    time.sleep(1)
    assert not [e for e in stack.events(f"rest:{sender}") if e.get("event") == "pause"]

    taken = block_actions_body(
        token, user=SAM, channel=TEAM, action_id=TAKE, action_ts=f"{time.time():.6f}"
    )
    assert stack.post(taken, form) == 200
    assert stack.post(taken, form) == 200  # Slack's retry of the same click
    assert stack.click(TAKE, token, ALEX) == 200  # a colleague a moment too late
    wait_for(lambda: stack.slack.updates(card["posted_ts"]))
    time.sleep(1.5)
    events = stack.events(f"rest:{sender}")
    assert [e["event"] for e in events].count("pause") == 1
    joined = [e for e in events if (e.get("metadata") or {}).get("tsf_live") == "joined"]
    assert [e["text"] for e in joined] == [
        "Sam from the Social Investment Team has joined the chat."
    ]
    assert len(stack.slack.updates(card["posted_ts"])) == 1


def test_when_nobody_takes_it_in_time_the_contact_form_is_offered(stack: Stack) -> None:
    sender = f"d-{uuid.uuid4().hex[:8]}"
    card = request_person(stack, sender)

    def expired() -> list[dict[str, Any]]:
        return [
            e
            for e in stack.events(f"rest:{sender}")
            if (e.get("metadata") or {}).get("tsf_live") == "expired"
        ]

    offer = wait_for(expired, timeout=WAIT_SECONDS + 30)[0]
    assert "nobody from the team is free" in offer["text"]
    titles = [b["title"] for b in offer["data"]["buttons"]]
    assert titles == ["Leave my details", "No thanks"]
    update = wait_for(lambda: stack.slack.updates(card["posted_ts"]))[-1]
    assert "Nobody took it in time" in json.dumps(update["blocks"])
    assert TAKE not in json.dumps(update["blocks"])
    assert stack.click(TAKE, button(card, TAKE), SAM) == 200
    time.sleep(1)
    assert not [e for e in stack.events(f"rest:{sender}") if e.get("event") == "pause"]


def test_over_plain_rest_live_chat_is_not_offered(stack: Stack) -> None:
    status, replies = http(
        "POST",
        f"{stack.assistant.rasa_url}/webhooks/rest/webhook?token={stack.assistant.token}",
        {"sender": f"e-{uuid.uuid4().hex[:8]}", "message": "/ask_contact_team"},
    )
    assert status == 200
    text = " ".join(str(reply.get("text")) for reply in replies)
    assert "use the chat page" in text
    assert "Shall I ask them to join?" not in text


def test_a_socketio_client_gets_the_same_live_chat(stack: Stack) -> None:
    # Its own thread and event loop: Playwright's sync API holds this thread's loop.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, socketio_live_chat(stack)).result(timeout=120)


async def socketio_live_chat(stack: Stack) -> None:
    """Ask for a person over socket.io, hear the team, be relayed, be handed back."""
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    heard: list[dict[str, Any]] = []
    confirmed: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    client.on(
        "session_confirm", lambda issued, *_: confirmed.done() or confirmed.set_result(issued)
    )
    client.on("bot_uttered", heard.append)

    async def heard_text(part: str) -> dict[str, Any]:
        for _ in range(300):
            found = [message for message in heard if part in str(message.get("text"))]
            if found:
                return found[-1]
            await asyncio.sleep(0.1)
        raise AssertionError(f"never heard {part!r}: {heard}")

    before = len(cards(stack.slack))
    await client.connect(
        stack.assistant.rasa_url, socketio_path="/socket.io", transports=["polling"]
    )
    try:
        await client.emit("session_request", {"session_id": None})
        session = await asyncio.wait_for(confirmed, timeout=10)
        await client.emit("user_uttered", {"message": "/ask_contact_team", "session_id": session})
        await heard_text("Shall I ask them to join?")
        await client.emit("user_uttered", {"message": "/affirm", "session_id": session})
        await heard_text("I've asked the Social Investment Team")
        card = await asyncio.to_thread(wait_for, lambda: cards(stack.slack, before))
        thread = card[0]["posted_ts"]

        assert await asyncio.to_thread(stack.click, TAKE, button(card[0], TAKE), ALEX) == 200
        joined = await heard_text("has joined the chat")
        assert joined["staff"] == {"name": "Alex", "team": "Social Investment Team"}
        await asyncio.to_thread(stack.reply_in_thread, thread, ALEX, "Hi, Alex here")
        reply = await heard_text("Hi, Alex here")
        assert reply["kind"] == "staff" and reply["staff"]["name"] == "Alex"

        await client.emit("user_uttered", {"message": "Hello Alex", "session_id": session})
        relayed = await asyncio.to_thread(
            wait_for,
            lambda: [m for m in stack.slack.in_thread(thread) if "Hello Alex" in m["text"]],
        )
        assert relayed[0]["text"] == "*Applicant:* Hello Alex"
        assert await asyncio.to_thread(stack.click, HAND_BACK, button(card[0], TAKE), ALEX) == 200
        await heard_text("Alex has handed you back to the assistant.")
    finally:
        await client.disconnect()


def press(stack: Stack, action: str, reference: str, response: str, ts: str) -> int:
    body = block_actions_body(
        reference,
        user=SAM,
        user_name="Sam Jones",
        channel=TEAM,
        action_id=action,
        action_ts=ts,
        response_url=stack.slack.response_url(response),
    )
    return stack.post(body, "application/x-www-form-urlencoded")


def status_events(stack: Stack, reference: str) -> list[dict[str, Any]]:
    return [e for e in stack.crm.status_events.values() if e.get("reference") == reference]


def test_lead_buttons_update_the_store_the_card_and_the_crm_once(stack: Stack) -> None:
    reference = a_lead(stack)
    stack.crm.fail_next(503, times=2)  # the CRM is down for a while

    ts = f"{time.time():.6f}"
    assert press(stack, "tsf_lead_claim", reference, "claim", ts) == 200
    assert press(stack, "tsf_lead_claim", reference, "claim", ts) == 200  # Slack's retry
    assert press(stack, "tsf_lead_claim", reference, "claim-again", f"{time.time():.6f}") == 200
    card = wait_for(lambda: stack.slack.responses_to("claim"))[0]
    assert card["replace_original"] is True
    assert "Claimed by Sam Jones" in json.dumps(card["blocks"])
    assert "tsf_lead_claim" not in json.dumps(card["blocks"])
    assert "tsf_lead_contacted" in json.dumps(card["blocks"])
    [claimed] = wait_for(lambda: status_events(stack, reference), timeout=40)

    assert press(stack, "tsf_lead_not_a_fit", reference, "not-a-fit", f"{time.time():.6f}") == 200
    [view] = wait_for(lambda: stack.slack.views())
    metadata = view["view"]["private_metadata"]
    submit = view_submission_body(metadata, "Not a public-sector spin-out", user=SAM)
    assert stack.post(submit, "application/x-www-form-urlencoded") == 200
    updated = wait_for(lambda: stack.slack.responses_to("not-a-fit"))[0]
    assert "not a fit by sam jones" in json.dumps(updated["blocks"]).lower()
    events = wait_for(
        lambda: len(status_events(stack, reference)) == 2 and status_events(stack, reference)
    )
    assert sorted(event["status"] for event in events) == ["claimed", "not_a_fit"]
    assert claimed["status"] == "claimed"
    time.sleep(1.5)
    assert len(status_events(stack, reference)) == 2  # once each, through the outage

    record = LeadService(open_store(f"sqlite:///{stack.workdir / 'leads.db'}")).get(reference)
    assert record.team is not None
    assert (record.team.status, record.team.staff_name, record.team.reason) == (
        "not_a_fit",
        "Sam Jones",
        "Not a public-sector spin-out",
    )


def test_lead_buttons_from_another_channel_change_nothing(stack: Stack) -> None:
    reference = a_lead(stack)
    body = block_actions_body(
        reference,
        user=ALEX,
        channel="C0ELSEWHERE",
        action_id="tsf_lead_claim",
        response_url=stack.slack.response_url("elsewhere"),
    )
    assert stack.post(body, "application/x-www-form-urlencoded") == 403
    forged = block_actions_body(reference, user=ALEX, channel=TEAM, action_id="tsf_lead_claim")
    assert stack.post(forged, "application/x-www-form-urlencoded", sign("wrong", forged)) == 401
    time.sleep(1)
    assert stack.slack.responses_to("elsewhere") == []
    record = LeadService(open_store(f"sqlite:///{stack.workdir / 'leads.db'}")).get(reference)
    assert record.team is None


def direct_message(stack: Stack, user: str, text: str) -> str:
    """``user`` writes to the bot in a direct message; returns the DM's channel id."""
    channel = f"D{user[1:]}"
    body = event_body(f"Ev{uuid.uuid4().hex[:10]}", text, user=user, channel=channel)
    assert stack.post(body, "application/json") == 200
    return channel


def test_staff_ask_about_leads_in_a_direct_message_and_act_on_the_card(stack: Stack) -> None:
    reference = a_lead(stack)
    dm = direct_message(stack, SAM, "leads today")
    listing = wait_for(lambda: [m for m in stack.slack.messages(dm) if "Leads today" in m["text"]])
    assert reference in listing[0]["text"]

    direct_message(stack, SAM, f"lead {reference.lower()}")
    card = wait_for(lambda: [m for m in stack.slack.messages(dm) if m.get("blocks")])[0]
    assert reference in json.dumps(card["blocks"]) and "tsf_lead_claim" in json.dumps(
        card["blocks"]
    )
    body = block_actions_body(
        reference,
        user=SAM,
        channel=dm,
        action_id="tsf_lead_contacted",
        action_ts=f"{time.time():.6f}",
        response_url=stack.slack.response_url("dm-contacted"),
    )
    assert stack.post(body, "application/x-www-form-urlencoded") == 200
    updated = wait_for(lambda: stack.slack.responses_to("dm-contacted"))[0]
    assert "Contacted by Sam Jones" in json.dumps(updated["blocks"])


def test_people_outside_the_team_get_no_lead_data(stack: Stack) -> None:
    reference = a_lead(stack)
    outsider = "U0OUTSIDER1"
    dm = direct_message(stack, outsider, "open leads")
    [reply] = wait_for(lambda: stack.slack.messages(dm))
    assert "for members of the Social Investment Team's channel" in reply["text"]
    assert reference not in json.dumps(reply)
    body = block_actions_body(reference, user=outsider, channel=dm, action_id="tsf_lead_claim")
    assert stack.post(body, "application/x-www-form-urlencoded") == 403

    status, replies = http(
        "POST",
        f"{stack.assistant.rasa_url}/webhooks/rest/webhook",
        {"sender": "someone-on-the-website", "message": "open leads"},
    )
    assert status == 200 and replies
    assert "TSF-20" not in json.dumps(replies)


def a_lead(stack: Stack) -> str:
    """A lead stored as the dialogue stores it, delivered to the CRM by the running worker."""
    reference = store_lead(stack.workdir)
    wait_for(lambda: stack.crm.delivery_count(reference))
    return reference
