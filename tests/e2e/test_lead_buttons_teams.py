"""Leads in Microsoft Teams, end to end: a colleague asks the bot for a lead in the team
channel, gets its card from the bot, and presses Claim and Not a fit on it; the lead store,
the card and the CRM each hear of every change once, whatever Teams retries.

Everything runs on loopback: the real assistant (Rasa, the action server and the delivery
worker), a fake Microsoft (login, signing keys, Bot Connector) and a webhook CRM that is down
for a while; Teams' side is played by activities signed with the fake's keys.
"""

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

from tests.fakes.bot_connector import FakeBotFramework, Reply
from tests.fakes.webhook import WebhookReceiver
from tests.support.channel_stack import ChannelStack
from tests.support.live_chat import store_lead, wait_for
from tsf_leads.repository import LeadRecord, open_store
from tsf_leads.service import LeadService

pytestmark = pytest.mark.e2e

APP_ID = "3c7b5a62-0000-4000-8000-00000000e4e0"
PASSWORD = "e2e-lead-buttons-app-password"
TENANT = "4d8c6b73-0000-4000-8000-00000000e4e1"
TEAM = "19:e2e0team0leads@thread.tacv2"
ELSEWHERE = "19:e2e0elsewhere@thread.tacv2"
CRM_SECRET = "e2e-lead-buttons-crm-secret-0123456789"
SAM = {"user_id": "29:staff-sam", "name": "Sam Jones", "aad_object_id": "aad-sam"}


class Stack(ChannelStack):
    """The assistant with Teams on, a team channel, and a webhook CRM."""

    channel = "teams"

    def __init__(self, workdir: Path, microsoft: FakeBotFramework, crm: WebhookReceiver) -> None:
        self.microsoft = microsoft
        self.crm = crm
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
                "TSF_CRM": "webhook",
                "TSF_CRM_WEBHOOK_URL": crm.hook_url,
                "TSF_CRM_WEBHOOK_SECRET": CRM_SECRET,
                "TSF_DELIVERY_POLL_SECONDS": "0.2",
                "TSF_DELIVERY_BASE_DELAY_SECONDS": "0.5",
            },
        )

    def send(self, activity: dict[str, Any]) -> int:
        """POST a signed activity to the Teams webhook; the HTTP status."""
        request = urllib.request.Request(
            f"{self.assistant.rasa_url}/webhooks/teams/webhook",
            data=json.dumps(activity).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.microsoft.token()}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    def record(self, reference: str) -> LeadRecord:
        store = open_store(f"sqlite:///{self.workdir / 'leads.db'}")
        try:
            return LeadService(store).get(reference)
        finally:
            store.dispose()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with (
        FakeBotFramework(APP_ID, PASSWORD, TENANT) as microsoft,
        WebhookReceiver(CRM_SECRET) as crm,
        Stack(tmp_path_factory.mktemp("lead_buttons_teams"), microsoft, crm) as running,
    ):
        yield running


def mentioning_the_bot(activity: dict[str, Any]) -> dict[str, Any]:
    activity["text"] = f"<at>TSF Assistant</at> {activity['text']}"
    activity["entities"] = [
        {"type": "mention", "text": "<at>TSF Assistant</at>", "mentioned": activity["recipient"]}
    ]
    return activity


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return dict(attachment["content"])


def ask_for_card(stack: Stack, reference: str) -> tuple[str, Reply]:
    """Ask for the lead in a new thread of the team channel; the thread and the bot's card."""
    thread = f"{TEAM};messageid={uuid.uuid4().int % 10**13}"
    asked = stack.microsoft.channel_activity(TEAM, thread, f"lead {reference}", **SAM)
    assert stack.send(mentioning_the_bot(asked)) == 200
    [card] = wait_for(lambda: stack.microsoft.replies_to(thread))
    return thread, card


def press(
    stack: Stack,
    thread: str,
    card: Reply,
    reference: str,
    action: str,
    *,
    channel: str = TEAM,
    **value: str,
) -> dict[str, Any]:
    """A press of a button on the bot's ``card``: the message activity Teams sends."""
    activity = stack.microsoft.channel_activity(
        channel,
        thread,
        value={"tsf_lead": reference, "action": action, **value},
        replyToId=card.activity_id,
        **SAM,
    )
    activity.pop("text", None)
    return activity


def status_events(stack: Stack, reference: str) -> list[dict[str, Any]]:
    return [e for e in stack.crm.status_events.values() if e.get("reference") == reference]


def test_a_lead_card_from_the_bot_and_its_buttons_update_store_card_and_crm_once(
    stack: Stack,
) -> None:
    reference = a_lead(stack)
    thread, card = ask_for_card(stack, reference)
    posted = card_of(card.activity)
    assert reference in json.dumps(posted)
    assert card.activity["from"]["id"] == f"28:{APP_ID}"  # the bot's own card
    assert [a["title"] for a in posted["actions"]] == ["Claim", "Contacted", "Not a fit"]

    stack.crm.fail_next(503, times=2)  # the CRM is down for a while
    claim = press(stack, thread, card, reference, "claim")
    assert stack.send(claim) == 200
    assert stack.send(claim) == 200  # the connector's retry of the same activity
    assert stack.send(press(stack, thread, card, reference, "claim")) == 200  # pressed again
    updates = wait_for(lambda: stack.microsoft.updates_of(card.activity_id))
    redrawn = card_of(updates[0].activity)
    assert updates[0].conversation_id == thread
    assert "Claimed by Sam Jones" in json.dumps(redrawn)
    assert [a["title"] for a in redrawn["actions"]] == ["Contacted", "Not a fit"]
    [claimed] = wait_for(lambda: status_events(stack, reference), timeout=40)
    assert claimed["status"] == "claimed"
    time.sleep(1.5)
    assert len(status_events(stack, reference)) == 1  # once, through the outage
    record = stack.record(reference)
    assert record.team is not None
    assert (record.team.status, record.team.staff_id, record.team.staff_name) == (
        "claimed",
        "aad-sam",
        "Sam Jones",
    )

    reason = "Not a public-sector spin-out"
    assert stack.send(press(stack, thread, card, reference, "not_a_fit", reason=reason)) == 200
    final = wait_for(
        lambda: [
            u
            for u in stack.microsoft.updates_of(card.activity_id)
            if reason in json.dumps(u.activity)
        ]
    )
    assert "actions" not in card_of(final[-1].activity)
    events = wait_for(
        lambda: len(status_events(stack, reference)) == 2 and status_events(stack, reference)
    )
    assert sorted(event["status"] for event in events) == ["claimed", "not_a_fit"]
    record = stack.record(reference)
    assert record.team is not None
    assert (record.team.status, record.team.reason) == ("not_a_fit", reason)


def test_a_press_from_another_channel_is_refused_and_changes_nothing(stack: Stack) -> None:
    reference = a_lead(stack)
    thread, card = ask_for_card(stack, reference)

    elsewhere = press(stack, thread, card, reference, "claim", channel=ELSEWHERE)
    assert stack.send(elsewhere) == 403
    time.sleep(1)

    assert stack.microsoft.updates_of(card.activity_id) == []
    assert stack.record(reference).team is None
    assert status_events(stack, reference) == []


def test_a_personal_chat_asking_about_leads_gets_no_lead_data(stack: Stack) -> None:
    reference = a_lead(stack)
    asked = stack.microsoft.activity("open leads", user_id="29:outsider")
    conversation = asked["conversation"]["id"]

    assert stack.send(asked) == 200

    [reply] = wait_for(lambda: stack.microsoft.replies_to(conversation))
    assert reply.activity["text"] == (
        "Questions about leads are for the Social Investment Team's channel."
    )
    assert reference not in json.dumps(reply.activity)
    assert "TSF-20" not in json.dumps(reply.activity)


def test_a_new_leads_card_is_posted_by_the_bot_and_its_buttons_work(stack: Stack) -> None:
    reference = store_lead(stack.workdir, ["crm:webhook", "notify:teams-channel"])

    def posted() -> list[Any]:
        return [
            thread
            for thread in stack.microsoft.threads_in(TEAM)
            if reference in json.dumps(thread.body["activity"])
        ]

    [thread] = wait_for(posted)
    card = Reply(
        conversation_id=thread.conversation_id,
        reply_to_id=None,
        activity=thread.body["activity"],
        activity_id=thread.activity_id,
    )
    assert [a["title"] for a in card_of(card.activity)["actions"]] == [
        "Claim",
        "Contacted",
        "Not a fit",
    ]
    wait_for(lambda: stack.crm.delivery_count(reference))
    assert stack.send(press(stack, thread.conversation_id, card, reference, "contacted")) == 200
    [update] = wait_for(lambda: stack.microsoft.updates_of(thread.activity_id))
    assert "Contacted by Sam Jones" in json.dumps(update.activity)
    assert stack.record(reference).team.status == "contacted"  # type: ignore[union-attr]


def a_lead(stack: Stack) -> str:
    """A lead stored as the dialogue stores it, delivered to the CRM by the running worker."""
    reference = store_lead(stack.workdir)
    wait_for(lambda: stack.crm.delivery_count(reference))
    return reference
