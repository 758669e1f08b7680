"""The README documents every environment variable the assistant reads, and its two commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from tsf_config.registry import tables

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def variables() -> list[tuple[str, str]]:
    return [(module, variable.name) for module, table in tables().items() for variable in table]


def test_there_are_variables_to_document() -> None:
    assert len(variables()) >= 40


@pytest.mark.parametrize(("module", "variable"), variables())
def test_every_variable_is_in_the_readme(module: str, variable: str) -> None:
    assert f"`{variable}`" in README, f"{variable} (from {module}) is not in README.md"


def test_the_readme_gives_the_two_commands() -> None:
    assert "make run" in README
    assert "make test" in README
