"""Fake Slack and Teams webhooks that check the payload shape and record the messages.

``FakeSlackWebhook`` checks Block Kit limits (50 blocks; header plain_text up to 150
characters; section text up to 3,000; up to 10 fields of 2,000) and answers 200 ``ok`` or
400 ``no_text`` / ``invalid_blocks`` as Slack does. ``mentions()`` lists the Slack control
sequences (``<!channel>``, ``<@U…>``, ``<http…|…>``) found in mrkdwn text: user text must
never produce one.

Buttons (``actions`` blocks: up to 25 buttons, plain_text labels up to 75 characters, unique
``action_id``s, ``value`` up to 2,000, ``style`` primary or danger) and modal views
(:func:`view_problem`) are checked as Block Kit documents them.

``FakeTeamsWebhook`` checks the ``message`` envelope, the Adaptive Card content type and
card shape, TextRuns only inside RichTextBlocks and the 28 KB limit; it answers 202 like a
Teams Workflows webhook (or 200 ``1`` like a legacy connector with ``legacy=True``).
``markdown_texts()`` returns the strings Teams would render as Markdown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from tests.fakes.http_server import FakeService, Recorded, Reply

_CONTROL = re.compile(r"<[!@#][^>]*>|<(?:https?|mailto):[^>]*>")


def _check_json(request: Recorded) -> Any | Reply:
    if request.method != "POST":
        return Reply(405, "invalid_method")
    if request.content_type != "application/json":
        return Reply(400, "invalid_payload")
    try:
        return request.json()
    except ValueError:
        return Reply(400, "invalid_payload")


class FakeSlackWebhook(FakeService):
    """Fake Slack incoming webhook at ``hook_url``."""

    path = "/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX"

    def __init__(self) -> None:
        """No messages yet."""
        super().__init__()
        self.messages: list[dict[str, Any]] = []

    @property
    def hook_url(self) -> str:
        """The URL to configure as ``TSF_NOTIFY_SLACK_WEBHOOK_URL``."""
        return self.url + self.path

    def delivery_count(self, reference: str) -> int:
        """How many messages mention ``reference``."""
        with self.lock:
            return sum(reference in json.dumps(message) for message in self.messages)

    def mrkdwn_texts(self) -> Iterator[str]:
        """Every mrkdwn string in the recorded messages (where Slack parses markup)."""
        with self.lock:
            messages = list(self.messages)
        for message in messages:
            yield message.get("text", "")
            for block in message.get("blocks", []):
                texts = [block.get("text") or {}, *block.get("fields", [])]
                texts += block.get("elements", [])
                for text in texts:
                    if text.get("type") == "mrkdwn":
                        yield text.get("text", "")

    def mentions(self) -> list[str]:
        """Slack control sequences found in mrkdwn text (links, mentions, broadcasts)."""
        return [found for text in self.mrkdwn_texts() for found in _CONTROL.findall(text)]

    def error_body(self, status: int) -> Any:
        """Slack answers in plain text."""
        return {429: "rate_limited", 403: "action_prohibited", 404: "no_service"}.get(
            status, "server_error" if status >= 500 else "invalid_payload"
        )

    def handle(self, request: Recorded) -> Reply:
        """Validate and record."""
        if request.path != self.path:
            return Reply(404, "no_service")
        payload = _check_json(request)
        if isinstance(payload, Reply):
            return payload
        if not isinstance(payload, dict) or not (payload.get("text") or payload.get("blocks")):
            return Reply(400, "no_text")
        problem = block_problem(payload.get("blocks") or [])
        if problem:
            return Reply(400, f"invalid_blocks: {problem}")
        with self.lock:
            self.messages.append(payload)
        return Reply(200, "ok")


def _text_problem(text: Any, limit: int, kinds: set[str]) -> str | None:
    if not isinstance(text, dict) or text.get("type") not in kinds:
        return f"text object must be one of {sorted(kinds)}"
    if not isinstance(text.get("text"), str) or not text["text"]:
        return "text must be a non-empty string"
    if len(text["text"]) > limit:
        return f"text longer than {limit}"
    return None


def _button_problem(button: Any, action_ids: set[str]) -> str | None:
    if not isinstance(button, dict) or button.get("type") != "button":
        return "actions elements must be buttons here"
    action_id = button.get("action_id")
    if not isinstance(action_id, str) or not 0 < len(action_id) <= 255:
        return "button action_id must be 1 to 255 characters"
    if action_id in action_ids:
        return f"duplicate action_id {action_id!r}"
    action_ids.add(action_id)
    if len(str(button.get("value", ""))) > 2000:
        return "button value longer than 2000"
    if button.get("style") not in (None, "primary", "danger"):
        return "button style must be primary or danger"
    return _text_problem(button.get("text"), 75, {"plain_text"})


def _input_problem(block: dict[str, Any]) -> str | None:
    element = block.get("element") or {}
    if element.get("type") != "plain_text_input" or not element.get("action_id"):
        return "input needs a plain_text_input element with an action_id"
    if int(element.get("max_length", 3000)) > 3000:
        return "plain_text_input max_length is at most 3000"
    return _text_problem(block.get("label"), 2000, {"plain_text"})


def block_problem(blocks: Any, *, inputs: bool = False) -> str | None:
    if not isinstance(blocks, list) or len(blocks) > (100 if inputs else 50):
        return "blocks must be a list of at most 50"
    action_ids: set[str] = set()
    block_ids = [block.get("block_id") for block in blocks if block.get("block_id")]
    if len(block_ids) != len(set(block_ids)):
        return "block_id values must be unique"
    for block in blocks:
        kind = block.get("type")
        if kind == "actions":
            elements = block.get("elements") or []
            problem = None if 0 < len(elements) <= 25 else "actions needs 1 to 25 elements"
            for element in elements:
                problem = problem or _button_problem(element, action_ids)
            if problem:
                return problem
            continue
        if kind == "input" and inputs:
            problem = _input_problem(block)
            if problem:
                return problem
            continue
        if kind == "header":
            problem = _text_problem(block.get("text"), 150, {"plain_text"})
        elif kind == "section":
            if "text" not in block and "fields" not in block:
                problem = "section needs text or fields"
            elif "text" in block:
                problem = _text_problem(block["text"], 3000, {"mrkdwn", "plain_text"})
            else:
                problem = None
            fields = block.get("fields", [])
            if len(fields) > 10:
                problem = "more than 10 fields"
            for field in fields:
                problem = problem or _text_problem(field, 2000, {"mrkdwn", "plain_text"})
        elif kind == "context":
            elements = block.get("elements") or []
            problem = None if 0 < len(elements) <= 10 else "context needs 1 to 10 elements"
            for element in elements:
                problem = problem or _text_problem(element, 3000, {"mrkdwn", "plain_text"})
        elif kind == "divider":
            problem = None
        else:
            problem = f"unsupported block type {kind!r}"
        if problem:
            return problem
    return None


ADAPTIVE = "application/vnd.microsoft.card.adaptive"
_ELEMENTS = {"TextBlock", "RichTextBlock", "FactSet", "Container", "ColumnSet", "Image"}


class FakeTeamsWebhook(FakeService):
    """Fake Teams webhook at ``hook_url``.

    Args:
        legacy: answer like an Office 365 connector (200 ``1``) instead of Workflows (202).
    """

    path = "/workflows/abc123/triggers/manual/paths/invoke"

    def __init__(self, *, legacy: bool = False) -> None:
        """No cards yet."""
        super().__init__()
        self.legacy = legacy
        self.messages: list[dict[str, Any]] = []

    @property
    def hook_url(self) -> str:
        """The URL to configure as ``TSF_NOTIFY_TEAMS_WEBHOOK_URL``."""
        return self.url + self.path

    @property
    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards received."""
        with self.lock:
            return [message["attachments"][0]["content"] for message in self.messages]

    def delivery_count(self, reference: str) -> int:
        """How many cards mention ``reference``."""
        with self.lock:
            return sum(reference in json.dumps(message) for message in self.messages)

    def markdown_texts(self) -> list[str]:
        """Strings Teams renders as Markdown: TextBlock text and Fact titles and values."""
        found: list[str] = []

        def walk(element: Any) -> None:
            if isinstance(element, list):
                for item in element:
                    walk(item)
            elif isinstance(element, dict):
                if element.get("type") == "TextBlock":
                    found.append(element.get("text", ""))
                if element.get("type") == "FactSet":
                    for fact in element.get("facts", []):
                        found.extend([fact.get("title", ""), fact.get("value", "")])
                for value in element.values():
                    walk(value)

        walk(self.cards)
        return found

    def error_body(self, status: int) -> Any:
        """Workflows answer errors as JSON."""
        return {"error": {"code": "TriggerRequestFailed", "message": f"scripted {status}"}}

    def handle(self, request: Recorded) -> Reply:
        """Validate and record."""
        if request.path != self.path:
            return Reply(404, {"error": {"code": "NotFound"}})
        if len(request.body) > 28 * 1024:
            return Reply(413, {"error": {"code": "RequestEntityTooLarge"}})
        payload = _check_json(request)
        if isinstance(payload, Reply):
            return payload
        problem = card_problem(payload)
        if problem:
            return Reply(400, {"error": {"code": "InvalidRequestContent", "message": problem}})
        with self.lock:
            self.messages.append(payload)
        return Reply(200, "1") if self.legacy else Reply(202)


def card_problem(payload: Any) -> str | None:
    if not isinstance(payload, dict) or payload.get("type") != "message":
        return "type must be 'message'"
    attachments = payload.get("attachments")
    if not isinstance(attachments, list) or not attachments:
        return "attachments must be a non-empty list"
    attachment = attachments[0]
    if attachment.get("contentType") != ADAPTIVE:
        return f"contentType must be {ADAPTIVE}"
    card = attachment.get("content")
    if not isinstance(card, dict) or card.get("type") != "AdaptiveCard":
        return "content must be an AdaptiveCard"
    if not isinstance(card.get("version"), str):
        return "card version is required"
    body = card.get("body")
    if not isinstance(body, list) or not body:
        return "card body must be a non-empty list"
    problem = _actions_problem(card.get("actions", []))
    if problem:
        return problem
    for element in body:
        kind = element.get("type")
        if kind not in _ELEMENTS:
            return f"unsupported element {kind!r}"
        if kind == "TextBlock" and not isinstance(element.get("text"), str):
            return "TextBlock needs text"
        if kind == "RichTextBlock":
            inlines = element.get("inlines")
            if not isinstance(inlines, list) or not inlines:
                return "RichTextBlock needs inlines"
            for inline in inlines:
                if inline.get("type") != "TextRun" or not isinstance(inline.get("text"), str):
                    return "RichTextBlock inlines must be TextRuns with text"
    return None


def view_problem(view: Any) -> str | None:
    """What Slack's ``views.open`` would refuse in a modal view, or ``None``."""
    if not isinstance(view, dict) or view.get("type") != "modal":
        return "view type must be modal"
    for name in ("title", "submit", "close"):
        if name in view or name == "title":
            problem = _text_problem(view.get(name), 24, {"plain_text"})
            if problem:
                return f"{name}: {problem}"
    blocks = view.get("blocks") or []
    if any(block.get("type") == "input" for block in blocks) and "submit" not in view:
        return "a view with inputs needs submit"
    if len(str(view.get("callback_id", ""))) > 255:
        return "callback_id longer than 255"
    if len(str(view.get("private_metadata", ""))) > 3000:
        return "private_metadata longer than 3000"
    return block_problem(blocks, inputs=True)


def _actions_problem(actions: Any) -> str | None:
    if not isinstance(actions, list):
        return "actions must be a list"
    for action in actions:
        kind = action.get("type")
        if kind not in {"Action.Submit", "Action.ShowCard", "Action.OpenUrl"}:
            return f"unsupported action {kind!r}"
        if not isinstance(action.get("title"), str) or not action["title"]:
            return "actions need a title"
        if kind == "Action.Submit" and not isinstance(action.get("data", {}), dict):
            return "Action.Submit data must be an object here"
        if kind == "Action.ShowCard":
            card = action.get("card") or {}
            if card.get("type") != "AdaptiveCard":
                return "Action.ShowCard needs an AdaptiveCard"
            for element in card.get("body") or []:
                if element.get("type") == "Input.Text" and not element.get("id"):
                    return "Input.Text needs an id"
            problem = _actions_problem(card.get("actions", []))
            if problem:
                return problem
    return None
