"""Submitting a lead: stored before it is confirmed, with a reference; nothing without consent."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import IntegrityError

from actions.lead_handoff import (
    ActionAskConsentGiven,
    ActionAskLeadConfirmed,
    ActionStartContactDetails,
    ActionSubmitLead,
)
from actions.lead_questions import privacy_notice
from actions.lead_summary import build_consent, build_lead_summary
from actions.services import services_overridden
from tests.actions.fakes import memory_leads, refusing_leads, services_with
from tests.actions.test_eligibility_form import ALL_ANSWERED
from tests.actions.trackers import make_tracker, run_action
from tsf_leads.service import LeadService

CONTACT = {
    "consent_given": "yes",
    "consent_given_at": "2026-11-23T15:00:00+00:00",
    "contact_name": "Jo Bloggs",
    "contact_role": "Finance director",
    "contact_email": "jo@riverside.org",
    "contact_phone": "+442079460000",
    "contact_time": "skipped",
    "lead_confirmed": "yes",
    "own_words": {"origin": "We were the district nurses", "amount": "about 500k"},
}


async def submit(slots: dict[str, Any], leads: LeadService) -> tuple[list[Any], list[str]]:
    with services_overridden(services_with(leads)):
        events, dispatcher = await run_action(ActionSubmitLead(), make_tracker(slots=slots))
    return events, [message["text"] for message in dispatcher.messages]


async def test_a_confirmed_lead_is_stored_and_its_reference_given() -> None:
    leads = memory_leads()

    events, texts = await submit({**ALL_ANSWERED, **CONTACT}, leads)

    (record,) = leads.list()
    stored = record.lead
    assert record.status == "pending"  # queued for the CRM
    assert events == [SlotSet("lead_reference", stored.reference)]
    assert re.search(r"TSF-\d{4}-\d{6}", texts[0])
    assert "What happens next" in texts[0]
    assert stored.summary.contact.email == "jo@riverside.org"
    assert stored.summary.contact.preferred_time is None
    assert stored.summary.verdict == "eligible"
    assert stored.summary.priority == "high"
    assert stored.consent.notice_version
    assert stored.consent.given_at.isoformat() == "2026-11-23T15:00:00+00:00"


async def test_the_summary_quotes_the_enquirers_own_words() -> None:
    leads = memory_leads()

    await submit({**ALL_ANSWERED, **CONTACT}, leads)

    answers = {answer.slot: answer for answer in leads.list()[0].lead.summary.answers}
    assert answers["origin"].own_words == "We were the district nurses"
    assert answers["amount"].own_words == "about 500k"
    assert answers["amount"].value == "£500,000"


async def test_without_consent_nothing_is_stored_and_contact_slots_are_cleared() -> None:
    leads = memory_leads()

    events, texts = await submit({**ALL_ANSWERED, "consent_given": "no"}, leads)

    assert leads.list() == []
    assert "nothing has been sent" in texts[0]
    assert SlotSet("contact_email", None) in events


async def test_a_database_failure_gets_a_polite_reply_and_logs_no_personal_data(
    caplog: Any,
) -> None:
    leads = refusing_leads()

    slots = {**ALL_ANSWERED, **CONTACT}
    with pytest.raises(IntegrityError, match="Jo Bloggs"):  # the error quotes the lead
        leads.submit(build_lead_summary(slots, "web", "c"), build_consent(slots))
    events, texts = await submit({**ALL_ANSWERED, **CONTACT}, leads)

    assert events == []
    assert "couldn't save your details" in texts[0]
    assert "jo@" not in caplog.text
    assert "Jo Bloggs" not in caplog.text
    assert "IntegrityError" in caplog.text


async def test_the_confirmation_lists_the_details_to_send() -> None:
    _, dispatcher = await run_action(ActionAskLeadConfirmed(), make_tracker(slots=CONTACT))

    (message,) = dispatcher.messages
    assert "jo@riverside.org" in message["text"]
    assert "020 7946 0000" in message["text"]
    assert [button["payload"] for button in message["buttons"]] == [
        "/affirm",
        "/change_answer",
        "/stop",
    ]


async def test_consent_given_with_the_request_is_taken_after_the_notice_is_shown() -> None:
    tracker = make_tracker(
        "Yes please, and I consent to my details being shared with the team.", "request_contact"
    )

    events, dispatcher = await run_action(ActionStartContactDetails(), tracker)

    (message,) = dispatcher.messages
    assert message["text"].startswith(privacy_notice())
    assert "You've told me you agree" in message["text"]
    slots = {event["name"]: event["value"] for event in events}
    assert slots["consent_given"] == "yes"
    assert slots["consent_given_at"].startswith("20")


async def test_without_consent_in_the_request_the_form_asks_for_it_with_the_notice() -> None:
    dispatcher = CollectingDispatcher()

    events = await ActionStartContactDetails().run(
        dispatcher, make_tracker("yes please", "request_contact"), {}
    )
    await ActionAskConsentGiven().run(dispatcher, make_tracker(), {})

    assert {event["name"]: event["value"] for event in events}["consent_given"] is None
    (message,) = dispatcher.messages
    assert message["text"] == f"{privacy_notice()} Do you agree?"
    assert [button["payload"] for button in message["buttons"]] == ["/affirm", "/deny"]


@pytest.mark.parametrize(
    ("days", "said"), [("365", "12 months"), ("730", "24 months"), ("90", "90 days")]
)
def test_the_consent_notice_states_the_lead_retention_period(
    monkeypatch: pytest.MonkeyPatch, days: str, said: str
) -> None:
    monkeypatch.setenv("TSF_LEAD_RETENTION_DAYS", days)

    assert f"We keep these details for up to {said}, then delete them." in privacy_notice()
