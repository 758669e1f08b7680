"""Check and clean what people type before the assistant reads it.

Every text channel passes the raw message through :func:`check_message`. Control
characters and unpaired surrogates (which JSON allows but databases and logs reject) are
removed; a message that is then empty, or longer than :data:`MAX_MESSAGE_CHARS`, is answered
with a polite reply of its own instead of being understood. Everything else (any language,
emoji, HTML, SQL, JSON) is ordinary text: it is only ever classified, stored as data and
shown back as text, never executed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_MESSAGE_CHARS = 2000
"""The longest message the assistant reads (the chat widget stops people at 500)."""

MAX_SENDER_CHARS = 128
"""The longest conversation id a channel may use."""

EMPTY_REPLY = (
    "I didn't get any words in that message. What would you like to know about the "
    "Technology Spin-Out Fund?"
)
TOO_LONG_REPLY = (
    f"That message is too long for me to read. Please keep it under {MAX_MESSAGE_CHARS:,} "
    "characters: one question at a time works best."
)
_KEPT_CONTROLS = frozenset("\n\t")
_SENDER = re.compile(r"[\w.:@-]+")


@dataclass(frozen=True)
class CheckedMessage:
    """The outcome of checking a message.

    Attributes:
        text: The cleaned text to understand, or ``None`` when the message is not read.
        reply: What to answer instead when ``text`` is ``None``.
    """

    text: str | None
    reply: str | None = None


def clean_text(raw: str) -> str:
    """``raw`` without control characters or unpaired surrogates, trimmed.

    Tabs and line breaks become spaces; other characters of Unicode category ``Cc``
    (C0/C1 controls, NUL) and ``Cs`` (surrogates) are dropped. Emoji and every script stay.
    """
    kept = []
    for character in raw:
        if character in _KEPT_CONTROLS:
            kept.append(" ")
        elif unicodedata.category(character) not in ("Cc", "Cs"):
            kept.append(character)
    return "".join(kept).strip()


def check_message(raw: object) -> CheckedMessage:
    """Clean ``raw`` and decide whether the assistant should read it.

    Args:
        raw: The message as the channel received it (``None`` counts as empty; anything
            that is not a string is refused by the channel before this is called).

    Returns:
        The cleaned text, or a polite reply for an empty or over-long message.
    """
    text = clean_text(raw) if isinstance(raw, str) else ""
    if not text:
        return CheckedMessage(text=None, reply=EMPTY_REPLY)
    if len(text) > MAX_MESSAGE_CHARS:
        return CheckedMessage(text=None, reply=TOO_LONG_REPLY)
    return CheckedMessage(text=text)


def valid_sender(sender: object) -> str | None:
    """``sender`` as a conversation id if it is safe to use as one, else ``None``.

    Accepts 1 to :data:`MAX_SENDER_CHARS` letters, digits and ``_ . : @ -`` (integers are
    turned into text), which every tracker store can hold.
    """
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_CHARS:
        return None
    return sender if _SENDER.fullmatch(sender) else None


def parse_json_object(body: bytes | str) -> dict[str, Any] | None:
    """The JSON object in ``body``, or ``None`` when it is not one.

    Whatever a client sends is refused the same way: bytes that are not UTF-8, text that is
    not JSON, JSON that is not an object, and JSON nested too deeply to parse (Python's
    parser raises ``RecursionError`` for that, not ``ValueError``).
    """
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return parsed if isinstance(parsed, dict) else None
