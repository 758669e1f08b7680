"""Fixtures: each CRM adapter, built by ``build_adapter``, against its running fake."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.crm_harness import FACTORIES, Harness, running


@pytest.fixture(params=sorted(FACTORIES))
def crm(request: pytest.FixtureRequest) -> Iterator[Harness]:
    """Every CRM in turn: its running fake and the environment for its adapter."""
    with running(request.param) as harness:
        yield harness
