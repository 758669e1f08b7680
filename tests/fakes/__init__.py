"""Test doubles: real loopback servers standing in for external services, and test data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import TypeVar

_Fake = TypeVar("_Fake")


def serving(fake: AbstractContextManager[_Fake]) -> Iterator[_Fake]:
    """Run ``fake`` for a fixture: ``yield from serving(FakeSmtpServer())``."""
    with fake as started:
        yield started
