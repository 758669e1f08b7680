"""One registry collects every settings table; tsf_config itself sits below every package."""

from __future__ import annotations

from pathlib import Path

from tests.support.harness import run_python
from tsf_config.registry import TABLE_MODULES, all_variables, tables

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("actions", "channels", "tsf_knowledge", "tsf_leads", "tsf_nlu", "tsf_privacy")


def test_every_declaring_module_has_a_table() -> None:
    collected = tables()

    assert list(collected) == list(TABLE_MODULES)
    assert all(collected.values())


def test_each_variable_has_one_home() -> None:
    names = [variable.name for variable in all_variables()]

    assert sorted({name for name in names if names.count(name) > 1}) == []


def test_every_variable_has_a_meaning() -> None:
    assert [v.name for v in all_variables() if not v.meaning.endswith(".")] == []


def test_importing_tsf_config_imports_no_other_package() -> None:
    code = (
        "import sys, tsf_config, tsf_config.registry, tsf_config.shared\n"
        f"print([m for m in sys.modules if m.split('.')[0] in {set(PACKAGES) | {'tsf_runtime'}}])\n"
    )
    result = run_python(code)

    assert result.stdout.strip() == "[]"
