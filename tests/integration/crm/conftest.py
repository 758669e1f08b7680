"""Fixtures: each CRM adapter, built by ``build_adapter``, against its running fake."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes import serving
from tests.fakes.crm_harness import FACTORIES, Harness, running


@pytest.fixture(params=sorted(FACTORIES))
def crm(request: pytest.FixtureRequest) -> Iterator[Harness]:
    """Every CRM in turn: its running fake and the environment for its adapter."""
    yield from serving(running(request.param))


def _one_crm(name: str) -> object:
    """A fixture called ``name``: that CRM's running fake and its adapter's environment."""

    def harness() -> Iterator[Harness]:
        yield from serving(running(name))

    harness.__doc__ = f"The {name} fake, running, and the environment for its adapter."
    return pytest.fixture(harness, name=name)


webhook = _one_crm("webhook")
hubspot = _one_crm("hubspot")
salesforce = _one_crm("salesforce")
dynamics = _one_crm("dynamics")
