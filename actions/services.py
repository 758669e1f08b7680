"""The services actions depend on, built lazily once per process; tests may replace them."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tsf_knowledge.facts import KnowledgeBase
from tsf_knowledge.loader import default_knowledge
from tsf_knowledge.retrieval import FactRetriever
from tsf_leads.service import LeadService


@dataclass(frozen=True)
class Services:
    """Everything an action may call."""

    knowledge: KnowledgeBase
    retriever: FactRetriever
    leads: Callable[[], LeadService]
    """The lead service, opened (and its database migrated) on the first call."""


_override: list[Services] = []


@functools.lru_cache(maxsize=1)
def _default_services() -> Services:
    knowledge = default_knowledge()
    leads = functools.lru_cache(maxsize=1)(LeadService.from_settings)
    return Services(knowledge=knowledge, retriever=FactRetriever(knowledge), leads=leads)


def get_services() -> Services:
    """The process-wide services, built on first use (never at import time)."""
    return _override[-1] if _override else _default_services()


@contextmanager
def services_overridden(services: Services) -> Iterator[Services]:
    """Use ``services`` instead of the real ones inside the ``with`` block (for tests)."""
    _override.append(services)
    try:
        yield services
    finally:
        _override.pop()
