"""Fixtures for action tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from actions import content_gaps
from tsf_insight.store import InsightStore


@pytest.fixture
def domain() -> dict[str, Any]:
    """Actions only read response names from the domain, so a plain dict will do."""
    return {"responses": {}, "slots": {}, "forms": {}}


@pytest.fixture(autouse=True)
def gap_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[InsightStore]:
    """The content gaps the actions record, in this test's own tracker database."""
    monkeypatch.setenv("TSF_TRACKER_DB_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    content_gaps.gap_store.cache_clear()
    store = content_gaps.gap_store()
    yield store
    store.dispose()
    content_gaps.gap_store.cache_clear()
