"""A yes or no that answers no question: the hand-off offer, an early end, or nothing."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.eligibility_verdict import hand_off_offer
from actions.out_of_context import ActionAnswerOutOfContext
from tests.actions.trackers import make_tracker, run_action

OFFERED = [{"event": "bot", "text": hand_off_offer()}, {"event": "user", "text": "yes"}]


async def reply_to_offer(
    text: str, intent: str, **slots: str
) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    """Run the action on ``text`` said just after the hand-off offer, with ``slots`` set."""
    tracker = make_tracker(text, intent, slots=slots, events=OFFERED)
    return await run_action(ActionAnswerOutOfContext(), tracker)


async def test_a_yes_to_the_hand_off_offer_starts_the_contact_form() -> None:
    events, _ = await reply_to_offer("yes please", "affirm", eligibility_verdict="eligible")

    assert FollowupAction("lead_form") in events
    assert SlotSet("consent_given", None) in events


async def test_a_yes_with_consent_to_the_offer_records_the_consent_with_the_notice() -> None:
    events, dispatcher = await reply_to_offer(
        "Yes please pass it on, and yes you have my consent",
        "nlu_fallback",
        eligibility_verdict="borderline",
    )

    assert SlotSet("consent_given", "yes") in events
    assert FollowupAction("lead_form") in events
    assert "You've told me you agree" in dispatcher.messages[0]["text"]


async def test_a_no_to_the_offer_passes_nothing_on() -> None:
    events, dispatcher = await reply_to_offer("no thanks", "deny", eligibility_verdict="eligible")

    assert events == []
    assert "nothing has been passed on" in dispatcher.messages[0]["text"]


async def test_a_yes_after_a_lead_was_sent_is_not_a_second_hand_off() -> None:
    events, dispatcher = await reply_to_offer(
        "yes", "affirm", eligibility_verdict="eligible", lead_reference="TSF-1234"
    )

    assert not any(isinstance(event, dict) and event.get("name") == "lead_form" for event in events)
    assert dispatcher.messages[0]["response"] == "utter_nothing_to_stop"


async def test_a_yes_after_an_early_end_recalls_the_rule_that_ended_it() -> None:
    slots = {"can_repay": "no", "term_years": "8", "disqualified_by": "repayment"}

    _, dispatcher = await run_action(
        ActionAnswerOutOfContext(), make_tracker("yes", "affirm", slots=slots)
    )

    (message,) = dispatcher.messages
    assert "repay over 8 years" in message["text"]
    assert "Loans are repaid over 3 to 5 years" in message["text"]


async def test_a_yes_out_of_context_otherwise_asks_what_is_next() -> None:
    _, dispatcher = await run_action(ActionAnswerOutOfContext(), make_tracker("yes", "affirm"))

    assert dispatcher.messages[0]["response"] == "utter_nothing_to_stop"


async def test_consent_and_every_detail_in_the_reply_to_the_offer_are_all_taken() -> None:
    text = (
        "Yes please, and you have my consent to share everything. I'm Tom Okafor, Operations "
        "Director, tom.okafor@example.com, 07700 900456, best reached after 2pm."
    )
    events, _ = await reply_to_offer(text, "request_contact", eligibility_verdict="eligible")

    assert SlotSet("contact_name", "Tom Okafor") in events
    assert SlotSet("contact_email", "tom.okafor@example.com") in events
    assert SlotSet("contact_phone", "+447700900456") in events


async def test_a_yes_to_the_offer_of_the_check_starts_it() -> None:
    offer = "I only ask questions during the eligibility check. Would you like to start it?"
    tracker = make_tracker("yes", "affirm")
    tracker.events = [{"event": "bot", "text": offer}, {"event": "user", "text": "yes"}]

    events, dispatcher = await run_action(ActionAnswerOutOfContext(), tracker)

    assert FollowupAction("eligibility_form") in events
    assert "8 short questions" in dispatcher.messages[0]["text"]


async def test_asking_what_happens_to_the_details_at_the_offer_explains_and_asks_again() -> None:
    events, dispatcher = await reply_to_offer(
        "Maybe. Who would see my details?", "unsure", eligibility_verdict="eligible"
    )

    assert events == []
    notice, offer = dispatcher.messages
    assert "Nothing is passed on unless you agree" in notice["text"]
    assert "12 months" in notice["text"]
    assert offer["text"] == hand_off_offer()
