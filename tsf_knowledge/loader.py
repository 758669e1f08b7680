"""Load and validate the knowledge base from ``tsf_knowledge/data/facts.yml``.

Every problem is reported as a :class:`KnowledgeError` whose message names the entry and
the field, for example ``facts[3] (loan_term): field 'source' refers to unknown source 'x'``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from tsf_knowledge.facts import INTENT_PREFIX, TOPICS, Fact, KnowledgeBase, Source

DEFAULT_FACTS_PATH = Path(__file__).resolve().parent / "data" / "facts.yml"
"""The knowledge base shipped with the package."""

SCHEMA_VERSION = 1
MIN_EXAMPLES = 15

_TOP_LEVEL_KEYS = frozenset({"version", "sources", "facts"})
_SOURCE_REQUIRED = ("id", "title", "publisher", "date", "short", "seed")
_SOURCE_OPTIONAL = ("date_note",)
_FACT_REQUIRED = ("id", "intent", "topic", "answer", "source", "keywords", "examples")
_ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


class KnowledgeError(ValueError):
    """The knowledge base file is missing, unreadable or invalid."""


def load_knowledge(path: Path | None = None) -> KnowledgeBase:
    """Read, validate and return the knowledge base.

    Args:
        path: The YAML file to read; the packaged ``facts.yml`` when ``None``.

    Raises:
        KnowledgeError: If the file cannot be read, is not YAML, or breaks a rule.
    """
    path = DEFAULT_FACTS_PATH if path is None else Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KnowledgeError(f"{path}: cannot read the file ({error.strerror})") from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{path}: not valid YAML: {error}") from error
    try:
        return parse_knowledge(data)
    except KnowledgeError as error:
        raise KnowledgeError(f"{path}: {error}") from None


@functools.lru_cache(maxsize=1)
def default_knowledge() -> KnowledgeBase:
    """The packaged knowledge base, loaded once on first use and then cached."""
    return load_knowledge()


def parse_knowledge(data: Any) -> KnowledgeBase:
    """Validate already-parsed YAML data and build the knowledge base from it.

    Raises:
        KnowledgeError: If the data breaks any rule of the schema.
    """
    if not isinstance(data, Mapping):
        raise KnowledgeError("the file must contain a mapping with 'version', 'sources', 'facts'")
    unknown = sorted(set(map(str, data)) - _TOP_LEVEL_KEYS)
    if unknown:
        raise KnowledgeError(f"unknown top-level key {unknown[0]!r}")
    missing = [key for key in sorted(_TOP_LEVEL_KEYS) if key not in data]
    if missing:
        raise KnowledgeError(f"missing top-level key {missing[0]!r}")
    version = data["version"]
    if type(version) is not int or version != SCHEMA_VERSION:
        raise KnowledgeError(f"'version' must be {SCHEMA_VERSION}, got {version!r}")

    sources = _parse_sources(_entries(data, "sources"))
    facts = _parse_facts(_entries(data, "facts"), {source.id for source in sources})
    return KnowledgeBase(version=version, sources=sources, facts=facts)


def _entries(data: Mapping[str, Any], section: str) -> list[Mapping[str, Any]]:
    entries = data[section]
    if not isinstance(entries, list) or not entries:
        raise KnowledgeError(f"'{section}' must be a non-empty list")
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise KnowledgeError(f"{section}[{index}]: must be a mapping")
    return entries


def _where(section: str, index: int, entry: Mapping[str, Any]) -> str:
    entry_id = entry.get("id")
    if isinstance(entry_id, str) and entry_id:
        return f"{section}[{index}] ({entry_id})"
    return f"{section}[{index}]"


def _check_keys(
    entry: Mapping[str, Any], where: str, required: tuple[str, ...], optional: tuple[str, ...]
) -> None:
    for key in entry:
        if key not in required and key not in optional:
            raise KnowledgeError(f"{where}: unknown field {key!r}")
    for key in required:
        if key not in entry:
            raise KnowledgeError(f"{where}: missing field {key!r}")


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeError(f"{where}: field {key!r} must be a non-empty string")
    return value.strip()


def _text_list(entry: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = entry[key]
    if not isinstance(values, list) or not values:
        raise KnowledgeError(f"{where}: field {key!r} must be a non-empty list of strings")
    for position, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            raise KnowledgeError(
                f"{where}: field {key!r} item {position} must be a non-empty string "
                f"(quote it in YAML), got {value!r}"
            )
    return tuple(value.strip() for value in values)


def _check_id(entry: Mapping[str, Any], where: str, seen: dict[str, str]) -> str:
    entry_id = _text(entry, "id", where)
    if not _ID_PATTERN.fullmatch(entry_id):
        raise KnowledgeError(f"{where}: field 'id' must be snake_case, got {entry_id!r}")
    if entry_id in seen:
        raise KnowledgeError(f"{where}: field 'id' duplicates {seen[entry_id]}")
    seen[entry_id] = where
    return entry_id


def _parse_sources(entries: list[Mapping[str, Any]]) -> tuple[Source, ...]:
    seen: dict[str, str] = {}
    sources = []
    for index, entry in enumerate(entries):
        where = _where("sources", index, entry)
        _check_keys(entry, where, _SOURCE_REQUIRED, _SOURCE_OPTIONAL)
        source_id = _check_id(entry, where, seen)
        fields = {key: _text(entry, key, where) for key in _SOURCE_REQUIRED if key != "id"}
        date_note = _text(entry, "date_note", where) if "date_note" in entry else None
        sources.append(Source(id=source_id, date_note=date_note, **fields))
    return tuple(sources)


def _parse_facts(entries: list[Mapping[str, Any]], source_ids: set[str]) -> tuple[Fact, ...]:
    seen: dict[str, str] = {}
    example_owners: dict[str, str] = {}
    leaders: set[str] = set()
    facts = []
    for index, entry in enumerate(entries):
        where = _where("facts", index, entry)
        _check_keys(entry, where, _FACT_REQUIRED, ())
        fact_id = _check_id(entry, where, seen)
        intent = _check_intent(entry, where, fact_id, leaders)
        topic = _text(entry, "topic", where)
        if topic not in TOPICS:
            raise KnowledgeError(
                f"{where}: field 'topic' must be one of {', '.join(sorted(TOPICS))}; got {topic!r}"
            )
        facts.append(
            Fact(
                id=fact_id,
                intent=intent,
                topic=topic,
                answer=" ".join(_text(entry, "answer", where).split()),
                source_ids=_fact_sources(entry, where, source_ids),
                keywords=_text_list(entry, "keywords", where),
                examples=_examples(entry, where, example_owners),
            )
        )
    return tuple(facts)


def _check_intent(entry: Mapping[str, Any], where: str, fact_id: str, leaders: set[str]) -> str:
    """``"ask_" + id``, or the intent of an earlier fact that leads a question group."""
    intent = _text(entry, "intent", where)
    own = INTENT_PREFIX + fact_id
    if intent == own:
        leaders.add(intent)
    elif intent not in leaders:
        raise KnowledgeError(
            f"{where}: field 'intent' must be {own!r} or the intent of an earlier fact "
            f"whose intent is 'ask_' + its own id, got {intent!r}"
        )
    return intent


def _fact_sources(entry: Mapping[str, Any], where: str, known: set[str]) -> tuple[str, ...]:
    if isinstance(entry["source"], str):
        ids: tuple[str, ...] = (_text(entry, "source", where),)
    else:
        ids = _text_list(entry, "source", where)
    for source_id in ids:
        if source_id not in known:
            raise KnowledgeError(f"{where}: field 'source' refers to unknown source {source_id!r}")
    if len(set(ids)) != len(ids):
        raise KnowledgeError(f"{where}: field 'source' lists a source more than once")
    return ids


def normalise_example(text: str) -> str:
    """Fold case and whitespace, so near-identical examples compare equal."""
    return " ".join(text.casefold().split())


def _examples(entry: Mapping[str, Any], where: str, owners: dict[str, str]) -> tuple[str, ...]:
    examples = _text_list(entry, "examples", where)
    if len(examples) < MIN_EXAMPLES:
        raise KnowledgeError(
            f"{where}: field 'examples' needs at least {MIN_EXAMPLES} examples, has {len(examples)}"
        )
    for position, example in enumerate(examples):
        if "\n" in example or "[" in example or "]" in example:
            raise KnowledgeError(
                f"{where}: field 'examples' item {position} must be one line without "
                f"square brackets, got {example!r}"
            )
        key = normalise_example(example)
        if key in owners:
            raise KnowledgeError(
                f"{where}: field 'examples' item {position} {example!r} duplicates an "
                f"example of {owners[key]}"
            )
        owners[key] = where
    return examples
