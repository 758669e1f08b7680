"""Hand-over cards: what the team sees, the one button that fits the state, nothing injected."""

from __future__ import annotations

import json
from dataclasses import replace

from tsf_handover.cards import (
    HAND_BACK_ACTION,
    TAKE_ACTION,
    RequestDetails,
    Turn,
    slack_request_blocks,
    teams_request_card,
)
from tsf_handover.store import ENDED, EXPIRED, TAKEN, WAITING, Handover

DETAILS = RequestDetails(
    who="Ada Lovelace, Analytical Ltd",
    verdict="Eligible",
    transcript=(Turn("Applicant", "can I talk to someone? <!channel>"), Turn("Assistant", "Yes")),
)
WAITING_REQUEST = Handover(
    id=1,
    token="tok-123",
    conversation_id="rest:one",
    status=WAITING,
    requested_at=1_800_000_000.0,
    expires_at=1_800_000_180.0,
    details=DETAILS.to_json(),
)


def buttons(blocks: list[dict]) -> list[tuple[str, str]]:
    return [
        (element["action_id"], element["value"])
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_the_details_survive_the_round_trip_through_json() -> None:
    assert RequestDetails.from_json(DETAILS.to_json()) == DETAILS
    assert RequestDetails.from_json("not json") == RequestDetails()
    assert RequestDetails.from_json('{"who": 1}') == RequestDetails()


def test_a_waiting_request_shows_who_the_verdict_the_transcript_and_take_it() -> None:
    blocks = slack_request_blocks(WAITING_REQUEST)
    text = json.dumps(blocks)
    assert "Ada Lovelace, Analytical Ltd" in text and "Eligible" in text
    assert "can I talk to someone? &lt;!channel&gt;" in text  # escaped: no mention
    assert "<!channel>" not in text
    assert buttons(blocks) == [(TAKE_ACTION, "tok-123")]


def test_a_taken_request_says_who_took_it_and_offers_hand_back() -> None:
    taken = replace(
        WAITING_REQUEST, status=TAKEN, taken_by_name="Sam Jones", taken_at=1_800_000_060.0
    )
    blocks = slack_request_blocks(taken)
    assert "Taken by Sam Jones at " in json.dumps(blocks)
    assert buttons(blocks) == [(HAND_BACK_ACTION, "tok-123")]


def test_closed_requests_have_no_buttons() -> None:
    expired = replace(WAITING_REQUEST, status=EXPIRED, ended_at=1_800_000_180.0)
    ended = replace(
        WAITING_REQUEST, status=ENDED, taken_by_name="Sam Jones", ended_at=1_800_000_900.0
    )
    assert buttons(slack_request_blocks(expired)) == []
    assert "Nobody took it in time" in json.dumps(slack_request_blocks(expired))
    assert buttons(slack_request_blocks(ended)) == []
    assert "Sam Jones handed the chat back at " in json.dumps(slack_request_blocks(ended))


def test_a_long_transcript_keeps_its_latest_lines_within_slacks_limit() -> None:
    turns = tuple(Turn("Applicant", f"message {n} " + "x" * 400) for n in range(30))
    request = replace(WAITING_REQUEST, details=RequestDetails(transcript=turns).to_json())
    section = slack_request_blocks(request)[2]["text"]["text"]
    assert len(section) <= 3000
    assert "message 29" in section and "message 0 " not in section


def test_the_teams_card_carries_the_same_buttons_as_submit_actions() -> None:
    card = teams_request_card(WAITING_REQUEST)
    assert card["type"] == "AdaptiveCard"
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": "Take it",
            "data": {"tsf_handover": TAKE_ACTION, "token": "tok-123"},
        }
    ]
    assert "actions" not in teams_request_card(replace(WAITING_REQUEST, status=EXPIRED))


def test_nothing_the_applicant_typed_is_markdown_on_the_teams_card() -> None:
    details = RequestDetails(
        who="[Ada](https://evil.example)",
        verdict="Eligible",
        transcript=(Turn("Applicant", "**urgent** [click](https://evil.example)"),),
    )
    card = teams_request_card(replace(WAITING_REQUEST, details=details.to_json()))

    markdown_blocks = [
        block["text"] for block in card["body"] if block["type"] in {"TextBlock", "FactSet"}
    ]
    runs = [
        inline["text"]
        for block in card["body"]
        if block["type"] == "RichTextBlock"
        for inline in block["inlines"]
    ]
    assert markdown_blocks == ["A website visitor would like to talk to the team"]
    assert "[Ada](https://evil.example)" in runs
    assert "**urgent** [click](https://evil.example)" in runs
    assert "Waiting for someone to take it." in runs
