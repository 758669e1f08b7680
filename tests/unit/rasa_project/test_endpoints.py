"""Rasa sends the domain to no custom action: none asks for it, and none reads it."""

from __future__ import annotations

import ast

import pytest
import yaml
from rasa.shared.core.domain import Domain

from tests.support.harness import ROOT

ENDPOINTS = ("endpoints.yml", "endpoints.production.yml")


@pytest.mark.parametrize("name", ENDPOINTS)
def test_the_domain_is_sent_only_to_actions_that_ask_for_it(name: str) -> None:
    endpoints = yaml.safe_load((ROOT / "rasa_project" / name).read_text(encoding="utf-8"))

    assert endpoints["action_endpoint"]["enable_selective_domain"] is True


def test_no_custom_action_asks_for_the_domain() -> None:
    domain = Domain.load(str(ROOT / "rasa_project" / "domain"))

    assert not [
        action
        for action in domain.user_actions
        if domain.does_custom_action_explicitly_need_domain(action)
    ]


def test_no_custom_action_reads_the_domain_it_is_given() -> None:
    """Every ``run`` method in ``actions/`` leaves its ``domain`` argument unread."""
    readers = []
    for module in (ROOT / "actions").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef) and node.name == "run":
                names = {arg.arg for arg in node.args.args}
                used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                if "domain" in names and "domain" in used:
                    readers.append(f"{module.name}:{node.lineno}")
    assert readers == []
