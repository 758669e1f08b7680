"""The Technology Spin-Out Fund's facts, with their sources, and the services over them.

Plain Python with no Rasa import. Importing the package loads no files and no spaCy
pipeline: call :func:`default_knowledge` (cached) or :func:`load_knowledge` when needed.
"""

from tsf_knowledge.amounts import (
    AmountFit,
    assess_amount,
    describe_amount_fit,
    format_pounds,
    parse_amount,
)
from tsf_knowledge.answers import format_answer, source_line
from tsf_knowledge.facts import TOPICS, Fact, KnowledgeBase, Source
from tsf_knowledge.loader import KnowledgeError, default_knowledge, load_knowledge
from tsf_knowledge.retrieval import FactRetriever, Match

__all__ = [
    "TOPICS",
    "AmountFit",
    "Fact",
    "FactRetriever",
    "KnowledgeBase",
    "KnowledgeError",
    "Match",
    "Source",
    "assess_amount",
    "default_knowledge",
    "describe_amount_fit",
    "format_answer",
    "format_pounds",
    "load_knowledge",
    "parse_amount",
    "source_line",
]
