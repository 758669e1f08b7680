"""Slack incoming webhook: a Block Kit message about each new lead.

The message has a header, a section of fields (organisation, contact, amount, verdict...),
the eligibility criteria, the summary as preformatted text and a context line with the
reference. Everything the enquirer typed is escaped for Slack's mrkdwn (``&``, ``<``, ``>``),
so it cannot become a link or an ``<!channel>`` mention. Block Kit limits are respected:
header text 150 characters, section text 3,000, at most 10 fields of 2,000, 50 blocks.

Slack answers 200 ``ok``; 400 (``invalid_payload``, ``invalid_blocks``), 403, 404 and 410
(``channel_is_archived``) are permanent; 429 and 5xx are temporary. Incoming webhooks have no
idempotency key: a retry after a lost answer can post the message twice.
"""

from __future__ import annotations

from typing import Any

from tsf_knowledge.amounts import format_pounds
from tsf_leads.contracts import StoredLead
from tsf_leads.crm.mapping import criterion_outcome, one_line, subject_line, truncate
from tsf_leads.notify.webhook import WebhookNotifier
from tsf_leads.summary import VERDICT_LABELS

__all__ = ["SlackNotifier", "escape_mrkdwn", "escape_within", "slack_message"]

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


def slack_message(lead: StoredLead) -> dict[str, Any]:
    """The incoming-webhook JSON (``text`` fallback plus ``blocks``) for ``lead``."""
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
    return {"text": escape_within(subject_line(lead), SECTION_LIMIT), "blocks": blocks}


class SlackNotifier(WebhookNotifier):
    """Post each new lead to a Slack channel through an incoming webhook
    (``TSF_NOTIFY_SLACK_WEBHOOK_URL``)."""

    name = "slack"
    message = staticmethod(slack_message)
