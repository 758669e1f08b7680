"""Live chat in the Teams channel: Take it and Hand back count only when signed and from the
team channel, each activity once; replies in a taken request's thread reach the applicant.

The Bot Connector is faked on 127.0.0.1 and the hand-over store is real SQLite; the relay's
writes to Rasa's tracker are recorded instead (no Rasa agent runs here).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, ConversationResumed, Event

from channels import teams as teams_module
from channels.live_chat import LiveChatRelay
from channels.teams import TeamsInput
from tests.fakes.bot_connector import FakeBotFramework, new_key
from tsf_handover.cards import HAND_BACK_ACTION, TAKE_ACTION
from tsf_handover.settings import HandoverSettings
from tsf_handover.store import ENDED, TAKEN, WAITING, Handover, HandoverStore
from tsf_handover.teams_team import TeamsTeamChannel
from tsf_knowledge.office_hours import OfficeHours
from tsf_leads.oauth import bot_token_cache

APP_ID = "5f3b1c1e-0000-4000-8000-0000000000dd"
PASSWORD = "live-chat-app-password"
TENANT = "7a1d9c2e-0000-4000-8000-0000000000ee"
TEAM = "19:team0live0chat@thread.tacv2"
APPLICANT = "rest:applicant-1"


class RecordingRelay(LiveChatRelay):
    """The real relay, with what it would add to Rasa's trackers recorded instead."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.appended: dict[str, list[Event]] = {}

    async def _append(self, conversation_id: str, events: list[Event]) -> None:
        self.appended.setdefault(conversation_id, []).extend(events)


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
def store(tmp_path: Path) -> HandoverStore:
    return HandoverStore.open(f"sqlite:///{tmp_path / 'tracker.db'}")


@pytest.fixture
def relay(
    microsoft: FakeBotFramework, store: HandoverStore, monkeypatch: pytest.MonkeyPatch
) -> RecordingRelay:
    settings = HandoverSettings(OfficeHours.parse("always"), 180, "", TEAM, microsoft.service_url)
    tokens = bot_token_cache(microsoft.token_url.replace("{tenant}", TENANT), APP_ID, PASSWORD)
    relay = RecordingRelay(
        lambda: store,
        slack_factory=lambda: None,
        settings_factory=lambda: settings,
        teams_factory=lambda: TeamsTeamChannel(TEAM, microsoft.service_url, tokens),
    )
    monkeypatch.setattr(teams_module, "live_chat_relay", lambda: relay)
    return relay


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


async def posted(relay: RecordingRelay, store: HandoverStore) -> Handover:
    """A waiting request whose card was posted to the team channel."""
    handover = store.request(APPLICANT, 1_800_000_000.0, 180, "").handover
    assert handover is not None
    teams = relay.teams()
    assert teams is not None
    thread = await teams.post_request(handover)
    assert thread is not None
    store.bind_teams(handover.token, *thread)
    bound = store.by_token(handover.token)
    assert bound is not None
    return bound


async def send(
    channel: TeamsInput,
    activity: dict[str, Any],
    authorization: str | None,
    collector: Collector | None = None,
) -> tuple[int, dict[str, Any]]:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    answer = await channel.handle_request(
        headers, json.dumps(activity).encode(), collector or Collector()
    )
    for _ in range(100):
        if not channel._background_tasks:
            break
        await asyncio.sleep(0.02)
    return answer


def signed(microsoft: FakeBotFramework) -> str:
    return f"Bearer {microsoft.token()}"


def kinds(events: list[Event]) -> list[str]:
    return [
        type(event).__name__
        if not isinstance(event, BotUttered)
        else f"bot:{(event.metadata or {}).get('tsf_live')}"
        for event in events
    ]


async def test_take_it_from_the_team_channel_takes_the_chat_and_says_so_in_the_thread(
    microsoft: FakeBotFramework, channel: TeamsInput, relay: RecordingRelay, store: HandoverStore
) -> None:
    handover = await posted(relay, store)
    click = microsoft.click(
        TEAM, handover.teams_conversation or "", TAKE_ACTION, handover.token, aad_object_id="aad-1"
    )

    status, _ = await send(channel, click, signed(microsoft))

    assert status == 200
    taken = store.by_token(handover.token)
    assert taken is not None
    assert (taken.status, taken.taken_by_id, taken.taken_by_name, taken.taken_via) == (
        TAKEN,
        "aad-1",
        "Sam Jones",
        "teams",
    )
    assert kinds(relay.appended[APPLICANT]) == ["ConversationPaused", "bot:joined"]
    [update] = microsoft.updates_of(handover.teams_activity or "")
    assert "Taken by Sam Jones" in json.dumps(update.activity)
    [said] = microsoft.replies_to(handover.teams_conversation or "")
    assert said.activity["text"].startswith("Sam Jones is chatting with the applicant now")
    assert "handback" in said.activity["text"]


@pytest.mark.parametrize(
    "channel_data",
    [
        {"channel": {"id": "19:another0channel@thread.tacv2"}},
        {},
        {"channel": "not an object"},
    ],
)
async def test_a_click_from_outside_the_team_channel_is_refused_and_changes_nothing(
    microsoft: FakeBotFramework,
    channel: TeamsInput,
    relay: RecordingRelay,
    store: HandoverStore,
    channel_data: dict[str, Any],
) -> None:
    handover = await posted(relay, store)
    click = microsoft.click(TEAM, handover.teams_conversation or "", TAKE_ACTION, handover.token)
    click["channelData"] = {"tenant": {"id": TENANT}, **channel_data}

    status, _ = await send(channel, click, signed(microsoft))

    assert status == 403
    assert store.by_token(handover.token).status == WAITING  # type: ignore[union-attr]
    assert relay.appended == {}
    assert microsoft.updates_of(handover.teams_activity or "") == []


@pytest.mark.parametrize("forgery", ["no token", "another key", "wrong audience"])
async def test_an_unsigned_or_forged_click_gets_401_and_changes_nothing(
    microsoft: FakeBotFramework,
    channel: TeamsInput,
    relay: RecordingRelay,
    store: HandoverStore,
    forgery: str,
) -> None:
    handover = await posted(relay, store)
    click = microsoft.click(TEAM, handover.teams_conversation or "", TAKE_ACTION, handover.token)
    authorization = {
        "no token": None,
        "another key": f"Bearer {microsoft.token(key=new_key())}",
        "wrong audience": f"Bearer {microsoft.token(aud='another-bot')}",
    }[forgery]

    status, _ = await send(channel, click, authorization)

    assert status == 401
    assert store.by_token(handover.token).status == WAITING  # type: ignore[union-attr]
    assert relay.appended == {}


async def test_a_replayed_click_and_a_late_colleague_change_nothing_twice(
    microsoft: FakeBotFramework, channel: TeamsInput, relay: RecordingRelay, store: HandoverStore
) -> None:
    handover = await posted(relay, store)
    thread = handover.teams_conversation or ""
    click = microsoft.click(TEAM, thread, TAKE_ACTION, handover.token)

    first = await send(channel, click, signed(microsoft))
    again = await send(channel, click, signed(microsoft))  # the connector's retry
    late = microsoft.click(
        TEAM, thread, TAKE_ACTION, handover.token, user_id="29:alex", name="Alex Smith"
    )
    await send(channel, late, signed(microsoft))

    assert (first[0], again) == (200, (200, {"ignored": "duplicate"}))
    assert kinds(relay.appended[APPLICANT]) == ["ConversationPaused", "bot:joined"]
    assert store.by_token(handover.token).taken_by_name == "Sam Jones"  # type: ignore[union-attr]
    assert len(microsoft.updates_of(handover.teams_activity or "")) == 1


async def test_a_reply_in_the_taken_thread_reaches_the_applicant_once(
    microsoft: FakeBotFramework, channel: TeamsInput, relay: RecordingRelay, store: HandoverStore
) -> None:
    handover = await posted(relay, store)
    thread = handover.teams_conversation or ""
    await send(
        channel, microsoft.click(TEAM, thread, TAKE_ACTION, handover.token), signed(microsoft)
    )
    collector = Collector()
    reply = microsoft.channel_activity(TEAM, thread, "Hello, I'm Sam. How can I help?")

    status, _ = await send(channel, reply, signed(microsoft), collector)
    await send(channel, reply, signed(microsoft), collector)  # retried

    assert status == 200
    staff = [e for e in relay.appended[APPLICANT] if isinstance(e, BotUttered)][1:]
    assert [(e.text, (e.metadata or {}).get("staff")) for e in staff] == [
        ("Hello, I'm Sam. How can I help?", "Sam")
    ]
    assert collector.messages == []  # not answered by the assistant


@pytest.mark.parametrize("how", ["button", "handback", "@mention /handback"])
async def test_hand_back_resumes_the_assistant_and_redraws_the_card(
    microsoft: FakeBotFramework,
    channel: TeamsInput,
    relay: RecordingRelay,
    store: HandoverStore,
    how: str,
) -> None:
    handover = await posted(relay, store)
    thread = handover.teams_conversation or ""
    await send(
        channel, microsoft.click(TEAM, thread, TAKE_ACTION, handover.token), signed(microsoft)
    )
    if how == "button":
        activity = microsoft.click(TEAM, thread, HAND_BACK_ACTION, handover.token)
    elif how == "handback":
        activity = microsoft.channel_activity(TEAM, thread, "handback")
    else:
        activity = microsoft.channel_activity(TEAM, thread, "<at>TSF Assistant</at> /handback")

    status, _ = await send(channel, activity, signed(microsoft))

    assert status == 200
    assert store.by_token(handover.token).status == ENDED  # type: ignore[union-attr]
    events = relay.appended[APPLICANT]
    assert kinds(events)[-2:] == ["bot:ended", "ConversationResumed"]
    assert isinstance(events[-1], ConversationResumed)
    assert "handed the chat back" in json.dumps(
        microsoft.updates_of(handover.teams_activity or "")[-1].activity
    )
    assert microsoft.replies_to(thread)[-1].activity["text"] == "The assistant has the chat again."


def mentioning_the_bot(activity: dict[str, Any]) -> dict[str, Any]:
    activity["text"] = f"<at>TSF Assistant</at> {activity['text']}"
    activity["entities"] = [
        {"type": "mention", "text": "<at>TSF Assistant</at>", "mentioned": activity["recipient"]}
    ]
    return activity


async def test_outside_a_taken_thread_the_assistant_answers_what_mentions_it_as_before(
    microsoft: FakeBotFramework, channel: TeamsInput, relay: RecordingRelay, store: HandoverStore
) -> None:
    handover = await posted(relay, store)  # waiting, not taken
    collector = Collector()
    in_waiting_thread = mentioning_the_bot(
        microsoft.channel_activity(TEAM, handover.teams_conversation or "", "who can apply?")
    )
    elsewhere = mentioning_the_bot(
        microsoft.channel_activity(TEAM, f"{TEAM};messageid=42", "what is the rate?")
    )
    unmentioned = microsoft.channel_activity(TEAM, f"{TEAM};messageid=43", "lunch at one?")

    first = await send(channel, in_waiting_thread, signed(microsoft), collector)
    second = await send(channel, elsewhere, signed(microsoft), collector)
    third = await send(channel, unmentioned, signed(microsoft), collector)

    assert (first[0], second[0], third[0]) == (202, 202, 200)
    assert [m.text for m in collector.messages] == ["who can apply?", "what is the rate?"]
    assert relay.appended == {}


async def test_a_click_naming_no_known_action_is_a_bad_request(
    microsoft: FakeBotFramework, channel: TeamsInput, relay: RecordingRelay, store: HandoverStore
) -> None:
    handover = await posted(relay, store)
    click = microsoft.click(TEAM, handover.teams_conversation or "", "tsf_delete", handover.token)

    status, _ = await send(channel, click, signed(microsoft))

    assert status == 400
    assert store.by_token(handover.token).status == WAITING  # type: ignore[union-attr]


async def test_the_applicants_messages_reach_the_teams_thread_unformatted(
    microsoft: FakeBotFramework, channel: TeamsInput, relay: RecordingRelay, store: HandoverStore
) -> None:
    handover = await posted(relay, store)
    thread = handover.teams_conversation or ""
    await send(
        channel, microsoft.click(TEAM, thread, TAKE_ACTION, handover.token), signed(microsoft)
    )

    relayed = await relay.applicant_message(APPLICANT, "We are a **CIC** spun out of the NHS")

    assert relayed
    last = microsoft.replies_to(thread)[-1].activity
    assert (last["text"], last["textFormat"]) == (
        "Applicant: We are a **CIC** spun out of the NHS",
        "plain",
    )
    assert not await relay.applicant_message("rest:nobody-holds-this", "hello")
