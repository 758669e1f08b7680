"""Microsoft Teams webhook: an Adaptive Card (1.4) about each new lead.

The card goes in the ``message`` envelope that both Teams Workflows ("Send webhook alerts to a
channel", which replaces the retired Office 365 connectors) and the older incoming webhooks
accept::

    {"type": "message",
     "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                      "contentUrl": null, "content": {"type": "AdaptiveCard", ...}}]}

Teams renders Markdown in ``TextBlock`` and ``Fact`` text, so everything the enquirer typed is
put in ``TextRun`` elements of ``RichTextBlock``s, where the schema does not interpret Markdown
at all: user text cannot add links, emphasis or lists. Only our own fixed labels use
``TextBlock``. The payload is kept under Teams' 28 KB limit by shortening the summary.

Workflows answer 202 Accepted; legacy connectors answer 200 with ``1``, and sometimes 200 with
"Microsoft Teams endpoint returned HTTP error 429 ..." in the body, which is a failure.
"""

from __future__ import annotations

import json
import re
from typing import Any

import requests

from tsf_leads.contracts import CrmRejected, CrmUnavailable, StoredLead
from tsf_leads.crm.mapping import criterion_outcome, lead_facts, one_line, truncate
from tsf_leads.notify.webhook import WebhookNotifier

__all__ = ["ADAPTIVE_CARD_CONTENT_TYPE", "TeamsNotifier", "teams_message"]

ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.4"
PAYLOAD_LIMIT = 25_000  # bytes; Teams refuses messages over about 28 KB
FACT_LIMIT = 500
_EMBEDDED_ERROR = re.compile(r"returned HTTP error (\d{3})", re.IGNORECASE)


def _label(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _runs(*parts: tuple[str, bool]) -> dict[str, Any]:
    """A RichTextBlock of TextRuns: (text, bold) pairs; TextRun text is never Markdown."""
    inlines = [
        {"type": "TextRun", "text": text, **({"weight": "Bolder"} if bold else {})}
        for text, bold in parts
    ]
    return {"type": "RichTextBlock", "inlines": inlines}


def _card(lead: StoredLead, summary_text: str) -> dict[str, Any]:
    summary = lead.summary
    body: list[dict[str, Any]] = [
        _label(f"New warm lead {lead.reference}", size="Large", weight="Bolder"),
        *(
            _runs((f"{name}: ", True), (truncate(value, FACT_LIMIT), False))
            for name, value in lead_facts(lead)
        ),
    ]
    if summary.criteria:
        body.append(_label("Eligibility", weight="Bolder", spacing="Medium"))
        body.extend(
            _runs((f"{one_line(item.title)}: ", True), (criterion_outcome(item), False))
            for item in summary.criteria
        )
    body.append(_label("Summary", weight="Bolder", spacing="Medium"))
    body.append(_runs((summary_text, False)))
    body.append(
        _runs((f"Reference {lead.reference} · conversation {summary.conversation_id}", False))
    )
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "msteams": {"width": "Full"},
        "body": body,
    }


def _envelope(card: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "message",
        "attachments": [
            {"contentType": ADAPTIVE_CARD_CONTENT_TYPE, "contentUrl": None, "content": card}
        ],
    }


def teams_message(lead: StoredLead) -> dict[str, Any]:
    """The webhook JSON for ``lead``: the envelope around an Adaptive Card, under the size limit."""
    text = lead.markdown.strip()
    message = _envelope(_card(lead, text))
    size = len(json.dumps(message).encode("utf-8"))
    while size > PAYLOAD_LIMIT and text:
        text = text[: max(0, len(text) - (size - PAYLOAD_LIMIT) - 200)]
        shortened = text.rstrip() + "\n… (shortened: the full summary is in the lead store)"
        message = _envelope(_card(lead, shortened))
        size = len(json.dumps(message).encode("utf-8"))
    return message


class TeamsNotifier(WebhookNotifier):
    """Post each new lead to a Teams channel through a Workflows (or legacy) webhook
    (``TSF_NOTIFY_TEAMS_WEBHOOK_URL``)."""

    name = "teams"
    message = staticmethod(teams_message)

    def check(self, response: requests.Response) -> None:
        """A legacy connector's 200 can carry "returned HTTP error 429": that is a failure."""
        embedded = _EMBEDDED_ERROR.search(response.text or "")
        if embedded:
            status = int(embedded.group(1))
            message = f"teams answered {response.status_code} but reported HTTP {status}"
            if status in {408, 409, 429} or status >= 500:
                raise CrmUnavailable(message)
            raise CrmRejected(message, status)
