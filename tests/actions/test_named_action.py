"""Specs for the actions' names: the action server serves exactly the domain's actions."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.support.harness import run_python

DOMAIN = Path(__file__).resolve().parents[2] / "rasa_project" / "domain"
SERVED = """
import json
from rasa_sdk.executor import ActionExecutor
executor = ActionExecutor()
executor.register_package("actions")
print(json.dumps(sorted(executor.actions)))
"""


def test_the_action_server_registers_every_action_the_domain_names_and_no_other() -> None:
    """In a fresh interpreter, as the action server starts: other tests' action classes (the
    benchmark's form bot) would register too in this one."""
    served = json.loads(run_python(SERVED).stdout.splitlines()[-1])
    named = {
        name
        for path in DOMAIN.glob("*.yml")
        for action in yaml.safe_load(path.read_text(encoding="utf-8")).get("actions") or []
        for name in (action if isinstance(action, dict) else [action])  # {name: settings}
    }

    assert set(served) == named
