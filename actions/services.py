"""The services actions depend on, built lazily once per process; tests may replace them."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from tsf_knowledge.facts import KnowledgeBase
from tsf_knowledge.loader import default_knowledge
from tsf_knowledge.retrieval import FactRetriever


@dataclass(frozen=True)
class Services:
    """Everything an action may call."""

    knowledge: KnowledgeBase
    retriever: FactRetriever


@functools.lru_cache(maxsize=1)
def get_services() -> Services:
    """The process-wide services, built on first use (never at import time)."""
    knowledge = default_knowledge()
    return Services(knowledge=knowledge, retriever=FactRetriever(knowledge))
