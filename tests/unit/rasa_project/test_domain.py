"""The domain's own words: every fact in a response is in the knowledge base; none is unused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tsf_knowledge.loader import default_knowledge

ROOT = Path(__file__).resolve().parents[3]
DOMAIN_FILES = sorted((ROOT / "rasa_project" / "domain").glob("*.yml"))
PHONE = re.compile(r"\b0\d{2,3} ?\d{3,4} ?\d{4}\b")
POUNDS = re.compile(r"£[\d,.]+(?: million)?")


def responses() -> dict[str, str]:
    texts: dict[str, str] = {}
    for path in DOMAIN_FILES:
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variants in (domain.get("responses") or {}).items():
            texts[name] = " ".join(variant.get("text", "") for variant in variants)
    return texts


KNOWLEDGE_TEXT = " ".join(fact.answer for fact in default_knowledge().facts)
FACTS_IN_RESPONSES = sorted(
    {
        (name, found)
        for name, text in responses().items()
        for found in [*PHONE.findall(text), *POUNDS.findall(text)]
    }
)


def test_responses_state_some_facts() -> None:
    assert len(FACTS_IN_RESPONSES) >= 3


@pytest.mark.parametrize(("response", "fact"), FACTS_IN_RESPONSES)
def test_every_number_in_a_response_is_in_the_knowledge_base(response: str, fact: str) -> None:
    assert fact in KNOWLEDGE_TEXT, f"{response} states {fact}, which no fact in facts.yml says"


def test_every_response_is_used_by_a_rule_a_story_a_form_or_an_action() -> None:
    sources = [
        *(ROOT / "data").rglob("*.yml"),
        *(ROOT / "actions").rglob("*.py"),
    ]
    corpus = " ".join(path.read_text(encoding="utf-8") for path in sources)
    slots = set()
    for path in DOMAIN_FILES:
        domain = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for form in (domain.get("forms") or {}).values():
            slots.update(form.get("required_slots", []))
    asked_by_forms = {f"utter_ask_{slot}" for slot in slots}
    built_in = {"utter_restart"}  # uttered by Rasa's own action_restart

    unused = [
        name
        for name in responses()
        if name not in corpus and name not in asked_by_forms and name not in built_in
    ]

    assert unused == []
