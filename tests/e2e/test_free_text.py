"""People who type sentences, never buttons, with the real Rasa and action servers."""

from __future__ import annotations

import uuid

import pytest

from tests.support.harness import RunningAssistant

pytestmark = pytest.mark.e2e


def new_sender() -> str:
    return f"free-{uuid.uuid4().hex[:12]}"


def say(assistant: RunningAssistant, sender: str, text: str) -> str:
    """Everything the assistant replies to ``text``, as one string."""
    return "\n\n".join(assistant.texts(sender, text))


def test_a_whole_check_and_lead_hand_off_typed_in_sentences(assistant: RunningAssistant) -> None:
    sender = new_sender()
    steps = [
        (
            "hi! can you check whether we're eligible for a loan?",
            "What is your organisation called?",
        ),
        ("We're Fernhill Community Therapies CIC", "set up by former public sector staff"),
        (
            "yes - a group of physios left the county council's rehab service in 2015 to set it up",
            "What services do you provide",
        ),
        ("we run community physiotherapy and falls prevention for older people", "pay for?"),
        ("a new electronic patient record system and tablets for the team", "how much"),
        ("about £400k", "repaid over 3 to 5 years"),
        ("we'd repay it over four years", "Here's what you told me"),
        ("yes, that's all right", "you seem to meet the main rules"),
        ("yes please, put me in touch with the team", "Do you agree?"),
        ("yes, I agree to that", "What's your name?"),
        ("Sam Patel", "role"),
        ("I'm the managing director", "email"),
        ("it's sam at fernhill dot org", "phone number"),
        ("07700 900461, afternoons are best", "sam@fernhill.org"),
        ("yes, send them please", "TSF-"),
    ]
    replies = []
    for text, expected in steps:
        reply = say(assistant, sender, text)
        replies.append(reply)
        assert expected.lower() in reply.lower(), (text, reply)
    noted_on_origin = replies[2]
    assert "Launched and trading: yes" in noted_on_origin
    confirmation = replies[13]
    assert "afternoons are best" in confirmation, "the good time given with the phone number"


def test_one_message_with_everything_goes_straight_to_the_summary_then_a_verdict(
    assistant: RunningAssistant,
) -> None:
    sender = new_sender()

    first = say(
        assistant,
        sender,
        "We're Brookvale Care CIC, spun out of the city council's home care team in 2016. We "
        "provide home care for older people and need about £350k over four years for a new "
        "rostering system - can we apply?",
    )

    assert "noted what you told me" in first
    assert "• Amount: £350,000" in first
    assert "Here's what you told me" in first, "nothing left to ask but the check"
    assert "you seem to meet the main rules" in say(assistant, sender, "yes that's right")


def test_saying_you_were_never_in_the_public_sector_gets_the_rule_and_why(
    assistant: RunningAssistant,
) -> None:
    reply = say(
        assistant,
        new_sender(),
        "we're a limited company that was never part of the public sector, can we apply?",
    )

    assert "public sector spin-outs" in reply
    assert "stopped the check" in reply


def test_an_amount_and_a_term_in_one_question_are_both_checked(
    assistant: RunningAssistant,
) -> None:
    reply = say(assistant, new_sender(), "could we borrow £900k but over 8 years?")

    assert "£900,000 is within the fund's range" in reply
    assert "8 years is longer than the fund's repayment term" in reply


def test_a_greeting_and_typos_do_not_hide_the_question(assistant: RunningAssistant) -> None:
    reply = say(assistant, new_sender(), "hello! quick one - whats the maximun lone we can get?")

    assert "£1 million" in reply
    assert "What would you like to do?" not in reply


def test_two_questions_in_one_message_both_get_answers(assistant: RunningAssistant) -> None:
    reply = say(assistant, new_sender(), "what's the max loan and how long do we have to repay?")

    assert "£1 million" in reply
    assert "3 to 5 years" in reply


def test_a_fund_question_the_documents_do_not_answer_is_said_to_be_not_covered(
    assistant: RunningAssistant,
) -> None:
    reply = say(assistant, new_sender(), "do you charge an arrangement fee on the loans?")

    assert "don't say anything about fees" in reply
    assert "020 7187 7379" in reply
    assert "Source" not in reply


def test_an_unrelated_question_in_fund_words_gets_no_fund_fact(
    assistant: RunningAssistant,
) -> None:
    reply = say(assistant, new_sender(), "what's the interest rate on my mortgage?")

    assert "Source" not in reply
    assert "competitive" not in reply


def test_in_the_interview_sentences_answer_corrections_change_and_why_is_explained(
    assistant: RunningAssistant,
) -> None:
    sender = new_sender()
    say(assistant, sender, "I'd like to check if we qualify")
    say(assistant, sender, "Oakridge Wellbeing CIC")

    sentence_answer = say(assistant, sender, "we left the local NHS trust back in 2013")
    why = say(assistant, sender, "why do you need to know that?")
    say(assistant, sender, "we provide talking therapies for adults")
    say(assistant, sender, "an online booking and video consultation platform")
    say(assistant, sender, "£500k")
    correction = say(assistant, sender, "sorry, I meant 700k, not 500k")

    assert "What services do you provide" in sentence_answer
    assert "We ask because" in why
    assert "changed your answer" in correction
    assert "£700,000" in correction


def test_facts_listed_without_verbs_a_term_corrected_at_the_summary_and_details_in_one_go(
    assistant: RunningAssistant,
) -> None:
    sender = new_sender()
    listed = say(
        assistant,
        sender,
        "eligibility check pls - Hollin Vale Care CIC, ex-council home care team from "
        "Calderdale MBC, trading 5 yrs, home care and reablement",
    )
    summary = say(
        assistant, sender, "new care planning software and tablets for carers, £380k over 5 years"
    )
    corrected = say(assistant, sender, "our treasurer says 4 years, not 5. Otherwise fine.")
    verdict = say(assistant, sender, "yes")
    say(assistant, sender, "yes please pass it on")
    consent = say(assistant, sender, "fine, consent given")
    details = say(
        assistant,
        sender,
        "Ruth Okoye, operations manager, ruth@hollinvale.org, 07700 900462, mornings before 11",
    )
    sent = say(assistant, sender, "yes")

    assert "Calderdale MBC" in listed and "home care and reablement" in listed
    assert "What would the loan pay for" in listed
    assert "Here's what you told me" in summary
    assert "yes (4 years)" in corrected and "start the eligibility check again" not in corrected
    assert "you seem to meet the main rules" in verdict
    assert "What's your name?" in consent
    assert "mornings before 11" in details and "Ruth Okoye" in details
    assert "TSF-" in sent
