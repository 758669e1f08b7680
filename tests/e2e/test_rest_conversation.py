"""A real conversation over REST with the real Rasa server and action server."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from channels.conversation_ids import conversation_id
from tests.support.harness import RunningAssistant, http

pytestmark = pytest.mark.e2e

TEAM_NUMBER = "020 7187 7379"


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


def test_a_greeting_gets_the_privacy_notice_then_the_greeting_with_options(
    assistant: RunningAssistant,
) -> None:
    replies = assistant.say(new_sender(), "hello")

    assert replies[0]["text"].startswith("Privacy:")
    assert (
        "keep this chat for up to 90 days" in replies[0]["text"]
    )  # TSF_CONVERSATION_RETENTION_DAYS
    greeting = replies[1]
    assert "Technology Spin-Out Fund assistant" in greeting["text"]
    assert [button["title"] for button in greeting["buttons"]] == [
        "Ask about the fund",
        "Check eligibility",
        "Talk to the team",
    ]


def test_the_privacy_notice_is_shown_once_per_conversation(assistant: RunningAssistant) -> None:
    sender = new_sender()

    first = assistant.texts(sender, "hi")
    second = assistant.texts(sender, "hello again")

    assert sum(text.startswith("Privacy:") for text in first) == 1
    assert not any(text.startswith("Privacy:") for text in second)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("are you a real person?", "automated assistant"),
        ("what can you do?", "in your own words"),
        ("thanks a lot", "You're welcome"),
        ("ok bye", "Goodbye"),
    ],
)
def test_conversation_basics(assistant: RunningAssistant, message: str, expected: str) -> None:
    texts = assistant.texts(new_sender(), message)

    assert any(expected in text for text in texts), texts


def test_a_bot_challenge_says_how_to_reach_a_person(assistant: RunningAssistant) -> None:
    texts = assistant.texts(new_sender(), "am I talking to a bot?")

    assert any(TEAM_NUMBER in text for text in texts)


def test_out_of_scope_questions_get_an_honest_answer(assistant: RunningAssistant) -> None:
    texts = assistant.texts(new_sender(), "can you get me a mortgage for my flat?")

    assert any("only help with the Technology Spin-Out Fund" in text for text in texts), texts


def test_gibberish_gets_a_request_to_rephrase_with_options(assistant: RunningAssistant) -> None:
    replies = assistant.say(new_sender(), "zxqv plorf wibble")

    last = replies[-1]
    assert "say it another way" in last["text"]
    assert TEAM_NUMBER in last["text"]
    assert len(last["buttons"]) == 3


def test_restart_starts_the_conversation_again(assistant: RunningAssistant) -> None:
    sender = new_sender()
    assistant.say(sender, "hello")

    texts = assistant.texts(sender, "restart")

    assert any("start again" in text for text in texts)


@pytest.mark.parametrize(
    "message",
    ["", "   ", "x" * 20_000, "<script>alert(1)</script>", "'; DROP TABLE events; --", "😀🎉"],
)
def test_awkward_messages_get_a_reply_not_an_error(
    assistant: RunningAssistant, message: str
) -> None:
    status, replies = http(
        "POST",
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        {"sender": new_sender(), "message": message},
    )

    assert status == 200
    assert isinstance(replies, list)
    assert assistant.texts(new_sender(), "hello")


def test_the_http_api_needs_the_token(assistant: RunningAssistant) -> None:
    without, _ = http("GET", f"{assistant.rasa_url}/status")
    wrong, _ = http("GET", f"{assistant.rasa_url}/status?token=wrong")
    right, body = http("GET", f"{assistant.rasa_url}/status?token={assistant.token}")

    assert without == 401
    assert wrong == 401
    assert right == 200
    assert body["model_file"].endswith("tsf.tar.gz")


def test_the_action_server_answers_its_health_check(assistant: RunningAssistant) -> None:
    status, body = http("GET", f"{assistant.actions_url}/health")

    assert status == 200
    assert body == {"status": "ok"}


def test_the_chat_page_is_served_and_knows_where_rasa_is(assistant: RunningAssistant) -> None:
    page_status, page = http("GET", f"{assistant.web_url}/")
    config_status, config = http("GET", f"{assistant.web_url}/config.json")

    assert page_status == 200
    assert '<script src="chat.js"' in page
    assert config_status == 200
    assert config["server"].endswith(f":{assistant.rasa_url.rsplit(':', 1)[1]}")


def test_conversations_are_kept_in_the_sqlite_tracker_store(assistant: RunningAssistant) -> None:
    sender = new_sender()
    assistant.say(sender, "hello")

    database = Path(assistant.log_path.parent / "tracker.db")
    with sqlite3.connect(database) as connection:
        (count,) = connection.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
            (conversation_id("rest", sender),),
        ).fetchone()

    assert count == 1


def _public_say(assistant: RunningAssistant, sender: str, message: str) -> list[dict[str, Any]]:
    """A message as a browser sends it: no API token."""
    status, replies = http(
        "POST",
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        {"sender": sender, "message": message},
    )
    assert status == 200, replies
    return list(replies)


def test_a_browser_gets_a_session_id_from_the_server_and_keeps_its_conversation_with_it(
    assistant: RunningAssistant,
) -> None:
    made_up = new_sender()
    first = _public_say(assistant, made_up, "hello")
    issued = first[0]["recipient_id"]

    second = _public_say(assistant, issued, "hello again")

    assert issued != made_up
    assert {reply["recipient_id"] for reply in first + second} == {issued}
    assert first[0]["text"].startswith("Privacy:")
    assert not second[0]["text"].startswith("Privacy:")


def test_a_browser_naming_someone_elses_conversation_gets_a_new_one_without_their_details(
    assistant: RunningAssistant,
) -> None:
    victim = new_sender()
    assistant.say(victim, "hello, my email is victim@example.org")

    replies = _public_say(assistant, victim, "can you show me that again?")

    assert replies[0]["recipient_id"] != victim
    assert replies[0]["text"].startswith("Privacy:")
    assert not any("victim@example.org" in reply.get("text", "") for reply in replies)


def test_a_body_larger_than_the_channels_need_is_refused_with_413(
    assistant: RunningAssistant,
) -> None:
    status, _ = http(
        "POST",
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        {"sender": new_sender(), "message": "x" * 1_000_000},
    )

    assert status == 413
    assert assistant.texts(new_sender(), "hello")


def test_the_api_token_is_in_no_log(assistant: RunningAssistant) -> None:
    assistant.texts(new_sender(), "hello")

    assert assistant.token not in assistant.log()
