"""When to try a failed delivery again: exponential backoff with full jitter."""

from __future__ import annotations

from collections.abc import Callable


def backoff_ceiling(attempt: int, base_delay: float, max_delay: float) -> float:
    """The longest wait after failed attempt number ``attempt`` (1 for the first).

    ``base_delay * 2 ** (attempt - 1)``, capped at ``max_delay``.
    """
    exponent = max(0, attempt - 1)
    if exponent >= 64:
        return max_delay
    return min(max_delay, base_delay * 2.0**exponent)


def retry_delay(
    attempt: int,
    *,
    base_delay: float,
    max_delay: float,
    random: Callable[[], float],
    retry_after: float | None = None,
) -> float:
    """Seconds to wait before the next attempt.

    Full jitter: a uniform draw between 0 and the backoff ceiling, so that many leads that
    failed together do not retry together. A ``Retry-After`` from the CRM is a floor: we never
    try again earlier than it asked, even if that is longer than ``max_delay``.

    Args:
        attempt: How many attempts have failed so far (1 after the first failure).
        base_delay: Ceiling after the first failure, in seconds.
        max_delay: Largest ceiling, in seconds.
        random: Returns a float in [0, 1); injected so tests are deterministic.
        retry_after: The CRM's Retry-After, in seconds, if it sent one.

    Returns:
        The delay in seconds, never negative.
    """
    delay = random() * backoff_ceiling(attempt, base_delay, max_delay)
    if retry_after is not None and retry_after > 0:
        delay = max(delay, retry_after)
    return max(0.0, delay)
