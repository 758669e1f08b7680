"""The contact form asks consent first, validates details and never keeps them without it."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.lead_form import ValidateLeadForm, corrected_details, details_in, gives_consent
from tests.actions.trackers import make_tracker, run_action


async def run_form(
    requested: str, text: str, intent: str = "inform", slots: dict[str, Any] | None = None
) -> tuple[dict[str, Any], CollectingDispatcher]:
    tracker = make_tracker(text, intent, 0.95, slots={**(slots or {}), "requested_slot": requested})
    events, dispatcher = await run_action(ValidateLeadForm(), tracker, {"forms": {}})
    return {event["name"]: event["value"] for event in events}, dispatcher


async def test_consent_is_recorded_with_the_time_it_was_given() -> None:
    slots, _ = await run_form("consent_given", "yes, I agree", "affirm")

    assert slots["consent_given"] == "yes"
    assert slots["consent_given_at"].startswith("20")


@pytest.mark.parametrize(("text", "intent"), [("no", "deny"), ("not sure", "unsure")])
async def test_without_a_clear_yes_the_form_ends_before_any_detail_is_asked(
    text: str, intent: str
) -> None:
    slots, _ = await run_form("consent_given", text, intent)

    assert slots["consent_given_at"] is None
    assert slots["requested_slot"] is None


@pytest.mark.parametrize(
    ("requested", "text", "expected"),
    [
        ("contact_name", "Jo Bloggs", "Jo Bloggs"),
        ("contact_role", "Finance director", "Finance director"),
        ("contact_email", "It's Jo.Bloggs@Riverside.ORG", "Jo.Bloggs@riverside.org"),
        ("contact_phone", "020 7946 0000", "+442079460000"),
        ("contact_phone", "no thanks", "skipped"),
        ("contact_time", "weekday mornings", "weekday mornings"),
    ],
)
async def test_details_are_read_and_normalised(requested: str, text: str, expected: str) -> None:
    slots, _ = await run_form(requested, text)

    assert slots[requested] == expected
    assert slots["own_words"][requested] == text


@pytest.mark.parametrize(
    ("requested", "text"),
    [("contact_email", "jo at riverside"), ("contact_phone", "+1 415 555 0100")],
)
async def test_an_invalid_detail_is_asked_for_again(requested: str, text: str) -> None:
    slots, dispatcher = await run_form(requested, text)

    assert slots[requested] is None
    assert "didn't catch that" in dispatcher.messages[0]["text"]


async def test_consent_cannot_be_changed_from_the_summary() -> None:
    assert "consent_given" not in ValidateLeadForm().answer_slots
    assert "contact_email" in ValidateLeadForm().answer_slots


DETAILS = {
    "consent_given": "yes",
    "contact_name": "Jo Bloggs",
    "contact_role": "Director",
    "contact_email": "jo@riverside.example.org",
    "contact_phone": "+447700900123",
    "contact_time": "mornings",
}


async def test_an_email_spelt_out_in_words_is_read() -> None:
    slots, _ = await run_form("contact_email", "it's jo at riverside dot org")

    assert slots["contact_email"] == "jo@riverside.org"


async def test_a_good_time_given_with_the_phone_number_is_not_asked_for_again() -> None:
    slots, _ = await run_form("contact_phone", "07700 900123 - mornings are best for a call")

    assert slots["contact_phone"] == "+447700900123"
    assert slots["contact_time"] == "mornings are best for a call"


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        (
            "sorry, my email is actually jo.b@riverside.example.org",
            "contact_email",
            "jo.b@riverside.example.org",
        ),
        ("oops, the number should be 07700 900456", "contact_phone", "+447700900456"),
        ("sorry, my name is Joanna Bloggs", "contact_name", "Joanna Bloggs"),
    ],
)
async def test_a_detail_corrected_at_the_final_check_is_changed_and_shown_again(
    text: str, slot: str, value: str
) -> None:
    slots, dispatcher = await run_form("lead_confirmed", text, "inform", slots=DETAILS)

    assert slots[slot] == value
    assert slots["lead_confirmed"] is None
    assert "I've changed that" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(
    ("text", "consents"),
    [
        ("Yes please, and I consent to my details being shared with the team.", True),
        ("yes - I agree to you sharing my details", True),
        ("you can share my details with them", True),
        ("yes please put me in touch", False),
        ("I don't agree to you sharing my details", False),
    ],
)
def test_consent_given_unprompted_is_recognised_only_when_explicit(
    text: str, consents: bool
) -> None:
    assert gives_consent(text) is consents


@pytest.mark.parametrize(
    ("requested", "text", "expected"),
    [
        (
            "contact_name",
            "Jo Whitfield, I'm the managing director.",
            {"contact_name": "Jo Whitfield", "contact_role": "managing director"},
        ),
        (
            "contact_name",
            "Dr Priya Nair, Clinical Director.",
            {"contact_name": "Dr Priya Nair", "contact_role": "Clinical Director"},
        ),
        (
            "contact_name",
            "Kofi Mensah, Lead Pharmacist, email kofi dot mensah at example dot org",
            {
                "contact_name": "Kofi Mensah",
                "contact_role": "Lead Pharmacist",
                "contact_email": "kofi.mensah@example.org",
            },
        ),
        (
            "contact_name",
            "Ana Costa, physiotherapist, ana@example.org",
            {
                "contact_name": "Ana Costa",
                "contact_role": "physiotherapist",
                "contact_email": "ana@example.org",
            },
        ),
        (
            "contact_role",
            "finance manager - rhys.evans@example.com, 07700 900789",
            {
                "contact_role": "finance manager",
                "contact_email": "rhys.evans@example.com",
                "contact_phone": "+447700900789",
            },
        ),
        (
            "contact_phone",
            "No phone number please - email is best. Any time is fine.",
            {"contact_phone": "skipped", "contact_time": "Any time is fine"},
        ),
    ],
)
async def test_details_given_together_are_all_taken(
    requested: str, text: str, expected: dict[str, str]
) -> None:
    slots, _ = await run_form(requested, text, slots={"consent_given": "yes"})

    assert {slot: slots.get(slot) for slot in expected} == expected


async def test_consent_given_with_every_detail_in_one_message_takes_them_all() -> None:
    text = (
        "I agree to you sharing my details. I'm Rhys Evans, finance manager, "
        "rhys.evans@example.org, 07700 900789, any weekday after 2pm."
    )

    slots, _ = await run_form("consent_given", text, "out_of_scope")

    assert slots["consent_given"] == "yes"
    assert slots["consent_given_at"].startswith("20")
    assert slots["contact_name"] == "Rhys Evans"
    assert slots["contact_role"] == "finance manager"
    assert slots["contact_email"] == "rhys.evans@example.org"
    assert slots["contact_phone"] == "+447700900789"
    assert slots["contact_time"] == "any weekday after 2pm"


@pytest.mark.parametrize("text", ["I agree", "we consent", "happy for you to share them"])
async def test_consent_in_words_is_consent(text: str) -> None:
    slots, _ = await run_form("consent_given", text, "out_of_scope")

    assert slots["consent_given"] == "yes"


@pytest.mark.parametrize(
    "text",
    ["Possibly. What would you do with my details?", "who will see my details?", "is my data safe"],
)
async def test_a_question_about_what_happens_to_the_details_is_answered_not_taken_as_a_no(
    text: str,
) -> None:
    slots, dispatcher = await run_form("consent_given", text, "unsure")

    assert "consent_given" not in slots
    assert "Nothing is shared unless you agree" in dispatcher.messages[0]["text"]


def test_a_spoken_email_with_a_dot_in_the_name_is_read_whole() -> None:
    assert details_in("email is sam dot adeyemi at example dot org", "contact_email") == {
        "contact_email": "sam.adeyemi@example.org"
    }


def test_no_phone_given_with_the_other_details_skips_the_phone_question() -> None:
    found = details_in("Helen Marsh, helen@example.org. No phone number, email is best.", "x")

    assert found["contact_phone"] == "skipped"


def test_a_time_to_call_given_with_the_other_details_is_kept() -> None:
    found = details_in(
        "Ravi Shah, operations lead, ravi.shah@example.org, 07700 900555, afternoons after 2",
        "contact_name",
    )

    assert found["contact_time"] == "afternoons after 2"
    assert found["contact_name"] == "Ravi Shah"


def test_no_preferred_time_skips_the_time_question() -> None:
    found = details_in("ravi@example.org, no phone and no particular time", "contact_email")

    assert found["contact_time"] == "skipped"
    assert found["contact_phone"] == "skipped"


def test_a_time_alone_is_kept_only_when_asked_for_the_phone() -> None:
    assert "contact_time" not in details_in("I'm the manager, mornings mostly", "contact_role")


def test_a_corrected_surname_replaces_only_the_surname() -> None:
    assert corrected_details("Sorry, my surname is Okafor, not Okafur.", "Ngozi Okafur") == {
        "contact_name": "Ngozi Okafor"
    }


def test_a_corrected_first_name_replaces_only_the_first_name() -> None:
    assert corrected_details("my first name is Jon, no h", "John Smith") == {
        "contact_name": "Jon Smith"
    }


def test_no_calls_and_that_is_everything_skip_the_optional_questions() -> None:
    found = details_in("Ops lead, jo@example.org - no phone calls please, that's everything", "x")

    assert found["contact_phone"] == "skipped"
    assert found["contact_time"] == "skipped"


def test_consent_given_in_those_words_is_consent() -> None:
    assert gives_consent("Yes, go on. Consent given.")


def test_a_name_introduced_after_the_email_is_read() -> None:
    found = details_in("Email first: ola@example.org - and I'm Ola Nowak.", "contact_name")

    assert found == {"contact_email": "ola@example.org", "contact_name": "Ola Nowak"}


def test_all_correct_at_the_final_check_changes_no_detail() -> None:
    assert corrected_details("Yes, that's all correct now", "Ana Lee") == {}
