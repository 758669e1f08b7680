"""Asking for a person: consent in office hours, the contact form outside them (injected
clock, England's bank holidays), the request posted to the team's Slack and Teams, and the
timeout."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import live_chat
from actions.fallback import ActionFallback
from actions.out_of_context import ActionAnswerOutOfContext
from tests.actions.trackers import make_tracker, run_action
from tests.fakes.bot_connector import FakeBotFramework
from tests.fakes.slack_api import FakeSlackApi
from tsf_handover.cards import TAKE_ACTION
from tsf_handover.store import EXPIRED, FAILED, WAITING, handovers
from tsf_knowledge.fund_terms import fund_terms

TEAM = "C0TEAM0001"
TOKEN = "xoxb-actions-test"
LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> float:
    """A London wall-clock time as the clock reads it."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON).timestamp()


TUESDAY_MORNING = at(2026, 12, 1, 10)
SUNDAY = at(2026, 12, 6, 10)
CHRISTMAS_DAY = at(2026, 12, 25, 10)  # a Friday and a bank holiday


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi(TOKEN) as fake:
        yield fake


@pytest.fixture(autouse=True)
def team_on_slack(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, slack: FakeSlackApi
) -> Iterator[None]:
    for name, value in {
        "TSF_TEAM_SLACK_CHANNEL": TEAM,
        "SLACK_BOT_TOKEN": TOKEN,
        "TSF_SLACK_API_URL": slack.url,
        "TSF_TRACKER_DB_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "TSF_OFFICE_HOURS": "Mon-Fri 09:00-17:00",
        "TSF_HANDOVER_WAIT_SECONDS": "180",
    }.items():
        monkeypatch.setenv(name, value)
    live_chat.handover_store.cache_clear()
    yield
    live_chat.handover_store.cache_clear()


def widget_tracker(text: str = "can I talk to someone?", **kwargs: Any) -> Tracker:
    """A tracker whose latest message came from the chat widget."""
    tracker = make_tracker(text, intent="ask_contact_team", **kwargs)
    tracker.events.append(
        {"event": "user", "text": text, "input_channel": "rest", "metadata": {"live_chat": True}}
    )
    return tracker


def said(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(str(message.get("text") or "") for message in dispatcher.messages)


def titles(dispatcher: CollectingDispatcher) -> list[str]:
    return [button["title"] for message in dispatcher.messages for button in message["buttons"]]


async def talk(tracker: Tracker, now: float) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    await live_chat.talk_to_team(dispatcher, tracker, clock=lambda: now)
    return dispatcher


async def test_in_office_hours_the_widget_is_asked_to_consent_to_sharing() -> None:
    dispatcher = await talk(widget_tracker(), TUESDAY_MORNING)
    assert said(dispatcher) == live_chat.consent_question()
    assert "share this conversation with the team" in said(dispatcher)
    assert titles(dispatcher) == ["Yes, ask them to join", "No thanks"]


@pytest.mark.parametrize(
    ("now", "next_in"),
    [
        (SUNDAY, "They're next in on Monday 7 December at 09:00."),
        (at(2026, 12, 1, 17, 30), "They're next in on Wednesday 2 December at 09:00."),
        (CHRISTMAS_DAY, "They're next in on Tuesday 29 December at 09:00."),
    ],
    ids=["sunday", "after-hours", "christmas-and-the-boxing-day-substitute"],
)
async def test_outside_office_hours_the_contact_form_is_offered_with_when_they_are_in(
    now: float, next_in: str
) -> None:
    dispatcher = await talk(widget_tracker(), now)
    text = said(dispatcher)
    assert text.startswith("Nobody from the team is in right now.")
    assert "Monday to Friday, 09:00 to 17:00 (UK time), not on bank holidays" in text
    assert next_in in text
    assert fund_terms().team_phone in text
    assert titles(dispatcher) == ["Leave my details", "No thanks"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_contact"


async def test_over_plain_rest_the_answer_says_live_chat_needs_the_chat_page() -> None:
    tracker = make_tracker("can I talk to someone?", intent="ask_contact_team")
    tracker.events.append({"event": "user", "text": "hi", "input_channel": "rest"})
    dispatcher = await talk(tracker, TUESDAY_MORNING)
    assert fund_terms().team_phone in said(dispatcher)  # the answer from the facts
    assert "use the chat page" in said(dispatcher)
    assert "Shall I ask them to join?" not in said(dispatcher)


async def test_without_a_team_channel_the_facts_answer_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TSF_TEAM_SLACK_CHANNEL")
    dispatcher = await talk(widget_tracker(), TUESDAY_MORNING)
    assert fund_terms().team_phone in said(dispatcher)
    assert "share this conversation" not in said(dispatcher)


def consented(text: str = "yes") -> Tracker:
    tracker = widget_tracker(
        text,
        slots={"contact_name": "Ada Lovelace", "eligibility_verdict": "eligible"},
        events=[
            {"event": "user", "text": "can I talk to someone?"},
            {"event": "bot", "text": live_chat.consent_question()},
        ],
    )
    tracker.latest_message["intent"] = {"name": "affirm", "confidence": 1.0}
    return tracker


async def start(tracker: Tracker) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = await live_chat.start_live_chat(dispatcher, tracker, clock=lambda: TUESDAY_MORNING)
    return events, dispatcher


async def test_a_yes_posts_the_request_card_and_sets_the_reminder(slack: FakeSlackApi) -> None:
    events, dispatcher = await start(consented())

    [card] = slack.messages(TEAM)
    blocks = str(card["blocks"])
    assert "Ada Lovelace" in blocks and "Eligible" in blocks and "can I talk to someone?" in blocks
    handover = live_chat.handover_store().open_for("test-user")
    assert handover is not None and handover.status == WAITING
    assert (handover.slack_channel, handover.slack_ts) == (TEAM, card["posted_ts"])
    assert f"'action_id': '{TAKE_ACTION}'" in blocks and handover.token in blocks
    assert "I've asked the Social Investment Team to join" in said(dispatcher)
    assert dispatcher.messages[0]["custom"] == {"live_chat": "waiting"}
    [reminder] = events
    assert reminder["event"] == "reminder"
    assert reminder["intent"] == live_chat.TIMEOUT_INTENT
    assert reminder["kill_on_user_msg"] is False
    due = datetime.fromisoformat(reminder["date_time"])
    assert due == datetime.fromtimestamp(TUESDAY_MORNING + 180, timezone.utc)


async def test_asking_twice_posts_one_card(slack: FakeSlackApi) -> None:
    await start(consented())
    events, dispatcher = await start(consented())
    assert len(slack.messages(TEAM)) == 1
    assert events == []
    assert "already asked the team" in said(dispatcher)


async def test_when_slack_cannot_take_the_card_the_contact_form_is_offered(
    slack: FakeSlackApi,
) -> None:
    slack.down = True
    events, dispatcher = await start(consented())
    assert events == []
    assert said(dispatcher).startswith("Sorry, I couldn't reach the team just now.")
    assert titles(dispatcher) == ["Leave my details", "No thanks"]
    store = live_chat.handover_store()
    assert store.open_for("test-user") is None  # closed, so a new request may follow
    slack.down = False
    assert (await start(consented()))[0]  # and it does
    with store.engine.connect() as connection:
        statuses = connection.execute(select(handovers.c.status).order_by(handovers.c.id)).scalars()
        assert list(statuses) == [FAILED, WAITING]


async def test_the_timeout_closes_a_waiting_request_and_offers_the_form(
    slack: FakeSlackApi,
) -> None:
    await start(consented())
    action = live_chat.ActionHandoverTimeout(clock=lambda: TUESDAY_MORNING + 180)
    events, dispatcher = await run_action(action, widget_tracker())
    assert events == []
    assert said(dispatcher).startswith("I'm sorry: nobody from the team is free to join right now.")
    assert dispatcher.messages[0]["tsf_live"] == "expired"
    assert titles(dispatcher) == ["Leave my details", "No thanks"]
    [update] = slack.updates()
    assert "Nobody took it in time" in str(update["blocks"])
    store = live_chat.handover_store()
    assert store.open_for("test-user") is None

    events, dispatcher = await run_action(action, widget_tracker())  # the reminder again
    assert dispatcher.messages == []


async def test_the_timeout_says_nothing_once_someone_has_taken_it(slack: FakeSlackApi) -> None:
    await start(consented())
    store = live_chat.handover_store()
    handover = store.open_for("test-user")
    assert handover is not None
    store.take(handover.token, "U1", "Sam Jones", "slack", TUESDAY_MORNING + 30)
    action = live_chat.ActionHandoverTimeout(clock=lambda: TUESDAY_MORNING + 180)
    _, dispatcher = await run_action(action, widget_tracker())
    assert dispatcher.messages == []
    assert store.by_token(handover.token).status != EXPIRED  # type: ignore[union-attr]
    assert slack.updates() == []


async def test_a_typed_no_to_sharing_shares_nothing(slack: FakeSlackApi) -> None:
    tracker = consented("no thanks")
    tracker.latest_message["intent"] = {"name": "deny", "confidence": 1.0}
    _, dispatcher = await run_action(ActionAnswerOutOfContext(), tracker)
    assert said(dispatcher).startswith("No problem: nothing has been shared.")
    assert slack.messages() == []


async def test_a_typed_yes_to_the_contact_form_offer_starts_the_form() -> None:
    tracker = widget_tracker(
        "yes please",
        events=[{"event": "bot", "text": f"Nobody is in. {live_chat.CONTACT_OFFER_END}"}],
    )
    tracker.latest_message["intent"] = {"name": "affirm", "confidence": 1.0}
    events, _ = await run_action(ActionAnswerOutOfContext(), tracker)
    assert {"event": "followup", "name": "lead_form"} in [
        {key: event.get(key) for key in ("event", "name")} for event in events
    ]


def after_a_miss(text: str) -> Tracker:
    tracker = widget_tracker(
        text,
        events=[
            {"event": "user", "text": "flibber"},
            {
                "event": "bot",
                "text": "Sorry, I didn't understand that.",
                "metadata": {"utter_action": "utter_ask_rephrase"},
            },
        ],
    )
    tracker.latest_message["intent"] = {"name": "nlu_fallback", "confidence": 0.2}
    tracker.latest_message["intent_ranking"] = []
    return tracker


async def test_a_second_miss_in_a_row_offers_a_person_instead_of_asking_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TSF_OFFICE_HOURS", "always")
    _, dispatcher = await run_action(ActionFallback(), after_a_miss("zzqx vvbn"))
    assert said(dispatcher).startswith("Sorry, I still haven't understood.")
    assert said(dispatcher).endswith(live_chat.CONSENT_END)

    first_miss = widget_tracker("zzqx vvbn")
    first_miss.latest_message["intent"] = {"name": "nlu_fallback", "confidence": 0.2}
    _, dispatcher = await run_action(ActionFallback(), first_miss)
    assert dispatcher.messages == [{**dispatcher.messages[0], "response": "utter_ask_rephrase"}]


def test_a_second_miss_outside_office_hours_asks_again() -> None:
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(response="utter_ask_rephrase")
    offered = live_chat.offer_after_two_misses(
        dispatcher, after_a_miss("zzqx vvbn"), clock=lambda: SUNDAY
    )
    assert not offered
    assert [message.get("response") for message in dispatcher.messages] == ["utter_ask_rephrase"]


TEAMS_CHANNEL = "19:team0actions@thread.tacv2"
APP_ID = "8c3f2e4a-0000-4000-8000-0000000000c1"
TENANT = "9d4a3f5b-0000-4000-8000-0000000000c2"


@pytest.fixture
def microsoft(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBotFramework]:
    """The team's Teams channel configured too, with the Bot Connector faked."""
    with FakeBotFramework(APP_ID, "actions-password", TENANT) as fake:
        for name, value in {
            "TSF_TEAM_TEAMS_CHANNEL": TEAMS_CHANNEL,
            "TSF_TEAMS_SERVICE_URL": fake.service_url,
            "TSF_TEAMS_TOKEN_URL": fake.token_url,
            "MICROSOFT_APP_ID": APP_ID,
            "MICROSOFT_APP_PASSWORD": "actions-password",
            "MICROSOFT_APP_TENANT_ID": TENANT,
        }.items():
            monkeypatch.setenv(name, value)
        yield fake


async def test_with_teams_configured_the_card_goes_to_both_channels(
    slack: FakeSlackApi, microsoft: FakeBotFramework
) -> None:
    await start(consented())

    [card] = slack.messages(TEAM)
    [thread] = microsoft.threads_in(TEAMS_CHANNEL)
    handover = live_chat.handover_store().open_for("test-user")
    assert handover is not None
    assert handover.slack_ts == card["posted_ts"]
    assert (handover.teams_conversation, handover.teams_activity) == (
        thread.conversation_id,
        thread.activity_id,
    )
    assert handover.token in str(thread.body["activity"])


@pytest.mark.parametrize("down", ["slack", "teams"])
async def test_the_request_stands_when_either_channel_took_it(
    slack: FakeSlackApi, microsoft: FakeBotFramework, down: str
) -> None:
    slack.down, microsoft.down = down == "slack", down == "teams"

    events, dispatcher = await start(consented())

    assert "I've asked the Social Investment Team to join" in said(dispatcher)
    assert [event["event"] for event in events] == ["reminder"]
    handover = live_chat.handover_store().open_for("test-user")
    assert handover is not None and handover.status == WAITING
    assert bool(handover.slack_ts) is (down != "slack")
    assert bool(handover.teams_activity) is (down != "teams")


async def test_when_neither_channel_takes_it_the_contact_form_is_offered(
    slack: FakeSlackApi, microsoft: FakeBotFramework
) -> None:
    slack.down = microsoft.down = True

    events, dispatcher = await start(consented())

    assert events == []
    assert said(dispatcher).startswith("Sorry, I couldn't reach the team just now.")
    assert live_chat.handover_store().open_for("test-user") is None


async def test_only_teams_configured_is_enough(
    monkeypatch: pytest.MonkeyPatch, slack: FakeSlackApi, microsoft: FakeBotFramework
) -> None:
    monkeypatch.setenv("TSF_TEAM_SLACK_CHANNEL", "")

    events, _ = await start(consented())

    assert events and slack.messages() == []
    assert len(microsoft.threads_in(TEAMS_CHANNEL)) == 1


async def test_the_timeout_redraws_the_teams_card_too(
    slack: FakeSlackApi, microsoft: FakeBotFramework
) -> None:
    await start(consented())
    [thread] = microsoft.threads_in(TEAMS_CHANNEL)

    action = live_chat.ActionHandoverTimeout(clock=lambda: TUESDAY_MORNING + 180)
    await run_action(action, widget_tracker())

    [update] = microsoft.updates_of(thread.activity_id)
    card = update.activity["attachments"][0]["content"]
    assert "Nobody took it in time" in str(card["body"])
    assert "actions" not in card
    assert len(slack.updates()) == 1
