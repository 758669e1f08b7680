"""Recognising questions about the fund that its documents don't answer."""

from __future__ import annotations

import re

import pytest

from tsf_knowledge.fund_terms import fund_terms
from tsf_knowledge.loader import default_knowledge
from tsf_knowledge.unknown_topics import (
    UnknownTopic,
    find_unknown_topic,
    mentions_the_fund,
    speaks_of_the_domain,
    unknown_topic_reply,
    unknown_topics,
)

TEAM_PHONE = fund_terms().team_phone

UNCOVERED = [
    # Legal structures and regulators
    ("can a company limited by guarantee apply for a loan?", "legal_structure"),
    ("can registered charities apply to the fund?", "legal_structure"),
    ("do we need to be cqc registered to get a loan", "regulation"),
    ("is there an age limit for organisations applying?", "trading_history"),
    # Said without the usual words
    ("any penalty if we pay it all back after two years rather than three?", "early_repayment"),
    ("how much of the £6m fund has been lent so far", "loans_made"),
    ("who will decide on our application", "assessment"),
    # Fees and charges
    ("are there any arrangement fees on the loans", "fees"),
    ("is there an application fee?", "fees"),
    ("what fess do you charge for a tsf loan", "fees"),
    ("any hidden charges with the loan?", "fees"),
    ("does it cost anything to apply", "fees"),
    # Security and guarantees
    ("do we need to provide security for the loan", "security"),
    ("would our directors have to give a personal guarentee", "security"),
    ("is colatoral required for a loan", "security"),
    ("is it an unsecured loan?", "security"),
    ("guarantor needed?", "security"),
    # Deadlines, being open, the end of the fund
    ("what's the closing date for applications", "deadline"),
    ("is there a dedline to apply for the tsf", "deadline"),
    ("when do applications close", "deadline"),
    ("is the fund still open?", "still_open"),
    ("are you still accepting applications", "still_open"),
    ("can we still apply for a loan today", "still_open"),
    ("has the tsf closed", "still_open"),
    ("when does the fund finish", "end_date"),
    # Geography
    ("can organisations in scotland apply", "regions"),
    ("we're a scotish cic, are we eligible", "regions"),
    ("is the fund open to spin outs in northern ireland", "regions"),
    ("is it only for england", "regions"),
    ("we're a welsh social enterprise can we borrow", "regions"),
    # Repaying
    ("can we repay the loan early", "early_repayment"),
    ("is there a penality for paying it off early?", "early_repayment"),
    ("early repayemnt charges?", "early_repayment"),
    ("can we have a repayment holliday", "repayment_holiday"),
    ("can the first year be interest only", "repayment_holiday"),
    ("when do repayments start", "repayment_holiday"),
    ("are repayments monthly or quarterly", "repayment_schedule"),
    ("what's the repayment schedual", "repayment_schedule"),
    ("how much would we pay back each month", "repayment_schedule"),
    ("what happens if we can't repay the loan", "default"),
    ("what if we miss a repayment", "default"),
    ("what if our spin-out goes bust", "default"),
    # The interest rate beyond "comparatively competitive"
    ("is the intrest rate fixed or variable?", "interest_rate_type"),
    ("is it a variable rate loan", "interest_rate_type"),
    ("is the rate linked to the bank of england base rate", "interest_rate_type"),
    ("what APR exactly", "interest_rate_figure"),
    ("what is the exact interest rate", "interest_rate_figure"),
    ("is the rate about 4%?", "interest_rate_figure"),
    # Other kinds of finance
    ("do you take equity in the spin-out", "equity"),
    ("would we have to give up shares", "equity"),
    ("do we need match funding", "match_funding"),
    ("do we have to put in some of our own money", "match_funding"),
    ("can the loan cover 100% of the project cost", "match_funding"),
    ("can we combine the tsf loan with other funding", "other_funding"),
    ("can we use it alongside a grant from SEIF", "other_funding"),
    ("we already have a bank loan, does that matter", "other_funding"),
    ("can we take out a second loan later", "repeat_loans"),
    ("can we apply for more than one loan", "repeat_loans"),
    # Applying and decisions
    ("how many loans has the fund made so far", "loans_made"),
    ("which organisations have received a tsf loan", "loans_made"),
    ("how much money is left in the fund", "loans_made"),
    ("what are our chances of getting a loan", "success_rate"),
    ("how long does it take to get a decision", "decision_time"),
    ("how quickly could we get the money", "decision_time"),
    ("when will we hear back about our application", "decision_time"),
    ("what documents do we need to send with our application", "application_documents"),
    ("do you need to see our acounts", "application_documents"),
    ("do we have to submit a buisness plan", "application_documents"),
    ("where can i download the aplication form", "application_form"),
    ("is there an online application portal", "application_form"),
    ("who decides which spin outs get a loan", "assessment"),
    ("is there an interview as part of applying", "assessment"),
    ("if we get turned down can we reapply", "reapply"),
    ("can we appeal a decision on our application", "reapply"),
    ("will you run a credit check on us", "credit_checks"),
    ("do we pay vat on the loan", "tax"),
    ("how long do we need to have been trading", "trading_history"),
    ("is there a minimum trading history", "trading_history"),
    ("is there a minimum turnover to apply", "size_requirements"),
    ("are we too small to apply for a loan", "size_requirements"),
    ("can we make a joint application with another cic", "joint_applications"),
    ("can the loan cover costs we've already incurred", "retrospective"),
    # Contact details the documents lack
    ("what's the email address for the social investment team", "email_address"),
    ("can i email you instead of calling", "email_address"),
    ("what's your postal address", "office_address"),
    ("what are your opening hours", "phone_hours"),
    ("who is on the social investment team", "team_names"),
    ("does the tsf have a website", "website"),
    ("where can i read more about the fund online", "website"),
    # After the loan is agreed
    ("how is the loan paid out", "drawdown"),
    ("can we draw down the money in stages", "drawdown"),
    ("is the money released in tranches", "drawdown"),
    ("how long do we have to spend the loan", "spend_period"),
    ("what reporting will we need to do once we have the loan", "monitoring"),
    ("what are the terms and conditions of the loan", "loan_agreement"),
    ("are there covenants on the loan", "loan_agreement"),
    ("do you offer mentoring alongside the loan", "business_support"),
    ("does state aid apply to the loan", "state_aid"),
    ("do we need insurance to get a loan", "insurance"),
    ("can we pick our own suppliers for the new system", "suppliers"),
    ("is there an approved vendor list we must buy from", "suppliers"),
    ("what percentage of the total project cost can the loan cover", "share_of_costs"),
    ("is a minimum turnover needed to be eligible", "size_requirements"),
]


@pytest.mark.parametrize(("text", "key"), UNCOVERED)
def test_finds_uncovered_topics(text: str, key: str) -> None:
    topic = find_unknown_topic(text)
    assert topic is not None, text
    assert topic.key == key


COVERED = [
    "what is the interest rate",
    "what's the APR",
    "how much interest will we pay",
    "are the loans interest free",
    "what's the maximum loan",
    "what's the least we can borrow",
    "how long is the loan term",
    "how long do we have to repay",
    "can we take longer than 5 years to repay",
    "who runs the fund",
    "who manages the TSF",
    "who can apply",
    "is the fund open to charities",
    "can a private company apply",
    "what is a spin-out",
    "when will loans be available",
    "when did the fund launch",
    "when does the fund open",
    "how do we apply",
    "how do i apply for a loan",
    "how big is the fund",
    "who funds the tsf",
    "what's the average loan",
    "what can the loan be used for",
    "can we use it for a new building",
    "can the loan pay for salaries",
    "could we use it to refinance our existing debt",
    "is it a loan or a grant",
    "can we get a grant instead of a loan",
    "what's your phone number",
    "who do i ring",
    "do we need to have launched already",
    "is cyber security eligible spend",
    "would a telehealth remote monitoring project qualify",
    "can the money go on a new website",
    "what did big society capital's equity come from",
    "what share of the fund does DH provide",
    "what is the minimum size of a loan",
    "how long has the fund been running",
    "what is the mutuals support programme",
]


@pytest.mark.parametrize("text", COVERED)
def test_covered_questions_give_none(text: str) -> None:
    assert find_unknown_topic(text) is None


OFF_TOPIC = [
    "what's the fee for a passport",
    "interest rate on my mortgage",
    "is my mortgage rate fixed or variable",
    "what's the deadline for my tax return",
    "how do i get a credit check on my tenant",
    "can you recommend a mentor for my son",
    "what's the vat rate on laptops",
    "is there an early repayment charge on my car loan",
    "what's the weather like in scotland",
    "what is the security like on this chat",
    "hi",
    "thanks so much",
]


@pytest.mark.parametrize("text", OFF_TOPIC)
def test_off_topic_questions_give_none(text: str) -> None:
    assert find_unknown_topic(text) is None


# Facts whose training examples include questions on an uncovered detail, and the topics
# those examples may match; every other fact's examples must match nothing.
INTENDED_OVERLAPS = {
    "fund_timing": {"still_open", "deadline", "end_date"},
    "interest_rate": {"interest_rate_type", "interest_rate_figure"},
    "how_to_apply": {"application_form", "application_documents", "decision_time", "assessment"},
    "contact_team": {"email_address", "team_names"},
    "who_can_apply": {"regions", "legal_structure"},
}


def test_fact_examples_only_overlap_where_intended() -> None:
    unexpected = []
    for fact in default_knowledge().facts:
        allowed = INTENDED_OVERLAPS.get(fact.id, set())
        for example in fact.examples:
            topic = find_unknown_topic(example)
            if topic is not None and topic.key not in allowed:
                unexpected.append((fact.id, topic.key, example))
    assert unexpected == []


def test_topics_are_well_formed() -> None:
    keys = [topic.key for topic in unknown_topics()]
    assert len(keys) == len(set(keys))
    assert 30 <= len(keys) <= 45
    fact_ids = {fact.id for fact in default_knowledge().facts}
    for topic in unknown_topics():
        assert re.fullmatch(r"[a-z_]+", topic.key)
        assert topic.name and not topic.name.endswith(".")
        assert not topic.note or topic.note.endswith(".")
        assert not topic.related_fact or topic.related_fact in fact_ids


def test_every_topic_is_reachable() -> None:
    found = {key for _, key in UNCOVERED}
    assert found == {topic.key for topic in unknown_topics()}


def test_reply_names_the_topic_and_gives_the_number() -> None:
    topic = UnknownTopic("fees", "fees or charges for a loan")
    assert unknown_topic_reply(topic, TEAM_PHONE) == (
        "The fund's documents don't say anything about fees or charges for a loan. "
        f"The Local Partnerships Social Investment Team can tell you: call {TEAM_PHONE}."
    )


@pytest.mark.parametrize("topic", unknown_topics(), ids=lambda topic: topic.key)
def test_every_reply_is_short_and_honest(topic: UnknownTopic) -> None:
    reply = unknown_topic_reply(topic, TEAM_PHONE)
    sentences = re.findall(r"[^.]+\.(?:\s|$)", reply.replace(TEAM_PHONE, "PHONE"))
    assert 2 <= len(sentences) <= 3
    assert topic.name in reply
    assert "don't say anything about" in reply
    assert reply.endswith(f"call {TEAM_PHONE}.")


def test_reply_adds_what_the_documents_do_say() -> None:
    topic = find_unknown_topic("what is the exact interest rate")
    assert topic is not None
    assert "comparatively competitive" in unknown_topic_reply(topic, TEAM_PHONE)


def test_works_on_messy_text() -> None:
    topic = find_unknown_topic("  Are there ANY   arrangement-fees on TSF loans?!  ")
    assert topic is not None and topic.key == "fees"
    assert find_unknown_topic("") is None
    assert find_unknown_topic("???") is None


def test_a_question_the_classifier_took_for_an_enquiry_needs_no_fund_word() -> None:
    assert find_unknown_topic("is there an arrangement fee?") is None
    topic = find_unknown_topic("is there an arrangement fee?", about_the_fund=True)

    assert topic is not None and topic.key == "fees"
    assert find_unknown_topic("what's the fee for a passport?", about_the_fund=True) is None


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("how long does a loan application take?", True),
        ("can we borrow from the TSF?", True),
        ("is the spin-out fund open?", True),
        ("can you help me?", False),
        ("what's the interest rate on my mortgage?", False),
        ("how do I get a student loan", False),
    ],
)
def test_a_message_mentions_the_fund_only_with_a_loan_or_fund_word(text: str, about: bool) -> None:
    assert mentions_the_fund(text) is about


def test_the_repayment_terms_are_the_term_the_documents_give() -> None:
    assert find_unknown_topic("how long are the repayment terms?", about_the_fund=True) is None


@pytest.mark.parametrize(
    ("text", "spoken_of"),
    [
        ("what's the £250,000 minimum in dollars?", True),
        ("we want tablets for our nurses, would that be covered?", True),
        ("how much has seif invested?", True),
        ("where do eggs come from", False),
        ("are androids expensive", False),
        ("who is the chief executive of NHS England?", False),
    ],
)
def test_the_domain_is_spoken_of_in_the_fund_s_own_words(text: str, spoken_of: bool) -> None:
    assert speaks_of_the_domain(text) is spoken_of
