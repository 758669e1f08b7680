"""The team's Teams channel: the request card starts a thread through the Bot Connector, is
redrawn in place, and the bot talks in the thread; a refusing or absent connector is a
logged ``None``/``False``, never an exception. Against a fake connector on 127.0.0.1."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.bot_connector import FakeBotFramework
from tsf_handover.cards import HAND_BACK_ACTION, TAKE_ACTION
from tsf_handover.store import Handover, HandoverStore
from tsf_handover.teams_team import TeamsTeamChannel, thread_conversation

APP_ID = "6a1f0c2e-0000-4000-8000-0000000000b1"
PASSWORD = "unit-app-password"
TENANT = "7b2e1d3f-0000-4000-8000-0000000000b2"
TEAM = "19:team0channel0unit@thread.tacv2"
NOW = 1_800_000_000.0


@pytest.fixture
def microsoft() -> Iterator[FakeBotFramework]:
    with FakeBotFramework(APP_ID, PASSWORD, TENANT) as fake:
        yield fake


def environ(microsoft: FakeBotFramework, **changes: str) -> dict[str, str]:
    values = {
        "TSF_TEAM_TEAMS_CHANNEL": TEAM,
        "TSF_TEAMS_SERVICE_URL": microsoft.service_url,
        "TSF_TEAMS_TOKEN_URL": microsoft.token_url,
        "MICROSOFT_APP_ID": APP_ID,
        "MICROSOFT_APP_PASSWORD": PASSWORD,
        "MICROSOFT_APP_TENANT_ID": TENANT,
    }
    values.update(changes)
    return values


@pytest.fixture
def teams(microsoft: FakeBotFramework) -> TeamsTeamChannel:
    channel = TeamsTeamChannel.from_environ(environ(microsoft))
    assert channel is not None
    return channel


@pytest.fixture
def store(tmp_path: Path) -> HandoverStore:
    return HandoverStore.open(f"sqlite:///{tmp_path / 'tracker.db'}")


def waiting(store: HandoverStore) -> Handover:
    handover = store.request("rest:applicant", NOW, 180, "").handover
    assert handover is not None
    return handover


@pytest.mark.parametrize(
    "missing",
    [
        "TSF_TEAM_TEAMS_CHANNEL",
        "MICROSOFT_APP_ID",
        "MICROSOFT_APP_PASSWORD",
        "MICROSOFT_APP_TENANT_ID",
    ],
)
def test_without_the_channel_or_the_bots_credentials_there_is_no_teams_channel(
    microsoft: FakeBotFramework, missing: str
) -> None:
    assert TeamsTeamChannel.from_environ(environ(microsoft, **{missing: ""})) is None


async def test_the_card_starts_a_thread_in_the_team_channel(
    microsoft: FakeBotFramework, teams: TeamsTeamChannel, store: HandoverStore
) -> None:
    handover = waiting(store)

    posted = await teams.post_request(handover)

    [thread] = microsoft.threads_in(TEAM)
    assert posted == (thread.conversation_id, thread.activity_id)
    assert thread.conversation_id == thread_conversation(TEAM, thread.activity_id)
    assert thread.body["isGroup"] is True
    assert thread.body["channelData"] == {"channel": {"id": TEAM}}
    [attachment] = thread.body["activity"]["attachments"]
    assert thread.body["activity"]["type"] == "message"
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"]["actions"][0]["data"] == {
        "tsf_handover": TAKE_ACTION,
        "token": handover.token,
    }
    assert microsoft.requests["token"] == 1


async def test_the_card_is_redrawn_in_place_for_its_new_state(
    microsoft: FakeBotFramework, teams: TeamsTeamChannel, store: HandoverStore
) -> None:
    handover = waiting(store)
    conversation, activity = await teams.post_request(handover) or ("", "")
    store.bind_teams(handover.token, conversation, activity)
    taken = store.take(handover.token, "aad-sam", "Sam Jones", "teams", NOW + 5).handover
    assert taken is not None

    assert await teams.redraw(taken)

    [update] = microsoft.updates_of(activity)
    assert update.conversation_id == conversation
    assert update.activity["id"] == activity
    card = update.activity["attachments"][0]["content"]
    assert "Taken by Sam Jones" in str(card["body"])
    assert card["actions"][0]["data"]["tsf_handover"] == HAND_BACK_ACTION


async def test_the_bot_talks_in_the_cards_thread_as_plain_text(
    microsoft: FakeBotFramework, teams: TeamsTeamChannel, store: HandoverStore
) -> None:
    handover = waiting(store)
    conversation, activity = await teams.post_request(handover) or ("", "")
    store.bind_teams(handover.token, conversation, activity)
    bound = store.by_token(handover.token)
    assert bound is not None

    assert await teams.say_in_thread(bound, "Applicant: **not bold** [a](https://x.example)")

    [reply] = microsoft.replies_to(conversation)
    assert reply.reply_to_id is None
    assert reply.activity == {
        "type": "message",
        "text": "Applicant: **not bold** [a](https://x.example)",
        "textFormat": "plain",
    }
    assert microsoft.requests["token"] == 1  # one token for every call


async def test_a_request_never_posted_to_teams_is_neither_redrawn_nor_talked_in(
    microsoft: FakeBotFramework, teams: TeamsTeamChannel, store: HandoverStore
) -> None:
    handover = waiting(store)

    assert not await teams.redraw(handover)
    assert not await teams.say_in_thread(handover, "hello")
    assert microsoft.updates == [] and microsoft.replies == []


async def test_a_refusing_connector_is_logged_without_content_and_gives_none(
    microsoft: FakeBotFramework,
    teams: TeamsTeamChannel,
    store: HandoverStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    handover = waiting(store)
    conversation, activity = await teams.post_request(handover) or ("", "")
    store.bind_teams(handover.token, conversation, activity)
    bound = store.by_token(handover.token)
    assert bound is not None
    microsoft.down = True

    with caplog.at_level(logging.ERROR):
        assert await teams.post_request(handover) is None
        assert not await teams.redraw(bound)
        assert not await teams.say_in_thread(bound, "Applicant: my phone is 07700 900123")

    assert "HTTP 503" in caplog.text
    assert "07700" not in caplog.text and handover.token not in caplog.text


async def test_a_wrong_app_password_posts_nothing(
    microsoft: FakeBotFramework, store: HandoverStore, caplog: pytest.LogCaptureFixture
) -> None:
    teams = TeamsTeamChannel.from_environ(environ(microsoft, MICROSOFT_APP_PASSWORD="wrong"))
    assert teams is not None

    with caplog.at_level(logging.ERROR):
        assert await teams.post_request(waiting(store)) is None

    assert microsoft.threads == []
    assert "No Bot Framework token" in caplog.text
    assert "wrong" not in caplog.text


async def test_an_unreachable_connector_gives_none(
    microsoft: FakeBotFramework, store: HandoverStore
) -> None:
    teams = TeamsTeamChannel.from_environ(
        environ(microsoft, TSF_TEAMS_SERVICE_URL="http://127.0.0.1:9/connector/")
    )
    assert teams is not None

    assert await teams.post_request(waiting(store)) is None


async def test_a_token_the_connector_no_longer_takes_is_replaced_once(
    microsoft: FakeBotFramework, teams: TeamsTeamChannel, store: HandoverStore
) -> None:
    await teams.post_request(waiting(store))
    microsoft.issued_tokens.clear()  # the connector forgets the token it accepted

    second = store.request("rest:another", NOW, 180, "").handover
    assert second is not None
    assert await teams.post_request(second) is not None

    assert microsoft.requests["token"] == 2
    assert len(microsoft.threads_in(TEAM)) == 2
