"""The knowledge base's data types: sources, facts and the collection of both.

These are plain immutable values. Loading and validating them from YAML is
:mod:`tsf_knowledge.loader`'s job; this module never reads files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

TOPICS = frozenset({"fund", "loans", "eligibility", "organisations", "background", "contact"})
"""The fixed set of topics a fact may belong to."""

_Entry = TypeVar("_Entry")

INTENT_PREFIX = "ask_"
"""A fact's intent is this prefix followed by its own id, or by the id of the first fact of
its question group (facts that people ask about in the same words share one intent)."""


@dataclass(frozen=True)
class Source:
    """A document that facts are taken from.

    Attributes:
        id: Stable identifier that facts refer to.
        title: The document's title (or an honest description when it has none).
        publisher: Who published it.
        date: When it was published, as precisely as the document allows (e.g. ``"2014"``).
        short: A brief citation for the end of an answer, e.g. "Department of Health blog, 2014".
        seed: The file name of the document in the seeds folder.
        date_note: How the date was worked out, when the document does not print one.
    """

    id: str
    title: str
    publisher: str
    date: str
    short: str
    seed: str
    date_note: str | None = None


@dataclass(frozen=True)
class Fact:
    """One answerable fact about the fund.

    Attributes:
        id: Stable snake_case identifier used by other code.
        intent: The Rasa intent that asks for this fact: ``"ask_" + id``, or the intent of
            the question group it belongs to (``"ask_" + the group's first fact's id``).
        topic: One of :data:`TOPICS`.
        answer: The plain-English answer, without its source line.
        source_ids: Ids of the sources the answer is taken from (at least one).
        keywords: Words and phrases that help retrieval find the fact.
        examples: Realistic ways a person might ask for the fact (NLU training data).
    """

    id: str
    intent: str
    topic: str
    answer: str
    source_ids: tuple[str, ...]
    keywords: tuple[str, ...]
    examples: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeBase:
    """The validated collection of sources and facts.

    Attributes:
        version: The schema version of the data file.
        sources: Every source, in file order.
        facts: Every fact, in file order.
    """

    version: int
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...]
    _facts_by_id: Mapping[str, Fact] = field(init=False, repr=False, compare=False)
    _facts_by_intent: Mapping[str, tuple[Fact, ...]] = field(init=False, repr=False, compare=False)
    _sources_by_id: Mapping[str, Source] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_facts_by_id", {fact.id: fact for fact in self.facts})
        groups: dict[str, tuple[Fact, ...]] = {}
        for fact in self.facts:
            groups[fact.intent] = (*groups.get(fact.intent, ()), fact)
        object.__setattr__(self, "_facts_by_intent", groups)
        object.__setattr__(self, "_sources_by_id", {source.id: source for source in self.sources})

    @property
    def intents(self) -> tuple[str, ...]:
        """Every distinct fact intent, in the order its first fact appears in the file."""
        return tuple(self._facts_by_intent)

    def fact(self, fact_id: str) -> Fact:
        """The fact with id ``fact_id``.

        Raises:
            KeyError: If there is no such fact.
        """
        return _look_up(self._facts_by_id, "fact", fact_id)

    def by_intent(self, intent: str) -> Fact | None:
        """The default fact for ``intent`` (its group's first), or ``None`` if none has it."""
        group = self._facts_by_intent.get(intent, ())
        return group[0] if group else None

    def group(self, intent: str) -> tuple[Fact, ...]:
        """Every fact asked for by ``intent``, in file order; empty if no fact has it."""
        return self._facts_by_intent.get(intent, ())

    def source(self, source_id: str) -> Source:
        """The source with id ``source_id``.

        Raises:
            KeyError: If there is no such source.
        """
        return _look_up(self._sources_by_id, "source", source_id)

    def sources_for(self, fact: Fact) -> tuple[Source, ...]:
        """The sources that ``fact`` is taken from, in the order the fact lists them."""
        return tuple(self.source(source_id) for source_id in fact.source_ids)


def _look_up(entries: Mapping[str, _Entry], kind: str, entry_id: str) -> _Entry:
    try:
        return entries[entry_id]
    except KeyError:
        raise KeyError(f"unknown {kind} id {entry_id!r}") from None
