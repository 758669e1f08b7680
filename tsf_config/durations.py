"""Periods typed by people (command-line options, retention periods): ``90d`` (days) or ``36h``
(hours)."""

from __future__ import annotations

import re
from datetime import timedelta

_AGE = re.compile(r"^\s*(\d{1,7})\s*([dh])\s*$", re.IGNORECASE)
MAX_DAYS = 36_500


def parse_age(text: str) -> timedelta:
    """The period ``text`` names: a whole number of days (``90d``) or hours (``36h``).

    Raises:
        ValueError: with a message saying what is expected, for anything else, for zero
            and for more than 100 years.
    """
    match = _AGE.match(text or "")
    if match is None:
        raise ValueError(
            f"{text!r} is not a period: use a whole number of days or hours, like 90d or 36h"
        )
    amount, unit = int(match.group(1)), match.group(2).lower()
    age = timedelta(days=amount) if unit == "d" else timedelta(hours=amount)
    if age <= timedelta(0):
        raise ValueError("the period must be at least 1h")
    if age > timedelta(days=MAX_DAYS):
        raise ValueError(f"the period must be at most {MAX_DAYS}d")
    return age


def describe(age: timedelta) -> str:
    """``90 days`` or ``36 hours``, for messages."""
    if age % timedelta(days=1) == timedelta(0):
        days = age // timedelta(days=1)
        return f"{days} day{'s' if days != 1 else ''}"
    hours = age // timedelta(hours=1)
    return f"{hours} hour{'s' if hours != 1 else ''}"
