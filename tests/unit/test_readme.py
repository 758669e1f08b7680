"""The README documents every environment variable the assistant reads, and its two commands."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
MODULES_WITH_VARIABLES = [
    "tsf_runtime.settings",
    "tsf_runtime.channel_credentials",
    "tsf_runtime.production",
    "tsf_leads.settings",
    "tsf_leads.crm",
    "tsf_leads.notify",
]


def variables() -> list[tuple[str, str]]:
    found = []
    for name in MODULES_WITH_VARIABLES:
        module = importlib.import_module(name)
        found += [(name, variable.name) for variable in getattr(module, "VARIABLES", ())]
    return found


def test_there_are_variables_to_document() -> None:
    assert len(variables()) >= 40


@pytest.mark.parametrize(("module", "variable"), variables())
def test_every_variable_is_in_the_readme(module: str, variable: str) -> None:
    assert f"`{variable}`" in README, f"{variable} (from {module}) is not in README.md"


def test_the_readme_gives_the_two_commands() -> None:
    assert "make run" in README
    assert "make test" in README
