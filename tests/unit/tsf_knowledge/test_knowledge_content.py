"""House rules for the content of facts.yml: sourced, honest and in plain English."""

from __future__ import annotations

import re

import pytest

from tsf_knowledge.amounts import format_pounds
from tsf_knowledge.facts import Fact
from tsf_knowledge.fund_terms import fund_terms
from tsf_knowledge.loader import default_knowledge

MAXIMUM_LOAN = fund_terms().maximum_loan
MINIMUM_LOAN = fund_terms().minimum_loan
TEAM_PHONE = fund_terms().team_phone

KB = default_knowledge()
FACTS = [pytest.param(fact, id=fact.id) for fact in KB.facts]

# The only phone numbers the source documents give.
SOURCED_PHONE_NUMBERS = {TEAM_PHONE, "0845 5390543"}
# Abbreviations readers know; any other run of capitals must be spelt out.
KNOWN_ABBREVIATIONS = {"UK", "HM", "NHS", "GPs"}
US_SPELLINGS = re.compile(r"\b(organiz\w*|programs?|centers?|analyz\w*|favor\w*|color\w*)\b", re.I)


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text) if part]


@pytest.mark.parametrize("fact", FACTS)
def test_answers_are_one_to_three_sentences(fact: Fact) -> None:
    assert 1 <= len(_sentences(fact.answer)) <= 3, fact.answer


@pytest.mark.parametrize("fact", FACTS)
def test_answers_use_no_unexplained_abbreviations(fact: Fact) -> None:
    abbreviations = set(re.findall(r"\b[A-Z]{2,}s?\b", fact.answer)) - KNOWN_ABBREVIATIONS

    assert abbreviations == set()


@pytest.mark.parametrize("fact", FACTS)
def test_answers_use_uk_spelling(fact: Fact) -> None:
    assert US_SPELLINGS.search(fact.answer) is None


@pytest.mark.parametrize("fact", FACTS)
def test_answers_give_only_sourced_phone_numbers_and_no_email(fact: Fact) -> None:
    numbers = set(re.findall(r"\b0\d{2,3} ?\d{3,4} ?\d{3,4}\b", fact.answer))

    assert numbers <= SOURCED_PHONE_NUMBERS
    assert "@" not in fact.answer


@pytest.mark.parametrize("fact", FACTS)
def test_answers_write_amounts_the_gov_uk_way(fact: Fact) -> None:
    assert re.search(r"£\d+(\.\d+)?(m|k|bn)\b", fact.answer) is None
    assert "$" not in fact.answer


def test_every_source_says_when_it_was_published_and_how_that_is_known() -> None:
    for source in KB.sources:
        assert re.search(r"\b(19|20)\d{2}\b", source.date), source.id
        assert source.date_note, f"{source.id}: no date is printed, so explain the date"


def test_the_loan_range_in_code_matches_the_loan_amounts_answer() -> None:
    answer = KB.fact("loan_amounts").answer

    assert format_pounds(MINIMUM_LOAN) in answer
    assert format_pounds(MAXIMUM_LOAN) in answer


def test_the_timing_answer_never_claims_the_fund_is_open_now() -> None:
    answer = KB.fact("fund_timing").answer

    assert "summer 2014" in answer
    assert "cannot confirm whether the fund is open" in answer
    assert TEAM_PHONE in answer


def test_the_interest_answer_gives_no_figure_and_points_to_the_team() -> None:
    answer = KB.fact("interest_rate").answer

    assert "%" not in answer
    assert "do not give a figure" in answer
    assert TEAM_PHONE in answer


@pytest.mark.parametrize("fact_id", ["how_to_apply", "must_be_launched", "eligible_uses"])
def test_answers_that_send_people_to_the_team_give_its_number(fact_id: str) -> None:
    assert TEAM_PHONE in KB.fact(fact_id).answer


def test_a_group_not_yet_launched_hears_where_to_get_help_setting_up() -> None:
    assert "0845 5390543" in KB.fact("must_be_launched").answer


def test_the_contact_answer_does_not_invent_an_email_address() -> None:
    assert "do not have an email address" in KB.fact("contact_team").answer
