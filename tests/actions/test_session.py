"""A conversation starts with the privacy notice, once."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rasa_sdk.events import ActionExecuted, SessionStarted

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
