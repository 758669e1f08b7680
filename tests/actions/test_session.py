"""A conversation starts with the privacy notice, once."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rasa_sdk.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet

from actions.session import ActionSessionStart
from tests.actions.trackers import make_tracker, run_action
from tests.support.harness import ROOT


async def test_session_start_shows_the_privacy_notice_and_starts_the_session(
    domain: dict[str, Any],
) -> None:
    events, dispatcher = await run_action(ActionSessionStart(), make_tracker(), domain)

    assert [message["response"] for message in dispatcher.messages] == ["utter_privacy_notice"]
    assert events == [SessionStarted(), ActionExecuted("action_listen")]


async def test_the_privacy_notice_states_the_retention_period_purge_applies(
    domain: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TSF_CONVERSATION_RETENTION_DAYS", "30")
    _, dispatcher = await run_action(ActionSessionStart(), make_tracker(), domain)

    [message] = dispatcher.messages
    assert message["retention_days"] == 30
    session = yaml.safe_load((ROOT / "rasa_project/domain/session.yml").read_text())
    [template] = session["responses"]["utter_privacy_notice"]
    assert "up to {retention_days} days" in " ".join(template["text"].split())


async def test_a_new_session_carries_over_every_answer_the_consent_and_the_form(
    domain: dict[str, Any],
) -> None:
    tracker = make_tracker(
        slots={
            "organisation_name": "Riverside CIC",
            "consent_given": "yes",
            "requested_slot": "contact_email",
            "contact_role": None,
            "session_started_metadata": {"channel": "rest"},
        },
        active_loop="lead_form",
    )

    events, _ = await run_action(ActionSessionStart(), tracker, domain)

    assert events == [
        SessionStarted(),
        SlotSet("organisation_name", "Riverside CIC"),
        SlotSet("consent_given", "yes"),
        SlotSet("requested_slot", "contact_email"),
        ActiveLoop("lead_form"),
        ActionExecuted("action_listen"),
    ]


def test_the_domain_asks_rasa_to_carry_slots_over() -> None:
    session = yaml.safe_load((ROOT / "rasa_project/domain/session.yml").read_text())

    assert session["session_config"]["carry_over_slots_to_new_session"] is True
