"""Teams shapes: hero cards with messageBack buttons, mention stripping, payloads, welcomes."""

from __future__ import annotations

from typing import Any

import pytest

from channels.teams_cards import (
    ADAPTIVE_CARD,
    addressed_to_bot,
    answer_card_activity,
    feedback_press,
    hero_card_activity,
    strip_mentions,
    user_text,
    welcome_recipient,
)

BOT = {"id": "28:bot-app-id", "name": "TSF Assistant"}
GREETING_BUTTONS = [
    {"title": "Ask about the fund", "payload": "/ask_fund_overview"},
    {"title": "Check eligibility", "payload": "/check_eligibility"},
]


def test_buttons_become_a_hero_card_with_message_back_actions() -> None:
    activity = hero_card_activity("What would you like to do?", GREETING_BUTTONS)

    assert activity == {
        "type": "message",
        "attachmentLayout": "list",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.hero",
                "content": {
                    "text": "What would you like to do?",
                    "buttons": [
                        {
                            "type": "messageBack",
                            "title": "Ask about the fund",
                            "text": "Ask about the fund",
                            "displayText": "Ask about the fund",
                            "value": {"payload": "/ask_fund_overview"},
                        },
                        {
                            "type": "messageBack",
                            "title": "Check eligibility",
                            "text": "Check eligibility",
                            "displayText": "Check eligibility",
                            "value": {"payload": "/check_eligibility"},
                        },
                    ],
                },
            }
        ],
    }


def test_more_than_six_buttons_spill_into_further_cards_without_text() -> None:
    buttons = [{"title": f"Option {i}", "payload": f"/o{i}"} for i in range(8)]

    cards = hero_card_activity("Pick one", buttons)["attachments"]

    assert [len(card["content"]["buttons"]) for card in cards] == [6, 2]
    assert cards[0]["content"]["text"] == "Pick one"
    assert "text" not in cards[1]["content"]


MENTION = {"type": "mention", "mentioned": BOT, "text": "<at>TSF Assistant</at>"}
PERSON = {
    "type": "mention",
    "mentioned": {"id": "29:alice", "name": "Alice"},
    "text": "<at>Alice</at>",
}


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        ("<at>TSF Assistant</at> who can apply?", [MENTION], "who can apply?"),
        ("who can apply? <at>TSF Assistant</at>", [MENTION], "who can apply?"),
        ("<at>TSF Assistant</at> ask <at>Alice</at> too", [MENTION, PERSON], "ask Alice too"),
        ("<at>Someone</at> hello", None, "hello"),
        ('<at id="0">TSF Assistant</at>&nbsp;how much?', [], "how much?"),
        ("<p>What is the <b>term</b>?</p>", None, "What is the term ?"),
        ("R&amp;D loans", None, "R&D loans"),
        ("< 50 staff", None, "< 50 staff"),
        ("<at>TSF Assistant</at>", [MENTION], ""),
    ],
)
def test_mentions_of_the_bot_are_stripped(
    text: str, entities: list[dict[str, Any]] | None, expected: str
) -> None:
    assert strip_mentions(text, entities, bot_id=BOT["id"], bot_name=BOT["name"]) == expected


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (
            {"text": "Check eligibility", "value": {"payload": "/check_eligibility"}},
            "/check_eligibility",
        ),
        ({"text": "Check eligibility", "value": {"payload": "  "}}, "Check eligibility"),
        ({"text": "Check eligibility", "value": {"other": 1}}, "Check eligibility"),
        ({"text": "Check eligibility", "value": "a string"}, "Check eligibility"),
        ({"value": {"payload": "/greet"}}, "/greet"),
        ({"text": "<at>TSF Assistant</at> hi", "entities": [MENTION], "recipient": BOT}, "hi"),
        ({}, ""),
    ],
)
def test_user_text_prefers_a_button_payload(activity: dict[str, Any], expected: str) -> None:
    assert user_text(activity) == expected


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        ({"membersAdded": [BOT], "from": {"id": "29:installer"}, "recipient": BOT}, "29:installer"),
        (
            {"membersAdded": [{"id": "29:new"}], "from": {"id": "29:admin"}, "recipient": BOT},
            "29:new",
        ),
        ({"membersAdded": [{"id": "29:a"}, BOT], "from": {"id": "29:a"}, "recipient": BOT}, "29:a"),
        ({"membersAdded": [BOT], "recipient": BOT}, None),
        ({"membersRemoved": [{"id": "29:gone"}], "recipient": BOT}, None),
        ({"membersAdded": [], "recipient": BOT}, None),
        ({"recipient": BOT}, None),
    ],
)
def test_whom_to_welcome(activity: dict[str, Any], expected: str | None) -> None:
    assert welcome_recipient(activity) == expected


def _in(conversation_type: str | None, **fields: Any) -> dict[str, Any]:
    conversation = (
        {"id": "c"}
        if conversation_type is None
        else {"id": "c", "conversationType": conversation_type}
    )
    return {"type": "message", "recipient": BOT, "conversation": conversation, **fields}


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (_in("personal", text="hi"), True),
        (_in(None, text="hi"), True),
        (_in("groupChat", text="hi"), True),
        (_in("channel", text="lunch at one?"), False),
        (
            _in(
                "channel",
                text="<at>Someone</at> lunch?",
                entities=[{"type": "mention", "mentioned": {"id": "29:someone"}}],
            ),
            False,
        ),
        (
            _in(
                "channel",
                text="<at>TSF Assistant</at> who can apply?",
                entities=[{"type": "mention", "mentioned": BOT}],
            ),
            True,
        ),
        (_in("channel", value={"payload": "/check_eligibility"}), True),
        (_in("channel", text="x", entities="not a list"), False),
    ],
)
def test_in_a_channel_only_mentions_and_buttons_are_for_the_bot(
    activity: dict[str, Any], expected: bool
) -> None:
    assert addressed_to_bot(activity) is expected


def test_an_answer_card_asks_was_this_helpful_with_yes_and_no_carrying_its_token() -> None:
    activity = answer_card_activity("Source: a blog", "t1")

    [attachment] = activity["attachments"]
    assert attachment["contentType"] == ADAPTIVE_CARD
    card = attachment["content"]
    assert [block["text"] for block in card["body"]] == ["Source: a blog", "Was this helpful?"]
    assert [(action["type"], action["title"], action["data"]) for action in card["actions"]] == [
        ("Action.Submit", "Yes", {"tsf_feedback": "yes", "answer": "t1"}),
        ("Action.Submit", "No", {"tsf_feedback": "no", "answer": "t1"}),
    ]


def test_after_a_press_the_card_says_thanks_and_has_no_buttons() -> None:
    card = answer_card_activity("Source: a blog", None)["attachments"][0]["content"]

    assert [block["text"] for block in card["body"]] == ["Source: a blog", "Thanks — noted."]
    assert "actions" not in card


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"tsf_feedback": "yes", "answer": "t1"}, ("t1", True)),
        ({"tsf_feedback": "no", "answer": "t1"}, ("t1", False)),
        ({"tsf_feedback": "maybe", "answer": "t1"}, None),
        ({"tsf_feedback": "no", "answer": ""}, None),
        ({"tsf_feedback": "no", "answer": ["t1"]}, None),
        ({"tsf_feedback": "no"}, None),
        ("tsf_feedback", None),
    ],
)
def test_a_feedback_press_is_read_only_when_well_formed(value: object, expected: object) -> None:
    assert feedback_press(value) == expected
