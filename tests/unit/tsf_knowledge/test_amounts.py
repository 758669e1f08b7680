"""Reading amounts of money and comparing them with the fund's loan range."""

from __future__ import annotations

import pytest

from tsf_knowledge.amounts import (
    AmountFit,
    amount_for_range,
    assess_amount,
    describe_amount_fit,
    figures_beyond_loans,
    format_pounds,
    number_in_words,
    parse_amount,
    parse_amount_range,
)
from tsf_knowledge.answers import source_line
from tsf_knowledge.fund_terms import fund_terms
from tsf_knowledge.loader import default_knowledge

MAXIMUM_LOAN = fund_terms().maximum_loan
MINIMUM_LOAN = fund_terms().minimum_loan
TEAM_PHONE = fund_terms().team_phone

PARSED = [
    # Shorthand and symbols
    ("100k", 100_000),
    ("750K", 750_000),
    ("£250k", 250_000),
    ("£2m", 2_000_000),
    ("0.5m", 500_000),
    ("£0.5m", 500_000),
    ("1.2M", 1_200_000),
    ("700 k", 700_000),
    ("£1.5bn", 1_500_000_000),
    ("1m+", 1_000_000),
    ("2 mill", 2_000_000),
    # Figures
    ("£750,000", 750_000),
    ("£1,000,001", 1_000_001),
    ("£ 500,000", 500_000),
    ("250000", 250_000),
    ("750,000", 750_000),
    ("£50", 50),
    # Words
    ("2 million pounds", 2_000_000),
    ("1.2 million", 1_200_000),
    ("250 thousand", 250_000),
    ("a million", 1_000_000),
    ("one million", 1_000_000),
    ("half a million", 500_000),
    ("half million", 500_000),
    ("quarter of a million", 250_000),
    ("a quarter of a million", 250_000),
    ("three quarters of a million", 750_000),
    ("one and a half million", 1_500_000),
    ("two hundred and fifty thousand", 250_000),
    ("a hundred thousand pounds", 100_000),
    ("twenty-five thousand", 25_000),
    ("five hundred grand", 500_000),
    ("GBP 400k", 400_000),
    ("400000 GBP", 400_000),
    # In a sentence
    ("we need 600k please", 600_000),
    ("around half a million", 500_000),
    ("we need 300000 for servers", 300_000),
    ("we want £1 million over 3-5 years", 1_000_000),
    ("summer 2014 and 600k", 600_000),
    ("between 300k and 500k", 300_000),
    ("250k-500k", 250_000),
    ("€2m or £300k", 300_000),
    # Rubbish or no amount
    ("", None),
    ("   ", None),
    ("hello", None),
    ("lots", None),
    ("k", None),
    ("£", None),
    ("a loan", None),
    ("half of the money", None),
    ("12 people", None),
    ("we have 45 clinical staff", None),
    ("we serve 2m people", None),
    ("100,000 patients", None),
    ("3-5 years", None),
    ("in 2014", None),
    ("call 020 7187 7379", None),
    ("07700900123", None),
    ("£0", None),
    ("zero pounds", None),
    ("-5k", None),
    ("minus 5k", None),
    ("£-5k", None),
    ("-£5k", None),
    ("$500k", None),
    ("500k dollars", None),
    ("1,5m", None),
    ("😀💷", None),
]


@pytest.mark.parametrize(("text", "pounds"), PARSED)
def test_parse_amount(text: str, pounds: int | None) -> None:
    assert parse_amount(text) == pounds


def test_parse_amount_copes_with_very_long_text() -> None:
    assert parse_amount("blah " * 20_000 + "£300k") == 300_000


@pytest.mark.parametrize(
    ("pounds", "fit"),
    [
        (0, AmountFit.BELOW_MINIMUM),
        (100_000, AmountFit.BELOW_MINIMUM),
        (249_999, AmountFit.BELOW_MINIMUM),
        (250_000, AmountFit.WITHIN_RANGE),
        (500_000, AmountFit.WITHIN_RANGE),
        (1_000_000, AmountFit.WITHIN_RANGE),
        (1_000_001, AmountFit.ABOVE_MAXIMUM),
        (2_000_000, AmountFit.ABOVE_MAXIMUM),
    ],
)
def test_assess_amount_is_inclusive_at_both_ends(pounds: int, fit: AmountFit) -> None:
    assert assess_amount(pounds) is fit


def test_the_loan_range_is_250_thousand_to_1_million() -> None:
    assert (MINIMUM_LOAN, MAXIMUM_LOAN) == (250_000, 1_000_000)


@pytest.mark.parametrize(
    ("pounds", "text"),
    [
        (0, "£0"),
        (50, "£50"),
        (100_000, "£100,000"),
        (249_999, "£249,999"),
        (250_000, "£250,000"),
        (999_999, "£999,999"),
        (1_000_000, "£1 million"),
        (1_000_001, "£1,000,001"),
        (1_250_000, "£1.25 million"),
        (1_500_000, "£1.5 million"),
        (2_000_000, "£2 million"),
        (10_000_000, "£10 million"),
    ],
)
def test_format_pounds_writes_amounts_the_gov_uk_way(pounds: int, text: str) -> None:
    assert format_pounds(pounds) == text


def test_format_pounds_writes_an_unknown_amount_as_not_given() -> None:
    assert format_pounds(None) == "not given"


def test_format_pounds_rejects_negative_amounts() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_pounds(-1)


@pytest.mark.parametrize(
    ("pounds", "opening", "mentions_team"),
    [
        (100_000, "£100,000 is below the fund's minimum loan of £250,000.", True),
        (249_999, "£249,999 is below the fund's minimum loan of £250,000.", True),
        (250_000, "£250,000 is within the fund's range of £250,000 to £1 million.", False),
        (750_000, "£750,000 is within the fund's range of £250,000 to £1 million.", False),
        (1_000_000, "£1 million is within the fund's range of £250,000 to £1 million.", False),
        (1_000_001, "£1,000,001 is above the fund's maximum loan of £1 million.", True),
        (2_000_000, "£2 million is above the fund's maximum loan of £1 million.", True),
    ],
)
def test_describe_amount_fit(pounds: int, opening: str, mentions_team: bool) -> None:
    kb = default_knowledge()

    text = describe_amount_fit(pounds, kb)

    assert text.startswith(opening)
    assert text.endswith("\n\n" + source_line(kb.fact("loan_amounts"), kb))
    assert (TEAM_PHONE in text) is mentions_team


def test_an_amount_within_range_is_not_a_promise() -> None:
    text = describe_amount_fit(500_000, default_knowledge())

    assert "not a promise of funding" in text


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("somewhere between £200k and £300k", (200_000, 300_000)),
        ("£300-400k", (300_000, 400_000)),
        ("we need 300k to 400k", (300_000, 400_000)),
        ("from £1m to £1.5m", (1_000_000, 1_500_000)),
        ("£500,000 over 4 years", None),
        ("from 2019 to 2020", None),
        ("between 200 and 300 staff", None),
    ],
)
def test_parse_amount_range(text: str, stated: tuple[int, int] | None) -> None:
    assert parse_amount_range(text) == stated


@pytest.mark.parametrize(
    ("low", "high", "pounds"),
    [
        (300_000, 400_000, 300_000),  # within: its lower end
        (100_000, 200_000, 200_000),  # all below: the end nearest the range
        (1_200_000, 1_500_000, 1_200_000),  # all above: the end nearest the range
        (200_000, 300_000, None),  # straddles the minimum: for the team to discuss
        (900_000, 1_200_000, None),  # straddles the maximum
    ],
)
def test_a_range_stands_for_an_amount_unless_it_straddles_a_limit(
    low: int, high: int, pounds: int | None
) -> None:
    assert amount_for_range(low, high) == pounds


def test_the_figures_beyond_any_loan_are_the_documents_own() -> None:
    figures = figures_beyond_loans(default_knowledge())

    assert {6_000_000, 19_000_000, 100_000_000, 600_000_000} <= figures
    assert all(pounds > 1_000_000 for pounds in figures)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("four", 4),
        ("Eighteen", 18),
        ("sixty", 60),
        ("twenty-four", 24),
        ("forty eight", 48),
        ("a", None),
        ("four years", None),
        ("4", None),
        ("", None),
    ],
)
def test_number_in_words_reads_a_number_spelt_out_and_nothing_else(
    text: str, expected: int | None
) -> None:
    assert number_in_words(text) == expected
