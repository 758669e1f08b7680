"""Leads in the Teams channel: Claim, Contacted and Not a fit on a lead card count only from
the team channel, each activity once, and redraw the card in place; staff questions about
leads are answered by the channel itself, with lead data only in the team channel.

The Bot Connector is faked on 127.0.0.1 (activities signed with its key) and the lead store
is real SQLite; no Rasa agent runs (what would reach it is recorded).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage

from channels import lead_buttons
from channels import teams as teams_module
from channels.live_chat import LiveChatRelay
from channels.teams import NOT_FOR_HERE, REASON_NEEDED, TeamsInput
from tests.fakes.bot_connector import FakeBotFramework, Reply
from tests.support.leads import make_consent, make_summary
from tsf_handover.settings import HandoverSettings
from tsf_handover.store import HandoverStore
from tsf_knowledge.office_hours import OfficeHours
from tsf_leads.repository import LeadStore, open_store
from tsf_leads.service import LeadService

APP_ID = "6a4c2d1f-0000-4000-8000-0000000000aa"
PASSWORD = "lead-buttons-app-password"
TENANT = "8b2e0d3f-0000-4000-8000-0000000000bb"
TEAM = "19:team0leads@thread.tacv2"
ELSEWHERE = "19:another0channel@thread.tacv2"
THREAD = f"{TEAM};messageid=1700000000001"
CARD_ID = "1700000000002"


class Collector:
    """Rasa's ``on_new_message``: records the messages the assistant would answer."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)


@pytest.fixture(scope="module")
def microsoft() -> Iterator[FakeBotFramework]:
    with FakeBotFramework(APP_ID, PASSWORD, TENANT) as server:
        yield server


@pytest.fixture
def leads(tmp_path: Path) -> Iterator[LeadStore]:
    store = open_store(f"sqlite:///{tmp_path / 'leads.db'}")
    yield store
    store.dispose()


@pytest.fixture
def service(
    leads: LeadStore,
    microsoft: FakeBotFramework,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> LeadService:
    service = LeadService(leads, ["crm:webhook"])
    monkeypatch.setattr(lead_buttons, "lead_service", lambda: service)
    monkeypatch.setattr(teams_module, "lead_service", lambda: service)
    settings = HandoverSettings(OfficeHours.parse("always"), 180, "", TEAM, microsoft.service_url)
    handovers = HandoverStore.open(f"sqlite:///{tmp_path / 'tracker.db'}")
    relay = LiveChatRelay(
        lambda: handovers,
        slack_factory=lambda: None,
        settings_factory=lambda: settings,
        teams_factory=lambda: None,
    )
    monkeypatch.setattr(teams_module, "live_chat_relay", lambda: relay)
    return service


@pytest.fixture
async def channel(microsoft: FakeBotFramework, tmp_path: Path) -> AsyncIterator[TeamsInput]:
    teams = TeamsInput.from_credentials(
        {
            "app_id": APP_ID,
            "app_password": PASSWORD,
            "tenant_id": TENANT,
            "token_url": microsoft.token_url,
            "openid_metadata_url": microsoft.openid_metadata_url,
            "dedup_db": str(tmp_path / "events.db"),
        }
    )
    assert isinstance(teams, TeamsInput)
    yield teams
    await teams.http.close()


def a_lead(service: LeadService) -> str:
    now = datetime.now(timezone.utc)
    return service.submit(make_summary(created_at=now), make_consent(given_at=now)).reference


async def send(
    channel: TeamsInput, microsoft: FakeBotFramework, activity: dict[str, Any], collector=None
) -> tuple[int, dict[str, Any]]:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {microsoft.token()}"}
    answer = await channel.handle_request(
        headers, json.dumps(activity).encode(), collector or Collector()
    )
    for _ in range(200):
        if not channel._background_tasks:
            break
        await asyncio.sleep(0.02)
    return answer


def press(
    microsoft: FakeBotFramework,
    reference: str,
    action: str,
    *,
    channel: str = TEAM,
    reason: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A press of a lead card's button on the bot's card ``CARD_ID`` in ``THREAD``."""
    value: dict[str, Any] = {"tsf_lead": reference, "action": action}
    if reason is not None:
        value["reason"] = reason
    activity = microsoft.channel_activity(
        channel,
        THREAD,
        value=value,
        replyToId=CARD_ID,
        aad_object_id="aad-sam",
        **fields,
    )
    activity.pop("text", None)
    return activity


def mentioning_the_bot(activity: dict[str, Any]) -> dict[str, Any]:
    activity["text"] = f"<at>TSF Assistant</at> {activity['text']}"
    activity["entities"] = [
        {"type": "mention", "text": "<at>TSF Assistant</at>", "mentioned": activity["recipient"]}
    ]
    return activity


def card_of(reply: Reply) -> dict[str, Any]:
    [attachment] = reply.activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return dict(attachment["content"])


def action_names(card: dict[str, Any]) -> list[str]:
    return [str(action["title"]) for action in card.get("actions", [])]


async def test_claim_from_the_team_channel_sets_the_status_and_redraws_the_card_in_place(
    microsoft: FakeBotFramework, channel: TeamsInput, service: LeadService
) -> None:
    reference = a_lead(service)

    status, _ = await send(channel, microsoft, press(microsoft, reference, "claim"))

    assert status == 200
    team = service.get(reference).team
    assert team is not None
    assert (team.status, team.staff_id, team.staff_name) == ("claimed", "aad-sam", "Sam Jones")
    [update] = [u for u in microsoft.updates_of(CARD_ID) if u.conversation_id == THREAD]
    card = card_of(update)
    assert "Claimed by Sam Jones" in json.dumps(card)
    assert action_names(card) == ["Contacted", "Not a fit"]
    assert update.activity["id"] == CARD_ID


async def test_a_retried_press_changes_nothing_twice(
    microsoft: FakeBotFramework, channel: TeamsInput, service: LeadService
) -> None:
    reference = a_lead(service)
    activity = press(microsoft, reference, "contacted")
    before = len(microsoft.updates_of(CARD_ID))

    first = await send(channel, microsoft, activity)
    again = await send(channel, microsoft, activity)  # the connector's retry

    assert (first[0], again) == (200, (200, {"ignored": "duplicate"}))
    assert len(microsoft.updates_of(CARD_ID)) == before + 1
    assert len(service.status_history(reference)) == 1


@pytest.mark.parametrize(
    "channel_data",
    [{"channel": {"id": ELSEWHERE}}, {}, {"channel": "not an object"}],
)
async def test_a_press_from_outside_the_team_channel_is_refused_and_changes_nothing(
    microsoft: FakeBotFramework,
    channel: TeamsInput,
    service: LeadService,
    channel_data: dict[str, Any],
) -> None:
    reference = a_lead(service)
    activity = press(microsoft, reference, "claim")
    activity["channelData"] = {"tenant": {"id": TENANT}, **channel_data}
    before = (len(microsoft.updates), len(microsoft.replies))

    status, _ = await send(channel, microsoft, activity)

    assert status == 403
    assert service.get(reference).team is None
    assert (len(microsoft.updates), len(microsoft.replies)) == before


async def test_not_a_fit_without_a_reason_asks_for_one_and_with_it_sets_the_status(
    microsoft: FakeBotFramework, channel: TeamsInput, service: LeadService
) -> None:
    reference = a_lead(service)
    without = press(microsoft, reference, "not_a_fit")

    await send(channel, microsoft, without)

    assert service.get(reference).team is None
    [asked] = [r for r in microsoft.replies_to(THREAD) if r.reply_to_id == without["id"]]
    assert asked.activity["text"] == REASON_NEEDED

    await send(
        channel, microsoft, press(microsoft, reference, "not_a_fit", reason=" Not a spin-out ")
    )

    team = service.get(reference).team
    assert team is not None
    assert (team.status, team.reason) == ("not_a_fit", "Not a spin-out")
    card = card_of(microsoft.updates_of(CARD_ID)[-1])
    assert "Not a spin-out" in json.dumps(card) and "actions" not in card


async def test_a_move_the_status_does_not_allow_is_answered_with_the_problem(
    microsoft: FakeBotFramework, channel: TeamsInput, service: LeadService
) -> None:
    reference = a_lead(service)
    await send(channel, microsoft, press(microsoft, reference, "contacted"))
    updates = len(microsoft.updates)
    late = press(microsoft, reference, "claim")

    status, _ = await send(channel, microsoft, late)

    assert status == 200
    assert service.get(reference).team.status == "contacted"  # type: ignore[union-attr]
    assert len(microsoft.updates) == updates
    [said] = [r for r in microsoft.replies_to(THREAD) if r.reply_to_id == late["id"]]
    assert "contacted" in said.activity["text"].lower()


@pytest.mark.parametrize(
    "value",
    [
        {"tsf_lead": "not a reference", "action": "claim"},
        {"tsf_lead": "TSF-2026-000001", "action": "delete"},
        {"tsf_lead": ["TSF-2026-000001"], "action": "claim"},
    ],
)
async def test_a_press_naming_no_lead_action_is_a_bad_request(
    microsoft: FakeBotFramework,
    channel: TeamsInput,
    service: LeadService,
    value: dict[str, Any],
) -> None:
    activity = microsoft.channel_activity(TEAM, THREAD, value=value, replyToId=CARD_ID)

    status, _ = await send(channel, microsoft, activity)

    assert status == 400


async def test_lead_reference_mentioning_the_bot_gets_the_card_posted_by_the_bot(
    microsoft: FakeBotFramework, channel: TeamsInput, service: LeadService
) -> None:
    reference = a_lead(service)
    collector = Collector()
    thread = f"{TEAM};messageid=1700000000100"
    asked = mentioning_the_bot(
        microsoft.channel_activity(TEAM, thread, f"lead {reference.lower()}")
    )

    status, _ = await send(channel, microsoft, asked, collector)

    assert status == 200
    assert collector.messages == []  # never Rasa's
    [reply] = microsoft.replies_to(thread)
    assert reply.reply_to_id == asked["id"]
    assert reply.activity["from"]["id"] == f"28:{APP_ID}"
    card = card_of(reply)
    assert reference in json.dumps(card)
    assert action_names(card) == ["Claim", "Contacted", "Not a fit"]
    assert card["actions"][0]["data"] == {"tsf_lead": reference, "action": "claim"}


async def test_open_leads_and_leads_today_are_listed_in_the_team_channel(
    microsoft: FakeBotFramework, channel: TeamsInput, service: LeadService
) -> None:
    reference = a_lead(service)
    collector = Collector()
    thread = f"{TEAM};messageid=1700000000200"

    for question in ("open leads", "Leads today?", "lead TSF-2020-999999"):
        activity = mentioning_the_bot(microsoft.channel_activity(TEAM, thread, question))
        await send(channel, microsoft, activity, collector)

    texts = [reply.activity["text"] for reply in microsoft.replies_to(thread)]
    assert texts[0].startswith("Open leads (1):") and reference in texts[0]
    assert texts[1].startswith("Leads today (1):") and reference in texts[1]
    assert texts[2] == "There is no lead TSF-2020-999999."
    assert collector.messages == []


async def test_a_question_repeated_by_the_connector_is_answered_once(
    microsoft: FakeBotFramework, channel: TeamsInput, service: LeadService
) -> None:
    a_lead(service)
    thread = f"{TEAM};messageid=1700000000300"
    activity = mentioning_the_bot(microsoft.channel_activity(TEAM, thread, "open leads"))

    await send(channel, microsoft, activity)
    again = await send(channel, microsoft, activity)

    assert again == (200, {"ignored": "duplicate"})
    assert len(microsoft.replies_to(thread)) == 1


@pytest.mark.parametrize("where", ["personal chat", "another channel"])
async def test_questions_about_leads_elsewhere_get_no_lead_data(
    microsoft: FakeBotFramework, channel: TeamsInput, service: LeadService, where: str
) -> None:
    reference = a_lead(service)
    collector = Collector()
    if where == "personal chat":
        activity = microsoft.activity(f"lead {reference}", user_id="29:outsider")
    else:
        activity = mentioning_the_bot(
            microsoft.channel_activity(ELSEWHERE, f"{ELSEWHERE};messageid=5", f"lead {reference}")
        )
    conversation = activity["conversation"]["id"]

    status, _ = await send(channel, microsoft, activity, collector)

    assert status == 200
    [reply] = microsoft.replies_to(conversation)
    assert reply.activity["text"] == NOT_FOR_HERE
    assert reference not in json.dumps(reply.activity)
    assert collector.messages == []


async def test_other_messages_still_go_to_the_assistant(
    microsoft: FakeBotFramework, channel: TeamsInput, service: LeadService
) -> None:
    collector = Collector()
    activity = microsoft.activity("how many leads do you get?")

    status, _ = await send(channel, microsoft, activity, collector)

    assert status == 202
    assert [m.text for m in collector.messages] == ["how many leads do you get?"]
