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
from sklearn.linear_model import LogisticRegression

from tsf_nlu.linear_classifier import MODEL_FILE, LinearIntentClassifier

# Weights stored by the classifier before it used scikit-learn for the tf-idf weighting and the
# softmax, with the probabilities that code gave for ``PROBES``.
STORED_BY_PREVIOUS_CODE = Path(__file__).parent / "data"

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


def _probes() -> list[Message]:
    return [_message("no", [0.0]), _message("hello yes", [1.0]), _message("yes no no", [0.0])]


def _blocks(rows: list[tuple[str, list[float]]]) -> tuple[np.ndarray, np.ndarray]:
    """The two featurizers' blocks in the order the classifier sorts them (by origin)."""
    lookup = np.array([flag for _, flag in rows])
    words = np.array([np.sum([WORDS[word] for word in text.split()], axis=0) for text, _ in rows])
    return lookup, words


def test_probabilities_are_scikit_learns_tfidf_per_block_and_logistic_regression(
    storage: LocalModelStorage,
) -> None:
    classifier = _classifier(storage)
    classifier.train(TrainingData([_message(*example[::2], example[1]) for example in TRAINING]))
    tfidf = [
        TfidfTransformer(sublinear_tf=True).fit(block)
        for block in _blocks([(text, flag) for text, _, flag in TRAINING])
    ]

    def design(rows: list[tuple[str, list[float]]]) -> scipy.sparse.spmatrix:
        return scipy.sparse.hstack(
            [weights.transform(block) for weights, block in zip(tfidf, _blocks(rows), strict=True)]
        )

    expected = LogisticRegression(C=100.0, max_iter=5000).fit(
        design([(text, flag) for text, _, flag in TRAINING]), [intent for _, intent, _ in TRAINING]
    )
    probes = [("no", [0.0]), ("hello yes", [1.0]), ("yes no no", [0.0])]

    probabilities = classifier.predict_proba([_message(*probe) for probe in probes])

    assert np.abs(probabilities - expected.predict_proba(design(probes))).max() < 1e-9


@pytest.mark.parametrize("stored", ["three_intents", "two_intents"])
def test_a_model_stored_by_the_previous_code_gives_the_same_probabilities(
    storage: LocalModelStorage, stored: str
) -> None:
    with np.load(STORED_BY_PREVIOUS_CODE / f"{stored}.npz") as archive:
        weights = {key: archive[key] for key in archive.files}
    expected = weights.pop("expected")
    with storage.write_to(Resource("clf")) as directory:
        np.savez(directory / MODEL_FILE, **weights)
    context = ExecutionContext(GraphSchema({}), "test")

    loaded = LinearIntentClassifier.load({}, storage, Resource("clf"), context)

    assert np.abs(loaded.predict_proba(_probes()) - expected).max() < 1e-9


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

    assert np.allclose(loaded.predict_proba(_probes()), classifier.predict_proba(_probes()))


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
