"""The off-topic examples are CLINC150's train split only, current, and credited."""

from __future__ import annotations

import json

import pytest

from tsf_nlu.off_topic_export import CHATTY_DOMAINS, CORPUS_DIR, OUTPUT, render, sample_examples

pytestmark = pytest.mark.skipif(
    not (CORPUS_DIR / "clinc150_train_val.json").exists(),
    reason="the CLINC150 corpus is kept beside the checkout, in ../shared/data/clinc150",
)


def corpus() -> dict[str, list]:
    return json.loads((CORPUS_DIR / "clinc150_train_val.json").read_text(encoding="utf-8"))


def test_the_committed_file_is_what_the_corpus_gives() -> None:
    assert OUTPUT.read_text(encoding="utf-8") == render(sample_examples())


def test_no_example_comes_from_the_validation_split_that_measures_us() -> None:
    data = corpus()
    validation = {text for text, _ in data["val"]} | {text for text, _ in data["oos_val"]}

    assert set(sample_examples()) & validation == set()


def test_greetings_thanks_and_yes_no_are_left_to_the_assistants_own_intents() -> None:
    domains = json.loads((CORPUS_DIR / "domains.json").read_text(encoding="utf-8"))
    chatty = {intent for name in CHATTY_DOMAINS for intent in domains[name]}
    chatty_texts = {text for text, intent in corpus()["train"] if intent in chatty}

    assert set(sample_examples()) & chatty_texts == set()


def test_the_file_credits_the_corpus_and_its_licence() -> None:
    header = OUTPUT.read_text(encoding="utf-8").split("nlu:")[0]

    assert "Larson et al." in header
    assert "CC BY 3.0" in header
