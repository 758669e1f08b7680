"""Personal data in free text: email addresses, phone numbers and the names someone gave.

:func:`redact` replaces each email address with ``[email redacted]`` and each UK or
international phone number with ``[phone redacted]``; amounts, dates, IP addresses, ports,
versions and lead references are left alone. :func:`redact_names` also replaces the names a
person told us (the lead form's name and organisation, say) wherever they appear as words.
The logs (``tsf_runtime.log_redaction``) and the team's content-gap records (``tsf_insight``)
both use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL_REDACTED = "[email redacted]"
PHONE_REDACTED = "[phone redacted]"

NAME_REDACTED = "[name redacted]"
MIN_NAME_LENGTH = 2

_DOMAIN = r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_][\w-]*[^\W_]"
_EMAIL = re.compile(r"(?<!\\)[\w.!#$%&'*+/=?^`{|}~-]+@" + _DOMAIN)
_URL_ENCODED_EMAIL = re.compile(r"(?<!\\)[\w.+-]+%40" + _DOMAIN)
# A run of digits, brackets and single spaces or hyphens, starting with +, ( or a digit, not
# inside a word, a number, a path or a version (a JSON \n, \r or \t may precede it);
# validated by _redact_phone.
_PHONE_CANDIDATE = re.compile(
    r"(?:(?<![\w.+/\\-])|(?<=\\[nrt]))"
    r"(?:\+|\(\+?)?\d(?:[\d()]|[ \-\u00a0](?=[\d(]))*"
    r"(?!\w)"
)
_SEPARATOR = re.compile(r"([ \-\u00a0])")


def _is_phone(number: str) -> bool:
    """Whether a candidate's digits make a plausible phone number.

    International (``+44 20 7187 7379``, ``0044 …``): 8 to 15 digits. UK national
    (``020 7187 7379``, ``07700 900123``, ``(01632) 960123``): a leading 0 and 10 or 11 digits.
    """
    digits = re.sub(r"\D", "", number)
    start = number.lstrip("(")
    if start.startswith("+"):
        return 8 <= len(digits) <= 15
    if digits.startswith("00"):
        return 10 <= len(digits) <= 15
    if digits.startswith("0"):
        return 10 <= len(digits) <= 11
    return False


def _redact_phone(match: re.Match[str]) -> str:
    """Redact the longest leading run of groups that is a phone number; keep the rest.

    Brackets around the whole number, or belonging to the sentence, are kept.
    """
    text, before, after = match.group(0), "", ""
    while text.endswith(")") and text.count(")") > text.count("("):
        text, after = text[:-1], ")" + after
    if text.startswith("(") and text.endswith(")") and text.find(")") == len(text) - 1:
        text, before, after = text[1:-1], "(", ")" + after
    elif text.startswith("(") and text.count("(") > text.count(")"):
        text, before = text[1:], "("
    parts = _SEPARATOR.split(text)
    for end in range(len(parts), 0, -2):
        candidate = "".join(parts[:end])
        if candidate.count("(") == candidate.count(")") and _is_phone(candidate):
            return before + PHONE_REDACTED + "".join(parts[end:]) + after
    return match.group(0)


def redact(text: str) -> str:
    """``text`` with every email address and phone number replaced by a marker."""
    if "@" in text or "%40" in text:
        text = _EMAIL.sub(EMAIL_REDACTED, text)
        text = _URL_ENCODED_EMAIL.sub(EMAIL_REDACTED, text)
    return _PHONE_CANDIDATE.sub(_redact_phone, text)


def redact_names(text: str, names: Iterable[str]) -> str:
    """``text`` redacted (:func:`redact`) and with each of ``names`` (whole names, and each
    word of two letters or more in them) replaced by a marker, case-insensitively."""
    words = {
        part
        for name in names
        if name and name.strip()
        for part in (name.strip(), *re.findall(r"[^\W\d_][\w'-]*", name))
        if len(part) >= MIN_NAME_LENGTH
    }
    text = redact(text)
    for word in sorted(words, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", NAME_REDACTED, text, flags=re.IGNORECASE)
    return text
