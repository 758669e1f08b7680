"""Generating each form's domain part (form, slots, utter_ask_ wording) from its questions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.domain_export import FORMS, HEADER, generated_files, main, render_form
from actions.interview import QUESTIONS as INTERVIEW
from actions.lead_questions import QUESTIONS as CONTACT
from tsf_knowledge.nlu_export import stale_files


def test_the_committed_files_are_up_to_date() -> None:
    assert stale_files(generated_files()) == [], "run `python -m actions.domain_export`"


@pytest.mark.parametrize("form", list(FORMS))
def test_a_form_asks_its_questions_in_order(form: str) -> None:
    _, questions = FORMS[form]
    domain = yaml.safe_load(render_form(form, questions))

    assert domain["forms"] == {form: {"required_slots": [q.slot for q in questions]}}
    assert list(domain["slots"]) == [q.slot for q in questions]
    assert render_form(form, questions).splitlines()[0] == HEADER
    assert domain["version"] == "3.1"


def test_a_question_is_asked_in_its_words_with_its_buttons() -> None:
    _, questions = FORMS["eligibility_form"]
    responses = yaml.safe_load(render_form("eligibility_form", questions))["responses"]

    assert responses["utter_ask_amount"] == [
        {
            "text": "Roughly how much would you like to borrow? An estimate is fine, for "
            "example £500,000 or 750k.",
            "buttons": [{"title": "Not sure yet", "payload": "/unsure"}],
        }
    ]
    assert responses["utter_ask_services"] == [
        {"text": "What services do you provide, and for whom?"}
    ]


def test_a_question_asked_by_an_action_has_no_utter_ask_response() -> None:
    domain = yaml.safe_load(render_form("lead_form", CONTACT))

    assert "consent_given" in domain["slots"]
    assert "utter_ask_consent_given" not in domain["responses"]
    assert "utter_ask_lead_confirmed" not in domain["responses"]


def test_an_interview_answer_stated_anywhere_fills_its_slot_through_its_entity() -> None:
    slots = yaml.safe_load(render_form("eligibility_form", INTERVIEW))["slots"]

    assert slots["amount"]["mappings"] == [
        {"type": "from_entity", "entity": "amount"},
        {"type": "custom"},
    ]
    assert slots["answers_confirmed"]["mappings"] == [{"type": "custom"}]


def test_the_check_passes_when_current_and_fails_naming_a_hand_edited_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ["--root", str(tmp_path)]
    assert main([*root, "--check"]) == 1  # nothing written yet
    assert main(root) == 0
    assert main([*root, "--check"]) == 0
    assert "up to date" in capsys.readouterr().out
    edited = tmp_path / FORMS["lead_form"][0]
    edited.write_text(edited.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")

    assert main([*root, "--check"]) == 1
    error = capsys.readouterr().err
    assert f"{edited} is out of date" in error
    assert "python -m actions.domain_export" in error
    assert str(tmp_path / FORMS["eligibility_form"][0]) not in error
