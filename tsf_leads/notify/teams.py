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

The card's actions are **Claim** and **Contacted** (``Action.Submit`` with
``data: {"tsf_lead": reference, "action": "claim" | "contacted"}``) and **Not a fit**, an
``Action.ShowCard`` whose ``Input.Text`` ``reason`` is submitted with ``"action": "not_a_fit"``.
Submissions only reach a bot when the bot itself sent the card; read them with
:func:`tsf_leads.team_actions.parse_teams_submit`, and replace the card with
:func:`teams_updated_message`.

Workflows answer 202 Accepted; legacy connectors answer 200 with ``1``, and sometimes 200 with
"Microsoft Teams endpoint returned HTTP error 429 ..." in the body, which is a failure.
"""

from __future__ import annotations

import json
import re
from typing import Any

import requests

from tsf_leads.contracts import (
    CrmAuthError,
    CrmRejected,
    CrmUnavailable,
    StoredLead,
    TeamMessage,
    TeamStatus,
)
from tsf_leads.crm.base import HttpClient, Timeouts
from tsf_leads.crm.mapping import criterion_outcome, lead_facts, one_line, truncate
from tsf_leads.notify.webhook import WebhookNotifier
from tsf_leads.oauth import TokenCache
from tsf_leads.payload import as_utc
from tsf_leads.team_status import (
    CLAIMED,
    CONTACTED,
    MAX_REASON_LENGTH,
    NOT_A_FIT,
    next_statuses,
    who_did_it,
)

__all__ = [
    "ACTION_NAMES",
    "ADAPTIVE_CARD_CONTENT_TYPE",
    "REASON_INPUT_ID",
    "TeamsNotifier",
    "card_actions",
    "teams_message",
    "teams_team_message",
    "teams_updated_message",
]

#: Team status -> the ``action`` value its button submits.
ACTION_NAMES = {CLAIMED: "claim", CONTACTED: "contacted", NOT_A_FIT: "not_a_fit"}
REASON_INPUT_ID = "reason"

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


def _submit(title: str, reference: str, status: str) -> dict[str, Any]:
    data = {"tsf_lead": reference, "action": ACTION_NAMES[status]}
    return {"type": "Action.Submit", "title": title, "data": data}


def card_actions(reference: str, current: str | None = None) -> list[dict[str, Any]]:
    """The card's actions for the statuses a lead with ``current`` may still take."""
    actions = []
    for status in next_statuses(current):
        if status == CLAIMED:
            actions.append(_submit("Claim", reference, status))
        elif status == CONTACTED:
            actions.append(_submit("Contacted", reference, status))
        else:
            reason = {
                "type": "Input.Text",
                "id": REASON_INPUT_ID,
                "label": "Why is it not a fit?",
                "isMultiline": True,
                "isRequired": True,
                "maxLength": MAX_REASON_LENGTH,
                "errorMessage": "Please say why the lead is not a fit.",
            }
            actions.append(
                {
                    "type": "Action.ShowCard",
                    "title": "Not a fit",
                    "card": {
                        "type": "AdaptiveCard",
                        "body": [reason],
                        "actions": [_submit("Save", reference, status)],
                    },
                }
            )
    return actions


def _status_blocks(team: TeamStatus) -> list[dict[str, Any]]:
    """Who set the status (TextRuns: never Markdown) and when (Teams formats the time in the
    reader's own zone with ``{{TIME()}}``)."""
    moment = as_utc(team.changed_at).strftime("%Y-%m-%dT%H:%M:%SZ")  # RFC 3339, no fraction
    blocks = [
        _runs((who_did_it(team), True)),
        _label(f"{{{{DATE({moment}, SHORT)}}}} at {{{{TIME({moment})}}}}", isSubtle=True),
    ]
    if team.reason:
        blocks.append(_runs(("Reason: ", True), (one_line(team.reason), False)))
    return [{"type": "Container", "style": "emphasis", "items": blocks, "spacing": "Medium"}]


def _card(lead: StoredLead, summary_text: str, team: TeamStatus | None = None) -> dict[str, Any]:
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
    if team is not None:
        body.extend(_status_blocks(team))
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "msteams": {"width": "Full"},
        "body": body,
    }
    actions = card_actions(lead.reference, None if team is None else team.status)
    if actions:
        card["actions"] = actions
    return card


def _envelope(card: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "message",
        "attachments": [
            {"contentType": ADAPTIVE_CARD_CONTENT_TYPE, "contentUrl": None, "content": card}
        ],
    }


def teams_message(lead: StoredLead) -> dict[str, Any]:
    """The webhook JSON for ``lead``: the envelope around an Adaptive Card with the Claim /
    Contacted / Not a fit actions, under the size limit."""
    return _sized(lead, None)


def teams_updated_message(lead: StoredLead, team: TeamStatus | None) -> dict[str, Any]:
    """The message for ``lead`` once its team status is ``team`` (to update the bot's card):
    who did what when, and only the actions for the statuses still allowed."""
    return _sized(lead, team)


def _sized(lead: StoredLead, team: TeamStatus | None) -> dict[str, Any]:
    text = lead.markdown.strip()
    message = _envelope(_card(lead, text, team))
    size = len(json.dumps(message).encode("utf-8"))
    while size > PAYLOAD_LIMIT and text:
        text = text[: max(0, len(text) - (size - PAYLOAD_LIMIT) - 200)]
        shortened = text.rstrip() + "\n… (shortened: the full summary is in the lead store)"
        message = _envelope(_card(lead, shortened, team))
        size = len(json.dumps(message).encode("utf-8"))
    return message


def _team_card(message: TeamMessage, limit: int) -> dict[str, Any]:
    body: list[dict[str, Any]] = [_runs((one_line(message.title), True))]
    body[0]["inlines"][0]["size"] = "Large"
    for section in message.sections:
        body.append(_runs((one_line(section.heading), True)))
        body[-1]["spacing"] = "Medium"
        font = {"fontType": "Monospace"} if section.fixed_width else {}
        text = truncate("\n".join(section.lines) or "—", limit)
        body.append(
            {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **font}]}
        )
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "msteams": {"width": "Full"},
        "body": body,
    }


def teams_team_message(message: TeamMessage) -> dict[str, Any]:
    """The webhook JSON for a message to the team: an Adaptive Card of TextRuns (never
    Markdown), fixed-width parts in a monospace font, under the size limit."""
    limit = PAYLOAD_LIMIT
    envelope = _envelope(_team_card(message, limit))
    while len(json.dumps(envelope).encode("utf-8")) > PAYLOAD_LIMIT and limit > FACT_LIMIT:
        limit //= 2
        envelope = _envelope(_team_card(message, limit))
    return envelope


class TeamsNotifier(WebhookNotifier):
    """Post each new lead to a Teams channel through a Workflows (or legacy) webhook
    (``TSF_NOTIFY_TEAMS_WEBHOOK_URL``)."""

    name = "teams"
    message = staticmethod(teams_message)
    team_message = staticmethod(teams_team_message)

    def check(self, response: requests.Response) -> None:
        """A legacy connector's 200 can carry "returned HTTP error 429": that is a failure."""
        embedded = _EMBEDDED_ERROR.search(response.text or "")
        if embedded:
            status = int(embedded.group(1))
            message = f"teams answered {response.status_code} but reported HTTP {status}"
            if status in {408, 409, 429} or status >= 500:
                raise CrmUnavailable(message)
            raise CrmRejected(message, status)


class TeamsChannelNotifier:
    """Post each new lead's card into the team's Teams channel **as the bot** (a proactive
    message, ``POST {service}/v3/conversations``), so its Claim / Contacted / Not a fit
    buttons reach the assistant: Teams sends a card's ``Action.Submit`` only to the bot
    that posted it, never through a Workflows webhook.

    Args:
        service_url: the tenant's Bot Framework service URL (``TSF_TEAMS_SERVICE_URL``).
        channel: the team channel's id (``TSF_TEAM_TEAMS_CHANNEL``).
        tokens: the bot's access tokens (``tsf_leads.oauth.bot_token_cache``).
    """

    name = "teams-channel"

    def __init__(
        self,
        service_url: str,
        channel: str,
        tokens: TokenCache,
        *,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
    ) -> None:
        """Keep where to post; nothing is sent yet."""
        self._url = f"{service_url.rstrip('/')}/v3/conversations"
        self._channel = channel
        self._tokens = tokens
        self._http = HttpClient(self.name, session, timeouts)

    def notify(self, lead: StoredLead) -> None:
        """Start a thread in the channel with the lead's card; ``CrmUnavailable`` or
        ``CrmRejected`` on failure (a refused token is fetched again once)."""
        self._post(teams_message(lead))

    def send_message(self, message: TeamMessage) -> None:
        """Start a thread in the channel with a message to the team; the same failures."""
        self._post(teams_team_message(message))

    def _post(self, activity: dict[str, Any]) -> None:
        body = {
            "isGroup": True,
            "channelData": {"channel": {"id": self._channel}},
            "activity": activity,
        }
        for attempt in range(2):
            token = self._tokens.get()
            try:
                self._http.request(
                    "POST",
                    self._url,
                    json_body=body,
                    headers={"Authorization": f"Bearer {token.value}"},
                )
                return
            except CrmAuthError:
                self._tokens.invalidate(token)
                if attempt:
                    raise
