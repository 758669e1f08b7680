"""Every change made inside Rasa is listed in one place and installed before Rasa starts."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.harness import ROOT, run_python
from tsf_runtime.rasa_patches import RASA_PATCHES

RUNTIME = ROOT / "tsf_runtime"


def _install_functions() -> set[str]:
    """Every ``install_*`` function defined in ``tsf_runtime``."""
    names = set()
    for module in RUNTIME.glob("*.py"):
        tree = ast.parse(Path(module).read_text(encoding="utf-8"))
        names |= {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("install_")
        }
    return names - {"install_rasa_patches"}


def test_every_patch_of_rasa_is_in_the_list() -> None:
    assert {install.__name__ for install in RASA_PATCHES} == _install_functions()


def test_the_rasa_command_installs_every_patch_and_installing_twice_changes_nothing() -> None:
    result = run_python(
        "from rasa.engine.runner.dask import DaskGraphRunner\n"
        "from rasa.core.actions.action import RemoteAction\n"
        "from rasa.shared.core.events import Event\n"
        "from rasa.core.policies.rule_policy import RulePolicy\n"
        "from rasa.shared.core.trackers import DialogueStateTracker as T\n"
        "from tsf_runtime.rasa_patches import install_rasa_patches\n"
        "before = (DaskGraphRunner.run, RemoteAction._validate_action_result,"
        " Event.resolve_by_type, T.applied_events, RulePolicy._find_action_from_rules)\n"
        "install_rasa_patches()\n"
        "once = (DaskGraphRunner.run, RemoteAction._validate_action_result,"
        " Event.resolve_by_type, T.applied_events, RulePolicy._find_action_from_rules)\n"
        "install_rasa_patches()\n"
        "twice = (DaskGraphRunner.run, RemoteAction._validate_action_result,"
        " Event.resolve_by_type, T.applied_events, RulePolicy._find_action_from_rules)\n"
        "print(all(a is not b for a, b in zip(before, once)), once == twice)\n"
    )
    assert result.stdout.split()[-2:] == ["True", "True"]
