"""The contact-details form: consent first, then the details, then a check before sending."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.lead_questions import DETAIL_SLOTS, QUESTIONS_BY_SLOT
from actions.questionnaire import QuestionnaireValidationAction, reading_text
from actions.questions import (
    NO,
    SKIPPED,
    UNSURE,
    YES,
    Kind,
    Question,
    display_answer,
    read_answer,
    read_email,
    read_uk_phone,
)
from tsf_knowledge.applicant_facts import is_correction
from tsf_knowledge.clauses import split_clauses

CONSENT_SLOT = "consent_given"
CONSENT_TIME_SLOT = "consent_given_at"
_NAME_CORRECTION = re.compile(
    r"\b(?:my name is|my name's|i'm|i am|call me|name should be|it's)\s+"
    r"((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){0,3})"
)


_NAME_INTRO = re.compile(
    r"(?i:\b(?:i'?m|i am|my name is|my name's|this is))\s+"
    r"((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+){1,3})"
)
_CONTACT_TIME = re.compile(
    r"\b(?:mornings?|mornigs?|afte?r?noons?|eve?nings?|lunch ?times?|any ?time|weekdays?|weekends?"
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
    r"controller|analyst|adviser|advisor|superintendent|supervisor|deputy|principal|president|"
    r"practitioner|doctor|gp|midwife|registrar|commissioner|specialist|leader|assistant|"
    r"worker|planner|engineer|developer|\w{3,}(?:ist|ician))\b",
    re.IGNORECASE,
)
_ROLE_LEAD = re.compile(
    r"^(?:and )?(?:i'?m|i am|as|my role is|working as)\s+(?:the |a |an |our )?", re.I
)
_NAME_LEAD = re.compile(
    r"^(?:hi|hello)?[, ]*(?:i'?m|i am|my name is|my name's|it'?s|this is)\s+", re.I
)


_NO_PHONE = re.compile(
    r"\bno (?:phone|fone|number|phone number|mobile)(?: calls?| needed)?\b|\bjust email\b"
    r"|\b(?:don'?t|do not|rather not) (?:call|phone|ring)"
    r"|\bemail (?:is|only|'s) (?:best|better|fine)\b",
    re.IGNORECASE,
)


_NO_TIME = re.compile(
    r"\bno (?:special|particular|preferred|set|best|specific) time\b|\bany ?time (?:is )?(?:fine|ok"
    r"|okay|good)\b|\bno preference\b|\bwhenever\b"
    r"|\bthat'?s (?:everything|all|it)(?: from me| for now)?\W*$"
    r"|\bskip\b[^.?!]{0,30}\btime\b",
    re.IGNORECASE,
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
    elif _NO_PHONE.search(text):
        found["contact_phone"] = SKIPPED
    when = contact_time_in(text)
    if when and (asking == "contact_phone" or email or phone):
        found["contact_time"] = when  # "jo@example.org, 07700 900123, mornings before 10"
    elif _NO_TIME.search(text):
        found["contact_time"] = SKIPPED
    chunks = [chunk for chunk in _PARTS.split(text.strip(" .!")) if chunk]
    if asking == "contact_role" and len(chunks) > 1 and (email or phone):
        found["contact_role"] = _ROLE_LEAD.sub("", chunks[0]).strip()
    named_with_role = len(chunks) > 1 and _ROLE_WORDS.search(chunks[1]) is not None
    if asking == "contact_name" and named_with_role and not read_email(chunks[1]):
        found["contact_name"] = _NAME_LEAD.sub("", chunks[0]).strip()
        found["contact_role"] = _ROLE_LEAD.sub("", chunks[1]).strip()
    elif asking == "contact_name" and len(chunks) > 1 and (named := _NAME_INTRO.search(text)):
        found["contact_name"] = named.group(1)  # "Email first: priya@example.org - I'm Priya Shah"
    return found


_PART_OF_NAME = re.compile(
    r"\b(?:my |the )?(?P<part>sur|last |family |first |given |fore)name(?: is|'s| should be"
    r"| is actually|:)?\s+(?P<name>[A-Z][\w'’-]+)"
)


def corrected_details(text: str, name: str | None = None) -> dict[str, str]:
    """Contact details that ``text`` gives as a correction ("sorry, my email is ...").

    An email address or a UK phone number is unmistakable wherever it appears; a name
    needs a correction word and "my name is ...", or names the part of ``name`` it
    corrects ("my surname is Nwosu, not Nwosou").
    """
    found = details_in(text, asking="")
    if is_correction(text) and (full := _NAME_CORRECTION.search(text)):
        found["contact_name"] = full.group(1)
    elif name and (part := _PART_OF_NAME.search(text)) and len(words := name.split()) > 1:
        first = part.group("part").strip() in ("first", "given", "fore")
        words[0 if first else -1] = part.group("name")
        found["contact_name"] = " ".join(words)
    return found


_GIVES_CONSENT = re.compile(
    r"\b(?:i|we)(?: do|'m| am| are)? (?:consent|agree|happy)\b[^.?!]{0,50}?"
    r"\b(?:shar\w*|pass\w*|send\w*|giv\w*|details|information)"
    r"|\byou (?:can|may) (?:share|pass on|send|give) (?:my|our|them|these)"
    r"|\byou have (?:my|our) (?:consent|permission)\b"
    r"|\bconsent (?:is )?given\b|\b(?:i|we) give (?:my |our )?consent\b",
    re.IGNORECASE,
)


_NEGATED = re.compile(r"\b(?:not|n't|don't|do not|never)\b", re.IGNORECASE)


def gives_consent(text: str) -> bool:
    """Whether ``text`` says, unprompted, that its writer agrees to their details being shared."""
    return bool(_GIVES_CONSENT.search(text)) and not _NEGATED.search(text)


_AGREES = re.compile(
    r"^\W*(?:yes,? )?(?:(?:i|we) (?:agree|consent)\b|(?:(?:i'?m|we'?re|i am|we are) )?happy"
    r" (?:for you )?to\b|you have (?:my|our) (?:consent|permission)\b)",
    re.IGNORECASE,
)


def agrees(text: str) -> bool:
    """Whether a reply to the consent question agrees in words ("I agree", "we consent")."""
    return gives_consent(text) or (bool(_AGREES.search(text)) and not _NEGATED.search(text))


def details_beside_consent(text: str) -> dict[str, str]:
    """The contact details given in the same message as consent ("I agree. I'm Rhys Evans,
    finance manager, rhys@example.org, 07700 900789, after 2pm")."""
    rest = "; ".join(clause for clause in split_clauses(text) if not agrees(clause))
    return {**details_in(rest, "contact_phone"), **details_in(rest, "contact_name")}


_ASKS_ABOUT_DATA_USE = re.compile(
    r"\bwhat (?:will|would|do|does|are) (?:you|u|they|the team)(?: going to)? do with"
    r"|\bwho (?:will|would|gets?|can|sees?) (?:see|get|have|access|read)?\s*(?:my|our|them|it|the"
    r" details|these)|\bhow long (?:will|would|do|does) (?:you|u|they)\b.*\bkeep"
    r"|\bwhere (?:do|will|would|does) (?:my|our|the|they|them|it)\b.*\bgo\b|\b(?:privacy|gdpr"
    r"|data protection)\b|\bis (?:my|our) (?:data|information|info) (?:safe|secure)",
    re.IGNORECASE,
)


def asks_about_data_use(text: str) -> bool:
    """Whether ``text`` asks what will happen to the details it would give, rather than
    agreeing to give them ("I agree, what's your privacy policy?" agrees)."""
    return _ASKS_ABOUT_DATA_USE.search(text) is not None and not agrees(text)


def consent_declined(value: Any) -> bool:
    """Anything but a clear yes is not consent."""
    return value in (NO, UNSURE)


class ValidateLeadForm(QuestionnaireValidationAction):
    """Validates ``lead_form``."""

    questions = QUESTIONS_BY_SLOT  # consent, then the contact details, then the check
    answer_slots = tracked_slots = DETAIL_SLOTS

    def name(self) -> str:
        """The validation action Rasa calls for ``lead_form``."""
        return "validate_lead_form"

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
            for slot, value in corrected_details(text, tracker.get_slot("contact_name")).items()
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
        if question is not None and question.slot == CONSENT_SLOT:
            text = reading_text(tracker.latest_message, question)
            if agrees(text):
                stated[CONSENT_SLOT] = YES
                stated.update(details_beside_consent(tracker.latest_message.get("text") or ""))
            return stated
        if question is None or question.kind is Kind.CONFIRM:
            return stated
        found = details_in(reading_text(tracker.latest_message, question), question.slot)
        for slot, value in found.items():
            if slot not in stated and tracker.get_slot(slot) is None:
                stated[slot] = value
        return stated

    def answer_about_question(self, question: Question, text: str) -> str | None:
        """At the consent question, "what would you do with my details?" is answered (the
        privacy notice comes again with the question) and consent is asked for again."""
        if question.slot == CONSENT_SLOT and asks_about_data_use(text):
            return "Nothing is shared unless you agree. This is what we would do with them:"
        return None

    def read_in_context(self, question: Question, text: str) -> str | None:
        """An email address or phone number is read wherever it stands in the message."""
        if question.kind in (Kind.EMAIL, Kind.PHONE):
            return read_answer(question, "", text)
        if question.slot == CONSENT_SLOT and agrees(text):
            return YES
        return None
