"""One real assistant for the end-to-end tests of a session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.browser_support import browser, context, page, problems
from tests.support.harness import RunningAssistant, start_assistant

__all__ = ["assistant", "browser", "context", "page", "problems"]


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:
    """The launcher with Rasa, the action server and the chat page, on free ports."""
    running = start_assistant(tmp_path_factory.mktemp("assistant"))
    yield running
    running.stop()
