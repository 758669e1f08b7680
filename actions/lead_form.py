"""The contact-details form: consent first, then the details, then a check before sending."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lead_questions import CONTROL_INTENTS, QUESTIONS_BY_SLOT
from actions.questionnaire import QuestionnaireValidationAction, reading_text
from actions.questions import (
    NO,
    UNSURE,
    Aside,
    Kind,
    Question,
    display_answer,
    read_answer,
    read_email,
    read_uk_phone,
)
from tsf_knowledge.applicant_facts import is_correction

CONSENT_SLOT = "consent_given"
CONSENT_TIME_SLOT = "consent_given_at"
_NAME_CORRECTION = re.compile(
    r"\b(?:my name is|my name's|i'm|i am|call me|name should be|it's)\s+"
    r"((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){0,3})"
)


_CONTACT_TIME = re.compile(
    r"\b(?:mornings?|afternoons?|evenings?|lunch ?times?|any ?time|weekdays?|weekends?"
    r"|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?"
    r"|(?:after|before|between|from|around) \d{1,2}(?::\d\d)? ?(?:am|pm)?)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\+?\d[\d\s().-]{8,}\d")
_CALL_ME = re.compile(r"\b(?:call|ring|phone|reach) (?:me|us)(?: on)?\b|\bthanks?\b", re.I)
_PARTS = re.compile(r"\s*(?:[,;.!?]\s+|\s[—–-]\s)\s*")


def contact_time_in(text: str) -> str | None:
    """The words of ``text`` that say when to call ("mornings are best"), if any."""
    without_numbers = _NUMBER.sub(" ", text)
    for clause in _PARTS.split(without_numbers):
        if _CONTACT_TIME.search(clause):
            words = " ".join(_CALL_ME.sub(" ", clause).split()).strip(" .!")
            return re.sub(r"^(?:and|but)\s+", "", words, flags=re.IGNORECASE) or None
    return None


_ROLE_WORDS = re.compile(
    r"\b(?:director|manager|officer|lead|chief|head|coordinator|co-ordinator|founder|"
    r"co-founder|ceo|cfo|coo|cto|chair|chairperson|partner|owner|administrator|secretary|"
    r"treasurer|trustee|clinician|nurse|matron|therapist|consultant|executive|accountant|"
    r"controller|analyst|adviser|advisor)\b",
    re.IGNORECASE,
)
_ROLE_LEAD = re.compile(
    r"^(?:and )?(?:i'?m|i am|as|my role is|working as)\s+(?:the |a |an |our )?", re.I
)
_NAME_LEAD = re.compile(
    r"^(?:hi|hello)?[, ]*(?:i'?m|i am|my name is|my name's|it'?s|this is)\s+", re.I
)


def details_in(text: str, asking: str) -> dict[str, str]:
    """The contact details a reply gives, the one asked for among them.

    An email address and a UK phone number are read anywhere, and a good time to call
    beside a phone number (or instead of one). Asked for a name, "Jo Whitfield, I'm the
    managing director" also gives the role.
    """
    found: dict[str, str] = {}
    email, phone = read_email(text), read_uk_phone(text)
    if email is not None:
        found["contact_email"] = email
    if phone is not None:
        found["contact_phone"] = phone
    if asking == "contact_phone" and (when := contact_time_in(text)):
        found["contact_time"] = when
    chunks = [chunk for chunk in _PARTS.split(text.strip(" .!")) if chunk]
    if asking == "contact_role" and len(chunks) > 1 and (email or phone):
        found["contact_role"] = _ROLE_LEAD.sub("", chunks[0]).strip()
    named_with_role = len(chunks) > 1 and _ROLE_WORDS.search(chunks[1]) is not None
    if asking == "contact_name" and named_with_role and not read_email(chunks[1]):
        found["contact_name"] = _NAME_LEAD.sub("", chunks[0]).strip()
        found["contact_role"] = _ROLE_LEAD.sub("", chunks[1]).strip()
    return found


def corrected_details(text: str) -> dict[str, str]:
    """Contact details that ``text`` gives as a correction ("sorry, my email is ...").

    An email address or a UK phone number is unmistakable wherever it appears; a name
    needs a correction word and "my name is ...".
    """
    found = details_in(text, asking="")
    if is_correction(text) and (name := _NAME_CORRECTION.search(text)):
        found["contact_name"] = name.group(1)
    return found


_GIVES_CONSENT = re.compile(
    r"\b(?:i|we)(?: do|'m| am| are)? (?:consent|agree|happy)\b[^.?!]{0,50}?"
    r"\b(?:shar\w*|pass\w*|send\w*|giv\w*|details|information)"
    r"|\byou (?:can|may) (?:share|pass on|send|give) (?:my|our|them|these)",
    re.IGNORECASE,
)


def gives_consent(text: str) -> bool:
    """Whether ``text`` says, unprompted, that its writer agrees to their details being shared."""
    return bool(_GIVES_CONSENT.search(text)) and not re.search(
        r"\b(?:not|n't|don't|do not|never)\b", text, re.IGNORECASE
    )


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

    def correction(
        self, question: Question, text: str, tracker: Tracker, dispatcher: CollectingDispatcher
    ) -> list[EventType]:
        """A detail given again while another question is asked, or at the final check."""
        changes = {
            slot: value
            for slot, value in corrected_details(text).items()
            if slot != question.slot
            and tracker.get_slot(slot) is not None
            and tracker.get_slot(slot) != value
        }
        if not changes:
            return []
        events: list[EventType] = []
        lines = []
        for slot, value in changes.items():
            events += self.accept(slot, value, tracker, own_words=text)
            changed = QUESTIONS_BY_SLOT[slot]
            lines.append(f"• {changed.label}: {display_answer(changed, value)}")
        dispatcher.utter_message(text="Thanks, I've changed that:\n" + "\n".join(lines))
        if question.kind is Kind.CONFIRM:
            events.append(SlotSet(question.slot, None))
        return events

    def stated_answers(self, tracker: Tracker, question: Question | None) -> dict[str, Any]:
        """Details given together ("Jo Whitfield, I'm the managing director", "07700 900123,
        mornings are best", an email anywhere): each not yet known is taken."""
        stated = super().stated_answers(tracker, question)
        if question is None or question.slot == CONSENT_SLOT or question.kind is Kind.CONFIRM:
            return stated
        found = details_in(reading_text(tracker.latest_message, question), question.slot)
        for slot, value in found.items():
            if slot not in stated and tracker.get_slot(slot) is None:
                stated[slot] = value
        return stated

    def read_in_context(self, question: Question, text: str) -> str | None:
        """An email address or phone number is read wherever it stands in the message."""
        if question.kind in (Kind.EMAIL, Kind.PHONE):
            return read_answer(question, "", text)
        return None
