"""Turn a fact into the text the assistant sends: the answer, then where it comes from."""

from __future__ import annotations

from tsf_knowledge.facts import Fact, KnowledgeBase


def source_line(fact: Fact, kb: KnowledgeBase) -> str:
    """A brief citation such as "Source: Department of Health blog, 2014".

    Facts with several sources get "Sources: first; second".
    """
    shorts = [source.short for source in kb.sources_for(fact)]
    label = "Source" if len(shorts) == 1 else "Sources"
    return f"{label}: {'; '.join(shorts)}"


def format_answer(fact: Fact, kb: KnowledgeBase) -> str:
    """The fact's answer followed, after a blank line, by its source line."""
    return f"{fact.answer}\n\n{source_line(fact, kb)}"
