"""The verdict lists every criterion; an early end says why; the summary shows every answer."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.eligibility_verdict import (
    ActionAskAnswersConfirmed,
    ActionGiveVerdict,
    ActionStartInterview,
)
from tests.actions.test_eligibility_form import ALL_ANSWERED
from tests.actions.trackers import make_tracker, run_action

ENDED_ON_REPAYMENT = {
    "organisation_name": "Oakhill CIC",
    "can_repay": "no",
    "eligibility_verdict": "not_eligible",
    "disqualified_by": "repayment",
}
"""A check that ended early because the organisation cannot repay in 3 to 5 years."""


async def give_verdict(slots: dict[str, Any]) -> tuple[list[Any], list[str]]:
    events, dispatcher = await run_action(ActionGiveVerdict(), make_tracker(slots=slots))
    return events, [message["text"] for message in dispatcher.messages]


async def start_interview(
    text: str = "", intent: str | None = None, **tracker: Any
) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    """Start the interview on ``text``; ``tracker`` are the rest of ``make_tracker``'s arguments."""
    return await run_action(ActionStartInterview(), make_tracker(text, intent, **tracker))


async def test_an_eligible_organisation_hears_each_criterion_met_and_the_next_step() -> None:
    events, texts = await give_verdict({**ALL_ANSWERED, "answers_confirmed": "yes"})

    assert events == [SlotSet("eligibility_verdict", "eligible")]
    assert texts[0].count("✓ Met") == 5
    assert "020 7187 7379" in texts[1]


async def test_unsure_answers_give_a_borderline_verdict_with_points_to_discuss() -> None:
    events, texts = await give_verdict({**ALL_ANSWERED, "can_repay": "unsure", "amount": "unsure"})

    assert events == [SlotSet("eligibility_verdict", "borderline")]
    assert texts[0].count("? To discuss") == 2


async def test_a_pre_launch_organisation_is_told_kindly_what_it_can_do_now() -> None:
    events, texts = await give_verdict(
        {
            "organisation_name": "Newco",
            "spun_out": "yes",
            "trading": "no",
            "disqualified_by": "launched",
        }
    )

    assert events == [SlotSet("eligibility_verdict", "not_eligible")]
    assert "stopped the check here" in texts[0]
    assert "come back once you have launched" in texts[0]
    assert "Mutuals Information Service" in texts[0]


async def test_the_summary_shows_every_answer_with_confirm_and_change_buttons() -> None:
    _, dispatcher = await run_action(ActionAskAnswersConfirmed(), make_tracker(slots=ALL_ANSWERED))

    (message,) = dispatcher.messages
    assert "Riverside Care CIC" in message["text"]
    assert "£500,000" in message["text"]
    assert [button["payload"] for button in message["buttons"]] == ["/affirm", "/change_answer"]


async def test_the_summary_shows_the_range_an_unsure_amount_was_given_as() -> None:
    slots = {
        **ALL_ANSWERED,
        "amount": "unsure",
        "own_words": {"amount": "somewhere from £200k to £320k, quotes pending"},
    }

    _, dispatcher = await run_action(ActionAskAnswersConfirmed(), make_tracker(slots=slots))

    assert "• Amount: not sure (£200,000 to £320,000)" in dispatcher.messages[0]["text"]


async def test_when_choosing_what_to_change_every_answer_is_offered() -> None:
    _, dispatcher = await run_action(
        ActionAskAnswersConfirmed(), make_tracker(slots={**ALL_ANSWERED, "choosing_answer": True})
    )

    (message,) = dispatcher.messages
    assert len(message["buttons"]) == 8
    assert message["buttons"][6]["payload"] == '/change_answer{"answer_to_change": "amount"}'


async def test_starting_the_interview_again_after_a_verdict_clears_earlier_answers() -> None:
    events, dispatcher = await start_interview(
        slots={**ALL_ANSWERED, "eligibility_verdict": "eligible"}
    )

    assert SlotSet("amount", None) in events
    assert SlotSet("disqualified_by", None) in events
    assert SlotSet("eligibility_verdict", None) in events
    assert "8 short questions" in dispatcher.messages[0]["text"]


async def test_starting_the_interview_keeps_what_the_user_already_said() -> None:
    known = {"spun_out": "yes", "origin": "the local NHS trust", "amount": "350000"}
    said_earlier = [{"event": "slot", "name": k, "value": v} for k, v in known.items()]
    events, dispatcher = await start_interview(
        "I would like the eligibility check", slots=known, events=[*said_earlier, {"event": "user"}]
    )

    assert SlotSet("amount", "350000") in events
    assert SlotSet("organisation_name", None) in events
    assert "5 more questions" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[1]["text"].startswith("From what you told me earlier:")
    assert "• Amount: £350,000" in dispatcher.messages[1]["text"]
    assert SlotSet("disqualified_by", "spin_out") not in events


async def test_starting_with_a_fact_that_rules_the_organisation_out_ends_the_check() -> None:
    events, _ = await start_interview(
        "we're a limited company that was never part of the public sector, can we apply?",
        "check_eligibility",
        extracted={"spun_out": "no"},
    )

    assert SlotSet("disqualified_by", "spin_out") in events
    assert SlotSet("spun_out", "no") in events


async def test_a_check_that_already_knows_every_answer_asks_only_to_confirm_them() -> None:
    known = {
        "organisation_name": "Riverside Care CIC",
        "spun_out": "yes",
        "origin": "the local NHS trust",
        "trading": "yes",
        "services": "community nursing",
        "investment_purpose": "new software",
        "amount": "350000",
        "can_repay": "yes",
    }

    _, dispatcher = await start_interview(slots=known)

    assert "0 more" not in dispatcher.messages[0]["text"]
    assert "check your answers" in dispatcher.messages[0]["text"]


async def test_a_correction_after_an_early_end_goes_on_without_listing_everything_again() -> None:
    known = {"organisation_name": "Riverside Care CIC", "can_repay": "no", "term_years": "8"}
    events, dispatcher = await start_interview(
        "sorry, I meant 4 years, not 8",
        "check_eligibility",
        slots={**known, "disqualified_by": "repayment"},
    )

    assert SlotSet("organisation_name", "Riverside Care CIC") in events
    assert dispatcher.messages == []


async def test_what_the_latest_message_said_is_left_for_the_form_to_note() -> None:
    _, dispatcher = await start_interview(
        "we need 350k, can we apply?", extracted={"amount": "350000"}
    )

    assert all("Amount" not in message["text"] for message in dispatcher.messages)


async def test_telling_more_after_an_early_end_keeps_every_answer() -> None:
    before = {**ENDED_ON_REPAYMENT, "term_years": "8"}
    events, _ = await start_interview(
        "We run talking therapies", slots=before, extracted={"services": "talking therapies"}
    )

    assert SlotSet("organisation_name", "Oakhill CIC") in events
    assert SlotSet("disqualified_by", "repayment") in events


async def test_start_again_after_an_early_end_starts_afresh() -> None:
    events, _ = await start_interview("/check_eligibility", slots=ENDED_ON_REPAYMENT)

    assert SlotSet("organisation_name", None) in events
    assert SlotSet("can_repay", None) in events


async def test_starting_the_check_says_nothing_about_a_question_nothing_answers() -> None:
    _, dispatcher = await start_interview(
        "ok cool. can u check us? we're Larch Lane Therapies", "check_eligibility"
    )

    assert "don't know" not in dispatcher.messages[0]["text"]
    assert "short questions" in dispatcher.messages[0]["text"]


async def test_each_verdict_given_is_counted_once_for_the_metrics() -> None:
    from tsf_config.metrics import metrics

    def count(verdict: str) -> float:
        labels = {"verdict": verdict}
        return metrics().registry.get_sample_value("tsf_eligibility_checks_total", labels) or 0

    eligible, stopped = count("eligible"), count("not_eligible")
    await give_verdict({**ALL_ANSWERED, "answers_confirmed": "yes"})
    await give_verdict({"spun_out": "yes", "trading": "no", "disqualified_by": "launched"})

    assert (count("eligible"), count("not_eligible")) == (eligible + 1, stopped + 1)
