"""The form baseline's one custom action: light checks on the answers its form collects.

Copied into the form bot's project as ``actions.py`` and served by ``python -m rasa_sdk``
(see :mod:`benchmarks.form_baseline`); it imports nothing of ours.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

MAX_STAFF = 100_000
SLOTS = ("contact_name", "organisation", "staff_count", "purpose")


def _stripped(value: Any) -> str | None:
    """``value`` stripped of surrounding spaces, or None if nothing is left."""
    text = str(value or "").strip()
    return text or None


def _required_text(value: Any, dispatcher: CollectingDispatcher) -> str | None:
    """``value`` stripped; None, after asking again, if nothing is left."""
    text = _stripped(value)
    if text is None:
        dispatcher.utter_message(response="utter_invalid_answer")
    return text


def _starting(tracker: Tracker, form: str) -> bool:
    """Whether ``form`` is being activated: not active yet, or started by the latest message."""
    loop = tracker.active_loop
    if loop.get("name") != form:
        return True
    trigger = (loop.get("trigger_message") or {}).get("message_id")
    return trigger is not None and trigger == tracker.latest_message.get("message_id")


class ValidateApplicationForm(FormValidationAction):
    """Check each answer of ``application_form``: text stripped and non-empty, staff a count."""

    def name(self) -> str:
        return "validate_application_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Empty the form when it starts (each application is new), else check the answer."""
        if _starting(tracker, self.form_name()):
            return [SlotSet(slot, None) for slot in SLOTS]
        return await super().run(dispatcher, tracker, domain)

    def validate_contact_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A name of at least two characters."""
        text = _stripped(value)
        if text is None or len(text) < 2:
            dispatcher.utter_message(response="utter_invalid_answer")
            return {"contact_name": None}
        return {"contact_name": text}

    def validate_organisation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any non-empty organisation name."""
        return {"organisation": _required_text(value, dispatcher)}

    def validate_staff_count(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A whole number of staff from 1 to ``MAX_STAFF`` (commas allowed)."""
        text = (_stripped(value) or "").replace(",", "")
        if not text.isdigit() or not 1 <= int(text) <= MAX_STAFF:
            dispatcher.utter_message(response="utter_invalid_staff_count")
            return {"staff_count": None}
        return {"staff_count": str(int(text))}

    def validate_purpose(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any non-empty purpose."""
        return {"purpose": _required_text(value, dispatcher)}
