"""Enquiries are answered from the knowledge base, with sources; amounts get a specific answer."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.enquiries import ActionShowSource
from actions.fallback import ActionAnswerEnquiry, ActionFallback
from actions.services import get_services
from tests.actions.trackers import make_tracker, run_action
from tsf_insight.store import UNKNOWN_TOPIC, InsightStore
from tsf_knowledge.fund_terms import fund_terms

TEAM_PHONE = fund_terms().team_phone


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [message.get("text") or message.get("response") for message in dispatcher.messages]


async def answer(
    domain: dict[str, Any], text: str, intent: str, confidence: float = 1.0
) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    """Answer ``text``, classified as ``intent``, as an enquiry."""
    tracker = make_tracker(text, intent, confidence)
    return await run_action(ActionAnswerEnquiry(), tracker, domain)


@pytest.mark.parametrize(
    ("intent", "fact_id"),
    [
        ("ask_fund_size", "fund_size"),
        ("ask_loan_term", "loan_term"),
        ("ask_contact_team", "contact_team"),
        ("ask_fund_timing", "fund_timing"),
    ],
)
async def test_a_recognised_question_gets_the_facts_answer_and_source(
    domain: dict[str, Any], intent: str, fact_id: str
) -> None:

    fact = get_services().knowledge.fact(fact_id)

    events, dispatcher = await answer(domain, "tell me about it", intent)

    (text,) = texts(dispatcher)
    assert text.startswith(fact.answer)
    assert "Source" in text.splitlines()[-1]
    assert events == [SlotSet("last_fact_id", fact_id)]


@pytest.mark.parametrize(
    ("message", "intent", "fact_id"),
    [
        ("who runs the fund day to day?", "ask_fund_providers", "fund_manager"),
        ("where does big society capital get its money?", "ask_fund_providers", "bsc_funding"),
        ("who is nick o'donohoe?", "ask_fund_providers", "nick_odonohoe"),
        ("who provides the money?", "ask_fund_providers", "fund_providers"),
        ("what are the fund's aims?", "ask_fund_overview", "fund_aims"),
        ("why was the fund set up?", "ask_fund_overview", "fund_rationale"),
        ("what's the average loan?", "ask_loan_amounts", "loan_average"),
        ("is it a grant?", "ask_loan_term", "loan_not_grant"),
        (
            "what is the mutuals information service?",
            "ask_forming_a_social_enterprise",
            "mutuals_information_service",
        ),
        ("tell me about it", "ask_fund_providers", "fund_providers"),
    ],
)
async def test_a_question_group_answers_with_the_fact_its_words_point_to(
    domain: dict[str, Any], message: str, intent: str, fact_id: str
) -> None:
    events, dispatcher = await answer(domain, message, intent)

    assert texts(dispatcher)[0].startswith(get_services().knowledge.fact(fact_id).answer)
    assert events == [SlotSet("last_fact_id", fact_id)]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("could we borrow 100k?", "below the fund's minimum"),
        ("we need 2 million", "above the fund's maximum"),
        ("is £750,000 ok?", "within the fund's range"),
        ("can we get £250,000", "within the fund's range"),
        ("what about £1,000,001?", "above the fund's maximum"),
    ],
)
async def test_an_amount_is_checked_against_the_loan_range(
    domain: dict[str, Any], message: str, expected: str
) -> None:
    events, dispatcher = await answer(domain, message, "check_amount")

    assert expected in texts(dispatcher)[0]
    assert events == [SlotSet("last_fact_id", "loan_amounts")]


async def test_a_loan_size_question_without_an_amount_gets_the_range(
    domain: dict[str, Any],
) -> None:
    _, dispatcher = await answer(domain, "how much can we borrow?", "check_amount")

    assert "£250,000" in texts(dispatcher)[0]


async def test_the_source_of_the_last_answer_is_given_in_full(domain: dict[str, Any]) -> None:
    knowledge = get_services().knowledge
    source = knowledge.sources_for(knowledge.fact("loan_term"))[0]

    _, dispatcher = await run_action(
        ActionShowSource(),
        make_tracker("where's that from?", "request_source", slots={"last_fact_id": "loan_term"}),
        domain,
    )

    assert source.title in texts(dispatcher)[0]
    assert source.publisher in texts(dispatcher)[0]


async def test_without_a_previous_answer_the_sources_are_described(
    domain: dict[str, Any],
) -> None:
    _, dispatcher = await run_action(
        ActionShowSource(), make_tracker("source?", "request_source"), domain
    )

    assert "public documents" in texts(dispatcher)[0]


async def test_the_fallback_answers_from_retrieval_when_it_is_confident(
    domain: dict[str, Any],
) -> None:
    events, dispatcher = await run_action(
        ActionFallback(),
        make_tracker("repayment period for the loans in years", "nlu_fallback", 0.3),
        domain,
    )

    assert events == [SlotSet("last_fact_id", "loan_term")]
    assert "Source" in texts(dispatcher)[0]


@pytest.mark.parametrize(
    ("message", "intent", "expected"),
    [
        ("is £1m allowed?", "ask_dh_19m_funding", "within the fund's range"),
        ("we need to borrow 50k", "ask_how_to_apply", "below the fund's minimum"),
    ],
)
async def test_a_sum_to_borrow_is_checked_whatever_the_intent(
    domain: dict[str, Any], message: str, intent: str, expected: str
) -> None:
    _, dispatcher = await answer(domain, message, intent)

    assert expected in texts(dispatcher)[0]


async def test_a_sum_in_a_question_about_a_past_grant_is_not_treated_as_a_loan_request(
    domain: dict[str, Any],
) -> None:
    _, dispatcher = await answer(domain, "what was the £19m for?", "ask_dh_19m_funding")

    assert texts(dispatcher)[0].startswith(get_services().knowledge.fact("dh_19m_funding").answer)


def ranked(*pairs: tuple[str, float]) -> list[dict[str, Any]]:
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


async def test_the_fallback_trusts_a_weak_guess_that_retrieval_agrees_with(
    domain: dict[str, Any],
) -> None:
    text = "ring the people in charge of the loans"
    retriever = get_services().retriever
    assert retriever.best_match(text) is None, "retrieval alone must be unsure for this test"
    assert "contact_team" in [match.fact.id for match in retriever.search(text)]
    tracker = make_tracker(text, "nlu_fallback", 0.4)
    tracker.latest_message["intent_ranking"] = ranked(
        ("nlu_fallback", 0.5), ("ask_contact_team", 0.4), ("ask_fund_providers", 0.3)
    )

    events, _ = await run_action(ActionFallback(), tracker, domain)

    assert events == [SlotSet("last_fact_id", "contact_team")]


async def test_the_fallback_ignores_a_weak_guess_retrieval_does_not_support(
    domain: dict[str, Any],
) -> None:
    tracker = make_tracker("what's the weather in Leeds", "nlu_fallback", 0.4)
    tracker.latest_message["intent_ranking"] = ranked(
        ("nlu_fallback", 0.5), ("ask_john_taylor_hospice", 0.4)
    )

    events, dispatcher = await run_action(ActionFallback(), tracker, domain)

    assert events == []
    assert dispatcher.messages[0]["response"] == "utter_ask_rephrase"


async def test_a_question_the_documents_do_not_answer_is_said_so_and_recorded_as_a_gap(
    domain: dict[str, Any], gap_store: InsightStore
) -> None:
    events, dispatcher = await answer(
        domain, "Is there an arrangement fee on the loans?", "ask_loan_term"
    )

    (text,) = texts(dispatcher)
    assert text.startswith("The fund's documents don't say anything about fees")
    assert "Source" not in text
    assert events == [SlotSet("last_fact_id", None)]
    (gap,) = gap_store.gaps_since(datetime.fromtimestamp(0, timezone.utc))
    assert (gap.reason, gap.question, gap.best_guess) == (
        UNKNOWN_TOPIC,
        "Is there an arrangement fee on the loans?",
        "fees",
    )


async def test_two_questions_get_two_answers_and_an_amount_with_a_term_two_checks(
    domain: dict[str, Any],
) -> None:
    dispatcher = CollectingDispatcher()

    await ActionAnswerEnquiry().run(
        dispatcher,
        make_tracker("what's the max loan and how long do we have to repay?", "ask_loan_term"),
        domain,
    )
    await ActionAnswerEnquiry().run(
        dispatcher, make_tracker("£900k but over 8 years?", "check_amount"), domain
    )

    said = texts(dispatcher)
    assert said[0].startswith(get_services().knowledge.fact("loan_amounts").answer)
    assert said[1].startswith(get_services().knowledge.fact("loan_term").answer)
    assert "£900,000 is within the fund's range" in said[2]
    assert "8 years is longer than the fund's repayment term" in said[2]


async def test_the_normalised_text_is_what_is_answered(domain: dict[str, Any]) -> None:
    tracker = make_tracker("wats the repaymnt term", "nlu_fallback", 0.3)
    tracker.latest_message["normalised_text"] = "what's the repayment term"

    events, _ = await run_action(ActionFallback(), tracker, domain)

    assert events == [SlotSet("last_fact_id", "loan_term")]


async def test_a_question_with_only_the_shape_of_a_fund_question_gets_no_fact(
    domain: dict[str, Any],
) -> None:
    events, dispatcher = await answer(domain, "what is naval engineering", "ask_fund_overview", 0.8)

    assert [message.get("response") for message in dispatcher.messages] == ["utter_ask_rephrase"]
    assert events == []


async def test_long_context_before_a_question_does_not_stop_it_being_answered(
    domain: dict[str, Any],
) -> None:
    message = (
        "I work in a county council commissioning team and we buy services from several "
        "mutuals that left the council a few years ago. Some of them struggle with outdated "
        "IT. What sort of technology could the loans pay for?"
    )

    _, dispatcher = await answer(domain, message, "ask_eligible_uses")

    (text,) = texts(dispatcher)
    assert text.startswith(get_services().knowledge.fact("eligible_uses").answer)


@pytest.mark.parametrize(
    ("text", "guess"),
    [("are androids expensive", "ask_interest_rate"), ("where do eggs come from", "ask_seif")],
)
async def test_a_question_that_never_mentions_the_fund_needs_more_of_its_words_to_be_answered(
    domain: dict[str, Any], text: str, guess: str
) -> None:
    tracker = make_tracker(text, "nlu_fallback", 0.4)
    tracker.latest_message["intent_ranking"] = ranked(("nlu_fallback", 0.5), (guess, 0.45))

    events, _ = await run_action(ActionFallback(), tracker, domain)

    assert events == []


async def test_a_figure_of_the_fund_itself_is_not_checked_as_a_loan(domain: dict[str, Any]) -> None:
    _, dispatcher = await answer(
        domain, "How much of the £6m is still left to lend?", "ask_fund_size"
    )

    (text,) = texts(dispatcher)
    assert "above the fund's maximum" not in text
    assert TEAM_PHONE in text


async def test_each_answer_is_counted_by_its_fact_for_the_metrics(domain: dict[str, Any]) -> None:
    from tsf_config.metrics import metrics

    def count(fact_id: str) -> float:
        labels = {"fact": fact_id}
        return metrics().registry.get_sample_value("tsf_answers_total", labels) or 0

    events = (await answer(domain, "what's the average loan?", "ask_loan_amounts"))[0]
    [fact_id] = [event["value"] for event in events if event.get("name") == "last_fact_id"]
    before = count(fact_id)
    await answer(domain, "what's the average loan?", "ask_loan_amounts")

    assert count(fact_id) == before + 1


async def test_an_answer_that_gives_a_fact_carries_its_fact_and_a_token_of_its_own(
    domain: dict[str, Any],
) -> None:
    _, first = await answer(domain, "tell me about it", "ask_fund_size")
    _, second = await answer(domain, "tell me about it", "ask_fund_size")

    (one,), (two,) = first.messages, second.messages
    assert one["tsf_answer"]["fact_id"] == "fund_size"
    assert one["tsf_answer"]["id"] and one["tsf_answer"]["id"] != two["tsf_answer"]["id"]


async def test_a_reply_that_gives_no_fact_carries_no_answer_token(domain: dict[str, Any]) -> None:
    _, dispatcher = await answer(
        domain, "Is there an arrangement fee on the loans?", "ask_loan_term"
    )

    assert texts(dispatcher)[0].startswith("The fund's documents don't say anything about fees")
    assert all("tsf_answer" not in message for message in dispatcher.messages)
