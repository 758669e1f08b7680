"""Amounts of money: read them from free text and compare them with the fund's loan range.

:func:`parse_amount` understands the ways people write sums of money in a chat ("100k",
"£2m", "half a million", "£750,000", "250 thousand", "1.2 million"). A number only counts
as money when something says so: a pound sign, "pounds", a multiplier such as "k" or
"million", or a bare figure of at least 10,000 (or written with thousands commas) that is
not followed by a unit such as "years" or "staff". So years ("2014"), terms ("3-5 years"),
phone numbers and head counts are ignored. Negative amounts and amounts in other currencies
are not read. When the text holds several amounts, the first one wins.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import NamedTuple

from tsf_knowledge.answers import source_line
from tsf_knowledge.facts import KnowledgeBase
from tsf_knowledge.fund_terms import LOAN_AMOUNTS_FACT, fund_terms

_BARE_MINIMUM = 10_000
_BARE_MAX_DIGITS = 9

_TOKEN = re.compile(r"£|\$|€|\d+(?:,\d+)*(?:\.\d+)?|\.\d+|[a-z]+|-")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")

_UNIT_WORDS = """zero one two three four five six seven eight nine ten eleven twelve
    thirteen fourteen fifteen sixteen seventeen eighteen nineteen"""
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety"
_UNITS = {word: value for value, word in enumerate(_UNIT_WORDS.split())}
_TENS = {word: 10 * value for value, word in enumerate(_TENS_WORDS.split(), start=2)}
_WORD_MULTIPLIERS = {
    "thousand": 1_000,
    "grand": 1_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "mil": 1_000_000,
    "mill": 1_000_000,
    "billion": 1_000_000_000,
}
_SHORT_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}
_POUND_PREFIXES = frozenset({"£", "gbp"})
_POUND_SUFFIXES = frozenset({"pounds", "pound", "quid", "gbp", "sterling"})
_FOREIGN = frozenset({"$", "€", "usd", "eur", "dollars", "dollar", "euros", "euro"})
_CURRENCY_PREFIXES = _POUND_PREFIXES | _FOREIGN
_NON_MONEY_WORDS = """people persons staff employees workers patients users nurses gps doctors
    clients customers members residents beds hours days weeks months years yrs year minutes
    mins visits records devices laptops tablets homes sites miles percent"""
_NON_MONEY_UNITS = frozenset(_NON_MONEY_WORDS.split())


class AmountFit(Enum):
    """Where an amount falls against the fund's loan range."""

    BELOW_MINIMUM = "below_minimum"
    WITHIN_RANGE = "within_range"
    ABOVE_MAXIMUM = "above_maximum"


class _Token(NamedTuple):
    text: str
    start: int
    end: int


class _Reading(NamedTuple):
    value: Decimal
    is_money: bool


def parse_amount(text: str) -> int | None:
    """The first amount of money in ``text``, in whole pounds.

    Args:
        text: Free text such as "we need about 600k".

    Returns:
        The amount in pounds, rounded to the nearest pound, or ``None`` when the text
        holds no positive amount of money.
    """
    lowered = text.lower()
    tokens = [_Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(lowered)]
    words = [token.text for token in tokens]
    for index in range(len(words)):
        if index > 0 and words[index - 1] in _CURRENCY_PREFIXES:
            continue  # already read together with its currency sign
        reading = _read_amount(words, index)
        if reading is None or not reading.is_money or _is_negative(lowered, tokens, index):
            continue
        pounds = int(reading.value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if pounds > 0:
            return pounds
    return None


def _is_negative(text: str, tokens: list[_Token], index: int) -> bool:
    """Whether a minus sign (not a range dash) or the word "minus" precedes the amount."""
    previous = index - 1
    if previous >= 0 and tokens[previous].text in _CURRENCY_PREFIXES:
        previous -= 1
    if previous < 0:
        return False
    token = tokens[previous]
    if token.text == "minus":
        return True
    if token.text != "-" or token.end != tokens[previous + 1].start:
        return False
    return token.start == 0 or not text[token.start - 1].isalnum()


def _read_amount(words: list[str], start: int) -> _Reading | None:
    """Read the amount starting at ``words[start]``, or ``None`` if none starts there."""
    position = start
    pound = foreign = False
    if words[position] in _POUND_PREFIXES:
        pound, position = True, position + 1
    elif words[position] in _FOREIGN:
        foreign, position = True, position + 1
    if position >= len(words):
        return None

    numeral = words[position] if words[position][0] in "0123456789." else ""
    if "," in numeral and not _GROUPED.fullmatch(numeral):
        return None
    if numeral:
        try:
            value = Decimal(numeral.replace(",", ""))
        except InvalidOperation:
            return None
        position += 1
    else:
        parsed = _read_number_words(words, position)
        if parsed is None:
            return None
        value, position = parsed

    if words[position : position + 3] == ["and", "a", "half"]:
        value, position = value + Decimal("0.5"), position + 3

    multiplier = None
    if position < len(words):
        multiplier = _WORD_MULTIPLIERS.get(words[position])
        if multiplier is None and numeral:
            multiplier = _SHORT_MULTIPLIERS.get(words[position])
    if multiplier is not None:
        value, position = value * multiplier, position + 1

    if position < len(words) and words[position] in _POUND_SUFFIXES:
        pound, position = True, position + 1
    elif position < len(words) and words[position] in _FOREIGN:
        foreign = True

    next_word = words[position] if position < len(words) else ""
    if foreign or (not pound and next_word in _NON_MONEY_UNITS):
        return _Reading(value, is_money=False)
    if pound or multiplier is not None:
        return _Reading(value, is_money=True)
    if not numeral:
        return _Reading(value, is_money=False)
    return _Reading(value, is_money=_bare_number_is_money(numeral))


def _bare_number_is_money(numeral: str) -> bool:
    """Whether a figure with no pound sign, multiplier or unit is still clearly money."""
    if "." in numeral or numeral.startswith("0"):
        return False
    digits = numeral.replace(",", "")
    if len(digits) > _BARE_MAX_DIGITS:
        return False
    return "," in numeral or int(digits) >= _BARE_MINIMUM


def _read_number_words(words: list[str], start: int) -> tuple[Decimal, int] | None:
    """Read "two hundred and fifty", "a", "half a", "a quarter of a" ... from ``start``."""
    fraction = _read_fraction(words, start)
    if fraction is not None:
        return fraction
    total, position, seen = 0, start, False
    while position < len(words):
        word = words[position]
        following = words[position + 1] if position + 1 < len(words) else ""
        if word in _UNITS:
            total += _UNITS[word]
        elif word in _TENS:
            total += _TENS[word]
        elif word in ("a", "an") and not seen and following in {"hundred", *_WORD_MULTIPLIERS}:
            total = 1
        elif word == "hundred" and seen:
            total = (total or 1) * 100
        elif word in ("and", "-") and seen and (following in _UNITS or following in _TENS):
            pass
        else:
            break
        seen = True
        position += 1
    if not seen:
        return None
    return Decimal(total), position


def number_in_words(text: str) -> int | None:
    """The whole number ``text`` spells out and nothing else ("four", "twenty-four")."""
    words = _TOKEN.findall(text.lower())
    parsed = _read_number_words(words, 0) if words else None
    return int(parsed[0]) if parsed and parsed[1] == len(words) else None


def _read_fraction(words: list[str], start: int) -> tuple[Decimal, int] | None:
    """Read "half a", "a quarter of a", "three quarters of a" before a multiplier."""
    fractions = {"half": Decimal("0.5"), "quarter": Decimal("0.25")}
    position = start
    value: Decimal | None = None
    first = words[position]
    following = words[position + 1] if position + 1 < len(words) else ""
    if first in fractions:
        value, position = fractions[first], position + 1
    elif first in ("a", "an", "one") and following in fractions:
        value, position = fractions[following], position + 2
    elif first == "three" and following in ("quarter", "quarters"):
        value, position = Decimal("0.75"), position + 2
    if value is None:
        return None
    for filler in ("of", "a"):
        if position < len(words) and words[position] in (filler, "an"):
            position += 1
    if position < len(words) and words[position] in _WORD_MULTIPLIERS:
        return value, position
    return None


def assess_amount(pounds: int) -> AmountFit:
    """Whether ``pounds`` is below, within or above the fund's loan range (inclusive)."""
    terms = fund_terms()
    if pounds < terms.minimum_loan:
        return AmountFit.BELOW_MINIMUM
    if pounds > terms.maximum_loan:
        return AmountFit.ABOVE_MAXIMUM
    return AmountFit.WITHIN_RANGE


AMOUNT_TOKEN = r"£?\s?\d[\d,.]*\s*(?:k|m|million|thousand|grand)?"
_STATED_RANGE = re.compile(
    rf"\b(?:between|from|somewhere between|anywhere from)\s+(?P<low>{AMOUNT_TOKEN})\s*(?:and|to|-)"
    rf"\s*(?P<high>{AMOUNT_TOKEN})|(?P<low2>£\s?\d[\d,.]*\s*(?:k|m|million|thousand)?"
    r"|\d[\d,.]*\s*(?:k|m|million|thousand))\s*(?:-|–|to)"
    rf"\s*(?P<high2>£?\s?\d[\d,.]*\s*(?:k|m|million|thousand|grand)?)",
    re.IGNORECASE,
)
# "300-400k", "£1-1.5m": both ends share the multiplier.
_SHARED_MULTIPLIER = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)\s*(k|m)\b", re.I)


def spread_shared_multiplier(text: str) -> str:
    """``text`` with a multiplier shared by both ends of a range written on each ("300-400k"
    becomes "300k - 400k")."""
    return _SHARED_MULTIPLIER.sub(r"\1\3 - \2\3", text)


def parse_amount_range(text: str) -> tuple[int, int] | None:
    """The lowest and highest amounts of a range stated in ``text`` ("between £200k and
    £300k", "£300-400k"), or ``None`` when it states no range."""
    text = spread_shared_multiplier(text)
    for match in _STATED_RANGE.finditer(text):
        low = parse_amount(match.group("low") or match.group("low2"))
        high = parse_amount(match.group("high") or match.group("high2"))
        if low is not None and high is not None and 0 < low < high:
            return low, high
    return None


def amount_for_range(low: int, high: int) -> int | None:
    """The amount a range stands for against the loan limits: the end nearest the loan
    range when all of it lies below, otherwise its lower end (within, or all above), and
    ``None`` when it straddles a limit, so whether it fits is for the team to discuss."""
    low_fit, high_fit = assess_amount(low), assess_amount(high)
    if low_fit is not high_fit:
        return None
    return high if low_fit is AmountFit.BELOW_MINIMUM else low


_STATED_POUNDS = re.compile(r"£\d[\d,.]*(?: (?:million|billion))?")


def figures_beyond_loans(kb: KnowledgeBase) -> frozenset[int]:
    """The sums the documents give that are bigger than any loan (the fund's £6 million,
    Big Society Capital's £600 million, ...): a question naming one asks about that figure,
    not about borrowing it."""
    found = (
        parse_amount(match) for fact in kb.facts for match in _STATED_POUNDS.findall(fact.answer)
    )
    largest_loan = fund_terms().maximum_loan
    return frozenset(pounds for pounds in found if pounds is not None and pounds > largest_loan)


def format_pounds(pounds: int | None) -> str:
    """Write an amount the GOV.UK way: "£250,000", "£1 million", "£1.5 million".

    Whole tens of thousands from £1 million upwards are written in millions; anything
    else is written in full with thousands commas. An unknown amount is "not given".

    Raises:
        ValueError: If ``pounds`` is negative.
    """
    if pounds is None:
        return "not given"
    if pounds < 0:
        raise ValueError(f"amount must not be negative, got {pounds}")
    if pounds >= 1_000_000 and pounds % 10_000 == 0:
        millions = f"{Decimal(pounds) / 1_000_000:f}"
        if "." in millions:
            millions = millions.rstrip("0").rstrip(".")
        return f"£{millions} million"
    return f"£{pounds:,}"


def describe_amount_fit(pounds: int, kb: KnowledgeBase) -> str:
    """A plain-English answer on how ``pounds`` fits the loan range, with its source line."""
    amount = format_pounds(pounds)
    terms = fund_terms()
    minimum, maximum = format_pounds(terms.minimum_loan), format_pounds(terms.maximum_loan)
    talk_to_team = (
        f"Each loan is between {minimum} and {maximum}. To talk through your options, call "
        f"Local Partnerships' Social Investment Team on {terms.team_phone}."
    )
    fit = assess_amount(pounds)
    if fit is AmountFit.BELOW_MINIMUM:
        body = f"{amount} is below the fund's minimum loan of {minimum}. {talk_to_team}"
    elif fit is AmountFit.ABOVE_MAXIMUM:
        body = f"{amount} is above the fund's maximum loan of {maximum}. {talk_to_team}"
    else:
        body = (
            f"{amount} is within the fund's range of {minimum} to {maximum}. The Social "
            "Investment Team decides on every loan, so this is not a promise of funding."
        )
    return f"{body}\n\n{source_line(kb.fact(LOAN_AMOUNTS_FACT), kb)}"
