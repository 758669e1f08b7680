"""The import rules of docs/ARCHITECTURE.md hold in the code.

The layer table in docs/ARCHITECTURE.md is the one statement of which package may import
which; this test reads it and walks every module's imports (a small AST walk), so the
document and the code cannot drift apart.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
_LAYER_ROW = re.compile(r"^\| `(\w+)/` \|[^|]*\| ([^|]*) \|[^|]*\|$")


def layer_table(text: str) -> dict[str, set[str]]:
    """Each package of the layer table and the packages it may import ("every package": all)."""
    rows = [match.groups() for line in text.splitlines() if (match := _LAYER_ROW.match(line))]
    packages = {package for package, _ in rows}
    return {
        package: packages if "every package" in allowed else set(re.findall(r"`(\w+)`", allowed))
        for package, allowed in rows
    }


def installed_packages(pyproject: str) -> set[str]:
    """The project's packages, as pyproject.toml installs them."""
    return {
        name.rstrip("*")
        for name in tomllib.loads(pyproject)["tool"]["setuptools"]["packages"]["find"]["include"]
    }


def imported_top_level_names(source: str) -> set[str]:
    """The top-level package of every absolute import in a module."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


RULES = layer_table(ARCHITECTURE.read_text(encoding="utf-8"))
FORBIDDEN_LIBRARIES = {"tsf_knowledge": {"rasa", "rasa_sdk"}}


def test_the_layer_table_names_every_package_the_project_installs() -> None:
    packages = installed_packages((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

    assert set(RULES) == packages


@pytest.mark.parametrize("package", sorted(RULES))
def test_a_package_imports_only_the_packages_its_layer_allows(package: str) -> None:
    own_packages = set(RULES)
    breaches = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in imported_top_level_names(path.read_text(encoding="utf-8"))
        if (name in own_packages and name not in RULES[package] | {package})
        or name in FORBIDDEN_LIBRARIES.get(package, set())
    }

    assert not breaches


def test_the_walk_sees_plain_dotted_and_function_level_imports() -> None:
    source = (
        "import os.path\n"
        "from tsf_leads.crm import config\n"
        "from . import sibling\n"
        "def later():\n"
        "    import tsf_runtime.settings\n"
    )

    assert imported_top_level_names(source) == {"os", "tsf_leads", "tsf_runtime"}


def test_the_table_reader_takes_each_row_with_its_allowed_imports() -> None:
    table = (
        "| package | owns | may import | imported by |\n"
        "|---|---|---|---|\n"
        "| `low/` | the bottom | nothing | everyone |\n"
        "| `high/` | the top | `low`, `middle` | nobody |\n"
    )

    assert layer_table(table) == {"low": set(), "high": {"low", "middle"}}
    assert layer_table(table + "| `root/` | all | every package | - |\n")["root"] == {
        "low",
        "high",
        "root",
    }
