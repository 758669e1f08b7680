"""Generate each form's part of the Rasa domain from its questions.

The form, a slot for each question and the ``utter_ask_<slot>`` responses come from the
question tables (``actions/interview.py``, ``actions/lead_questions.py``); everything else
in the domain is written by hand. Run it after editing a question::

    python -m actions.domain_export           # write the generated domain files
    python -m actions.domain_export --check   # exit 1 if any of them is out of date
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from actions import interview, lead_questions
from actions.questions import Question, button_dicts
from tsf_knowledge.nlu_export import RASA_DATA_VERSION, REPO_ROOT, check_or_write

COMMAND = "python -m actions.domain_export"
HEADER = f"# Generated from the form's questions by `{COMMAND}`; do not edit."
FORMS: dict[str, tuple[Path, tuple[Question, ...]]] = {
    "eligibility_form": (Path("rasa_project/domain/eligibility_form.yml"), interview.QUESTIONS),
    "lead_form": (Path("rasa_project/domain/lead_form.yml"), lead_questions.QUESTIONS),
}


def _slot(question: Question) -> dict[str, Any]:
    entity = [{"type": "from_entity", "entity": question.slot}] if question.from_entity else []
    return {
        "type": "text",
        "influence_conversation": False,
        "mappings": [*entity, {"type": "custom"}],
    }


def _ask(question: Question) -> list[dict[str, Any]]:
    buttons = {"buttons": button_dicts(question.buttons)} if question.buttons else {}
    return [{"text": question.ask, **buttons}]


def render_form(form: str, questions: Sequence[Question]) -> str:
    """A Rasa domain file: the form, its questions' slots and their ``utter_ask_`` wording."""
    domain = {
        "forms": {form: {"required_slots": [question.slot for question in questions]}},
        "slots": {question.slot: _slot(question) for question in questions},
        "responses": {
            f"utter_ask_{question.slot}": _ask(question) for question in questions if question.ask
        },
    }
    sections = (
        yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=92)
        for key, value in domain.items()
    )
    return "\n".join((f'{HEADER}\nversion: "{RASA_DATA_VERSION}"\n', *sections))


def generated_files(root: Path = REPO_ROOT) -> dict[Path, str]:
    """What each generated domain file should contain, keyed by its path under ``root``."""
    return {root / path: render_form(form, questions) for form, (path, questions) in FORMS.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 out of date)."""
    parser = argparse.ArgumentParser(prog=COMMAND, description="Generate the forms' domain files.")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file is out of date"
    )
    args = parser.parse_args(argv)
    return check_or_write(
        generated_files(args.root), args.check, COMMAND, "the questions", "form domain data"
    )


if __name__ == "__main__":
    sys.exit(main())
