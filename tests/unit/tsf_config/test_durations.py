"""Retention periods are typed as days or hours; anything else gets a clear message."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tsf_config.durations import describe, parse_age


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90d", timedelta(days=90)),
        ("1d", timedelta(days=1)),
        ("36h", timedelta(hours=36)),
        ("1h", timedelta(hours=1)),
        (" 30D ", timedelta(days=30)),
        ("365 d", timedelta(days=365)),
        ("36500d", timedelta(days=36500)),
    ],
)
def test_days_and_hours_are_understood(text: str, expected: timedelta) -> None:
    assert parse_age(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("90", "not a period"),
        ("d", "not a period"),
        ("90m", "not a period"),
        ("-5d", "not a period"),
        ("1.5d", "not a period"),
        ("90days", "not a period"),
        ("", "not a period"),
        ("0d", "at least 1h"),
        ("0h", "at least 1h"),
        ("36501d", "at most 36500d"),
        ("99999999d", "not a period"),
    ],
)
def test_anything_else_is_refused_with_what_to_type(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_age(text)


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(days=90), "90 days"),
        (timedelta(days=1), "1 day"),
        (timedelta(hours=36), "36 hours"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=48), "2 days"),
    ],
)
def test_periods_are_described_in_words(age: timedelta, text: str) -> None:
    assert describe(age) == text
