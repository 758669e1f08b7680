"""Reading answers by kind, and telling answers from asides."""

from __future__ import annotations

import pytest

from actions.interview import CONTROL_INTENTS, QUESTIONS_BY_SLOT
from actions.questions import (
    YES,
    Aside,
    Kind,
    Question,
    classify_aside,
    display_answer,
    format_uk_phone,
    read_answer,
    read_email,
    read_uk_phone,
)

ENQUIRIES = frozenset({"ask_loan_term", "ask_fund_providers", "check_amount"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jo.bloggs@Riverside-Care.ORG.uk", "jo.bloggs@riverside-care.org.uk"),
        ("it's sam+tsf@example.com thanks", "sam+tsf@example.com"),
        ("o'neil@example.co.uk", "o'neil@example.co.uk"),
        ("no email", None),
        ("jo@", None),
        ("jo@example", None),
        ("jo..bloggs@example.com", None),
        ("@example.com", None),
        ("", None),
    ],
)
def test_email_addresses_are_found_and_checked(text: str, expected: str | None) -> None:
    assert read_email(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("020 7187 7379", "+442071877379"),
        ("07700 900123", "+447700900123"),
        ("+44 (0)20 7187 7379", "+442071877379"),
        ("+44 7700 900 123", "+447700900123"),
        ("0044 20 7187 7379", "+442071877379"),
        ("(01632) 960 001", "+441632960001"),
        ("call me on 0113-496-0000 please", "+441134960000"),
        ("12345", None),
        ("+1 415 555 0100", None),
        ("0207 187 73790000", None),
        ("04 1234 5678", None),
        ("not telling", None),
    ],
)
def test_uk_phone_numbers_are_read_in_their_common_formats(text: str, expected: str | None) -> None:
    assert read_uk_phone(text) == expected


@pytest.mark.parametrize(
    ("e164", "shown"),
    [("+442071877379", "020 7187 7379"), ("+447700900123", "07700 900123")],
)
def test_phone_numbers_are_shown_in_the_national_style(e164: str, shown: str) -> None:
    assert format_uk_phone(e164) == shown


def test_text_answers_must_contain_words_and_are_trimmed() -> None:
    question = Question("services", "Services", Kind.TEXT, "", None, "")

    assert read_answer(question, "inform", "  nursing   care ") == "nursing care"
    assert read_answer(question, "inform", "12345") is None
    assert read_answer(question, "inform", "x" * 900) == "x" * 500


def test_amount_summaries_read_as_pounds() -> None:
    assert display_answer(QUESTIONS_BY_SLOT["amount"], "450000") == "£450,000"
    assert display_answer(QUESTIONS_BY_SLOT["amount"], "unsure") == "not sure"


@pytest.mark.parametrize(
    ("slot", "intent", "confidence", "text", "expected"),
    [
        ("trading", "explain_question", 0.9, "why do you ask?", Aside.EXPLAIN),
        ("trading", "stop", 0.95, "stop", Aside.STOP),
        ("trading", "ask_loan_term", 0.9, "how long are the loans?", Aside.QUESTION),
        ("trading", "ask_fund_providers", 0.9, "banana", None),
        ("trading", "affirm", 0.99, "yes", None),
        ("amount", "check_amount", 0.9, "could we get 500k?", None),
        ("services", "stop", 0.9, "we stop older people being readmitted to hospital", None),
        ("services", "ask_loan_term", 0.9, "home care for the over 80s", None),
        ("services", "ask_loan_term", 0.9, "how long is the term?", Aside.QUESTION),
        ("trading", "ask_loan_term", 0.4, "how long are the loans?", None),
    ],
)
def test_asides_are_told_apart_from_answers(
    slot: str, intent: str, confidence: float, text: str, expected: Aside | None
) -> None:
    aside = classify_aside(
        QUESTIONS_BY_SLOT[slot], intent, confidence, text, CONTROL_INTENTS, ENQUIRIES
    )

    assert aside == expected


@pytest.mark.parametrize("text", ["Perfect, send it.", "please send them", "looks good"])
def test_a_go_ahead_at_a_final_check_is_a_yes(text: str) -> None:
    confirm = Question("details_confirmed", "Details", Kind.CONFIRM, "why", None, "retry")

    assert read_answer(confirm, "inform", text) == YES


@pytest.mark.parametrize("text", ["Yes, that's a fair summary.", "that is correct", "all correct"])
def test_agreeing_with_a_summary_describes_nothing(text: str) -> None:
    origin = Question("origin", "Origin", Kind.TEXT, "why", None, "retry")

    assert read_answer(origin, "affirm", text) is None


def test_an_off_topic_question_during_a_free_text_question_is_an_aside_not_an_answer() -> None:
    services = Question("services", "Services", Kind.TEXT, "why", None, "retry")

    aside = classify_aside(
        services,
        "out_of_scope",
        0.9,
        "btw whats the weather like in london today?",
        {},
        frozenset(),
    )

    assert aside is Aside.QUESTION


def test_just_send_it_to_an_optional_question_skips_it() -> None:
    time = Question("contact_time", "Best time", Kind.TEXT, "why", None, "retry", optional=True)

    assert read_answer(time, "affirm", "yes send it") == "skipped"
