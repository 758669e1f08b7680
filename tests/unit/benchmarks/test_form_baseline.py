"""The form baseline: a valid Rasa project, and the checks of its one validation action."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from benchmarks.form_baseline import FORM, SLOTS, endpoints, write_project
from benchmarks.form_bot_actions import ValidateApplicationForm


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("formbot")
    write_project(folder)
    return folder


def test_the_project_passes_rasa_data_validate(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings"],
        cwd=project,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_the_form_asks_each_slot_and_fills_it_from_the_text_it_asked_for(project: Path) -> None:
    from rasa.shared.core.domain import Domain

    domain = Domain.load(str(project / "domain.yml"))

    assert domain.required_slots_for_form(FORM) == list(SLOTS)
    assert f"validate_{FORM}" in domain.user_actions
    for slot in SLOTS:
        assert f"utter_ask_{slot}" in domain.responses
        (mapping,) = _mappings(domain, slot)
        assert mapping["type"] == "from_text"
        assert mapping["conditions"] == [{"active_loop": FORM, "requested_slot": slot}]


def _mappings(domain: Any, slot: str) -> list[dict[str, Any]]:
    return next(item.mappings for item in domain.slots if item.name == slot)


def test_the_config_is_rasa_inits_own(project: Path) -> None:
    import rasa

    initial = Path(rasa.__file__).parent / "cli" / "initial_project" / "config.yml"

    assert (project / "config.yml").read_text() == initial.read_text()


def test_the_endpoints_point_rasa_to_the_action_server_on_loopback() -> None:
    assert yaml.safe_load(endpoints(5099)) == {
        "action_endpoint": {"url": "http://127.0.0.1:5099/webhook"}
    }


def _tracker(requested: str, value: str, active: bool = True) -> Tracker:
    started = {"message_id": "m1"}
    return Tracker(
        sender_id="s",
        slots={"requested_slot": requested, requested: value},
        latest_message={"message_id": "m2", "text": value},
        events=[
            {"event": "action", "name": FORM},
            {"event": "slot", "name": requested, "value": value},
        ],
        paused=False,
        followup_action=None,
        active_loop={"name": FORM, "trigger_message": started} if active else {},
        latest_action_name=FORM,
    )


DOMAIN = {"forms": {FORM: {"required_slots": list(SLOTS)}}}


def _validate(tracker: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateApplicationForm().run(dispatcher, tracker, DOMAIN))
    return events, dispatcher.messages


@pytest.mark.parametrize(
    ("slot", "answer", "kept"),
    [
        ("contact_name", "  Jo Bloggs ", "Jo Bloggs"),
        ("contact_name", "J", None),
        ("organisation", "   ", None),
        ("staff_count", "1,200", "1200"),
        ("staff_count", "about forty", None),
        ("staff_count", "0", None),
        ("purpose", " a minibus", "a minibus"),
    ],
)
def test_each_answer_is_stripped_and_checked(slot: str, answer: str, kept: str | None) -> None:
    events, messages = _validate(_tracker(slot, answer))

    assert SlotSet(slot, kept) in events
    assert bool(messages) == (kept is None)  # a refused answer is explained


def test_a_form_that_starts_again_starts_empty() -> None:
    events, _ = _validate(_tracker("contact_name", "Jo Bloggs", active=False))

    assert events == [SlotSet(slot, None) for slot in SLOTS]
