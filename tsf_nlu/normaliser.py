"""Show the intent classifier what people mean, not how they typed it.

:class:`MessageNormaliser` goes first in the pipeline. It corrects spelling and expands
text-speak against the fund's own vocabulary and an English frequency list
(:mod:`tsf_knowledge.spelling`), and drops a leading greeting or pleasantry that would
otherwise hide the question (:mod:`tsf_knowledge.clauses`). When a message gives context
and then asks something, the classifier sees only the questions. The featurizers and the
classifier see that text, in training and at run time alike; the whole normalised message
is kept for entity extraction.

:class:`OriginalTextRestorer` goes last: it puts the user's own words back as the message
text, so actions, slots and logs get exactly what was typed, and adds the normalised text
to the parse result as ``normalised_text``.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from tsf_knowledge.clauses import focus_on_questions, strip_pleasantries
from tsf_knowledge.spelling import default_normaliser
from tsf_nlu.stateless import StatelessComponent

ORIGINAL_TEXT = "tsf_original_text"
NORMALISED_TEXT = "normalised_text"
UNKNOWN_WORD_SHARE = "unknown_word_share"


def normalise_text(text: str) -> str:
    """``text`` with its spelling corrected and a leading pleasantry removed."""
    if not text or text.startswith("/"):
        return text
    return strip_pleasantries(default_normaliser().normalise(text))


def normalised(message: Message) -> str:
    """The whole normalised text of a message inside the pipeline (for entity extraction)."""
    return message.get(NORMALISED_TEXT) or message.get(TEXT) or ""


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MessageNormaliser(StatelessComponent):
    """Replaces the message text with its normalised form, keeping the original (the
    spelling dictionary loads on first use)."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Normalise every training example that has no entity spans to keep aligned."""
        for example in training_data.training_examples:
            if example.get(TEXT) and not example.get(ENTITIES):
                _normalise(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Normalise each incoming message."""
        for message in messages:
            if message.get(TEXT):
                _normalise(message)
        return messages


def _normalise(message: Message) -> None:
    original = message.get(TEXT)
    whole = normalise_text(original)
    message.set(ORIGINAL_TEXT, original)
    message.set(NORMALISED_TEXT, whole)
    message.set(UNKNOWN_WORD_SHARE, default_normaliser().unknown_share(whole))
    message.set(TEXT, focus_on_questions(whole))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class OriginalTextRestorer(StatelessComponent):
    """Puts the user's own words back as the message text at the end of the pipeline."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Undoes :class:`MessageNormaliser`."""
        return [MessageNormaliser]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Restore every training example's text."""
        for example in training_data.training_examples:
            _restore(example, add_to_output=False)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Restore each message's text; report the normalised text in the parse result."""
        for message in messages:
            _restore(message, add_to_output=True)
        return messages


def _restore(message: Message, add_to_output: bool) -> None:
    original = message.get(ORIGINAL_TEXT)
    if original is None:
        return
    message.set(TEXT, original)
    if add_to_output:
        message.set(NORMALISED_TEXT, message.get(NORMALISED_TEXT), add_to_output=True)
