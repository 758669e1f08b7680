"""Scoring a reply to a held-out question."""

from __future__ import annotations

from benchmarks.answer_accuracy import AccuracyReport, Case, Outcome, is_correct, load_cases
from tsf_knowledge.amounts import describe_amount_fit
from tsf_knowledge.answers import format_answer
from tsf_knowledge.fund_terms import fund_terms
from tsf_knowledge.loader import default_knowledge
from tsf_knowledge.unknown_topics import find_unknown_topic, unknown_topic_reply

TEAM_PHONE = fund_terms().team_phone

KB = default_knowledge()


def test_a_fact_answer_is_right_only_for_its_own_fact() -> None:
    reply = format_answer(KB.fact("loan_term"), KB)

    assert is_correct(Case("how long?", "loan_term"), reply, KB)
    assert not is_correct(Case("how much?", "loan_amounts"), reply, KB)


def test_an_amount_question_needs_the_verdict_on_that_amount() -> None:
    reply = describe_amount_fit(100_000, KB)

    assert is_correct(Case("100k?", "amount_check", 100_000), reply, KB)
    assert not is_correct(Case("2m?", "amount_check", 2_000_000), reply, KB)


def test_out_of_scope_is_right_only_when_no_fact_is_stated() -> None:
    declined = "Sorry, I can only help with the Technology Spin-Out Fund."

    assert is_correct(Case("weather?", "out_of_scope"), declined, KB)
    assert not is_correct(
        Case("weather?", "out_of_scope"), format_answer(KB.fact("fund_size"), KB), KB
    )


def test_the_held_out_set_loads_with_amounts_for_amount_checks() -> None:
    cases = load_cases()

    assert len(cases) >= 80
    assert all(case.amount for case in cases if case.expected == "amount_check")


def test_saying_a_detail_is_not_covered_is_right_for_the_fact_it_belongs_to() -> None:
    question = "is the fund still open for applications?"
    topic = find_unknown_topic(question)
    assert topic is not None and topic.related_fact == "fund_timing"
    reply = unknown_topic_reply(topic, TEAM_PHONE)

    assert is_correct(Case(question, "fund_timing"), reply, KB)
    assert not is_correct(Case(question, "loan_term"), reply, KB)


def test_the_figures_count_every_question_and_the_in_scope_and_out_of_scope_apart() -> None:
    outcomes = (
        Outcome(Case("how long?", "loan_term"), "", True),
        Outcome(Case("how big?", "fund_size"), "", False),
        Outcome(Case("what is the weather?", "out_of_scope"), "", True),
    )

    report = AccuracyReport(outcomes)

    assert report.figures() == {
        "total": 3,
        "correct": 2,
        "in_scope_total": 2,
        "in_scope_correct": 1,
        "out_of_scope_total": 1,
        "out_of_scope_correct": 1,
    }
    assert report.accuracy == 2 / 3
    assert report.wrong == (outcomes[1],)
