"""Start the eligibility interview, confirm its answers, and give the verdict."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.eligibility_form import DISQUALIFIED_SLOT, HELPER_SLOTS, ValidateEligibilityForm
from actions.enquiries import latest_intent, message_text
from actions.interview import (
    ANSWER_SLOTS,
    INTERVIEW_SLOTS,
    TERM_SLOT,
    application_from_slots,
    noted_lines,
)
from actions.named_action import NamedAction
from actions.questionnaire import (
    ActionAskToConfirm,
    answer_questions_in,
    slots_before_latest_message,
)
from actions.questions import button_dicts
from actions.services import get_services
from tsf_config.metrics import metrics
from tsf_knowledge.applicant_facts import is_correction
from tsf_knowledge.eligibility import (
    Verdict,
    assess,
    first_disqualifier,
    format_assessment,
)
from tsf_knowledge.fund_terms import fund_terms

VERDICT_SLOT = "eligibility_verdict"
INTRODUCTION = (
    "I'll ask you 8 short questions about your organisation and your plans. It takes about "
    '3 minutes. At any point you can ask me about the fund, say "why do you ask?", or say '
    '"stop".'
)


def hand_off_offer() -> str:
    """The offer to pass the answers to the team, or call them."""
    return (
        "The next step is a conversation with Local Partnerships' Social Investment Team. Would "
        "you like me to pass your answers to them, so they can contact you? Or you can call "
        f"them on {fund_terms().team_phone}."
    )


MAIN_OPTIONS = button_dicts(
    (("Ask about the fund", "/ask_fund_overview"), ("Talk to the team", "/ask_contact_team"))
)
AFTER_CHECK_OPTIONS = [*button_dicts((("Start again", "/check_eligibility"),)), *MAIN_OPTIONS]


def offer_hand_off(dispatcher: CollectingDispatcher) -> None:
    """Offer to pass the answers to the team."""
    buttons = button_dicts((("Yes, put me in touch", "/request_contact"), ("No thanks", "/deny")))
    dispatcher.utter_message(text=hand_off_offer(), buttons=buttons)


class ActionStartInterview(NamedAction):
    """Starts the interview, keeping what the user already told us about their organisation."""

    action_name = "action_start_interview"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Say what will happen, say what is already noted, and reset everything else.

        Answers stated before the check began are kept. Starting again after a check (or
        during one) keeps only what the latest message said.
        """
        answered = await answer_questions_in(
            message_text(tracker), latest_intent(tracker), get_services()
        )
        if answered is not None:
            dispatcher.utter_message(text=answered[0])
        kept = known_answers(tracker)
        events: list[EventType] = [
            SlotSet(slot, None)
            for slot in (*INTERVIEW_SLOTS, TERM_SLOT, *HELPER_SLOTS, VERDICT_SLOT)
            if slot not in kept
        ]
        events += [SlotSet(slot, value) for slot, value in kept.items()]
        if not resumes_with_correction(tracker):
            to_ask = sum(1 for slot in ANSWER_SLOTS if slot not in kept)
            dispatcher.utter_message(text=introduction(to_ask))
            # The answers kept from before the latest message (the form notes that message's).
            before = slots_before_latest_message(tracker)
            earlier = [slot for slot, value in kept.items() if before.get(slot) == value]
            if earlier:
                lines = "\n".join(noted_lines(kept, earlier))
                dispatcher.utter_message(text=f"From what you told me earlier:\n{lines}")
        result = first_disqualifier(application_from_slots(kept))
        if result is not None:
            events.append(SlotSet(DISQUALIFIED_SLOT, result.criterion))
        return events


def resumes_with_correction(tracker: Tracker) -> bool:
    """Whether the check goes on from a correction to an earlier one ("I meant 4 years,
    not 8"): the form says what changed, so nothing is introduced or listed again."""
    restarting = tracker.get_slot(VERDICT_SLOT) is not None or bool(tracker.active_loop)
    ended_early = tracker.get_slot(DISQUALIFIED_SLOT) is not None
    correcting = is_correction(tracker.latest_message.get("text") or "")
    return correcting and (restarting or ended_early)


def known_answers(tracker: Tracker) -> dict[str, Any]:
    """The interview answers to keep when a check starts.

    Everything the user has said is kept, unless a check was already done: then starting
    again keeps only what the latest message said, and a correction ("sorry, I meant 700k")
    keeps every answer and carries on from there; so does a message that tells more after
    the check ended early (the user is going on, not starting again: "Start again" states
    nothing). A message read as asking for the check while the check is going on ("we run
    talking therapies, can you check us?") keeps every answer too: starting again is the
    restart intent's job.
    """
    answer_slots = (*ANSWER_SLOTS, TERM_SLOT)
    restarting = tracker.get_slot(VERDICT_SLOT) is not None
    correcting = is_correction(tracker.latest_message.get("text") or "")
    latest = tracker.slots_to_validate()
    continuing = tracker.get_slot(DISQUALIFIED_SLOT) is not None and bool(latest)
    if restarting and not (correcting or continuing):
        source = latest
    else:
        source = tracker.current_slot_values()
    return {slot: source[slot] for slot in answer_slots if source.get(slot) is not None}


def introduction(questions_to_ask: int) -> str:
    """What the interview is, with how many questions are left to ask."""
    if questions_to_ask == len(ANSWER_SLOTS):
        return INTRODUCTION
    if questions_to_ask == 0:
        return (
            "I'll check whether your organisation might be eligible. You've told me everything "
            "I need, so please check your answers."
        )
    count = "one more question" if questions_to_ask == 1 else f"{questions_to_ask} more questions"
    return (
        f"I'll check whether your organisation might be eligible. I have {count} about your "
        'organisation and your plans. At any point you can ask me about the fund, say "why '
        'do you ask?", or say "stop".'
    )


class ActionAskAnswersConfirmed(ActionAskToConfirm):
    """Shows the summary to confirm, or the list of answers to change."""

    form = ValidateEligibilityForm

    def summary(self, slots: dict[str, Any]) -> str:
        """Every answer so far, one per line, and "Is that right?"."""
        lines = noted_lines(slots, ANSWER_SLOTS, unanswered_too=True)
        return "Here's what you told me:\n" + "\n".join(lines) + "\n\nIs that right?"


class ActionGiveVerdict(NamedAction):
    """Gives the verdict with a reason for each criterion, or why the check ended early."""

    action_name = "action_give_verdict"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Assess the answers and explain the result."""
        application = application_from_slots(tracker.current_slot_values())
        if tracker.get_slot(DISQUALIFIED_SLOT):
            result = first_disqualifier(application)
            reason = result.reason if result else ""
            dispatcher.utter_message(
                text="Thank you. I've stopped the check here, because your organisation does "
                f"not meet one of the fund's rules.\n\n{reason}\n\nIf you think I've "
                f"misunderstood, call the Social Investment Team on {fund_terms().team_phone}.",
                buttons=AFTER_CHECK_OPTIONS,
            )
            metrics().checked(Verdict.NOT_ELIGIBLE.value)
            return [SlotSet(VERDICT_SLOT, Verdict.NOT_ELIGIBLE.value)]
        assessment = assess(application)
        metrics().checked(assessment.verdict.value)
        dispatcher.utter_message(text=format_assessment(assessment))
        if assessment.verdict is Verdict.NOT_ELIGIBLE:
            dispatcher.utter_message(
                text="Is there anything else I can help with?",
                buttons=AFTER_CHECK_OPTIONS,
            )
        else:
            offer_hand_off(dispatcher)
        return [SlotSet(VERDICT_SLOT, assessment.verdict.value)]
