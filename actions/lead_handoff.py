"""Hand a warm lead to the Social Investment Team: start, confirm and submit."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lead_form import (
    CONSENT_SLOT,
    CONSENT_TIME_SLOT,
    ValidateLeadForm,
    consent_declined,
    details_beside_consent,
    gives_consent,
)
from actions.lead_questions import CONTACT_SLOTS, DETAIL_SLOTS, QUESTIONS, privacy_notice
from actions.lead_summary import build_consent, build_lead_summary
from actions.named_action import NamedAction
from actions.questionnaire import ASIDES_SLOT, CHOOSING_SLOT, FAILURES_SLOT, ActionAskToConfirm
from actions.questions import YES, button_dicts, display_answer
from actions.services import get_services
from tsf_knowledge.fund_terms import fund_terms
from tsf_leads.contracts import Consent, LeadSummary, StoredLead

logger = logging.getLogger(__name__)
REFERENCE_SLOT = "lead_reference"
RESET_SLOTS = (*CONTACT_SLOTS, CONSENT_TIME_SLOT, CHOOSING_SLOT, FAILURES_SLOT, ASIDES_SLOT)


class ActionStartContactDetails(NamedAction):
    """Clears any earlier contact details before the contact form starts."""

    action_name = "action_start_contact_details"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Reset the contact form's slots; take consent already given in the request.

        "Yes please, and I consent to you sharing my details" is an explicit agreement: the
        privacy notice is shown with it, before any detail is asked for, and "stop" still
        ends the form with nothing sent.
        """
        return contact_details_start(tracker.latest_message.get("text") or "", dispatcher)


def contact_details_start(text: str, dispatcher: CollectingDispatcher) -> list[EventType]:
    """Events that reset the contact form, taking consent ``text`` already gives."""
    events: list[EventType] = [SlotSet(slot, None) for slot in RESET_SLOTS]
    if not gives_consent(text):
        return events
    dispatcher.utter_message(
        text=f"{privacy_notice()} You've told me you agree, so I'll take your details "
        'now. If you change your mind, say "stop" and nothing will be sent.'
    )
    given = details_beside_consent(text)
    return [
        *events,
        SlotSet(CONSENT_SLOT, YES),
        SlotSet(CONSENT_TIME_SLOT, datetime.now(timezone.utc).isoformat()),
        *(SlotSet(slot, value) for slot, value in given.items()),
    ]


class ActionAskConsentGiven(NamedAction):
    """Shows the privacy notice and asks for consent (the lead form's first question)."""

    action_name = "action_ask_consent_given"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """The notice, "Do you agree?", and Yes / No buttons."""
        buttons = button_dicts((("Yes, I agree", "/affirm"), ("No", "/deny")))
        dispatcher.utter_message(text=f"{privacy_notice()} Do you agree?", buttons=buttons)
        return []


class ActionAskLeadConfirmed(ActionAskToConfirm):
    """Shows the details to send, or the list of details to change."""

    form = ValidateLeadForm
    which = "Which detail would you like to change?"

    def summary(self, slots: dict[str, Any]) -> str:
        """The details about to be sent, one per line, and "Shall I send them?"."""
        lines = [
            f"• {question.label}: {display_answer(question, slots.get(question.slot))}"
            for question in QUESTIONS
            if question.slot in DETAIL_SLOTS
        ]
        organisation = slots.get("organisation_name") or "your organisation"
        return (
            f"I'll send the team your eligibility answers for {organisation}, with these "
            "details:\n" + "\n".join(lines) + "\n\nShall I send them?"
        )


def _store(summary: LeadSummary, consent: Consent) -> StoredLead:
    """Store the lead and its outbox rows (blocking: the database is opened on first use)."""
    return get_services().leads().submit(summary, consent)


class ActionSubmitLead(NamedAction):
    """Stores the lead and its outbox rows in one transaction, then gives the reference."""

    action_name = "action_submit_lead"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Submit the confirmed lead, or say why nothing was sent."""
        slots = tracker.current_slot_values()
        if consent_declined(slots.get(CONSENT_SLOT)) or slots.get("lead_confirmed") != YES:
            dispatcher.utter_message(
                text="That's fine. I haven't taken any contact details, and nothing has been "
                "sent. You can call the Social Investment Team on "
                f"{fund_terms().team_phone} at any time.",
                buttons=button_dicts((("Ask about the fund", "/ask_fund_overview"),)),
            )
            return [SlotSet(slot, None) for slot in RESET_SLOTS]
        summary = build_lead_summary(
            slots,
            channel=tracker.get_latest_input_channel() or "unknown",
            conversation_id=tracker.sender_id,
        )
        try:
            stored = await asyncio.to_thread(_store, summary, build_consent(slots))
        except Exception as error:  # the user gets a reply, never a traceback
            # Only the error's type: its message may quote personal data.
            logger.error("Could not store a lead: %s", type(error).__name__)
            dispatcher.utter_message(
                text="Sorry, something went wrong and I couldn't save your details, so "
                "nothing has been sent. Please try again in a few minutes, or call the "
                f"Social Investment Team on {fund_terms().team_phone}."
            )
            return []
        logger.info("Lead %s stored", stored.reference)
        how = "by email or phone" if summary.contact.phone else "by email"
        dispatcher.utter_message(
            text=f"Thank you. I've passed your details to the Social Investment Team. Your "
            f"reference is {stored.reference}.\n\nWhat happens next: the team will read your "
            f"answers and contact you {how}. This is not a loan offer: the team decides. "
            f"If you need them sooner, call {fund_terms().team_phone} and quote your reference."
        )
        return [SlotSet(REFERENCE_SLOT, stored.reference)]
