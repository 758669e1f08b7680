"""Retry delays: exponential ceiling, full jitter, Retry-After as a floor."""

from __future__ import annotations

import pytest

from tsf_leads.backoff import backoff_ceiling, retry_delay


@pytest.mark.parametrize(
    ("attempt", "ceiling"),
    [(1, 30), (2, 60), (3, 120), (4, 240), (7, 1920), (8, 3600), (20, 3600), (10_000, 3600)],
)
def test_the_ceiling_doubles_up_to_the_maximum(attempt: int, ceiling: float) -> None:
    assert backoff_ceiling(attempt, 30, 3600) == ceiling


def test_attempt_zero_or_less_uses_the_base_delay() -> None:
    assert backoff_ceiling(0, 30, 3600) == 30


@pytest.mark.parametrize(
    ("draw", "attempt", "delay"),
    [(0.0, 1, 0.0), (0.5, 1, 15.0), (0.5, 3, 60.0), (0.999, 2, 59.94), (0.25, 30, 900.0)],
)
def test_full_jitter_draws_uniformly_below_the_ceiling(
    draw: float, attempt: int, delay: float
) -> None:
    assert retry_delay(
        attempt, base_delay=30, max_delay=3600, random=lambda: draw
    ) == pytest.approx(delay)


@pytest.mark.parametrize(
    ("draw", "retry_after", "delay"),
    [
        (0.1, 120, 120),  # the server asked for longer than the jitter gave
        (0.9, 10, 54),  # jitter is already longer than Retry-After
        (0.0, 7200, 7200),  # Retry-After wins even beyond the maximum delay
        (0.5, 0, 30),  # a zero Retry-After changes nothing
        (0.5, None, 30),
    ],
)
def test_retry_after_is_a_floor(draw: float, retry_after: float | None, delay: float) -> None:
    assert retry_delay(
        2, base_delay=30, max_delay=3600, random=lambda: draw, retry_after=retry_after
    ) == pytest.approx(delay)


def test_the_random_source_is_used_once_per_delay() -> None:
    draws = iter([0.25, 0.75])

    delays = [
        retry_delay(1, base_delay=10, max_delay=100, random=lambda: next(draws)) for _ in range(2)
    ]

    assert delays == [2.5, 7.5]
