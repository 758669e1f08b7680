"""The services actions depend on, built lazily once per process; tests may replace them."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from tsf_knowledge.facts import KnowledgeBase
from tsf_knowledge.loader import default_knowledge
from tsf_knowledge.retrieval import FactRetriever
from tsf_leads.contracts import Consent, LeadSummary, StoredLead


class LeadGateway(Protocol):
    """Where confirmed leads go: stored with their outbox rows in one transaction."""

    def submit(self, summary: LeadSummary, consent: Consent) -> StoredLead:
        """Store the lead durably and return it with its reference."""
        ...


@dataclass(frozen=True)
class Services:
    """Everything an action may call."""

    knowledge: KnowledgeBase
    retriever: FactRetriever
    leads: LeadGateway


_override: list[Services] = []


class _DatabaseLeads:
    """The lead database, opened (and migrated) on the first submission."""

    @functools.cached_property
    def _gateway(self) -> LeadGateway:
        from tsf_leads.gateway import database_gateway

        return database_gateway()

    def submit(self, summary: LeadSummary, consent: Consent) -> StoredLead:
        """Store the lead in the configured database."""
        return self._gateway.submit(summary, consent)


@functools.lru_cache(maxsize=1)
def _default_services() -> Services:
    knowledge = default_knowledge()
    return Services(knowledge=knowledge, retriever=FactRetriever(knowledge), leads=_DatabaseLeads())


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
