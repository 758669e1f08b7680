"""The classifier sees corrected text; everything after the pipeline sees what was typed."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from tsf_nlu.normaliser import (
    NORMALISED_TEXT,
    MessageNormaliser,
    OriginalTextRestorer,
    normalise_text,
)


def test_typos_and_a_leading_greeting_are_normalised_away() -> None:
    assert normalise_text("hello! quick one - whats the maximun lone?") == (
        "whats the maximum loan?"
    )


def test_a_greeting_on_its_own_and_button_payloads_stay_as_they_are() -> None:
    assert normalise_text("hi!") == "hi!"
    assert normalise_text("/affirm") == "/affirm"


def test_the_pipeline_restores_the_original_text_and_reports_the_normalised_one() -> None:
    typed = "hiya, wat is the intrest rate pls"
    message = Message(data={TEXT: typed})

    (normalised,) = MessageNormaliser().process([message])
    seen_by_classifier = normalised.get(TEXT)
    (restored,) = OriginalTextRestorer().process([normalised])

    assert seen_by_classifier == "what is the interest rate please"
    assert restored.get(TEXT) == typed
    assert restored.as_dict(only_output_properties=True)[NORMALISED_TEXT] == seen_by_classifier


def test_training_examples_are_normalised_unless_they_carry_entity_spans() -> None:
    plain = Message(data={TEXT: "wat is the intrest rate", "intent": "ask_interest_rate"})
    spanned = Message(
        data={
            TEXT: "change the amuont",
            "intent": "change_answer",
            ENTITIES: [{"entity": "answer_to_change", "start": 11, "end": 17, "value": "amount"}],
        }
    )

    data = MessageNormaliser().process_training_data(TrainingData([plain, spanned]))

    assert data.training_examples[0].get(TEXT) == "what is the interest rate"
    assert data.training_examples[1].get(TEXT) == "change the amuont"


def test_the_classifier_sees_the_question_and_the_extractor_the_whole_message() -> None:
    typed = (
        "We're a small social enterprise set up by ex-council social workers and our IT is "
        "ancient. What's the smallest loan we could get?"
    )

    (message,) = MessageNormaliser().process([Message(data={TEXT: typed})])

    assert message.get(TEXT) == "What's the smallest loan we could get?"
    assert message.get(NORMALISED_TEXT) == typed
