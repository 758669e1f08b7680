"""The wall clock the lead and privacy code read, injectable in tests as a ``Clock``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

Clock = Callable[[], datetime]
"""Returns the current time, aware and in UTC."""


def utc_now() -> datetime:
    """The current time, aware and in UTC."""
    return datetime.now(timezone.utc)
