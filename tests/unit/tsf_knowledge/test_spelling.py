"""Expanding text-speak and correcting typos before intent classification."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.harness import run_python
from tsf_knowledge import spelling
from tsf_knowledge.spelling import SpellingNormaliser, default_normaliser, fund_vocabulary


@pytest.fixture(scope="module")
def normaliser() -> SpellingNormaliser:
    return default_normaliser()


CORRECTED = [
    # A dropped g, with or without its apostrophe
    ("we've been runnin since 2019", "we've been running since 2019"),
    ("still plannin' the launch", "still planning the launch"),
    # Dialect run together with the article
    ("we work for t'trust", "we work for the trust"),
    # The misspellings the fund's enquirers make
    ("what is the intrest on it", "what is the interest on it"),
    ("we need new softwear", "we need new software"),
    ("yes corect", "yes correct"),
    (
        "were called Ashby Care, we spun owt of the trust",
        "we're called Ashby Care, we spun out of the trust",
    ),
    ("we are callled Ashby Care", "we are called Ashby Care"),
    ("lap tops and a new on line booking system", "laptops and a new online booking system"),
    ("it's to by new tablets", "it's to buy new tablets"),
    ("whats the maximun we can ask for", "whats the maximum we can ask for"),
    ("is there a minimun amount", "is there a minimum amount"),
    ("are charities elegible", "are charities eligible"),
    ("is my team eligable?", "is my team eligible?"),
    ("how can we aplly", "how can we apply"),
    ("where do i aply", "where do i apply"),
    ("who runs the fudn", "who runs the fund"),
    ("health techonology projects", "health technology projects"),
    ("when must it be repayed", "when must it be repaid"),
    ("could we borow money", "could we borrow money"),
    # Other slips: swapped, missing and doubled letters
    ("our organistion is a mutual", "our organisation is a mutual"),
    ("what are the requirments", "what are the requirements"),
    ("eligibilty criteria please", "eligibility criteria please"),
    ("send me the applicaton form", "send me the application form"),
    ("the goverment backed it", "the government backed it"),
    ("waht is a spinout", "what is a spinout"),
    ("the intrst rate", "the interest rate"),
    # Punctuation around a word, and a capital where a sentence starts, are kept
    ("(intrest)", "(interest)"),
    ("Intrest rate?", "Interest rate?"),
    ("hi. Techonology loans?", "hi. Technology loans?"),
    ("Repayed how?", "Repaid how?"),
]

UNCHANGED = [
    # Real words ending in -in, and n't
    "a thin margin in Berlin",
    "we can't say",
    "next to by the door",
    "a lap, tops off",
    # Names, emails, web addresses
    "Brookside Community Interest Company",
    "we are Riverside Health CIC",
    "brookside and kirklees",
    "we are Intrest Ltd",
    "contact sam.jones@brookside.nhs.uk",
    "see https://www.example.org/fudn-info",
    "#fudn @fudn",
    # Amounts and ranges
    "we need £350k",
    "500k over 3-5 years",
    "around 500 k",
    # Acronyms and capitals
    "TSF and BSC",
    "the NHS and the DH",
    "MAXIMUN PLS",
    "pH levels",
    # Fund words and informal words
    "hiya",
    "spinout or spin out?",
    "a spin-out from the NHS",
    "a mutualised service",
    "after our tupe transfer",
    "our backend and frontend teams",
    "hmmm not sure",
    "helloooo",
    "i dont know",
    "fudn's",
    # Words the dictionary lacks, each kept by one of the precision rules
    "we use gmail",  # a different first letter ("email")
    "the crypto market",  # a dropped last letter ("crypt")
    "the config file",  # distance 2, not only missing letters ("confirm")
    "our repo",  # 4 letters, a substitution ("redo")
    # Real words, including a real "lone"
    "the loan term is five years",
    "lone parents support service",
    "the lone worker policy",
    "a lone voice",
    # Left alone on purpose
    "info please",
    "max amount",
    "min term",
    "whats yr name",
    "",
    "   ",
]

TEXT_SPEAK = [
    # Northern English
    ("is that reet", "is that right"),
    ("afore we start", "before we start"),
    ("nowt else", "nothing else"),
    ("yh thats rite", "yeah thats right"),
    ("cn we get 2 mil", "can we get 2 mil"),
    ("wat does TSF stnd for", "what does TSF stand for"),
    ("can u help", "can you help"),
    ("r u open", "are you open"),
    ("whats ur email", "whats your email"),
    ("cud we apply", "could we apply"),
    ("cld i ask", "could i ask"),
    ("wud that work", "would that work"),
    ("shud we wait", "should we wait"),
    ("pls advise", "please advise"),
    ("plz call", "please call"),
    ("thx!", "thanks!"),
    ("thnx a lot", "thanks a lot"),
    ("ok ty", "ok thanks"),
    ("apply b4 june", "apply before june"),
    ("ppl in our team", "people in our team"),
    ("left a msg", "left a message"),
    ("ur ph?", "your phone number?"),
    ("whats the phone no", "whats the phone number"),
    ("tel no please", "phone number please"),
    ("Ph no", "Phone number"),
    ("a 3 yr term", "a 3 year term"),
    ("per yr", "per year"),
    ("5 yrs", "5 years"),
    ("6 mths", "6 months"),
    ("1 mth", "1 month"),
    ("wat is it", "what is it"),
    ("wot about", "what about"),
    ("wen does it open", "when does it open"),
    ("hw do i", "how do i"),
    ("abt the fund", "about the fund"),
    ("gd question", "good question"),
    ("loans nd grants", "loans and grants"),
    ("coz we r small", "because we are small"),
    ("cos it helps", "because it helps"),
    ("bc we need it", "because we need it"),
    ("govt funding", "government funding"),
    ("which org runs it", "which organisation runs it"),
    ("partner orgs", "partner organisations"),
    ("health dept", "health department"),
    ("k thanks", "ok thanks"),
    ("Pls help", "Please help"),
    ("U there?", "You there?"),
    ("  thx\tu  ", "  thanks\tyou  "),
]

BETWEEN_WORDS = [
    ("thanks 4 the info", "thanks for the info"),
    ("looking 4 funding", "looking for funding"),
    ("thx 4 ur help", "thanks for your help"),
    ("how 2 apply", "how to apply"),
    ("talk 2 someone", "talk to someone"),
    ("me n my team", "me and my team"),
    ("loans n grants", "loans and grants"),
    # Numbers stay numbers
    ("4 years", "4 years"),
    ("is it 4 years", "is it 4 years"),
    ("over 4 months", "over 4 months"),
    ("we employ 4 staff", "we employ 4 staff"),
    ("4m", "4m"),
    ("£4 fee", "£4 fee"),
    ("2 years", "2 years"),
    ("is it 2 or 3", "is it 2 or 3"),
    ("a 2 year loan", "a 2 year loan"),
    ("page 2 please", "page 2 please"),
    ("the 2 founders", "the 2 founders"),
    ("up to 2.", "up to 2."),
    ("plan n", "plan n"),
]

LONE = [
    ("can i use the lon for software", "can i use the loan for software"),
    ("can we get a lone", "can we get a loan"),
    ("lone amount?", "loan amount?"),
    ("how do we repay the lone", "how do we repay the loan"),
    ("max lone size", "max loan size"),
    ("do you offer lones for spinouts", "do you offer loans for spinouts"),
    ("Lone term?", "Loan term?"),
    ("a lone parent", "a lone parent"),
    ("lone workers", "lone workers"),
    ("lone", "lone"),
]


@pytest.mark.parametrize(("text", "expected"), CORRECTED)
def test_misspellings_are_corrected(
    normaliser: SpellingNormaliser, text: str, expected: str
) -> None:
    assert normaliser.normalise(text) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_other_text_is_unchanged(normaliser: SpellingNormaliser, text: str) -> None:
    assert normaliser.normalise(text) == text
    assert normaliser.corrections(text) == []


@pytest.mark.parametrize(("text", "expected"), TEXT_SPEAK)
def test_text_speak_is_expanded(normaliser: SpellingNormaliser, text: str, expected: str) -> None:
    assert normaliser.normalise(text) == expected


@pytest.mark.parametrize(("text", "expected"), BETWEEN_WORDS)
def test_4_2_and_n_expand_only_between_words(
    normaliser: SpellingNormaliser, text: str, expected: str
) -> None:
    assert normaliser.normalise(text) == expected


@pytest.mark.parametrize(("text", "expected"), LONE)
def test_lone_becomes_loan_next_to_a_loan_word(
    normaliser: SpellingNormaliser, text: str, expected: str
) -> None:
    assert normaliser.normalise(text) == expected


def test_corrections_lists_each_change_in_order(normaliser: SpellingNormaliser) -> None:
    assert normaliser.corrections("r u eligable 4 a lone, pls") == [
        ("r", "are"),
        ("u", "you"),
        ("eligable", "eligible"),
        ("4", "for"),
        ("lone", "loan"),
        ("pls", "please"),
    ]


def test_corrections_names_both_words_of_a_phone_number(normaliser: SpellingNormaliser) -> None:
    assert normaliser.corrections("your tel. no?") == [("tel. no", "phone number")]
    assert normaliser.normalise("your tel. no?") == "your phone number?"


@pytest.fixture(scope="module")
def plain() -> SpellingNormaliser:
    return SpellingNormaliser([])


@pytest.fixture(scope="module")
def close_call() -> SpellingNormaliser:
    return SpellingNormaliser(Counter(fund=1, brookvale=1, grant=3, great=2))


@pytest.fixture(scope="module")
def near() -> SpellingNormaliser:
    return SpellingNormaliser(Counter(interest=1, grant=30, great=2), max_edit_distance=1)


def test_domain_words_are_kept_and_preferred(
    plain: SpellingNormaliser, close_call: SpellingNormaliser
) -> None:
    assert plain.normalise("the fudn") == "the fudn"  # "fun" and "fund" are too close to call
    assert close_call.normalise("the fudn") == "the fund"
    assert close_call.normalise("brookvale trust") == "brookvale trust"
    assert close_call.normalise("brookvael trust") == "brookvale trust"
    assert plain.normalise("brookvael trust") == "brookvael trust"


def test_a_correction_needs_a_clear_winner(
    plain: SpellingNormaliser, close_call: SpellingNormaliser, near: SpellingNormaliser
) -> None:
    assert plain.normalise("a grent") == "a great"  # far commoner in English
    assert close_call.normalise("a grent") == "a grent"  # fund words used 3:2
    assert near.normalise("a grent") == "a grant"  # fund words used 30:2


def test_distance_2_needs_a_fund_word_and_the_limit(
    normaliser: SpellingNormaliser, close_call: SpellingNormaliser, near: SpellingNormaliser
) -> None:
    assert normaliser.normalise("intrst") == "interest"
    assert close_call.normalise("intrst") == "intrst"  # "interest" is not a fund word here
    assert near.normalise("intrst") == "intrst"  # max_edit_distance=1
    assert near.normalise("intrest") == "interest"


def test_max_edit_distance_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_edit_distance"):
        SpellingNormaliser([], max_edit_distance=0)


def test_default_normaliser_is_cached() -> None:
    assert default_normaliser() is default_normaliser()


@pytest.mark.parametrize(
    # "tupe" is only ever written "TUPE", so it is an acronym, not a typo of "type"
    "word",
    ["spin-out", "spinout", "spin", "loan", "loans", "partnerships", "tsf", "cic", "tupe"],
)
def test_fund_vocabulary_holds_the_funds_words(word: str) -> None:
    assert word in fund_vocabulary()


@pytest.mark.parametrize("word", ["intrest", "eligable", "technolgy"])
def test_fund_vocabulary_leaves_out_typos_from_the_examples(word: str) -> None:
    assert word not in fund_vocabulary()


def test_fund_vocabulary_is_lower_case() -> None:
    vocabulary = fund_vocabulary()
    assert vocabulary
    assert all(word == word.lower() for word in vocabulary)


@pytest.fixture
def no_nlu_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setattr(spelling, "NLU_DIRECTORY", tmp_path / "missing")
    spelling._fund_word_counts.cache_clear()
    yield
    spelling._fund_word_counts.cache_clear()


@pytest.mark.usefixtures("no_nlu_data")
def test_fund_vocabulary_uses_facts_alone_without_nlu_data() -> None:
    vocabulary = fund_vocabulary()
    assert {"spin-out", "loan", "partnerships"} <= vocabulary
    assert "chatgpt" not in vocabulary  # only in data/nlu's conversation examples


def test_nlu_examples_extend_the_vocabulary() -> None:
    assert "chatgpt" in fund_vocabulary()


def test_importing_loads_nothing() -> None:
    code = (
        "import tsf_knowledge.spelling as s; "
        "print(s._english_counts.cache_info().currsize, "
        "s._fund_word_counts.cache_info().currsize, "
        "s.default_normaliser.cache_info().currsize)"
    )
    result = run_python(code)
    assert result.stdout.split() == ["0", "0", "0"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we cud pay it bak ova 5yrs", "we could pay it back over 5 years"),
        ("bout 18mths", "about 18 months"),
        ("a 4yr term", "a 4 year term"),
    ],
)
def test_short_text_speak_and_units_run_into_numbers_are_spelt_out(
    text: str, expected: str
) -> None:
    assert default_normaliser().normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("zxqv plorf", 1.0),
        ("what is the max loan", 0.0),
        ("kjhsdf sdfkjh how much", 0.5),
        ("", 0.0),
    ],
)
def test_the_share_of_words_in_no_dictionary_is_measured(text: str, share: float) -> None:
    assert default_normaliser().unknown_share(text) == share
