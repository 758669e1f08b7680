"""Slack incoming webhook: a Block Kit message about each new lead.

The message has a header, a section of fields (organisation, contact, amount, verdict...),
the eligibility criteria, the summary as preformatted text and a context line with the
reference. Everything the enquirer typed is escaped for Slack's mrkdwn (``&``, ``<``, ``>``),
so it cannot become a link or an ``<!channel>`` mention. Block Kit limits are respected:
header text 150 characters, section text 3,000, at most 10 fields of 2,000, 50 blocks.

The message ends with an ``actions`` block: buttons **Claim**, **Contacted** and **Not a fit**
(``action_id`` ``tsf_lead_claim``, ``tsf_lead_contacted``, ``tsf_lead_not_a_fit``; ``value``
the lead reference). The Slack interaction handler posts :func:`slack_updated_message` back to
the ``response_url`` (``replace_original``) once the status is set, and opens
:func:`not_a_fit_modal` for a reason first when "Not a fit" is pressed.

Slack answers 200 ``ok``; 400 (``invalid_payload``, ``invalid_blocks``), 403, 404 and 410
(``channel_is_archived``) are permanent; 429 and 5xx are temporary. Incoming webhooks have no
idempotency key: a retry after a lost answer can post the message twice.
"""

from __future__ import annotations

import json
from typing import Any

from tsf_knowledge.amounts import format_pounds
from tsf_leads.contracts import MessageSection, StoredLead, TeamMessage, TeamStatus
from tsf_leads.crm.mapping import criterion_outcome, one_line, subject_line, truncate
from tsf_leads.notify.webhook import WebhookNotifier
from tsf_leads.payload import as_utc
from tsf_leads.summary import VERDICT_LABELS
from tsf_leads.team_status import (
    CLAIMED,
    CONTACTED,
    MAX_REASON_LENGTH,
    NOT_A_FIT,
    next_statuses,
    when_in,
    who_did_it,
)

__all__ = [
    "ACTIONS_BLOCK_ID",
    "ACTION_IDS",
    "NOT_A_FIT_CALLBACK_ID",
    "REASON_ACTION_ID",
    "REASON_BLOCK_ID",
    "SlackNotifier",
    "escape_mrkdwn",
    "escape_within",
    "lead_actions",
    "not_a_fit_modal",
    "slack_message",
    "slack_team_message",
    "slack_updated_message",
]

#: Team status -> the ``action_id`` of its button.
ACTION_IDS = {
    CLAIMED: "tsf_lead_claim",
    CONTACTED: "tsf_lead_contacted",
    NOT_A_FIT: "tsf_lead_not_a_fit",
}
_BUTTONS = {
    CLAIMED: ("Claim", "primary"),
    CONTACTED: ("Contacted", None),
    NOT_A_FIT: ("Not a fit", "danger"),
}
ACTIONS_BLOCK_ID = "tsf_lead_actions"
STATUS_BLOCK_ID = "tsf_lead_status"
NOT_A_FIT_CALLBACK_ID = "tsf_lead_not_a_fit"
REASON_BLOCK_ID = "reason"
REASON_ACTION_ID = "reason"

HEADER_LIMIT = 150
SECTION_LIMIT = 3_000
FIELD_LIMIT = 2_000
MAX_SUMMARY_BLOCKS = 40
_FENCE = "```"
_STATUS_MARKS = {"met": ":white_check_mark:", "not_met": ":x:", "to_discuss": ":speech_balloon:"}


def escape_mrkdwn(text: str) -> str:
    """``text`` with Slack's control characters escaped: ``&`` ``<`` ``>`` (in that order)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_within(text: str, limit: int) -> str:
    """``text`` escaped for mrkdwn and cut to ``limit`` characters without splitting an escape."""
    escaped = escape_mrkdwn(text)
    if len(escaped) <= limit:
        return escaped
    out = ""
    for char in text:
        unit = escape_mrkdwn(char)
        if len(out) + len(unit) > limit - 1:
            break
        out += unit
    return out + "…"


def _field(label: str, value: str) -> dict[str, str]:
    head = f"*{label}*\n"
    body = escape_within(one_line(value), FIELD_LIMIT - len(head)) or "—"
    return {"type": "mrkdwn", "text": head + body}


def _code_chunks(text: str, limit: int) -> list[str]:
    """Escaped text cut into pieces of at most ``limit`` characters, on line ends when possible.

    Escaping happens before measuring, and an escape (``&amp;``) is never cut in two.
    """
    pieces: list[str] = []
    for line in text.replace(_FENCE, "`\u200b`\u200b`").splitlines():
        piece = ""
        for char in line:
            unit = escape_mrkdwn(char)
            if len(piece) + len(unit) > limit:
                pieces.append(piece)
                piece = ""
            piece += unit
        pieces.append(piece)
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = piece
    chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()]


def lead_actions(reference: str, current: str | None = None) -> dict[str, Any] | None:
    """The ``actions`` block with a button for each status a lead with ``current`` may take
    (``None`` when there is none left)."""
    buttons = []
    for status in next_statuses(current):
        label, style = _BUTTONS[status]
        button: dict[str, Any] = {
            "type": "button",
            "action_id": ACTION_IDS[status],
            "text": {"type": "plain_text", "text": label},
            "value": reference,
        }
        if style:
            button["style"] = style
        buttons.append(button)
    if not buttons:
        return None
    return {"type": "actions", "block_id": ACTIONS_BLOCK_ID, "elements": buttons}


def _status_context(team: TeamStatus) -> dict[str, Any]:
    """ "Claimed by Sam Jones at 14:05": the time in each reader's own zone (Slack's ``<!date>``),
    UK time in the fallback; the name and reason escaped."""
    fallback = escape_mrkdwn(when_in(team)).replace("|", "/")
    timestamp = int(as_utc(team.changed_at).timestamp())
    label = escape_mrkdwn(who_did_it(team))
    text = f"*{label}* at <!date^{timestamp}^{{time}} on {{date_short}}|{fallback}>"
    if team.reason:
        text += f": {escape_mrkdwn(one_line(team.reason))}"
    return {
        "type": "context",
        "block_id": STATUS_BLOCK_ID,
        "elements": [{"type": "mrkdwn", "text": truncate(text, SECTION_LIMIT)}],
    }


def slack_updated_message(lead: StoredLead, team: TeamStatus | None) -> dict[str, Any]:
    """The card for ``lead`` once its team status is ``team``, to post to the interaction's
    ``response_url``: ``replace_original``, a context line saying who did what when, and only
    the buttons for the statuses still allowed."""
    return {"replace_original": True, **_message(lead, team)}


def not_a_fit_modal(reference: str, trigger_id: str, response_url: str = "") -> dict[str, Any]:
    """The ``views.open`` payload asking why a lead is not a fit.

    The view's ``callback_id`` is ``tsf_lead_not_a_fit`` and ``private_metadata`` the
    reference, or, given the click's ``response_url`` (to redraw the card once the reason is
    in), JSON with both; its one input block (``block_id`` and ``action_id`` ``reason``) is a
    plain-text input of up to the reason's length limit. Read the submission with
    :func:`tsf_leads.team_actions.parse_slack_view_submission`.
    """
    return {
        "trigger_id": trigger_id,
        "view": {
            "type": "modal",
            "callback_id": NOT_A_FIT_CALLBACK_ID,
            "private_metadata": (
                json.dumps({"reference": reference, "response_url": response_url})
                if response_url
                else reference
            ),
            "title": {"type": "plain_text", "text": "Not a fit"},
            "submit": {"type": "plain_text", "text": "Save"},
            "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": [
                {
                    "type": "input",
                    "block_id": REASON_BLOCK_ID,
                    "label": {
                        "type": "plain_text",
                        "text": truncate(f"Why is {reference} not a fit?", HEADER_LIMIT),
                    },
                    "element": {
                        "type": "plain_text_input",
                        "action_id": REASON_ACTION_ID,
                        "multiline": True,
                        "min_length": 1,
                        "max_length": MAX_REASON_LENGTH,
                    },
                }
            ],
        },
    }


def slack_message(lead: StoredLead) -> dict[str, Any]:
    """The incoming-webhook JSON (``text`` fallback plus ``blocks``) for ``lead``, with the
    Claim / Contacted / Not a fit buttons."""
    return _message(lead, None)


def slack_lead_card(lead: StoredLead, team: TeamStatus | None) -> dict[str, Any]:
    """The lead's card as it stands (``text`` and ``blocks``), with the buttons still left,
    to post with ``chat.postMessage`` (staff asking "lead TSF-…")."""
    return _message(lead, team)


def _message(lead: StoredLead, team: TeamStatus | None) -> dict[str, Any]:
    """The lead's blocks and fallback text, the team status line and the buttons left."""
    summary = lead.summary
    contact = summary.contact
    verdict = VERDICT_LABELS.get(summary.verdict, summary.verdict)
    fields = [
        _field("Organisation", summary.organisation),
        _field("Contact", f"{contact.name}, {contact.role}"),
        _field("Email", contact.email),
        _field("Phone", contact.phone or "not given"),
        _field("Amount", format_pounds(summary.amount)),
        _field("Purpose", summary.purpose or "not given"),
        _field("Verdict", verdict),
        _field("Priority", f"{summary.priority} (score {summary.score})"),
        _field("Preferred time", contact.preferred_time or "not given"),
        _field("Channel", summary.channel),
    ]
    criteria = escape_within(
        "\n".join(
            f"{_STATUS_MARKS.get(item.status, '•')} {one_line(item.title)}: "
            f"{criterion_outcome(item)}"
            for item in summary.criteria
        ),
        SECTION_LIMIT,
    )
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": truncate(f"New warm lead {lead.reference}", HEADER_LIMIT),
            },
        },
        {"type": "section", "fields": fields},
    ]
    if criteria:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": criteria}})
    chunks = _code_chunks(lead.markdown, SECTION_LIMIT - 2 * len(_FENCE) - 2)
    if len(chunks) > MAX_SUMMARY_BLOCKS:
        chunks = [*chunks[:MAX_SUMMARY_BLOCKS], "… (shortened: see the lead store)"]
    blocks.extend(
        {"type": "section", "text": {"type": "mrkdwn", "text": f"{_FENCE}\n{chunk}\n{_FENCE}"}}
        for chunk in chunks
    )
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": escape_within(
                        f"Reference {lead.reference} · conversation {summary.conversation_id}",
                        SECTION_LIMIT,
                    ),
                }
            ],
        }
    )
    if team is not None:
        blocks.append(_status_context(team))
    actions = lead_actions(lead.reference, None if team is None else team.status)
    if actions is not None:
        blocks.append(actions)
    return {"text": escape_within(subject_line(lead), SECTION_LIMIT), "blocks": blocks}


def _section_blocks(section: MessageSection) -> list[dict[str, Any]]:
    """A heading, then the lines in sections of at most 3,000 characters (a fixed-width part
    as preformatted text); everything escaped."""
    head = f"*{escape_within(one_line(section.heading), HEADER_LIMIT)}*"
    text = "\n".join(section.lines) or "—"
    room = SECTION_LIMIT - 2 * len(_FENCE) - 2
    chunks = _code_chunks(text, room) or ["—"]
    if section.fixed_width:
        chunks = [f"{_FENCE}\n{chunk}\n{_FENCE}" for chunk in chunks]
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": head}}]
    return blocks + [{"type": "section", "text": {"type": "mrkdwn", "text": c}} for c in chunks]


def slack_team_message(message: TeamMessage) -> dict[str, Any]:
    """The webhook JSON for a message to the team: a header and its sections, within Block
    Kit's limits (a part that does not fit says so)."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": truncate(one_line(message.title), HEADER_LIMIT)},
        }
    ]
    for section in message.sections:
        more = _section_blocks(section)
        if len(blocks) + len(more) > MAX_SUMMARY_BLOCKS:
            note = "(shortened: the rest did not fit in one Slack message)"
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
            break
        blocks += more
    return {"text": escape_within(one_line(message.title), SECTION_LIMIT), "blocks": blocks}


class SlackNotifier(WebhookNotifier):
    """Post each new lead (and other messages to the team) to a Slack channel through an
    incoming webhook (``TSF_NOTIFY_SLACK_WEBHOOK_URL``)."""

    name = "slack"
    message = staticmethod(slack_message)
    team_message = staticmethod(slack_team_message)
