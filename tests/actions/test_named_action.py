"""Specs for the actions' names: the action server serves exactly the domain's actions."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

DOMAIN = Path(__file__).resolve().parents[2] / "rasa_project" / "domain"


def test_the_action_server_registers_every_action_the_domain_names_and_no_other() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    named = {
        name
        for path in DOMAIN.glob("*.yml")
        for action in yaml.safe_load(path.read_text(encoding="utf-8")).get("actions") or []
        for name in (action if isinstance(action, dict) else [action])  # {name: settings}
    }

    assert set(executor.actions) == named
