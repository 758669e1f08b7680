"""Email addresses, phone numbers and the names someone gave are found in free text and
replaced by markers; everything else is left alone."""

from __future__ import annotations

import json

import pytest

from tsf_knowledge.personal_data import (
    EMAIL_REDACTED,
    NAME_REDACTED,
    PHONE_REDACTED,
    redact,
    redact_names,
)

E, P, N = EMAIL_REDACTED, PHONE_REDACTED, NAME_REDACTED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Contact jo.bloggs@example.org today", f"Contact {E} today"),
        ("Jo <jo+tsf@mail.example.co.uk>", f"Jo <{E}>"),
        ("JO.BLOGGS@EXAMPLE.ORG", E),
        ("ünïcode@exämple.org", E),
        ("/webhook?email=jo%40example.org&x=1", f"/webhook?email={E}&x=1"),
        ("two: a@example.org, b@example.net", f"two: {E}, {E}"),
        ("postgresql://tsf:pw@db.example.org/tsf", f"postgresql://tsf:{E}/tsf"),
        ("Call 020 7187 7379 now", f"Call {P} now"),
        ("mobile 07700 900123.", f"mobile {P}."),
        ("07700900123", P),
        ("(01632) 960123", P),
        ("01632-960-123", P),
        ("+44 20 7187 7379", P),
        ("+44 (0)20 7946 0000", P),
        ("+447700900123", P),
        ("tel:+447700900123", f"tel:{P}"),
        ("0044 20 7946 0000", P),
        ("+1 (415) 555-2671", P),
        ("+33 1 23 45 67 89", P),
        ("call 01632 960123 on port 5005", f"call {P} on port 5005"),
        ("Jo (07700 900123)", f"Jo ({P})"),
        ("(call 07700 900123)", f"(call {P})"),
        ("(+44 20 7187 7379, weekdays)", f"({P}, weekdays)"),
    ],
)
def test_personal_data_is_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "TSF-2026-000123",
        "a loan of £250,000 to £1,000,000",
        "£1000000",
        "2026-03-02T10:15:00+00:00",
        "127.0.0.1:5005",
        "0.0.0.0:5055",
        "192.168.10.20",
        "rasa 3.6.21",
        "took 0.123s",
        "1700000000.123",
        "sender 0a1b2c3d4e5f6a7b",
        "sender elig-3f9a0c1d2e4b",
        "POST /webhooks/rest/webhook 200 1234",
        "id 12345678901",
        "user@localhost",
        "summer 2014, 3 to 5 years",
        "0123",
        "+44",
    ],
)
def test_other_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_redaction_keeps_json_valid() -> None:
    document = json.dumps({"text": "mail me\njo@example.org\n07700 900123", "n": 5})

    assert json.loads(redact(document)) == {"text": f"mail me\n{E}\n{P}", "n": 5}


def test_redacting_twice_changes_nothing_more() -> None:
    once = redact("jo@example.org 020 7187 7379")

    assert redact(once) == once == f"{E} {P}"


def test_the_names_someone_gave_are_redacted_whole_and_word_by_word() -> None:
    text = "I'm jo bloggs of Acme Care CIC, mail jo@example.org; Bloggs & Co say hi, Jonah"

    assert redact_names(text, ["Jo Bloggs", "Acme Care CIC"]) == (
        f"I'm {N} of {N}, mail {E}; {N} & Co say hi, Jonah"
    )


def test_one_letter_initials_and_empty_names_are_not_redacted() -> None:
    assert redact_names("a loan for J's CIC", ["J", "", "  "]) == "a loan for J's CIC"
