"""The linear intent classifier: tf-idf weighted sparse features and logistic regression."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfTransformer

from tsf_nlu.linear_classifier import (
    LinearIntentClassifier,
    inverse_document_frequency,
    softmax,
    tfidf_weights,
)

# Two featurizers' sentence features: a 3-word vocabulary and one lookup-table flag.
WORDS = {"yes": [1, 0, 0], "no": [0, 1, 0], "hello": [0, 0, 1]}
TRAINING = [
    ("yes", "affirm", [1.0]),
    ("yes yes", "affirm", [1.0]),
    ("no", "deny", [0.0]),
    ("no no", "deny", [0.0]),
    ("hello", "greet", [0.0]),
    ("hello hello", "greet", [0.0]),
]


def _message(text: str, flag: list[float], intent: str | None = None) -> Message:
    counts = np.sum([WORDS[word] for word in text.split()], axis=0).reshape(1, -1)
    message = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
    for origin, row in (("words", counts), ("lookup", np.array([flag]))):
        message.add_features(
            Features(scipy.sparse.coo_matrix(row), FEATURE_TYPE_SENTENCE, TEXT, origin)
        )
    return message


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


def _classifier(storage: LocalModelStorage) -> LinearIntentClassifier:
    context = ExecutionContext(GraphSchema({}), "test")
    return LinearIntentClassifier.create({}, storage, Resource("clf"), context)


def test_weights_match_scikit_learns_sublinear_tfidf() -> None:
    counts = scipy.sparse.csr_matrix([[3, 0, 1], [0, 2, 0], [1, 1, 1]])
    expected = TfidfTransformer(sublinear_tf=True).fit_transform(counts)

    weighted = tfidf_weights(counts, inverse_document_frequency(counts))

    assert np.allclose(weighted.toarray(), expected.toarray())


def test_softmax_rows_are_probabilities() -> None:
    probabilities = softmax(np.array([[1000.0, 1000.0], [0.0, np.log(3.0)]]))

    assert np.allclose(probabilities, [[0.5, 0.5], [0.25, 0.75]])


def test_a_trained_classifier_ranks_intents_by_confidence(storage: LocalModelStorage) -> None:
    classifier = _classifier(storage)
    classifier.train(TrainingData([_message(*example[::2], example[1]) for example in TRAINING]))
    message = _message("yes", [1.0])

    classifier.process([message])

    ranking = message.get("intent_ranking")
    assert message.get(INTENT)["name"] == "affirm"
    assert [entry["confidence"] for entry in ranking] == sorted(
        (entry["confidence"] for entry in ranking), reverse=True
    )
    assert sum(entry["confidence"] for entry in ranking) == pytest.approx(1.0)


def test_a_stored_classifier_predicts_the_same(storage: LocalModelStorage) -> None:
    classifier = _classifier(storage)
    classifier.train(TrainingData([_message(*example[::2], example[1]) for example in TRAINING]))
    context = ExecutionContext(GraphSchema({}), "test")
    loaded = LinearIntentClassifier.load({}, storage, Resource("clf"), context)
    messages = [_message("no", [0.0]), _message("hello yes", [1.0])]

    assert np.allclose(loaded.predict_proba(messages), classifier.predict_proba(messages))


def test_a_message_without_features_of_one_featurizer_still_gets_an_intent(
    storage: LocalModelStorage,
) -> None:
    classifier = _classifier(storage)
    classifier.train(TrainingData([_message(*example[::2], example[1]) for example in TRAINING]))
    message = Message(data={TEXT: "hello"})
    message.add_features(
        Features(scipy.sparse.coo_matrix([[0, 0, 1]]), FEATURE_TYPE_SENTENCE, TEXT, "words")
    )

    classifier.process([message])

    assert message.get(INTENT)["name"] == "greet"


def test_an_untrained_classifier_leaves_messages_alone(storage: LocalModelStorage) -> None:
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = LinearIntentClassifier.load({}, storage, Resource("missing"), context)
    message = _message("yes", [1.0])

    classifier.process([message])

    assert message.get(INTENT) is None


def test_a_classifier_of_two_intents_gives_each_its_probability(
    storage: LocalModelStorage,
) -> None:
    classifier = _classifier(storage)
    classifier.train(
        TrainingData([_message(*example[::2], example[1]) for example in TRAINING[:4]])
    )
    message = _message("no", [0.0])

    classifier.process([message])

    ranking = {entry["name"]: entry["confidence"] for entry in message.get("intent_ranking")}
    assert ranking.keys() == {"affirm", "deny"}
    assert ranking["deny"] > 0.5 > ranking["affirm"]
    assert sum(ranking.values()) == pytest.approx(1.0)
