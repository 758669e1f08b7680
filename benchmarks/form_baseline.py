"""A minimal Rasa form bot with one custom validation action, built and served on the fly.

The second yardstick: Rasa's default ``rasa init`` configuration (the same pipeline and
policies as the moodbot), a form of four text slots filled from the user's text while the
form asks for them, rules to start and submit it, and one ``FormValidationAction``
(:mod:`benchmarks.form_bot_actions`) served by ``python -m rasa_sdk``. Like our assistant's
interview, every answer goes through an action server, so it prices what a form costs.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks.baseline import BaselineBot, RunningBaseline, run_rasa, serve, start_python, stop
from benchmarks.form_bot_actions import SLOTS
from tests.support.harness import free_port, wait_until_ready

FORM = "application_form"
ACTIONS_SOURCE = Path(__file__).with_name("form_bot_actions.py")
QUESTIONS = {
    "contact_name": "What is your name?",
    "organisation": "Which organisation are you applying for?",
    "staff_count": "How many staff does it have?",
    "purpose": "What would the money be for?",
}
"""The form's questions, in the order it asks them (one ``utter_ask_<slot>`` each)."""
RESPONSES = {
    "utter_greet": "Hello! I can take an application for you.",
    **{f"utter_ask_{slot}": question for slot, question in QUESTIONS.items()},
    "utter_invalid_answer": "Sorry, I need an answer to that.",
    "utter_invalid_staff_count": "Please give the number of staff as a whole number.",
    "utter_submitted": "Thanks {contact_name}, the application for {organisation} is in.",
    "utter_welcome": "You're welcome.",
    "utter_goodbye": "Bye.",
}


def init_config() -> Path:
    """The ``config.yml`` that ``rasa init`` writes: Rasa's default pipeline and policies."""
    import rasa

    return Path(rasa.__file__).parent / "cli" / "initial_project" / "config.yml"


def domain() -> dict[str, Any]:
    """The form bot's domain: four intents, the form's text slots, its responses."""
    return {
        "version": "3.1",
        "intents": ["greet", "apply", "thank", "goodbye"],
        "slots": {
            slot: {
                "type": "text",
                "influence_conversation": False,
                "mappings": [
                    {
                        "type": "from_text",
                        "conditions": [{"active_loop": FORM, "requested_slot": slot}],
                    }
                ],
            }
            for slot in SLOTS
        },
        "forms": {FORM: {"required_slots": list(SLOTS)}},
        "responses": {name: [{"text": text}] for name, text in RESPONSES.items()},
        "actions": [f"validate_{FORM}"],
        "session_config": {
            "session_expiration_time": 60,
            "carry_over_slots_to_new_session": True,
        },
    }


NLU = """\
version: "3.1"

nlu:
  - intent: greet
    examples: |
      - hello
      - hi
      - hey
      - good morning
      - hi there
  - intent: apply
    examples: |
      - I want to apply
      - I'd like to apply for a loan
      - can I make an application?
      - start an application
      - sign me up
      - apply
  - intent: thank
    examples: |
      - thanks
      - thank you
      - thanks a lot
      - cheers
      - much appreciated
  - intent: goodbye
    examples: |
      - bye
      - goodbye
      - see you
      - that's all, bye
      - good night
"""

RULES = f"""\
version: "3.1"

rules:
  - rule: greet
    steps:
      - intent: greet
      - action: utter_greet
  - rule: thank
    steps:
      - intent: thank
      - action: utter_welcome
  - rule: goodbye
    steps:
      - intent: goodbye
      - action: utter_goodbye
  - rule: start the form
    steps:
      - intent: apply
      - action: {FORM}
      - active_loop: {FORM}
  - rule: submit the form
    condition:
      - active_loop: {FORM}
    steps:
      - action: {FORM}
      - active_loop: null
      - slot_was_set:
          - requested_slot: null
      - action: utter_submitted
"""


def write_project(project: Path) -> None:
    """Write the form bot's Rasa project (config, domain, NLU, rules, actions) into ``project``."""
    (project / "data").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(init_config(), project / "config.yml")
    shutil.copyfile(ACTIONS_SOURCE, project / "actions.py")
    (project / "domain.yml").write_text(yaml.safe_dump(domain(), sort_keys=False), encoding="utf-8")
    (project / "data" / "nlu.yml").write_text(NLU, encoding="utf-8")
    (project / "data" / "rules.yml").write_text(RULES, encoding="utf-8")


def endpoints(actions_port: int) -> str:
    """``endpoints.yml`` pointing Rasa to the action server on loopback ``actions_port``."""
    return f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'


def build_form_baseline(workdir: Path) -> BaselineBot:
    """Write and train the form bot in ``workdir``/formbot (``rasa train``, timed)."""
    project = workdir / "formbot"
    write_project(project)
    started = time.monotonic()
    run_rasa("train", "--fixed-model-name", "formbot", cwd=project)
    seconds = time.monotonic() - started
    return BaselineBot(project, project / "models" / "formbot.tar.gz", seconds)


def start_form_baseline(bot: BaselineBot, log_dir: Path) -> RunningBaseline:
    """Serve the form bot: its action server, then Rasa pointed to it, both on loopback."""
    port = free_port()
    actions = start_python(
        ["-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        bot.project,
        log_dir / "form_baseline_actions.log",
        {"SANIC_HOST": "127.0.0.1"},
    )
    if not wait_until_ready(f"http://127.0.0.1:{port}/health"):
        stop(actions)
        log = (log_dir / "form_baseline_actions.log").read_text()[-3000:]
        raise RuntimeError(f"The form bot's action server did not start:\n{log}")
    (bot.project / "endpoints.yml").write_text(endpoints(port), encoding="utf-8")
    return serve(bot, log_dir / "form_baseline.log", bot.project / "endpoints.yml", actions)
