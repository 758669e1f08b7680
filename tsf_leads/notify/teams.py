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

from tsf_knowledge.amounts import format_pounds
from tsf_leads.contracts import CrmRejected, CrmUnavailable, StoredLead
from tsf_leads.crm.base import HttpClient, Timeouts
from tsf_leads.crm.mapping import (
    CRITERION_STATUS_LABELS,
    VERDICT_LABELS,
    one_line,
    truncate,
)

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
    inlines = []
    for text, bold in parts:
        run: dict[str, Any] = {"type": "TextRun", "text": text}
        if bold:
            run["weight"] = "Bolder"
        inlines.append(run)
    return {"type": "RichTextBlock", "inlines": inlines}


def _card(lead: StoredLead, summary_text: str) -> dict[str, Any]:
    summary = lead.summary
    contact = summary.contact
    verdict = VERDICT_LABELS.get(summary.verdict, summary.verdict)
    facts = [
        ("Organisation", one_line(summary.organisation)),
        ("Contact", one_line(f"{contact.name}, {contact.role}")),
        ("Email", contact.email.strip()),
        ("Phone", one_line(contact.phone or "not given")),
        ("Preferred time", one_line(contact.preferred_time or "not given")),
        ("Amount", format_pounds(summary.amount)),
        ("Purpose", one_line(summary.purpose or "not given")),
        ("Verdict", verdict),
        ("Priority", f"{summary.priority} (score {summary.score})"),
        ("Channel", one_line(summary.channel)),
    ]
    body: list[dict[str, Any]] = [
        _label(f"New warm lead {lead.reference}", size="Large", weight="Bolder"),
        *(
            _runs((f"{name}: ", True), (truncate(value, FACT_LIMIT), False))
            for name, value in facts
        ),
    ]
    if summary.criteria:
        body.append(_label("Eligibility", weight="Bolder", spacing="Medium"))
        body.extend(
            _runs(
                (f"{one_line(item.title)}: ", True),
                (
                    f"{CRITERION_STATUS_LABELS.get(item.status, item.status)}. "
                    f"{one_line(item.reason)}",
                    False,
                ),
            )
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


class TeamsNotifier:
    """Post each new lead to a Teams channel through a Workflows (or legacy) webhook.

    Args:
        webhook_url: the webhook (``TSF_NOTIFY_TEAMS_WEBHOOK_URL``); it is a secret.
        session: an injectable ``requests.Session``.
        timeouts: connect/read timeouts.
    """

    name = "teams"

    def __init__(
        self,
        webhook_url: str,
        *,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
    ) -> None:
        """Keep the webhook; nothing is sent yet."""
        self._url = webhook_url
        self._http = HttpClient(self.name, session, timeouts)

    def notify(self, lead: StoredLead) -> None:
        """Post the card; raises ``CrmUnavailable``/``CrmRejected`` on failure."""
        response = self._http.request("POST", self._url, json_body=teams_message(lead))
        embedded = _EMBEDDED_ERROR.search(response.text or "")
        if embedded:
            status = int(embedded.group(1))
            message = f"teams answered {response.status_code} but reported HTTP {status}"
            if status in {408, 409, 429} or status >= 500:
                raise CrmUnavailable(message)
            raise CrmRejected(message, status)
