"""The contact-details form: consent first, then the details, then a check before sending."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.lead_questions import CONTROL_INTENTS, QUESTIONS_BY_SLOT
from actions.questionnaire import QuestionnaireValidationAction
from actions.questions import NO, UNSURE, Aside, Question

CONSENT_SLOT = "consent_given"
CONSENT_TIME_SLOT = "consent_given_at"


def consent_declined(value: Any) -> bool:
    """Anything but a clear yes is not consent."""
    return value in (NO, UNSURE)


class ValidateLeadForm(QuestionnaireValidationAction):
    """Validates ``lead_form``."""

    def name(self) -> str:
        """The validation action Rasa calls for ``lead_form``."""
        return "validate_lead_form"

    @property
    def questions(self) -> Mapping[str, Question]:
        """Consent, then the contact details, then the check."""
        return QUESTIONS_BY_SLOT

    @property
    def control_intents(self) -> Mapping[str, Aside]:
        """Stop, skip, why and change."""
        return CONTROL_INTENTS

    @property
    def answer_slots(self) -> tuple[str, ...]:
        """The details a user can change from the summary (consent is not among them)."""
        return tuple(slot for slot in super().answer_slots if slot != CONSENT_SLOT)

    def ended_early(self, tracker: Tracker) -> bool:
        """Ended when consent is not given: no details are asked for."""
        return consent_declined(tracker.get_slot(CONSENT_SLOT))

    def after_answer(self, slot: str, value: str, slots: dict[str, Any]) -> list[EventType]:
        """Record when consent was given; end the form if it was refused."""
        if slot != CONSENT_SLOT:
            return []
        if consent_declined(value):
            return [SlotSet(CONSENT_TIME_SLOT, None), SlotSet("requested_slot", None)]
        return [SlotSet(CONSENT_TIME_SLOT, datetime.now(timezone.utc).isoformat())]
