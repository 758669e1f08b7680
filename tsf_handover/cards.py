"""What a hand-over request says to the team: the Slack Block Kit and Teams Adaptive Card
messages for a request waiting to be taken, taken, and closed.

Everything the applicant typed is escaped for Slack's mrkdwn, so it cannot mention the
channel or become a link, and cut to Block Kit's limits.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from tsf_handover.store import EXPIRED, FAILED, TAKEN, Handover
from tsf_leads.notify.slack import escape_within

TAKE_ACTION = "tsf_handover_take"
HAND_BACK_ACTION = "tsf_handover_end"
TEAM_NAME = "Social Investment Team"
SECTION_LIMIT = 3_000
LINE_LIMIT = 500
UK = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Turn:
    """One line of the transcript excerpt: who said it and what."""

    speaker: str
    text: str


@dataclass(frozen=True)
class RequestDetails:
    """What the team sees about the applicant when they are asked to join."""

    who: str = ""
    verdict: str = ""
    transcript: Sequence[Turn] = field(default_factory=tuple)

    def to_json(self) -> str:
        """The details as JSON, kept with the request to redraw its card."""
        return json.dumps(
            {
                "who": self.who,
                "verdict": self.verdict,
                "transcript": [[turn.speaker, turn.text] for turn in self.transcript],
            }
        )

    @classmethod
    def from_json(cls, text: str | None) -> RequestDetails:
        """The details :meth:`to_json` wrote; empty details for anything else."""
        try:
            data = json.loads(text or "{}")
            turns = tuple(Turn(str(speaker), str(said)) for speaker, said in data["transcript"])
            return cls(str(data["who"]), str(data["verdict"]), turns)
        except (ValueError, KeyError, TypeError):
            return cls()


def uk_time(moment: float) -> str:
    """``moment`` (epoch seconds) as UK wall-clock time, e.g. ``14:05``."""
    return datetime.fromtimestamp(moment, timezone.utc).astimezone(UK).strftime("%H:%M")


def _transcript_text(turns: Sequence[Turn]) -> str:
    lines = [f"*{turn.speaker}:* {escape_within(turn.text, LINE_LIMIT)}" for turn in turns]
    text = "\n".join(lines)
    while len(text) > SECTION_LIMIT and lines:
        lines.pop(0)
        text = "\n".join(["…", *lines])
    return text or "_No messages yet._"


def _status_line(handover: Handover) -> str:
    if handover.status == TAKEN:
        return (
            f":raising_hand: Taken by {handover.taken_by_name} at {uk_time(handover.taken_at or 0)}"
        )
    if handover.status == EXPIRED:
        return ":hourglass: Nobody took it in time; the applicant was offered the contact form."
    if handover.status == FAILED:
        return ":warning: This request could not be completed."
    if handover.ended_at is not None:
        who = handover.taken_by_name or "The team"
        return f":white_check_mark: {who} handed the chat back at {uk_time(handover.ended_at)}"
    return ":bell: Waiting for someone to take it."


def slack_request_blocks(handover: Handover) -> list[dict[str, Any]]:
    """The Slack card for ``handover`` in its current state, with the button that fits it."""
    details = RequestDetails.from_json(handover.details)
    facts = [
        f"*Who:* {escape_within(details.who or 'Not given yet', LINE_LIMIT)}",
        f"*Eligibility so far:* {escape_within(details.verdict or 'Not checked', LINE_LIMIT)}",
    ]
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": "A website visitor would like to talk to the team",
            },
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(facts)}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": _transcript_text(details.transcript)},
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _status_line(handover)}]},
    ]
    button = _slack_button(handover)
    if button:
        blocks.append({"type": "actions", "block_id": "tsf_handover", "elements": [button]})
    return blocks


def _slack_button(handover: Handover) -> dict[str, Any] | None:
    if handover.status == "waiting":
        title, action, style = "Take it", TAKE_ACTION, "primary"
    elif handover.status == TAKEN:
        title, action, style = "Hand back", HAND_BACK_ACTION, "danger"
    else:
        return None
    return {
        "type": "button",
        "action_id": action,
        "text": {"type": "plain_text", "text": title},
        "value": handover.token,
        "style": style,
    }


def slack_fallback_text(handover: Handover) -> str:
    """The notification text of the card (also what screen readers announce)."""
    return f"A website visitor would like to talk to the team. {_status_line(handover)}"


def _runs(*parts: tuple[str, bool], subtle: bool = False) -> dict[str, Any]:
    """A ``RichTextBlock`` of ``TextRun``s from (text, bold) pairs: Teams renders Markdown in
    ``TextBlock`` and ``Fact`` text but never in a ``TextRun``, so what the applicant (or a
    display name) says cannot become a link or formatting."""
    inlines = [
        {
            "type": "TextRun",
            "text": text,
            **({"weight": "Bolder"} if bold else {}),
            **({"isSubtle": True} if subtle else {}),
        }
        for text, bold in parts
    ]
    return {"type": "RichTextBlock", "inlines": inlines}


def teams_request_card(handover: Handover) -> dict[str, Any]:
    """The Teams Adaptive Card for ``handover`` in its current state; everything not our own
    wording is in ``TextRun``s (:func:`_runs`)."""
    details = RequestDetails.from_json(handover.details)
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": "A website visitor would like to talk to the team",
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        },
        _runs(("Who: ", True), ((details.who or "Not given yet")[:LINE_LIMIT], False)),
        _runs(
            ("Eligibility so far: ", True),
            ((details.verdict or "Not checked")[:LINE_LIMIT], False),
        ),
    ]
    for turn in details.transcript:
        body.append(_runs((f"{turn.speaker}: ", True), (turn.text[:LINE_LIMIT], False)))
    status = _status_line(handover).split(" ", 1)[1]
    body.append(_runs((status, False), subtle=True))
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "body": body,
    }
    if handover.status == "waiting":
        card["actions"] = [_teams_action("Take it", TAKE_ACTION, handover.token)]
    elif handover.status == TAKEN:
        card["actions"] = [_teams_action("Hand back", HAND_BACK_ACTION, handover.token)]
    return card


def _teams_action(title: str, action: str, token: str) -> dict[str, Any]:
    return {
        "type": "Action.Submit",
        "title": title,
        "data": {"tsf_handover": action, "token": token},
    }
