"""The Teams channel: only authenticated activities are handled, and replies reach Teams."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.shared.exceptions import InvalidConfigException

from channels.message_guard import MAX_MESSAGE_CHARS, TOO_LONG_REPLY
from channels.teams import TeamsInput
from tests.fakes.bot_connector import FakeBotFramework, new_key

APP_ID = "5f3b1c1e-0000-4000-8000-0000000000aa"
PASSWORD = "app-password"
TENANT = "7a1d9c2e-0000-4000-8000-0000000000bb"
OTHER_KEY = new_key()


class Collector:
    """Rasa's ``on_new_message``: records messages; optionally answers through the channel."""

    def __init__(self, reply: dict[str, Any] | None = None) -> None:
        self.messages: list[UserMessage] = []
        self.reply = reply

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        if self.reply is not None:
            await message.output_channel.send_response(message.sender_id, self.reply)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeBotFramework]:
    with FakeBotFramework(APP_ID, PASSWORD, TENANT) as server:
        yield server


@pytest.fixture
async def channel(fake: FakeBotFramework) -> AsyncIterator[TeamsInput]:
    teams = TeamsInput.from_credentials(
        {
            "app_id": APP_ID,
            "app_password": PASSWORD,
            "tenant_id": TENANT,
            "token_url": fake.token_url,
            "openid_metadata_url": fake.openid_metadata_url,
        }
    )
    assert isinstance(teams, TeamsInput)
    yield teams
    await teams.http.close()


async def send(
    channel: TeamsInput,
    activity: dict[str, Any] | bytes,
    collector: Collector,
    authorization: str | None,
) -> tuple[int, dict[str, Any]]:
    body = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    answer = await channel.handle_request(headers, body, collector)
    for _ in range(50):
        if not channel._background_tasks:
            break
        await asyncio.sleep(0.02)
    return answer


def test_the_channel_needs_its_app_id_password_and_tenant() -> None:
    with pytest.raises(InvalidConfigException, match="tenant_id"):
        TeamsInput.from_credentials({"app_id": APP_ID, "app_password": PASSWORD})


async def test_nothing_is_fetched_until_the_first_request(
    fake: FakeBotFramework, channel: TeamsInput
) -> None:
    before = dict(fake.requests)
    assert channel.authenticator.keys.key_ids == ()

    await send(channel, fake.activity(), Collector(), f"Bearer {fake.token()}")

    assert fake.requests["keys"] == before["keys"] + 1


async def test_a_valid_message_is_handled_and_the_reply_posted_back(
    fake: FakeBotFramework, channel: TeamsInput
) -> None:
    activity = fake.activity("<at>TSF Assistant</at> who can apply?")
    activity["entities"] = [
        {"type": "mention", "mentioned": activity["recipient"], "text": "<at>TSF Assistant</at>"}
    ]
    collector = Collector(
        reply={"text": "Spin-outs can.", "buttons": [{"title": "More", "payload": "/more"}]}
    )

    status, _ = await send(channel, activity, collector, f"Bearer {fake.token()}")

    assert status == 202
    [message] = collector.messages
    assert (message.text, message.sender_id, message.input_channel) == (
        "who can apply?",
        "teams:29:user-1",
        "teams",
    )
    [reply] = fake.replies_to(activity["conversation"]["id"])
    assert reply.reply_to_id == activity["id"]
    assert reply.activity["replyToId"] == activity["id"]
    assert reply.activity["from"] == activity["recipient"]
    assert reply.activity["recipient"] == {"id": "29:user-1"}
    card = reply.activity["attachments"][0]
    assert card["content"]["text"] == "Spin-outs can."
    assert card["content"]["buttons"][0]["value"] == {"payload": "/more"}


async def test_the_bot_token_is_reused_across_replies(
    fake: FakeBotFramework, channel: TeamsInput
) -> None:
    before = fake.requests["token"]
    activity = fake.activity("hello")

    await send(
        channel, activity, Collector(reply={"text": "One.\n\nTwo."}), f"Bearer {fake.token()}"
    )

    assert [r.activity["text"] for r in fake.replies_to(activity["conversation"]["id"])] == [
        "One.",
        "Two.",
    ]
    assert fake.requests["token"] == before + 1


async def test_a_message_back_click_is_handled_as_its_payload(
    fake: FakeBotFramework, channel: TeamsInput
) -> None:
    activity = fake.activity("Check eligibility", value={"payload": "/check_eligibility"})
    collector = Collector()

    await send(channel, activity, collector, f"Bearer {fake.token()}")

    assert [message.text for message in collector.messages] == ["/check_eligibility"]


async def test_adding_the_bot_starts_the_conversation_with_a_greeting(
    fake: FakeBotFramework, channel: TeamsInput
) -> None:
    activity = fake.activity(
        activity_type="conversationUpdate", membersAdded=[{"id": f"28:{APP_ID}"}]
    )
    collector = Collector()

    status, _ = await send(channel, activity, collector, f"Bearer {fake.token()}")

    assert status == 202
    [message] = collector.messages
    assert (message.text, message.sender_id) == ("/greet", "teams:29:user-1")


def token_cases(fake: FakeBotFramework) -> dict[str, str | None]:
    return {
        "no token": None,
        "not bearer": "Basic abc",
        "wrong issuer": f"Bearer {fake.token(iss='https://sts.windows.net/x/')}",
        "wrong audience": f"Bearer {fake.token(aud='another-bot')}",
        "expired": f"Bearer {fake.token(lifetime=-900)}",
        "other key": f"Bearer {fake.token(key=OTHER_KEY)}",
        "serviceUrl mismatch": f"Bearer {fake.token('https://evil.example/')}",
    }


@pytest.mark.parametrize(
    "case",
    [
        "no token",
        "not bearer",
        "wrong issuer",
        "wrong audience",
        "expired",
        "other key",
        "serviceUrl mismatch",
    ],
)
async def test_unauthenticated_activities_get_401_and_are_not_handled(
    fake: FakeBotFramework, channel: TeamsInput, case: str
) -> None:
    collector = Collector()

    status, _ = await send(channel, fake.activity(), collector, token_cases(fake)[case])

    assert status == 401
    assert collector.messages == []


async def test_activities_from_another_tenant_are_refused(
    fake: FakeBotFramework, channel: TeamsInput
) -> None:
    activity = fake.activity(channelData={"tenant": {"id": "someone-elses-tenant"}})
    collector = Collector()

    status, _ = await send(channel, activity, collector, f"Bearer {fake.token()}")

    assert status == 403
    assert collector.messages == []


def odd(fake: FakeBotFramework, kind: str) -> bytes:
    """An activity that is authentic but not something the bot acts on, or malformed."""
    if kind == "not json":
        return b"{not json"
    if kind == "a list":
        return b"[]"
    if kind == "nested too deep":
        return b'{"a": ' * 100_000 + b"1" + b"}" * 100_000
    activity = fake.activity(activity_type=kind if kind.isalpha() else "message")
    if kind == "no conversation":
        activity.pop("conversation")
    if kind == "recipient not an object":
        activity["recipient"] = "bot"
    if kind == "blank text":
        activity["text"] = "   "
    return json.dumps(activity).encode()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("not json", 400),
        ("a list", 400),
        ("nested too deep", 400),
        ("no conversation", 400),
        ("recipient not an object", 400),
        ("blank text", 200),
        ("typing", 200),
        ("messageReaction", 200),
        ("installationUpdate", 200),
        ("invoke", 200),
    ],
)
async def test_odd_activities_get_a_polite_answer(
    fake: FakeBotFramework, channel: TeamsInput, kind: str, expected: int
) -> None:
    collector = Collector()

    status, _ = await send(channel, odd(fake, kind), collector, f"Bearer {fake.token()}")

    assert status == expected
    assert collector.messages == []


async def test_an_over_long_message_is_answered_by_the_channel_not_rasa(
    fake: FakeBotFramework, channel: TeamsInput
) -> None:
    activity = fake.activity("y" * (MAX_MESSAGE_CHARS + 1))
    collector = Collector()

    status, _ = await send(channel, activity, collector, f"Bearer {fake.token()}")

    assert status == 202
    assert collector.messages == []
    [reply] = fake.replies_to(activity["conversation"]["id"])
    assert reply.activity["text"] == TOO_LONG_REPLY
    assert reply.activity["recipient"] == {"id": "29:user-1"}
