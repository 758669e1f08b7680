"""Stripping pleasantries from a message and splitting it into the questions it asks."""

from __future__ import annotations

import pytest

from tsf_knowledge.clauses import (
    asks_to_apply,
    focus_on_questions,
    is_question,
    question_clauses,
    resolve_references,
    split_clauses,
    strip_pleasantries,
)

STRIPPED = [
    # Holding back the yes for a question
    ("Before I say yes, what is the loan term?", "what is the loan term?"),
    ("before we confirm that - is the rate fixed?", "is the rate fixed?"),
    (
        "before we launched we were part of the trust",
        "before we launched we were part of the trust",
    ),
    ("hello! quick one — how much can we borrow?", "how much can we borrow?"),
    (
        "Hi there, hope you're well. We're a CIC and wondered what the interest rate is. Thanks!",
        "We're a CIC and wondered what the interest rate is.",
    ),
    ("Good afternoon team, who runs the fund? Many thanks, Priya", "who runs the fund?"),
    ("hey how long is the term", "how long is the term"),
    ("Hiya!! so what counts as a spin-out", "what counts as a spin-out"),
    (
        "Dear Sir/Madam, is the fund open to mutuals? Kind regards, Tom Hughes",
        "is the fund open to mutuals?",
    ),
    ("Fair enough. Who do we call?", "Who do we call?"),
    ("ok, we are trading", "ok, we are trading"),
    ("sorry to bother you - can a CIC apply?", "can a CIC apply?"),
    ("Ok thanks. And the minimum?", "And the minimum?"),
    ("how much can we borrow, thanks?", "how much can we borrow?"),
    ("what's the average loan? cheers :)", "what's the average loan?"),
    ("Hello 👋 who funds the TSF?", "who funds the TSF?"),
    ("Morning. I have a quick question: is it a grant?", "is it a grant?"),
    ("who provides the money thanks in advance", "who provides the money"),
    ("um, what does TSF stand for?", "what does TSF stand for?"),
    # Nothing but pleasantries: unchanged.
    ("hi!", "hi!"),
    ("thanks so much", "thanks so much"),
    ("Hello there", "Hello there"),
    # Words that only look like pleasantries stay.
    ("high interest?", "high interest?"),
    ("what's the best", "what's the best"),
    ("well-being apps, are they eligible?", "well-being apps, are they eligible?"),
    ("question about fees", "question about fees"),
]


@pytest.mark.parametrize(("text", "expected"), STRIPPED)
def test_strip_pleasantries(text: str, expected: str) -> None:
    assert strip_pleasantries(text) == expected


SPLIT = [
    (
        "what's the max loan and how long do we have to repay?",
        ["what's the max loan", "how long do we have to repay?"],
    ),
    ("who runs it? also, can charities apply", ["who runs it?", "can charities apply"]),
    ("can we borrow for software and hardware?", ["can we borrow for software and hardware?"]),
    ("is it for health and social care?", ["is it for health and social care?"]),
    ("what are the aims plus who manages the fund", ["what are the aims", "who manages the fund"]),
    ("is the rate competitive & is it fixed", ["is the rate competitive", "is it fixed"]),
    (
        "do you lend to mutuals and do you lend to hospices",
        ["do you lend to mutuals", "do you lend to hospices"],
    ),
    ("when and how do we apply", ["when and how do we apply"]),
    ("We're a CIC and can we apply?", ["We're a CIC and can we apply?"]),
    ("is it a loan or a grant; do we repay it", ["is it a loan or a grant", "do we repay it"]),
    ("how big is the fund! who pays for it?", ["how big is the fund!", "who pays for it?"]),
    ("what's the rate… and the term?", ["what's the rate…", "the term?"]),
    (
        "we're a mental health CIC — what's the max loan?",
        ["we're a mental health CIC", "what's the max loan?"],
    ),
    (
        "two things: how much can we borrow and who runs it",
        ["two things", "how much can we borrow", "who runs it"],
    ),
    ("- how much?\n- how long?\n* who runs it", ["how much?", "how long?", "who runs it"]),
    ("1. what's the rate\n2. is there a fee", ["what's the rate", "is there a fee"]),
    ("1) what's the rate 2) who can apply", ["what's the rate", "who can apply"]),
    ("Who runs it?\n\nAnd who pays?", ["Who runs it?", "who pays?"]),
    # Never inside amounts, emails, web addresses or abbreviations.
    ("can we borrow £1.5m over 3.5 years?", ["can we borrow £1.5m over 3.5 years?"]),
    ("loans are £250k - £1m, right?", ["loans are £250k - £1m, right?"]),
    ("is it 3 – 5 years?", ["is it 3 – 5 years?"]),
    (
        "my email is sam.jones@nhs.net. how long is the term?",
        ["my email is sam.jones@nhs.net.", "how long is the term?"],
    ),
    ("we want kit e.g. tablets. is that ok?", ["we want kit e.g. tablets.", "is that ok?"]),
    ("i.e. laptops for nurses", ["i.e. laptops for nurses"]),
    ("Acme Care Ltd. is a CIC", ["Acme Care Ltd. is a CIC"]),
    (
        "We're Acme Care Ltd. How much can we borrow?",
        ["We're Acme Care Ltd.", "How much can we borrow?"],
    ),
    ("we're on St. Mary's Road. can we apply?", ["we're on St. Mary's Road.", "can we apply?"]),
    (
        "see www.example.org.uk/page?id=2 for details. what is it?",
        ["see www.example.org.uk/page?id=2 for details.", "what is it?"],
    ),
    ("", []),
    ("  ?!  ", []),
]


@pytest.mark.parametrize(("text", "expected"), SPLIT)
def test_split_clauses(text: str, expected: list[str]) -> None:
    assert split_clauses(text) == expected


QUESTIONS = [
    (
        "Hi there, hope you're well. We're a CIC and wondered what the interest rate is. Thanks!",
        ["We're a CIC and wondered what the interest rate is."],
    ),
    ("We're a CIC in Leeds. how much can we borrow", ["how much can we borrow"]),
    ("We're a CIC in Leeds.", []),
    ("tell me about the fund. we're keen to apply.", ["tell me about the fund."]),
    ("Will be launching next year. Can we apply?", ["Can we apply?"]),
    ("any idea who runs it", ["any idea who runs it"]),
    ("I'd like to know the term. We have 40 staff.", ["I'd like to know the term."]),
    ("interest rate?", ["interest rate?"]),
    ("interest rate", []),
    (
        "hello! we're a community nursing spin-out. what's the max loan and is it a grant?",
        ["what's the max loan", "is it a grant?"],
    ),
    ("does the fund lend to charities. we are one.", ["does the fund lend to charities."]),
    ("hi!", []),
]


@pytest.mark.parametrize(("text", "expected"), QUESTIONS)
def test_question_clauses(text: str, expected: list[str]) -> None:
    assert question_clauses(text) == expected


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("so, how long is the term", True),
        ("and can mutuals apply", True),
        ("just wondering about the term", True),
        ("please explain the fund", True),
        ("Have you got a leaflet", True),
        ("We have 12 staff", False),
        ("Can't wait to apply", False),
        ("Would be good to talk", False),
    ],
)
def test_is_question(clause: str, expected: bool) -> None:
    assert is_question(clause) is expected


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("can we apply?", True),
        ("would we qualify for a loan", True),
        ("are we eligible", True),
        ("is our CIC eligible?", True),
        ("can you run the eligibility check for us?", True),
        ("could Ashby Physio CIC apply", True),
        ("can Kestrel Valley Care Partnership apply for one?", True),
        ("would the Larchwood Wellbeing Collective qualify", True),
        ("can charities apply?", False),
        ("can the care team apply", False),
        ("we spun out of the council in 2015", False),
        ("what's the interest rate", False),
    ],
)
def test_asking_whether_the_organisation_can_apply_is_recognised(text: str, asks: bool) -> None:
    assert asks_to_apply(text) is asks


@pytest.mark.parametrize(
    ("text", "focus"),
    [
        (
            "We spun out of the council in 2015 and run day centres for adults. Can we apply?",
            "Can we apply?",
        ),
        ("how much can we borrow?", "how much can we borrow?"),
        ("We're a CIC. Can we apply?", "We're a CIC. Can we apply?"),
        (
            "we provide home care for older people in three towns",
            "we provide home care for older people in three towns",
        ),
    ],
)
def test_only_the_questions_of_a_message_with_context_are_classified(text: str, focus: str) -> None:
    assert focus_on_questions(text) == focus


@pytest.mark.parametrize(
    "text",
    [
        "yes - we left the council in 2015",
        "sorry, my name is Joanna",
        "ok, we're trading",
        "no, we haven't launched",
    ],
)
def test_answers_and_corrections_keep_their_first_word(text: str) -> None:
    assert strip_pleasantries(text) == text


def test_a_later_question_that_points_back_carries_the_name_it_points_to() -> None:
    clauses = ["who's Big Society Capital's chief executive", "when was it launched?"]

    assert resolve_references(clauses) == [
        "who's Big Society Capital's chief executive",
        "when was it launched? (Big Society Capital)",
    ]


def test_questions_that_name_nothing_are_left_as_they_are() -> None:
    clauses = ["how big is the fund", "what's the average loan?"]

    assert resolve_references(clauses) == clauses


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Kindly confirm the expected average loan.", "what is the expected average loan?"),
        ("Would you kindly advise the loan range?", "what is the loan range?"),
        ("Please state which body runs the fund", "which body runs the fund?"),
        ("Could you tell me whether we can apply?", "Could you tell me whether we can apply?"),
    ],
)
def test_a_formal_request_for_a_fact_is_asked_plainly(text: str, plain: str) -> None:
    assert strip_pleasantries(text) == plain


@pytest.mark.parametrize(
    "text",
    [
        "I would like to know if our company can receive this loan.",
        "could we receive the funding",
        "can u check us?",
        "I'd like to find out if my social enterprise could have a loan",
        "Tell me whether Hollybank Care Partnership is able to borrow from you.",
    ],
)
def test_asking_whether_we_could_receive_a_loan_asks_to_apply(text: str) -> None:
    assert asks_to_apply(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Firstly, how big is the fund; secondly, who runs it?",
            ["how big is the fund", "who runs it?"],
        ),
        (
            "One: what's the smallest loan? Two: how long is the term?",
            ["what's the smallest loan?", "how long is the term?"],
        ),
        ("max loan + who do we ring", ["max loan", "who do we ring"]),
        ("OK. What's the term?", ["What's the term?"]),
        ("We're a CIC in Hull. What's the term?", ["What's the term?"]),
    ],
)
def test_numbered_and_telegraphic_questions_are_each_asked(text: str, expected: list[str]) -> None:
    assert question_clauses(text) == expected
