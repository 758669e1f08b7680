"""Interaction payloads from Slack and Teams, read into lead actions; malformed ones are None."""

from __future__ import annotations

from typing import Any

import pytest

from tsf_leads.team_actions import (
    TeamAction,
    parse_slack_block_action,
    parse_slack_view_submission,
    parse_teams_submit,
    slack_actor,
    teams_actor,
)

REF = "TSF-2026-000123"


def _block_actions(*actions: Any) -> dict[str, Any]:
    return {"type": "block_actions", "user": {"id": "U1", "name": "sam"}, "actions": list(actions)}


def _button(action_id: str, value: Any = REF) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "block_id": "tsf_lead_actions",
        "value": value,
    }


def _submission(reason: Any, metadata: Any = REF, callback: str = "tsf_lead_not_a_fit") -> Any:
    return {
        "type": "view_submission",
        "view": {
            "callback_id": callback,
            "private_metadata": metadata,
            "state": {
                "values": {"reason": {"reason": {"type": "plain_text_input", "value": reason}}}
            },
        },
    }


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (_block_actions(_button("tsf_lead_claim")), TeamAction(REF, "claimed", None)),
        (_block_actions(_button("tsf_lead_contacted")), TeamAction(REF, "contacted", None)),
        (_block_actions(_button("tsf_lead_not_a_fit")), TeamAction(REF, "not_a_fit", None)),
        (
            _block_actions(_button("other"), _button("tsf_lead_claim")),
            TeamAction(REF, "claimed", None),
        ),
        (
            _block_actions(_button("tsf_lead_claim", " tsf-2026-000123 ")),
            TeamAction(REF, "claimed", None),
        ),
        (_block_actions(_button("tsf_lead_claim", "TSF-2026-12")), None),
        (_block_actions(_button("tsf_lead_claim", 123)), None),
        (_block_actions(_button("tsf_lead_claim", None)), None),
        (_block_actions(_button("tsf_lead_delete")), None),
        (_block_actions(), None),
        ({"type": "block_actions", "actions": "tsf_lead_claim"}, None),
        ({"type": "block_actions", "actions": [None, 3, "x"]}, None),
        ({"type": "view_submission", "actions": [_button("tsf_lead_claim")]}, None),
        ({"actions": [_button("tsf_lead_claim")]}, None),
        ([], None),
        (None, None),
        ("block_actions", None),
    ],
)
def test_slack_button_presses(payload: Any, expected: TeamAction | None) -> None:
    assert parse_slack_block_action(payload) == expected


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (_submission("  Not a spin-out  "), (REF, "Not a spin-out")),
        (_submission("No", metadata="tsf-2026-000123"), (REF, "No")),
        (_submission("   "), None),
        (_submission(None), None),
        (_submission(["list"]), None),
        (_submission("No", metadata=""), None),
        (_submission("No", metadata={"ref": REF}), None),
        (_submission("No", callback="another_modal"), None),
        ({"type": "view_submission", "view": {"callback_id": "tsf_lead_not_a_fit"}}, None),
        ({"type": "view_submission", "view": "tsf_lead_not_a_fit"}, None),
        ({"type": "view_closed", "view": _submission("No")["view"]}, None),
        (None, None),
        (42, None),
    ],
)
def test_slack_not_a_fit_submissions(payload: Any, expected: tuple[str, str] | None) -> None:
    assert parse_slack_view_submission(payload) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"tsf_lead": REF, "action": "claim"}, TeamAction(REF, "claimed", None)),
        ({"tsf_lead": REF, "action": "contacted"}, TeamAction(REF, "contacted", None)),
        (
            {"tsf_lead": REF, "action": "not_a_fit", "reason": " Too early "},
            TeamAction(REF, "not_a_fit", "Too early"),
        ),
        (
            {"tsf_lead": REF, "action": "not_a_fit", "reason": ""},
            TeamAction(REF, "not_a_fit", None),
        ),
        (
            {"type": "message", "value": {"tsf_lead": REF, "action": "claim"}},
            TeamAction(REF, "claimed", None),
        ),
        ({"tsf_lead": REF, "action": "claimed"}, None),
        ({"tsf_lead": REF, "action": ["claim"]}, None),
        ({"tsf_lead": "nope", "action": "claim"}, None),
        ({"tsf_lead": None, "action": "claim"}, None),
        ({"action": "claim"}, None),
        ({"type": "message", "value": "claim"}, None),
        ({"type": "message", "text": "hello"}, None),
        ([REF, "claim"], None),
        (None, None),
    ],
)
def test_teams_submissions(value: Any, expected: TeamAction | None) -> None:
    assert parse_teams_submit(value) == expected


def test_a_parsed_action_unpacks_as_reference_status_reason() -> None:
    reference, status, reason = parse_teams_submit({"tsf_lead": REF, "action": "claim"}) or ()

    assert (reference, status, reason) == (REF, "claimed", None)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"user": {"id": "U1", "name": "sam.jones"}}, ("U1", "sam.jones")),
        ({"user": {"id": "U1", "username": "sam"}}, ("U1", "sam")),
        ({"user": {"id": "U1"}}, ("U1", "U1")),
        ({"user": {"name": "sam"}}, None),
        ({"user": "U1"}, None),
        (None, None),
    ],
)
def test_who_pressed_on_slack(payload: Any, expected: tuple[str, str] | None) -> None:
    assert slack_actor(payload) == expected


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        (
            {"from": {"id": "29:x", "aadObjectId": "aad-1", "name": "Sam Jones"}},
            ("aad-1", "Sam Jones"),
        ),
        ({"from": {"id": "29:x"}}, ("29:x", "29:x")),
        ({"from": None}, None),
        ("activity", None),
    ],
)
def test_who_pressed_on_teams(activity: Any, expected: tuple[str, str] | None) -> None:
    assert teams_actor(activity) == expected


def test_the_modal_carries_the_cards_response_url_back_with_the_reason() -> None:
    from tsf_leads.notify.slack import not_a_fit_modal
    from tsf_leads.team_actions import modal_metadata, parse_slack_view_submission

    opened = not_a_fit_modal("TSF-2026-000123", "1.2.3", "https://hooks.slack.com/actions/x")
    submission = {
        "type": "view_submission",
        "view": {
            **opened["view"],
            "state": {"values": {"reason": {"reason": {"value": "Too early"}}}},
        },
    }
    assert modal_metadata(submission) == ("TSF-2026-000123", "https://hooks.slack.com/actions/x")
    assert parse_slack_view_submission(submission) == ("TSF-2026-000123", "Too early")
    bare = not_a_fit_modal("TSF-2026-000123", "1.2.3")
    assert modal_metadata({"view": bare["view"]}) == ("TSF-2026-000123", None)
    assert modal_metadata({"view": {"private_metadata": "{not json"}}) == (None, None)
