"""The confirmation both forms share: the summary with its buttons, or the answers to change."""

from __future__ import annotations

from actions.eligibility_verdict import ActionAskAnswersConfirmed
from actions.lead_handoff import ActionAskLeadConfirmed
from tests.actions.trackers import make_tracker, run_action


def test_each_confirmation_is_asked_by_the_action_rasa_calls_for_its_slot() -> None:
    assert ActionAskAnswersConfirmed().name() == "action_ask_answers_confirmed"
    assert ActionAskLeadConfirmed().name() == "action_ask_lead_confirmed"


async def test_when_choosing_what_to_change_each_contact_detail_is_offered_but_not_consent() -> (
    None
):
    slots = {"consent_given": "yes", "contact_name": "Jo", "choosing_answer": True}

    _, dispatcher = await run_action(ActionAskLeadConfirmed(), make_tracker(slots=slots))

    (message,) = dispatcher.messages
    assert message["text"] == "Which detail would you like to change?"
    assert [button["title"] for button in message["buttons"]] == [
        "Name",
        "Role",
        "Email",
        "Phone",
        "Best time to contact",
    ]
    assert message["buttons"][2]["payload"] == '/change_answer{"answer_to_change": "contact_email"}'
