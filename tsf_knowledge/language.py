"""The offline English spaCy pipeline shared by Rasa's SpacyNLP and fact retrieval.

spaCy's trained models cannot be downloaded on these machines, so the pipeline is a blank
English tokenizer plus the lookup lemmatizer from ``spacy-lookups-data``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import spacy
from spacy.language import Language


def build_english_pipeline() -> Language:
    """Build the blank English pipeline with a lookup lemmatizer, ready to use."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@functools.lru_cache(maxsize=1)
def shared_pipeline() -> Language:
    """The process-wide pipeline, built on first use (never at import time)."""
    return build_english_pipeline()


def lemmas(text: str) -> list[str]:
    """Lower-cased lemmas of the alphanumeric tokens in ``text``."""
    doc = shared_pipeline()(text)
    return [
        (token.lemma_ or token.text).lower() for token in doc if token.is_alpha or token.is_digit
    ]


def save_english_pipeline(directory: Path) -> Path:
    """Write the pipeline to ``directory`` for Rasa's ``SpacyNLP`` ``model:`` setting."""
    directory.mkdir(parents=True, exist_ok=True)
    build_english_pipeline().to_disk(directory)
    return directory
