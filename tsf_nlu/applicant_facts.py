"""Entities for the facts an applicant states about their organisation, in any message.

:class:`ApplicantFactExtractor` runs :func:`tsf_knowledge.applicant_facts.extract_facts` on
every message and reports each fact as an entity named after the interview slot it fills
(``spun_out``, ``origin``, ``trading``, ``services``, ``investment_purpose``, ``amount``,
``term_years``, ``can_repay``, ``organisation_name``). Global ``from_entity`` slot mappings
in the domain turn them into slots, so the interview skips what it already knows.

The rules of :mod:`tsf_knowledge.intent_rules` then have the last word on the intent: a
message that states such facts and asks whether the organisation can apply ("we're a CIC
that spun out of the NHS, can we apply?") becomes ``check_eligibility``, and an attempt to
instruct the assistant becomes ``out_of_scope``, whatever the classifier guessed.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message

from tsf_knowledge.applicant_facts import ApplicantFacts, extract_facts
from tsf_knowledge.intent_rules import overriding_intent
from tsf_nlu.normaliser import UNKNOWN_WORD_SHARE, normalised
from tsf_nlu.stateless import StatelessComponent


def fact_entities(facts: ApplicantFacts, text: str) -> list[dict[str, Any]]:
    """The facts as Rasa entities, valued as the interview's slots store them."""
    return [
        {
            ENTITY_ATTRIBUTE_TYPE: name,
            ENTITY_ATTRIBUTE_VALUE: value,
            ENTITY_ATTRIBUTE_START: 0,
            ENTITY_ATTRIBUTE_END: len(text),
        }
        for name, value in facts.answers().items()
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ApplicantFactExtractor(StatelessComponent, EntityExtractorMixin):
    """Adds applicant-fact entities, then lets the intent rules override the intent (rule-based:
    nothing to train)."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Extract the facts from each message's text."""
        for message in messages:
            text = normalised(message)
            if not text or text.startswith("/"):
                continue
            entities = self.add_extractor_name(fact_entities(extract_facts(text), text))
            if entities:
                found = [*(message.get(ENTITIES) or []), *entities]
                message.set(ENTITIES, found, add_to_output=True)
            described = {entity[ENTITY_ATTRIBUTE_TYPE] for entity in entities}
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            ruled = overriding_intent(
                text, described, intent, float(message.get(UNKNOWN_WORD_SHARE) or 0.0)
            )
            if ruled is not None and ruled != intent:
                message.set(
                    INTENT,
                    {INTENT_NAME_KEY: ruled, PREDICTED_CONFIDENCE_KEY: 1.0},
                    add_to_output=True,
                )
        return messages
