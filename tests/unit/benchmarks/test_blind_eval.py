"""Judging replies to the blind set, and the blind set itself: well formed, big enough, unseen."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchmarks.blind_eval import (
    BLIND_DIR,
    LATER_BLIND_SETS,
    TOPIC_SLOTS,
    TurnState,
    expected_reasons,
    failed_checks,
    includes_all,
    judge_question,
    load_blind,
    says_not_covered,
    states_a_fact,
)
from tests.support.training_examples import training_examples
from tsf_knowledge.answers import format_answer
from tsf_knowledge.fund_terms import fund_terms
from tsf_knowledge.loader import default_knowledge, normalise_example

TEAM_PHONE = fund_terms().team_phone

KB = default_knowledge()
QUESTIONS = load_blind("questions")
CONVERSATIONS = load_blind("conversations")
BLIND_SETS = pytest.mark.parametrize(
    "directory",
    [BLIND_DIR, *LATER_BLIND_SETS.values()],
    ids=["v1", "v2", "v3", "v4", "v5", "v6", "v7"],
)
NOT_COVERED_REPLY = (
    "The fund's documents don't say anything about fees. The Social Investment Team can tell "
    f"you: call {TEAM_PHONE}."
)


def test_every_group_needs_one_of_its_alternatives() -> None:
    assert includes_all("Loans are £250,000 to £1 million.", [["£1m", "£1 million"], ["250,000"]])
    assert not includes_all("Loans are up to £1 million.", [["£1 million"], ["250,000"]])


def test_a_fact_is_stated_when_a_fact_answer_or_a_source_line_is_given() -> None:
    assert states_a_fact(format_answer(KB.fact("loan_term"), KB), KB)
    assert states_a_fact("Anything at all.\n\nSource: Department of Health blog, 2014", KB)
    assert not states_a_fact(NOT_COVERED_REPLY, KB)


def test_not_covered_needs_both_the_admission_and_the_number() -> None:
    assert says_not_covered(NOT_COVERED_REPLY)
    assert not says_not_covered(f"Call the team on {TEAM_PHONE}.")
    assert not says_not_covered("The documents don't cover that.")


@pytest.mark.parametrize(
    ("kind", "reply", "correct"),
    [
        ("unanswered", NOT_COVERED_REPLY, True),
        ("unanswered", format_answer(KB.fact("fund_size"), KB), False),
        ("unanswered", format_answer(KB.fact("how_to_apply"), KB), True),
        ("off_topic", "Sorry, I can only help with the Technology Spin-Out Fund.", True),
        ("off_topic", format_answer(KB.fact("fund_size"), KB), False),
    ],
)
def test_questions_of_each_kind_are_judged_by_their_own_rule(
    kind: str, reply: str, correct: bool
) -> None:
    assert judge_question({"kind": kind, "text": "?"}, reply, KB) is correct


def test_an_in_scope_reply_must_carry_the_answer_and_nothing_forbidden() -> None:
    item = {"kind": "in_scope", "must_include": [["3 to 5"]], "must_not_include": ["10 years"]}

    assert judge_question(item, format_answer(KB.fact("loan_term"), KB), KB)
    assert not judge_question(item, "You repay over 10 years, 3 to 5 at least.", KB)
    assert not judge_question(item, format_answer(KB.fact("fund_size"), KB), KB)


def test_a_turn_fails_when_the_wrong_question_is_asked_or_the_verdict_differs() -> None:
    state = TurnState("What's your name?", {"requested_slot": "contact_name"}, False)

    assert failed_checks({"asks": ["contact_name"]}, state, KB) == []
    assert failed_checks({"asks": ["contact_email"]}, state, KB)
    assert failed_checks({"not_asks": ["contact_name"]}, state, KB)
    assert failed_checks({"verdict": "eligible"}, state, KB)
    assert failed_checks({"lead_sent": True}, state, KB)
    assert failed_checks({"lead_sent": False}, state, KB) == []


def test_a_turn_fails_when_the_reply_answers_admits_or_declines_against_what_is_expected() -> None:
    fact = TurnState(format_answer(KB.fact("loan_term"), KB), {}, False)
    not_covered = TurnState(NOT_COVERED_REPLY, {}, False)

    assert failed_checks({"answers": True, "declines": False}, fact, KB) == []
    assert failed_checks({"declines": True}, fact, KB) == ["declines"]
    assert failed_checks({"answers": True, "unknown": True}, not_covered, KB) == ["answers"]
    assert failed_checks({"unknown": True, "declines": True}, not_covered, KB) == []
    assert failed_checks({"unknown": True}, fact, KB) == ["unknown"]


def test_a_not_eligible_reason_is_read_from_the_answers() -> None:
    slots = {"spun_out": "no", "eligibility_verdict": "not_eligible"}
    state = TurnState("", slots, False)

    assert failed_checks({"reason": "spin_out"}, state, KB) == []
    assert failed_checks({"reason": ["amount"]}, state, KB)


@BLIND_SETS
def test_each_blind_set_meets_its_minimum_sizes(directory: Path) -> None:
    questions = load_blind("questions", directory)
    kinds = Counter(item["kind"] for item in questions)

    assert len(questions) >= 120
    assert kinds["in_scope"] >= 70
    assert kinds["unanswered"] >= 25
    assert kinds["off_topic"] >= 25
    assert len(load_blind("conversations", directory)) >= 20


@BLIND_SETS
def test_every_topic_the_conversations_expect_is_one_the_judge_knows(directory: Path) -> None:
    named = {
        topic
        for conversation in load_blind("conversations", directory)
        for turn in conversation["turns"]
        for key in ("asks", "not_asks")
        for topic in (turn.get("expect") or {}).get(key, [])
    }

    assert named <= set(TOPIC_SLOTS)


@BLIND_SETS
def test_no_blind_sentence_is_among_the_training_examples(directory: Path) -> None:
    """Short replies ("yes", "how much can we borrow") are common property; longer are not."""
    training = training_examples()
    blind = {normalise_example(item["text"]) for item in load_blind("questions", directory)} | {
        normalise_example(turn["user"])
        for c in load_blind("conversations", directory)
        for turn in c["turns"]
    }

    longer = {text for text in blind & training if len(text.split()) > 5}

    assert longer == set()


def test_the_rules_a_conversation_expects_to_rule_it_out_are_read_from_its_verdicts() -> None:
    conversation = {
        "turns": [
            {"user": "hi", "expect": {"asks": ["spin_out"]}},
            {"user": "yes", "expect": {"verdict": "not_eligible", "reason": "amount"}},
            {"user": "ok", "expect": {"verdict": "not_eligible", "reason": ["repayment"]}},
            {"user": "yes", "expect": {"verdict": "eligible"}},
        ]
    }

    assert expected_reasons(conversation) == {"amount", "repayment"}
