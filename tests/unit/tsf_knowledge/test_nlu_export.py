"""Generating Rasa's enquiry intents and rules from the knowledge base."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tsf_knowledge.facts import KnowledgeBase
from tsf_knowledge.loader import default_knowledge
from tsf_knowledge.nlu_export import (
    ANSWER_ACTION,
    DOMAIN_PATH,
    HEADER,
    NLU_PATH,
    REPO_ROOT,
    RULES_PATH,
    generated_files,
    main,
    render_domain,
    render_nlu,
    render_rules,
    stale_files,
    write_files,
)

KB = default_knowledge()
FACT_INTENTS = {fact.intent for fact in KB.facts}


def _examples(block: str) -> list[str]:
    return [line[2:] for line in block.splitlines() if line.startswith("- ")]


def test_the_committed_files_are_up_to_date() -> None:
    files = generated_files(
        KB, REPO_ROOT / NLU_PATH, REPO_ROOT / RULES_PATH, REPO_ROOT / DOMAIN_PATH
    )

    assert stale_files(files) == [], "run `python -m tsf_knowledge.nlu_export`"


def test_the_committed_nlu_file_has_exactly_the_fact_intents() -> None:
    data = yaml.safe_load((REPO_ROOT / NLU_PATH).read_text(encoding="utf-8"))
    intents = {block["intent"] for block in data["nlu"]}

    assert intents - FACT_INTENTS == set(), "intents without a fact"
    assert FACT_INTENTS - intents == set(), "facts without an intent"


def test_the_domain_declares_exactly_the_fact_intents() -> None:
    declared = yaml.safe_load(render_domain(KB))["intents"]

    assert declared == list(KB.intents)


@pytest.mark.parametrize("render", [render_nlu, render_rules, render_domain])
def test_generated_files_start_with_the_do_not_edit_header(
    render: Callable[[KnowledgeBase], str],
) -> None:
    text = render(KB)

    assert text.splitlines()[0] == HEADER
    assert "do not edit" in HEADER
    assert yaml.safe_load(text)["version"] == "3.1"


def test_each_intent_is_trained_on_the_examples_of_every_fact_in_its_group() -> None:
    blocks = {block["intent"]: block for block in yaml.safe_load(render_nlu(KB))["nlu"]}

    assert list(blocks) == list(KB.intents)
    for intent in KB.intents:
        expected = [example for fact in KB.group(intent) for example in fact.examples]
        assert _examples(blocks[intent]["examples"]) == expected


def test_each_intent_has_one_rule_answering_it() -> None:
    rules = yaml.safe_load(render_rules(KB))["rules"]

    assert [rule["rule"] for rule in rules] == [f"answer {intent}" for intent in KB.intents]
    for rule, intent in zip(rules, KB.intents, strict=True):
        assert rule["steps"] == [{"intent": intent}, {"action": ANSWER_ACTION}]


def test_the_rules_are_block_yaml() -> None:
    text = render_rules(KB)

    assert "[" not in text
    assert "{" not in text


@pytest.fixture
def paths(tmp_path: Path) -> list[str]:
    return [
        *("--nlu", str(tmp_path / "nlu" / "e.yml")),
        *("--rules", str(tmp_path / "rules" / "e.yml")),
        *("--domain", str(tmp_path / "domain" / "e.yml")),
    ]


def test_the_command_writes_both_files(tmp_path: Path, paths: list[str]) -> None:
    assert main(paths) == 0

    assert (tmp_path / "nlu" / "e.yml").read_text(encoding="utf-8") == render_nlu(KB)
    assert (tmp_path / "rules" / "e.yml").read_text(encoding="utf-8") == render_rules(KB)
    assert (tmp_path / "domain" / "e.yml").read_text(encoding="utf-8") == render_domain(KB)


def test_check_passes_when_the_files_are_current(
    paths: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    main(paths)

    assert main([*paths, "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_check_fails_naming_a_hand_edited_file(
    tmp_path: Path, paths: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    main(paths)
    edited = tmp_path / "rules" / "e.yml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")

    assert main([*paths, "--check"]) == 1
    error = capsys.readouterr().err
    assert f"{edited} is out of date" in error
    assert "python -m tsf_knowledge.nlu_export" in error
    assert str(tmp_path / "nlu" / "e.yml") not in error


def test_check_fails_when_a_file_is_missing_and_writes_nothing(
    tmp_path: Path, paths: list[str]
) -> None:
    assert main([*paths, "--check"]) == 1

    assert not (tmp_path / "nlu").exists()


def test_invalid_facts_exit_with_status_2(
    tmp_path: Path, paths: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts.yml"
    facts.write_text("version: 2\nsources: []\nfacts: []\n", encoding="utf-8")

    assert main([*paths, "--facts", str(facts)]) == 2
    assert "'version' must be 1" in capsys.readouterr().err


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    files = {tmp_path / "a.yml": "a: 1\n", tmp_path / "b.yml": "b: 1\n"}

    assert write_files(files) == list(files)
    assert write_files(files) == []
