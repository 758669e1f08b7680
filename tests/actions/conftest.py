"""Fixtures for action tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def domain() -> dict[str, Any]:
    """Actions only read response names from the domain, so a plain dict will do."""
    return {"responses": {}, "slots": {}, "forms": {}}
