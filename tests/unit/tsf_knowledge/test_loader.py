"""Loading and validating the knowledge base."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.harness import run_python
from tsf_knowledge.loader import (
    DEFAULT_FACTS_PATH,
    KnowledgeError,
    default_knowledge,
    load_knowledge,
    parse_knowledge,
)

REQUIRED_FACT_IDS = {
    "fund_overview",
    "fund_size",
    "fund_providers",
    "fund_manager",
    "fund_aims",
    "fund_rationale",
    "loan_amounts",
    "loan_average",
    "loan_term",
    "interest_rate",
    "loan_not_grant",
    "fund_timing",
    "who_can_apply",
    "spin_out_definition",
    "must_be_launched",
    "eligible_uses",
    "how_to_apply",
    "contact_team",
    "local_partnerships",
    "big_society_capital",
    "bsc_funding",
    "nick_odonohoe",
    "department_of_health_role",
    "seif",
    "dh_19m_funding",
    "john_taylor_hospice",
    "inclusion_healthcare",
    "mutuals_support_programme",
    "mutuals_information_service",
}


def _examples(prefix: str, count: int = 15) -> list[str]:
    return [f"{prefix} question number {n}" for n in range(count)]


def valid_document() -> dict[str, Any]:
    """The smallest document that passes validation: 2 sources, 2 facts."""
    return {
        "version": 1,
        "sources": [
            {
                "id": "news",
                "title": "News",
                "publisher": "A paper",
                "date": "2014",
                "short": "News article, 2014",
                "seed": "000.txt",
            },
            {
                "id": "blog",
                "title": "Blog",
                "publisher": "A department",
                "date": "2014",
                "date_note": "Inferred from the text.",
                "short": "Blog, 2014",
                "seed": "001.txt",
            },
        ],
        "facts": [
            {
                "id": "loan_amounts",
                "intent": "ask_loan_amounts",
                "topic": "loans",
                "answer": "Each loan is between £250,000 and £1 million.",
                "source": ["news", "blog"],
                "keywords": ["minimum", "maximum"],
                "examples": _examples("amounts"),
            },
            {
                "id": "loan_term",
                "intent": "ask_loan_term",
                "topic": "loans",
                "answer": "You repay a loan over 3 to 5 years.",
                "source": "blog",
                "keywords": ["term"],
                "examples": _examples("term"),
            },
        ],
    }


def test_the_packaged_knowledge_base_loads() -> None:
    kb = load_knowledge()

    assert kb.version == 1
    assert len(kb.facts) >= 29


def test_every_fact_id_other_code_depends_on_exists() -> None:
    ids = {fact.id for fact in load_knowledge().facts}

    assert REQUIRED_FACT_IDS - ids == set()


def test_the_minimal_document_is_valid() -> None:
    kb = parse_knowledge(valid_document())

    assert [fact.id for fact in kb.facts] == ["loan_amounts", "loan_term"]
    assert kb.fact("loan_term").source_ids == ("blog",)
    assert kb.fact("loan_amounts").source_ids == ("news", "blog")
    assert kb.source("blog").date_note == "Inferred from the text."
    assert kb.source("news").date_note is None


def test_facts_may_share_the_intent_of_an_earlier_fact_as_a_question_group() -> None:
    document = valid_document()
    document["facts"][1]["intent"] = "ask_loan_amounts"

    kb = parse_knowledge(document)

    assert kb.intents == ("ask_loan_amounts",)
    assert [fact.id for fact in kb.group("ask_loan_amounts")] == ["loan_amounts", "loan_term"]


def _set(path: str, value: Any) -> Any:
    """A mutation that sets ``path`` ("facts.1.source") in the document to ``value``."""

    def mutate(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return mutate


def _delete(path: str) -> Any:
    def mutate(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return mutate


INVALID_DOCUMENTS = [
    ("unknown top-level key", _set("extras", 1), "unknown top-level key 'extras'"),
    ("missing facts", _delete("facts"), "missing top-level key 'facts'"),
    ("wrong version", _set("version", 2), "'version' must be 1, got 2"),
    ("version as text", _set("version", "1"), "'version' must be 1, got '1'"),
    ("sources not a list", _set("sources", {"id": "news"}), "'sources' must be a non-empty list"),
    ("empty facts", _set("facts", []), "'facts' must be a non-empty list"),
    ("entry not a mapping", _set("facts.1", "loan_term"), "facts[1]: must be a mapping"),
    ("duplicate source id", _set("sources.1.id", "news"), "sources[1] (news): field 'id' dupl"),
    (
        "source without title",
        _delete("sources.0.title"),
        "sources[0] (news): missing field 'title'",
    ),
    (
        "source with unknown field",
        _set("sources.0.url", "x"),
        "sources[0] (news): unknown field 'url'",
    ),
    ("blank publisher", _set("sources.1.publisher", " "), "sources[1] (blog): field 'publisher'"),
    (
        "unknown source",
        _set("facts.1.source", "x"),
        "facts[1] (loan_term): field 'source' refers to unknown source 'x'",
    ),
    (
        "unknown source in a list",
        _set("facts.0.source", ["news", "x"]),
        "facts[0] (loan_amounts): field 'source' refers to unknown source 'x'",
    ),
    ("no source", _set("facts.1.source", []), "facts[1] (loan_term): field 'source' must be"),
    ("source listed twice", _set("facts.0.source", ["news", "news"]), "more than once"),
    ("missing answer", _delete("facts.1.answer"), "facts[1] (loan_term): missing field 'answer'"),
    ("empty answer", _set("facts.1.answer", ""), "facts[1] (loan_term): field 'answer' must be"),
    ("fact with unknown field", _set("facts.1.answers", "x"), "unknown field 'answers'"),
    ("duplicate fact id", _set("facts.1.id", "loan_amounts"), "field 'id' duplicates facts[0]"),
    ("id not snake_case", _set("facts.1.id", "LoanTerm"), "field 'id' must be snake_case"),
    (
        "intent not ask_ + id",
        _set("facts.1.intent", "loan_term"),
        "facts[1] (loan_term): field 'intent' must be 'ask_loan_term' or the intent of an "
        "earlier fact whose intent is 'ask_' + its own id, got 'loan_term'",
    ),
    (
        "group intent led by a later fact",
        _set("facts.0.intent", "ask_loan_term"),
        "facts[0] (loan_amounts): field 'intent' must be 'ask_loan_amounts' or the intent",
    ),
    (
        "group intent that no fact leads",
        _set("facts.1.intent", "ask_loans"),
        "facts[1] (loan_term): field 'intent' must be 'ask_loan_term' or the intent",
    ),
    ("unknown topic", _set("facts.1.topic", "misc"), "facts[1] (loan_term): field 'topic'"),
    ("keywords not a list", _set("facts.1.keywords", "term"), "field 'keywords' must be"),
    (
        "too few examples",
        _set("facts.1.examples", _examples("term", 14)),
        "facts[1] (loan_term): field 'examples' needs at least 15 examples, has 14",
    ),
    (
        "example that YAML read as a number",
        _set("facts.1.examples.3", 2014),
        "facts[1] (loan_term): field 'examples' item 3 must be a non-empty string",
    ),
    (
        "example with Rasa entity brackets",
        _set("facts.1.examples.0", "can we borrow [100k](amount)"),
        "field 'examples' item 0 must be one line without square brackets",
    ),
    (
        "example repeated in another fact (case and spacing differ)",
        _set("facts.1.examples.5", "  AMOUNTS question   number 2 "),
        "facts[1] (loan_term): field 'examples' item 5 'AMOUNTS question   number 2' "
        "duplicates an example of facts[0] (loan_amounts)",
    ),
    (
        "example repeated in the same fact",
        _set("facts.1.examples.5", "term question number 0"),
        "duplicates an example of facts[1] (loan_term)",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(mutate, message, id=name) for name, mutate, message in INVALID_DOCUMENTS],
)
def test_an_invalid_document_is_rejected_naming_entry_and_field(mutate: Any, message: str) -> None:
    document = copy.deepcopy(valid_document())
    mutate(document)

    with pytest.raises(KnowledgeError) as raised:
        parse_knowledge(document)

    assert message in str(raised.value)


@pytest.mark.parametrize("data", [None, [], "facts", 3])
def test_a_document_that_is_not_a_mapping_is_rejected(data: Any) -> None:
    with pytest.raises(KnowledgeError, match="must contain a mapping"):
        parse_knowledge(data)


def test_errors_from_a_file_name_the_file(tmp_path: Path) -> None:
    document = valid_document()
    document["facts"][1]["source"] = "x"
    path = tmp_path / "facts.yml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(path)

    assert str(raised.value) == (
        f"{path}: facts[1] (loan_term): field 'source' refers to unknown source 'x'"
    )


def test_a_valid_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "facts.yml"
    path.write_text(yaml.safe_dump(valid_document(), allow_unicode=True), encoding="utf-8")

    assert load_knowledge(path).fact("loan_term").answer == "You repay a loan over 3 to 5 years."


def test_broken_yaml_is_a_knowledge_error(tmp_path: Path) -> None:
    path = tmp_path / "facts.yml"
    path.write_text("version: 1\nsources: [unclosed\n", encoding="utf-8")

    with pytest.raises(KnowledgeError, match="not valid YAML"):
        load_knowledge(path)


def test_a_missing_file_is_a_knowledge_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="cannot read the file"):
        load_knowledge(tmp_path / "absent.yml")


def test_the_default_knowledge_base_is_loaded_once() -> None:
    assert default_knowledge() is default_knowledge()
    assert default_knowledge().facts == load_knowledge(DEFAULT_FACTS_PATH).facts


def test_importing_the_package_loads_no_file_and_no_spacy() -> None:
    code = (
        "import sys, tsf_knowledge, tsf_knowledge.nlu_export\n"
        "assert tsf_knowledge.default_knowledge.cache_info().currsize == 0\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in {'spacy', 'rasa'}]\n"
    )
    run_python(code)
