"""A linear intent classifier for small training sets: tf-idf weights + logistic regression.

It reads the sparse sentence features the pipeline's featurizers made (word and character
n-gram counts, regex and lookup-table flags), weighs each featurizer's block with sublinear
tf-idf and L2 normalisation, and fits a multinomial logistic regression with a configurable
``C`` on the blocks side by side. With
about 45 examples an intent this beats DIET by several points of cross-validated F1 and
trains in seconds. The model is stored as plain numpy arrays (no pickle).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.extmath import softmax

logger = logging.getLogger(__name__)

MODEL_FILE = "linear_intent_classifier.npz"
IDF_PREFIX = "idf_of_"


def fitted_tfidf(weights: dict[str, np.ndarray]) -> dict[str, TfidfTransformer]:
    """Each block's tf-idf weighting from its stored idf: sublinear tf (1 + log tf) times
    the idf, each row scaled to unit length."""
    tfidf = {}
    for key, idf in weights.items():
        if key.startswith(IDF_PREFIX):
            tfidf[key.removeprefix(IDF_PREFIX)] = TfidfTransformer(sublinear_tf=True)
            tfidf[key.removeprefix(IDF_PREFIX)].idf_ = idf
    return tfidf


def _one_row_per_class(coef: np.ndarray, intercept: np.ndarray) -> dict[str, np.ndarray]:
    """Weights with a row for every class. With two classes scikit-learn keeps one row, the
    second class's score ``z``; scores ``-z/2`` and ``z/2`` give the same probabilities."""
    if coef.shape[0] == 1:
        coef, intercept = np.vstack([-coef, coef]) / 2, np.concatenate([-intercept, intercept]) / 2
    return {"coef": coef, "intercept": intercept}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Classifies intents with tf-idf weighted sparse features and logistic regression."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Featurizers must run first: this component only reads their features."""
        return [Featurizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``C``: inverse regularisation strength; ``ranking_length``: intents reported."""
        return {"C": 100.0, "max_iter": 5000, "ranking_length": 10}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        weights: dict[str, np.ndarray] | None = None,
    ) -> None:
        """Wrap an untrained (``weights`` is ``None``) or loaded model."""
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.weights = weights
        self._tfidf = fitted_tfidf(weights) if weights is not None else {}
        # LogisticRegression.predict_proba's softmax of the scores, with the coefficients kept
        # contiguous: predict_proba copies the transposed matrix on every call.
        self._coef_by_feature = None if weights is None else np.ascontiguousarray(weights["coef"].T)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        """A new, untrained classifier."""
        return cls(config, model_storage, resource)

    @staticmethod
    def _blocks(
        messages: list[Message], widths: dict[str, int] | None = None
    ) -> dict[str, scipy.sparse.csr_matrix]:
        """Each featurizer's sentence-level sparse features, one row per message.

        ``widths`` fixes the blocks and their sizes (at prediction time); a message a
        featurizer said nothing about gets a row of zeros in that block.
        """
        found = [
            {
                str(feature.origin): feature.features
                for feature in message.features
                if feature.attribute == TEXT
                and feature.is_sparse()
                and feature.type == FEATURE_TYPE_SENTENCE
            }
            for message in messages
        ]
        if widths is None:
            widths = {
                origin: matrix.shape[1] for features in found for origin, matrix in features.items()
            }
        return {
            origin: scipy.sparse.vstack(
                [features.get(origin, scipy.sparse.csr_matrix((1, width))) for features in found]
            ).tocsr()
            for origin, width in sorted(widths.items())
        }

    @staticmethod
    def _design(
        blocks: dict[str, scipy.sparse.csr_matrix], tfidf: dict[str, TfidfTransformer]
    ) -> scipy.sparse.csr_matrix:
        return scipy.sparse.hstack(
            [tfidf[origin].transform(blocks[origin], copy=False) for origin in sorted(tfidf)]
        ).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the idf weights and the logistic regression on the intent examples."""
        examples = [
            example
            for example in training_data.intent_examples
            if example.get(INTENT) and example.get(TEXT)
        ]
        labels = sorted({example.get(INTENT) for example in examples})
        if len(labels) < 2:
            logger.debug("Fewer than two intents: the linear classifier is not trained.")
            return self._resource
        blocks = self._blocks(examples)
        tfidf = {
            origin: TfidfTransformer(sublinear_tf=True).fit(counts)
            for origin, counts in blocks.items()
        }
        model = LogisticRegression(C=self.config["C"], max_iter=self.config["max_iter"])
        model.fit(self._design(blocks, tfidf), [example.get(INTENT) for example in examples])
        self.weights = {
            **{IDF_PREFIX + origin: weights.idf_ for origin, weights in tfidf.items()},
            **_one_row_per_class(model.coef_, model.intercept_),
            "classes": np.asarray(model.classes_, dtype=str),
        }
        self._tfidf = tfidf
        self._coef_by_feature = np.ascontiguousarray(self.weights["coef"].T)
        self.persist()
        return self._resource

    def predict_proba(self, messages: list[Message]) -> np.ndarray:
        """Each message's probability for every intent, in the order of ``classes``."""
        assert self.weights is not None and self._coef_by_feature is not None
        widths = {origin: len(weights.idf_) for origin, weights in self._tfidf.items()}
        features = self._design(self._blocks(messages, widths), self._tfidf)
        return softmax(features @ self._coef_by_feature + self.weights["intercept"])

    def process(self, messages: list[Message]) -> list[Message]:
        """Set ``intent`` and ``intent_ranking`` on messages that have text features."""
        if self.weights is None:
            return messages
        featurised = [m for m in messages if m.get(TEXT)]
        if not featurised:
            return messages
        classes = self.weights["classes"]
        for message, probabilities in zip(featurised, self.predict_proba(featurised), strict=True):
            order = np.argsort(-probabilities)[: self.config["ranking_length"]]
            ranking = [
                {"name": str(classes[i]), "confidence": float(probabilities[i])} for i in order
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def persist(self) -> None:
        """Write the weights as a numpy archive in the model storage."""
        if self.weights is None:
            return
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / MODEL_FILE, **self.weights)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        """The trained classifier, or an untrained one when nothing was stored."""
        try:
            with (
                model_storage.read_from(resource) as directory,
                np.load(directory / MODEL_FILE, allow_pickle=False) as archive,
            ):
                weights = {key: archive[key] for key in archive.files}
        except (ValueError, FileNotFoundError):
            logger.debug("No stored linear intent classifier; it predicts nothing.")
            weights = None
        return cls(config, model_storage, resource, weights)
