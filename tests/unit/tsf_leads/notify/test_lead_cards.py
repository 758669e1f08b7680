"""Lead cards with buttons: the new-lead card, the updated card, and the Not a fit modal."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from tests.fakes.chat import block_problem, card_problem, view_problem
from tests.fakes.leads import REFERENCE, make_lead
from tsf_leads.contracts import TeamStatus
from tsf_leads.notify.slack import not_a_fit_modal, slack_message, slack_updated_message
from tsf_leads.notify.teams import teams_message, teams_updated_message

AT = datetime(2026, 6, 2, 13, 5, 0, 123456, tzinfo=timezone.utc)  # 14:05 in London (BST)


def _team(status: str, name: str = "Sam Jones", reason: str | None = None) -> TeamStatus:
    return TeamStatus(status, "U012SAM", name, AT, reason)


def _buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    actions = [block for block in message["blocks"] if block["type"] == "actions"]
    return [(b["action_id"], b["value"]) for block in actions for b in block["elements"]]


def test_a_new_lead_card_has_the_three_buttons_with_the_reference() -> None:
    message = slack_message(make_lead())

    assert block_problem(message["blocks"]) is None
    assert _buttons(message) == [
        ("tsf_lead_claim", REFERENCE),
        ("tsf_lead_contacted", REFERENCE),
        ("tsf_lead_not_a_fit", REFERENCE),
    ]
    labels = [b["text"]["text"] for b in message["blocks"][-1]["elements"]]
    assert labels == ["Claim", "Contacted", "Not a fit"]


@pytest.mark.parametrize(
    ("status", "left"),
    [
        ("claimed", ["tsf_lead_contacted", "tsf_lead_not_a_fit"]),
        ("contacted", ["tsf_lead_not_a_fit"]),
        ("not_a_fit", []),
    ],
)
def test_the_updated_slack_card_keeps_only_the_buttons_that_still_make_sense(
    status: str, left: list[str]
) -> None:
    message = slack_updated_message(make_lead(), _team(status, reason="Too early"))

    assert message["replace_original"] is True
    assert block_problem(message["blocks"]) is None
    assert [action_id for action_id, _ in _buttons(message)] == left


def test_the_updated_slack_card_says_who_and_when_and_escapes_the_name() -> None:
    message = slack_updated_message(make_lead(), _team("claimed", name="Sam <!channel> Jones"))

    (line,) = [b for b in message["blocks"] if b.get("block_id") == "tsf_lead_status"]
    text = line["elements"][0]["text"]
    assert text.startswith("*Claimed by Sam &lt;!channel&gt; Jones* at ")
    assert f"<!date^{int(AT.timestamp())}^" in text
    assert text.endswith("|14:05 on 2 Jun 2026>")  # the fallback is UK time
    assert "<!channel>" not in text


def test_a_not_a_fit_card_shows_the_reason() -> None:
    message = slack_updated_message(make_lead(), _team("not_a_fit", reason="No <b>product</b>"))

    assert "No &lt;b&gt;product&lt;/b&gt;" in json.dumps(message)


def test_the_not_a_fit_modal_is_a_valid_view_carrying_the_reference() -> None:
    payload = not_a_fit_modal(REFERENCE, "trigger-123")
    view = payload["view"]

    assert payload["trigger_id"] == "trigger-123"
    assert view_problem(view) is None
    assert (view["type"], view["callback_id"], view["private_metadata"]) == (
        "modal",
        "tsf_lead_not_a_fit",
        REFERENCE,
    )
    (block,) = view["blocks"]
    assert (block["type"], block["block_id"], block["element"]["action_id"]) == (
        "input",
        "reason",
        "reason",
    )
    assert block["element"]["type"] == "plain_text_input"
    assert block["element"]["max_length"] == 500


def _teams_actions(message: dict[str, Any]) -> list[dict[str, Any]]:
    return list(message["attachments"][0]["content"].get("actions", []))


def test_a_new_teams_card_submits_claim_and_contacted_and_asks_why_not_a_fit() -> None:
    message = teams_message(make_lead())
    claim, contacted, not_a_fit = _teams_actions(message)

    assert card_problem(message) is None
    assert claim == {
        "type": "Action.Submit",
        "title": "Claim",
        "data": {"tsf_lead": REFERENCE, "action": "claim"},
    }
    assert contacted["data"] == {"tsf_lead": REFERENCE, "action": "contacted"}
    assert not_a_fit["type"] == "Action.ShowCard"
    (reason,) = not_a_fit["card"]["body"]
    assert (reason["type"], reason["id"], reason["isRequired"]) == ("Input.Text", "reason", True)
    (save,) = not_a_fit["card"]["actions"]
    assert save["data"] == {"tsf_lead": REFERENCE, "action": "not_a_fit"}


@pytest.mark.parametrize(
    ("status", "left"),
    [("claimed", ["Contacted", "Not a fit"]), ("contacted", ["Not a fit"]), ("not_a_fit", [])],
)
def test_the_updated_teams_card_says_who_and_keeps_the_actions_left(
    status: str, left: list[str]
) -> None:
    message = teams_updated_message(make_lead(), _team(status, name="**Sam**", reason="Late"))

    assert card_problem(message) is None
    assert [action["title"] for action in _teams_actions(message)] == left
    text = json.dumps(message)
    assert "{{TIME(2026-06-02T13:05:00Z)}}" in text
    runs = [
        run["text"]
        for item in message["attachments"][0]["content"]["body"][-1]["items"]
        if item["type"] == "RichTextBlock"
        for run in item["inlines"]
    ]
    assert any("**Sam**" in run for run in runs)  # a TextRun: never read as Markdown
