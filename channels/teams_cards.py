"""Teams message shapes: what the bot sends (hero cards with ``messageBack`` buttons) and
what it reads from an incoming activity (text without ``<at>`` mentions, button payloads).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tsf_insight.answers import ASK, THANKS, valid_answer_id

HERO_CARD = "application/vnd.microsoft.card.hero"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
FEEDBACK_KEY = "tsf_feedback"
"""The key of a "Was this helpful?" button's ``Action.Submit`` data: ``yes`` or ``no``."""
MAX_BUTTONS_PER_CARD = 6

_MENTION = re.compile(r"<at(?:\s[^>]*)?>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_SPACES = re.compile(r"[ \t\u00a0]+")


def text_activity(text: str) -> dict[str, Any]:
    """A plain-text message activity."""
    return {"type": "message", "text": text, "textFormat": "plain"}


def message_back(title: str, payload: str) -> dict[str, Any]:
    """A button that shows ``title`` as the user's message and sends ``payload`` as its value."""
    return {
        "type": "messageBack",
        "title": title,
        "text": title,
        "displayText": title,
        "value": {"payload": payload},
    }


def hero_card_activity(text: str, buttons: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A message with one hero card per six buttons; the first card carries the text."""
    actions = [
        message_back(str(button["title"]), str(button["payload"]))
        for button in buttons
        if button.get("title") and button.get("payload")
    ]
    cards: list[dict[str, Any]] = []
    for start in range(0, max(len(actions), 1), MAX_BUTTONS_PER_CARD):
        content: dict[str, Any] = {"buttons": actions[start : start + MAX_BUTTONS_PER_CARD]}
        if start == 0:
            content = {"text": text, **content}
        cards.append({"contentType": HERO_CARD, "content": content})
    return {"type": "message", "attachmentLayout": "list", "attachments": cards}


def answer_card_activity(text: str, answer_id: str | None) -> dict[str, Any]:
    """An answer's paragraph as an Adaptive Card asking "Was this helpful?" with Yes and No
    (``Action.Submit`` data ``{"tsf_feedback": "yes"|"no", "answer": <token>}``); without
    ``answer_id``, the card as redrawn after a press ("Thanks — noted.")."""
    body: list[dict[str, Any]] = [{"type": "TextBlock", "text": text, "wrap": True}]
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "body": body,
    }
    if answer_id:
        body.append({"type": "TextBlock", "text": ASK, "wrap": True, "isSubtle": True})
        card["actions"] = [
            {
                "type": "Action.Submit",
                "title": title,
                "data": {FEEDBACK_KEY: key, "answer": answer_id},
            }
            for title, key in (("Yes", "yes"), ("No", "no"))
        ]
    else:
        body.append({"type": "TextBlock", "text": THANKS, "wrap": True, "isSubtle": True})
    return {
        "type": "message",
        "summary": text[:100],
        "attachments": [{"contentType": ADAPTIVE_CARD, "content": card}],
    }


def feedback_press(value: object) -> tuple[str, bool] | None:
    """The answer token and yes/no of a "Was this helpful?" press's ``value``, or ``None``
    when it is not a well-formed one."""
    if not isinstance(value, Mapping) or value.get(FEEDBACK_KEY) not in ("yes", "no"):
        return None
    answer = valid_answer_id(value.get("answer"))
    return (answer, value[FEEDBACK_KEY] == "yes") if answer else None


def image_activity(url: str) -> dict[str, Any]:
    """A hero card showing one image."""
    return {
        "type": "message",
        "attachments": [{"contentType": HERO_CARD, "content": {"images": [{"url": url}]}}],
    }


def strip_mentions(
    text: str,
    entities: Sequence[Mapping[str, Any]] | None = None,
    bot_id: str | None = None,
    bot_name: str | None = None,
) -> str:
    """Remove ``<at>…</at>`` mentions of the bot; other mentions keep only the name.

    Without any mention entity to tell whose mention is whose, every mention is removed.
    """
    mentions = [
        entity
        for entity in entities or ()
        if isinstance(entity, Mapping) and entity.get("type") == "mention"
    ]
    for entity in mentions:
        mentioned = entity.get("mentioned") or {}
        if bot_id and mentioned.get("id") == bot_id and isinstance(entity.get("text"), str):
            text = text.replace(entity["text"], " ")

    def replace(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if not mentions or (bot_name and name == bot_name):
            return " "
        return name

    text = _MENTION.sub(replace, text)
    text = html.unescape(_TAG.sub(" ", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def user_text(activity: Mapping[str, Any]) -> str:
    """What the user said: a button's payload if the activity carries one, else the text."""
    value = activity.get("value")
    if isinstance(value, Mapping) and isinstance(value.get("payload"), str):
        payload = value["payload"].strip()
        if payload:
            return payload
    recipient = activity.get("recipient") or {}
    entities = activity.get("entities")
    return strip_mentions(
        str(activity.get("text") or ""),
        entities if isinstance(entities, list) else None,
        bot_id=recipient.get("id"),
        bot_name=recipient.get("name"),
    )


def addressed_to_bot(activity: Mapping[str, Any]) -> bool:
    """Whether a message is for the bot: anything outside a channel, and in a channel (where
    the ``ChannelMessage.Read.Group`` permission delivers every message) a button's payload
    or a message that @mentions the bot."""
    conversation = activity.get("conversation") or {}
    if conversation.get("conversationType") != "channel":
        return True
    value = activity.get("value")
    if isinstance(value, Mapping) and isinstance(value.get("payload"), str):
        return True
    bot_id = (activity.get("recipient") or {}).get("id")
    entities = activity.get("entities")
    return any(
        isinstance(entity, Mapping)
        and entity.get("type") == "mention"
        and isinstance(entity.get("mentioned"), Mapping)
        and entity["mentioned"].get("id") == bot_id
        for entity in (entities if isinstance(entities, list) else ())
    )


def welcome_recipient(activity: Mapping[str, Any]) -> str | None:
    """Whom to greet after a ``conversationUpdate``, or None when nobody was added.

    When the bot itself was added, the greeting goes to whoever added it; when people were
    added, to the first of them.
    """
    added = [
        member
        for member in activity.get("membersAdded") or ()
        if isinstance(member, Mapping) and member.get("id")
    ]
    if not added:
        return None
    bot_id = (activity.get("recipient") or {}).get("id")
    people = [str(member["id"]) for member in added if member["id"] != bot_id]
    if len(people) < len(added):
        sender = (activity.get("from") or {}).get("id")
        if sender and sender != bot_id:
            return str(sender)
    return people[0] if people else None
