"""Talking to a person: the offer of a live chat with the team, its consent, the request to
the team's channel, and what happens when nobody takes it.

Within office hours, on the chat page, with a team channel configured, the assistant asks
whether it may share the conversation; a yes posts the request card (``tsf_handover``) and
sets a reminder for ``TSF_HANDOVER_WAIT_SECONDS``. If nobody takes it by then, or outside
office hours, the applicant is told when the team is in and offered the contact form.
Without a team channel, "talk to the team" is answered from the facts, as before.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, ReminderScheduled
from rasa_sdk.executor import CollectingDispatcher

from actions.eligibility_verdict import MAIN_OPTIONS, VERDICT_SLOT
from actions.enquiries import answer_in_turn
from actions.named_action import NamedAction
from actions.questions import button_dicts
from tsf_config import Reader, SettingsError, shared
from tsf_handover.cards import RequestDetails, Turn
from tsf_handover.settings import HandoverSettings
from tsf_handover.slack_team import SlackTeamChannel
from tsf_handover.store import WAITING, Handover, HandoverStore
from tsf_handover.teams_team import TeamsTeamChannel
from tsf_knowledge.fund_terms import fund_terms
from tsf_leads.summary import VERDICT_LABELS

logger = logging.getLogger(__name__)

Clock = Callable[[], float]
LIVE_CHAT_CHANNELS = frozenset({"socketio"})
"""Channels whose clients always show the team's messages (the widget says so itself)."""
TIMEOUT_INTENT = "EXTERNAL_handover_timeout"
CONTACT_TEAM_INTENT = "ask_contact_team"
REPHRASE_RESPONSE = "utter_ask_rephrase"
TRANSCRIPT_TURNS = 10
CONSENT_END = "Shall I ask them to join?"
CONTACT_OFFER_END = "Would you like to leave your details so they can contact you?"
CONSENT_BUTTONS = button_dicts((("Yes, ask them to join", "/affirm"), ("No thanks", "/deny")))
CONTACT_BUTTONS = button_dicts((("Leave my details", "/request_contact"), ("No thanks", "/deny")))


def handover_settings() -> HandoverSettings | None:
    """The hand-over settings; ``None`` (no live chat) when they are unset or wrong."""
    try:
        settings = HandoverSettings.from_environ()
    except SettingsError as error:
        logger.error("Live chat is off: %s", error)
        return None
    return settings if settings.enabled else None


@functools.lru_cache(maxsize=1)
def handover_store() -> HandoverStore:
    """The hand-over table in the conversations' database, opened on first use."""
    return HandoverStore.open(Reader(shared.VARIABLES).text("TSF_TRACKER_DB_URL"))


def consent_question() -> str:
    """What the applicant agrees to before the conversation is shared."""
    return (
        "Someone from the Social Investment Team can join this chat. To ask them, I'll share "
        "this conversation with the team: what you've told me here and your eligibility "
        f"answers so far. {CONSENT_END}"
    )


def offered_live_chat(last_bot_text: str) -> bool:
    """Whether the assistant's last message asked to share the conversation."""
    return last_bot_text.rstrip().endswith(CONSENT_END)


def offered_contact_form(last_bot_text: str) -> bool:
    """Whether the assistant's last message offered the contact form instead of a chat."""
    return last_bot_text.rstrip().endswith(CONTACT_OFFER_END)


def when_the_team_is_in(settings: HandoverSettings, now: float) -> str:
    """The team's hours and, when they are out, when they are next in ("" for a team that
    is always in)."""
    hours = settings.office_hours
    if hours.always:
        return ""
    moment = datetime.fromtimestamp(now, timezone.utc)
    text = f"The team is available {hours.describe()}."
    upcoming = hours.next_opening(moment)
    if upcoming is not None and not hours.is_open(moment):
        text += (
            f" They're next in on {upcoming:%A} {upcoming.day} {upcoming:%B} at {upcoming:%H:%M}."
        )
    return text


def offer_contact_form(dispatcher: CollectingDispatcher, opening: str, **metadata: str) -> None:
    """Say why no one can join, and offer the contact form or the phone number; ``metadata``
    marks the message (``tsf_live="expired"`` makes the widget's live stream carry it)."""
    dispatcher.utter_message(
        text=f"{opening} You can also call them on {fund_terms().team_phone}. {CONTACT_OFFER_END}",
        buttons=CONTACT_BUTTONS,
        **metadata,
    )


def can_show_live_chat(tracker: Tracker) -> bool:
    """Whether the applicant's client shows the team's messages: socket.io, or the chat
    widget (which says so in its messages' metadata)."""
    if tracker.get_latest_input_channel() in LIVE_CHAT_CHANNELS:
        return True
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return bool((event.get("metadata") or {}).get("live_chat"))
    return False


def as_typed(text: str) -> str:
    """A user message as the team should read it: a button's payload (``/ask_contact_team``)
    becomes what it asked (``[button] ask contact team``)."""
    if text.startswith("/") and text[1:2].isalpha():
        return "[button] " + text[1:].split("{", 1)[0].replace("_", " ")
    return text


def request_details(tracker: Tracker) -> RequestDetails:
    """Who the applicant is (if the contact form said), the verdict and the last turns."""
    slots = tracker.current_slot_values()
    who = ", ".join(
        str(value) for value in (slots.get("contact_name"), slots.get("organisation_name")) if value
    )
    verdict = slots.get(VERDICT_SLOT)
    turns = [
        Turn("Applicant", as_typed(str(event["text"])))
        if event["event"] == "user"
        else Turn("Assistant", str(event["text"]))
        for event in tracker.events
        if event.get("event") in {"user", "bot"} and event.get("text")
    ]
    return RequestDetails(
        who=who,
        verdict=VERDICT_LABELS.get(str(verdict), str(verdict).replace("_", " ").capitalize())
        if verdict
        else "",
        transcript=tuple(turns[-TRANSCRIPT_TURNS:]),
    )


async def talk_to_team(
    dispatcher: CollectingDispatcher, tracker: Tracker, clock: Clock = time.time
) -> list[EventType]:
    """Answer "can I talk to someone?": ask consent to share the conversation for a live
    chat; outside office hours say when the team is in and offer the contact form; where a
    live chat cannot be had, answer from the facts as before."""
    settings = handover_settings()
    if settings is None:
        return await answer_in_turn(dispatcher, tracker)
    if not can_show_live_chat(tracker):
        events = await answer_in_turn(dispatcher, tracker)
        dispatcher.utter_message(
            text="To chat with someone from the team here, use the chat page on the "
            "website: live chat needs it."
        )
        return events
    now = clock()
    if not settings.office_hours.is_open(datetime.fromtimestamp(now, timezone.utc)):
        offer_contact_form(dispatcher, out_of_hours(settings, now))
        return []
    dispatcher.utter_message(text=consent_question(), buttons=CONSENT_BUTTONS)
    return []


def out_of_hours(settings: HandoverSettings, now: float) -> str:
    """Why nobody can join outside office hours."""
    return f"Nobody from the team is in right now. {when_the_team_is_in(settings, now)}"


async def start_live_chat(
    dispatcher: CollectingDispatcher, tracker: Tracker, clock: Clock = time.time
) -> list[EventType]:
    """The applicant agreed: post the request to the team and wait for someone to take it."""
    settings = handover_settings()
    now = clock()
    if settings is None or not settings.office_hours.is_open(
        datetime.fromtimestamp(now, timezone.utc)
    ):
        opening = (
            "Sorry, the team can't join a chat just now."
            if settings is None
            else (f"Nobody from the team is in right now. {when_the_team_is_in(settings, now)}")
        )
        offer_contact_form(dispatcher, opening)
        return []
    store = await asyncio.to_thread(handover_store)
    details = request_details(tracker)
    change = await asyncio.to_thread(
        store.request, tracker.sender_id, now, settings.wait_seconds, details.to_json()
    )
    handover = change.handover
    if handover is None:
        offer_contact_form(dispatcher, "Sorry, I couldn't reach the team just now.")
        return []
    if not change.changed:
        dispatcher.utter_message(
            text="I've already asked the team to join; I'll tell you as soon as someone does."
        )
        return []
    if not await post_to_the_team(store, handover):
        await asyncio.to_thread(store.fail, handover.token, clock())
        offer_contact_form(dispatcher, "Sorry, I couldn't reach the team just now.")
        return []
    minutes = max(1, round(settings.wait_seconds / 60))
    dispatcher.utter_message(
        text="Thank you. I've asked the Social Investment Team to join this chat; I'll tell "
        f"you when someone does (usually within {minutes} minute{'s' if minutes > 1 else ''}). "
        "You can keep asking me questions meanwhile.",
        json_message={"live_chat": "waiting"},
    )
    due = datetime.fromtimestamp(now, timezone.utc) + timedelta(seconds=settings.wait_seconds)
    return [
        ReminderScheduled(
            TIMEOUT_INTENT,
            trigger_date_time=due,
            name=f"handover-{handover.id}",
            kill_on_user_message=False,
        )
    ]


def _last_bot_response(tracker: Tracker) -> str | None:
    """The response name of the assistant's latest message (``utter_ask_rephrase``...)."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


def offer_after_two_misses(
    dispatcher: CollectingDispatcher, tracker: Tracker, clock: Clock = time.time
) -> bool:
    """After a second "could you say it another way?" in a row, offer a person instead of
    asking again, when one can join now; whether it did."""
    asking_again = bool(dispatcher.messages) and dispatcher.messages[-1].get("response") == (
        REPHRASE_RESPONSE
    )
    if not (asking_again and _last_bot_response(tracker) == REPHRASE_RESPONSE):
        return False
    settings = handover_settings()
    now = datetime.fromtimestamp(clock(), timezone.utc)
    if (
        settings is None
        or not can_show_live_chat(tracker)
        or not settings.office_hours.is_open(now)
    ):
        return False
    dispatcher.messages.pop()
    dispatcher.utter_message(
        text=f"Sorry, I still haven't understood. {consent_question()}", buttons=CONSENT_BUTTONS
    )
    return True


async def post_to_the_team(store: HandoverStore, handover: Handover) -> bool:
    """Post the request's card to every configured team channel (Slack, Teams) and record
    where; whether at least one of them took it."""
    posted = False
    slack = SlackTeamChannel.from_environ()
    if slack is not None:
        ts = await slack.post_request(handover)
        if ts:
            await asyncio.to_thread(store.bind_slack, handover.token, slack.channel, ts)
            posted = True
    teams = TeamsTeamChannel.from_environ()
    if teams is not None:
        thread = await teams.post_request(handover)
        if thread:
            await asyncio.to_thread(store.bind_teams, handover.token, *thread)
            posted = True
    return posted


async def redraw_everywhere(handover: Handover) -> None:
    """Redraw the request's card wherever it was posted."""
    slack = SlackTeamChannel.from_environ()
    if slack is not None and handover.slack_ts:
        await slack.redraw(handover)
    teams = TeamsTeamChannel.from_environ()
    if teams is not None and handover.teams_activity:
        await teams.redraw(handover)


def decline_live_chat(dispatcher: CollectingDispatcher) -> None:
    """The applicant said no: nothing was shared."""
    dispatcher.utter_message(
        text="No problem: nothing has been shared. You can call the Social Investment Team on "
        f"{fund_terms().team_phone} whenever you like. Is there anything else I can help with?",
        buttons=MAIN_OPTIONS,
    )


class ActionHandoverTimeout(NamedAction):
    """Runs when the wait is over: if nobody took the request, close it and offer the form."""

    action_name = "action_handover_timeout"

    def __init__(self, clock: Clock = time.time) -> None:
        self.clock = clock

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Expire a request still waiting; say nothing if someone took it."""
        store = await asyncio.to_thread(handover_store)
        handover = await asyncio.to_thread(store.open_for, tracker.sender_id)
        if handover is None or handover.status != WAITING:
            return []
        change = await asyncio.to_thread(store.expire, handover.token, self.clock())
        if not change.changed or change.handover is None:
            return []
        await redraw_everywhere(change.handover)
        settings = handover_settings()
        opening = "I'm sorry: nobody from the team is free to join right now."
        if settings is not None:
            opening += f" {when_the_team_is_in(settings, self.clock())}"
        offer_contact_form(dispatcher, opening, tsf_live="expired")
        return []
