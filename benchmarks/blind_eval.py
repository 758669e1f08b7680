"""Understanding measured on text written blind, asked of the real running assistant.

``tests/data/blind/`` was written from the fund's three source documents only, by a writer
who never saw the training data (its README says how). It is frozen: never trained on,
never tuned to. This module only measures it:

* single questions: in scope (the reply carries every required piece of the answer),
  unanswered by the documents (the reply says they don't cover it and gives the team's
  number), off-topic (no fund fact stated);
* free-text conversations: after each turn the reply and the conversation's state (the
  question being asked, the verdict, a lead sent) are checked against what the writer said a
  correct reply must do;
* unrelated queries from CLINC150's validation split (its out-of-scope queries and a
  sample of its in-scope ones): the share answered with a fund fact.

The held-out set (``benchmarks.answer_accuracy``) is asked of the same assistant.

Usage: ``python -m benchmarks.blind_eval [--out FILE] [--record after|before]`` (starts its
own assistant; ``--record`` keeps the figures for ``benchmarks/report.md``).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from actions.interview import application_from_slots
from benchmarks import answer_accuracy
from benchmarks.answer_accuracy import AccuracyReport, new_sender, reply_text, tally
from benchmarks.report import LATER_SETS, QUESTION_KINDS, understanding_rows, write_report
from channels.conversation_ids import conversation_id
from tests.support.harness import ROOT, RunningAssistant, http, start_assistant
from tsf_knowledge.eligibility import assess
from tsf_knowledge.facts import KnowledgeBase
from tsf_knowledge.fund_terms import fund_terms
from tsf_knowledge.loader import default_knowledge

BLIND_DIR = ROOT / "tests" / "data" / "blind"
# Written the same way, later, each frozen unread when written (their READMEs say how): the
# second to sixth were then read to improve the assistant, so the seventh is the honest measure.
LATER_BLIND_SETS = {
    key: ROOT / "tests" / "data" / f"blind_v{number}"
    for number, key in enumerate(LATER_SETS, start=2)
}
CLINC_PATH = ROOT.parent / "shared" / "data" / "clinc150" / "clinc150_train_val.json"
RESULTS_PATH = ROOT / "benchmarks" / "results.json"
CLINC_IN_SCOPE_SAMPLE = 300
CLINC_SEED = 2014
# Ways of saying the documents don't answer something (with the team's number, this is the
# right reply to a question they don't answer, whether or not a nearby fact is cited too).
NOT_COVERED = re.compile(
    r"\b(?:do(?:es)?n'?t|do(?:es)? not|did not|didn'?t) (?:cover|say|mention|know|describe|give"
    r"|have|include|state|find)|\b(?:cannot|can'?t|couldn'?t) (?:confirm|find|say)"
    r"|not covered|no information",
    re.IGNORECASE,
)
SOURCE_LINE = re.compile(r"^Sources?: ", re.MULTILINE)
# Interview and lead-form topics, as the blind set names them, to the slot that asks them.
TOPIC_SLOTS = {
    "organisation_name": "organisation_name",
    "spin_out": "spun_out",
    "origin": "origin",
    "trading": "trading",
    "services": "services",
    "purpose": "investment_purpose",
    "amount": "amount",
    "repayment": "can_repay",
    "confirm_answers": "answers_confirmed",
    "consent": "consent_given",
    "contact_name": "contact_name",
    "contact_role": "contact_role",
    "contact_email": "contact_email",
    "contact_phone": "contact_phone",
    "contact_time": "contact_time",
    "confirm_details": "lead_confirmed",
}


# --- Judging a reply ------------------------------------------------------------------------


def includes_all(reply: str, groups: Iterable[Sequence[str]]) -> bool:
    """Whether ``reply`` holds one alternative of every group (case-insensitive)."""
    folded = _fold(reply)
    return all(any(_fold(option) in folded for option in group) for group in groups)


def includes_none(reply: str, phrases: Iterable[str]) -> bool:
    """Whether ``reply`` holds none of ``phrases`` (case-insensitive)."""
    folded = _fold(reply)
    return not any(_fold(phrase) in folded for phrase in phrases)


def states_a_fact(reply: str, knowledge: KnowledgeBase) -> bool:
    """Whether ``reply`` gives a fund fact: every fact the assistant states carries a source."""
    return bool(SOURCE_LINE.search(reply)) or any(fact.answer in reply for fact in knowledge.facts)


def says_not_covered(reply: str) -> bool:
    """Whether ``reply`` says the documents don't answer it and gives the team's number."""
    return fund_terms().team_phone in reply and bool(NOT_COVERED.search(reply))


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


# --- Single questions -----------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    """One blind question, the reply, and whether it was right."""

    id: str
    kind: str
    text: str
    reply: str
    correct: bool


def judge_question(item: Mapping[str, Any], reply: str, knowledge: KnowledgeBase) -> bool:
    """Whether ``reply`` is a right reply to the blind question ``item``."""
    if not includes_none(reply, item.get("must_not_include") or ()):
        return False
    kind = item["kind"]
    if kind == "in_scope":
        return includes_all(reply, item.get("must_include") or ())
    if kind == "unanswered":
        return says_not_covered(reply)
    return not states_a_fact(reply, knowledge)


def ask_questions(
    assistant: RunningAssistant, items: Sequence[Mapping[str, Any]], knowledge: KnowledgeBase
) -> list[QuestionResult]:
    """Ask each question in a new conversation and judge the reply."""
    results = []
    for item in items:
        reply = reply_text(assistant.texts(new_sender("blind"), item["text"]))
        correct = judge_question(item, reply, knowledge)
        results.append(QuestionResult(item["id"], item["kind"], item["text"], reply, correct))
    return results


# --- Conversations --------------------------------------------------------------------------


@dataclass(frozen=True)
class TurnResult:
    """One turn of a blind conversation and the checks it failed."""

    user: str
    reply: str
    failed: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Whether every check passed."""
        return not self.failed


@dataclass(frozen=True)
class ConversationResult:
    """One blind conversation, turn by turn.

    ``ended_early_rightly``: the assistant ended the check early, as issue 4 specifies, on
    the very rule the writer expected the verdict to give, with every turn before it right.
    The first blind set's writer expected the check to run to the end instead (its README,
    judgement call 11), so such a conversation is counted apart, never as passed.
    """

    id: str
    title: str
    turns: tuple[TurnResult, ...]
    ended_early_rightly: bool = False

    @property
    def passed(self) -> bool:
        """Whether every turn passed."""
        return all(turn.passed for turn in self.turns)


@dataclass(frozen=True)
class TurnState:
    """What the conversation looks like after a turn."""

    reply: str
    slots: Mapping[str, Any]
    lead_sent_now: bool


def failed_checks(
    expect: Mapping[str, Any], state: TurnState, knowledge: KnowledgeBase
) -> list[str]:
    """The names of the checks in ``expect`` that ``state`` fails."""
    reply, slots = state.reply, state.slots
    asked = slots.get("requested_slot")
    failed = []
    if "asks" in expect and asked not in {TOPIC_SLOTS.get(t) for t in expect["asks"]}:
        failed.append(f"asks {expect['asks']} (asked {asked})")
    if "not_asks" in expect and asked in {TOPIC_SLOTS.get(t) for t in expect["not_asks"]}:
        failed.append(f"not_asks {expect['not_asks']} (asked {asked})")
    if "verdict" in expect and slots.get("eligibility_verdict") != expect["verdict"]:
        failed.append(f"verdict {expect['verdict']} (got {slots.get('eligibility_verdict')})")
    if "reason" in expect and not _reasons_given(slots).intersection(_reasons(expect)):
        failed.append(f"reason {_reasons(expect)} (got {sorted(_reasons_given(slots))})")
    states = states_a_fact(reply, knowledge)
    replied_right = {"answers": states, "unknown": says_not_covered(reply), "declines": not states}
    failed += [check for check, right in replied_right.items() if expect.get(check) and not right]
    if "lead_sent" in expect and bool(expect["lead_sent"]) != state.lead_sent_now:
        failed.append(f"lead_sent {expect['lead_sent']}")
    if not includes_all(reply, expect.get("must_include") or ()):
        failed.append("must_include")
    if not includes_none(reply, expect.get("must_not_include") or ()):
        failed.append("must_not_include")
    return failed


def _reasons(expect: Mapping[str, Any]) -> list[str]:
    """The rule or rules a turn expects the verdict to give."""
    given = expect["reason"]
    return given if isinstance(given, list) else [given]


def _reasons_given(slots: Mapping[str, Any]) -> set[str]:
    """The criteria the verdict or an early end said were not met."""
    reasons = {result.criterion for result in assess(application_from_slots(slots)).not_met}
    if slots.get("disqualified_by"):
        reasons.add(slots["disqualified_by"])
    return reasons


def run_conversation(
    assistant: RunningAssistant, conversation: Mapping[str, Any], knowledge: KnowledgeBase
) -> ConversationResult:
    """Play one blind conversation in a new session, checking every turn."""
    sender = new_sender("blind")
    turns = []
    lead_before = None
    early_end: str | None = None
    early_end_turn = -1
    for turn in conversation["turns"]:
        reply = reply_text(assistant.texts(sender, turn["user"]))
        slots = tracker_slots(assistant, sender)
        lead_now = slots.get("lead_reference")
        state = TurnState(reply, slots, bool(lead_now) and lead_now != lead_before)
        lead_before = lead_now
        failed = failed_checks(turn.get("expect") or {}, state, knowledge)
        turns.append(TurnResult(turn["user"], reply, tuple(failed)))
        if early_end is None and slots.get("disqualified_by"):
            early_end, early_end_turn = slots["disqualified_by"], len(turns) - 1
    rightly = early_end in expected_reasons(conversation) and all(
        turn.passed for turn in turns[:early_end_turn]
    )
    return ConversationResult(
        conversation["id"], conversation.get("title", ""), tuple(turns), rightly
    )


def expected_reasons(conversation: Mapping[str, Any]) -> set[str]:
    """The rules the writer expected a not-eligible verdict to give."""
    reasons: set[str] = set()
    for turn in conversation["turns"]:
        expect = turn.get("expect") or {}
        if expect.get("verdict") == "not_eligible" and "reason" in expect:
            reasons.update(_reasons(expect))
    return reasons


def tracker_slots(assistant: RunningAssistant, sender: str) -> dict[str, Any]:
    """The conversation's slots, from Rasa's HTTP API."""
    status, tracker = http(
        "GET",
        f"{assistant.rasa_url}/conversations/{conversation_id('rest', sender)}/tracker"
        f"?token={assistant.token}",
    )
    if status != 200:
        raise RuntimeError(f"Rasa answered {status} for the tracker: {tracker}")
    return dict(tracker.get("slots") or {})


# --- CLINC150 -------------------------------------------------------------------------------


def clinc_queries(path: Path = CLINC_PATH) -> dict[str, list[str]]:
    """CLINC150's validation out-of-scope queries and a seeded sample of its in-scope ones.

    The ``small_talk`` and ``meta`` domains (greetings, thanks, "are you a bot") are left
    out: the assistant has its own replies for those.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    domains = json.loads((path.parent / "domains.json").read_text(encoding="utf-8"))
    chatty = {intent for name in ("small_talk", "meta") for intent in domains.get(name, [])}
    in_scope = [text for text, intent in data["val"] if intent not in chatty]
    sample = random.Random(CLINC_SEED).sample(in_scope, min(CLINC_IN_SCOPE_SAMPLE, len(in_scope)))
    return {"oos_val": [text for text, _ in data["oos_val"]], "val_sample": sample}


def false_answers(
    assistant: RunningAssistant, queries: Sequence[str], knowledge: KnowledgeBase
) -> list[tuple[str, str]]:
    """The queries answered with a fund fact, with the reply."""
    replies = ((text, reply_text(assistant.texts(new_sender("clinc"), text))) for text in queries)
    return [(text, reply) for text, reply in replies if states_a_fact(reply, knowledge)]


# --- The report -----------------------------------------------------------------------------


@dataclass
class BlindReport:
    """Every figure, with what went wrong."""

    questions: dict[str, dict[str, int]] = field(default_factory=dict)
    conversations: dict[str, int] = field(default_factory=dict)
    clinc: dict[str, dict[str, int]] = field(default_factory=dict)
    wrong_questions: list[dict[str, Any]] = field(default_factory=list)
    failed_turns: list[dict[str, Any]] = field(default_factory=list)
    clinc_false_answers: list[tuple[str, str]] = field(default_factory=list)


def load_blind(name: str, directory: Path = BLIND_DIR) -> list[dict[str, Any]]:
    """The items of a blind file (``questions`` or ``conversations``)."""
    data = yaml.safe_load((directory / f"{name}.yml").read_text(encoding="utf-8"))
    return list(data[name])


def evaluate(
    assistant: RunningAssistant,
    knowledge: KnowledgeBase,
    clinc: bool = True,
    directory: Path = BLIND_DIR,
) -> BlindReport:
    """Run the blind set in ``directory`` (and CLINC150) through ``assistant``."""
    report = BlindReport()
    results = ask_questions(assistant, load_blind("questions", directory), knowledge)
    for kind in QUESTION_KINDS:
        report.questions[kind] = tally(result.correct for result in results if result.kind == kind)
    report.questions["all"] = tally(result.correct for result in results)
    report.wrong_questions = [asdict(result) for result in results if not result.correct]
    conversations = [
        run_conversation(assistant, conversation, knowledge)
        for conversation in load_blind("conversations", directory)
    ]
    report.conversations = {
        "total": len(conversations),
        "passed": sum(conversation.passed for conversation in conversations),
        "passed_or_ended_early_rightly": sum(
            conversation.passed or conversation.ended_early_rightly
            for conversation in conversations
        ),
        "turns": sum(len(conversation.turns) for conversation in conversations),
        "turns_passed": sum(turn.passed for c in conversations for turn in c.turns),
    }
    report.failed_turns = [
        {"id": c.id, "user": turn.user, "reply": turn.reply[:300], "failed": list(turn.failed)}
        for c in conversations
        for turn in c.turns
        if not turn.passed
    ]
    if clinc:
        for split, queries in clinc_queries().items():
            wrong = false_answers(assistant, queries, knowledge)
            report.clinc[split] = {"total": len(queries), "false_answers": len(wrong)}
            report.clinc_false_answers.extend(wrong)
    return report


def figures(
    report: BlindReport, later: Mapping[str, BlindReport], heldout: AccuracyReport
) -> dict[str, Any]:
    """The figures ``make eval`` records for the benchmark report."""
    return {
        "measured": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "questions": report.questions,
        "conversations": report.conversations,
        "clinc": report.clinc,
        "heldout": tally(outcome.correct for outcome in heldout.outcomes),
        **{
            name: {"questions": blind.questions, "conversations": blind.conversations}
            for name, blind in later.items()
        },
    }


def record(entry: dict[str, Any], key: str, results_path: Path = RESULTS_PATH) -> Path:
    """Keep ``entry`` as ``understanding.<key>`` in the results file and re-render the report."""
    results = json.loads(results_path.read_text(encoding="utf-8"))
    results.setdefault("understanding", {})[key] = entry
    results_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return write_report(results, results_path.parent)


def main(argv: Sequence[str] | None = None) -> None:
    """Start the assistant, run the blind and held-out sets, print and keep the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "blind_eval.json")
    parser.add_argument("--no-clinc", action="store_true", help="skip the CLINC150 queries")
    parser.add_argument(
        "--record",
        choices=("after", "before"),
        help="keep the figures in benchmarks/results.json and re-render benchmarks/report.md",
    )
    arguments = parser.parse_args(argv)
    knowledge = default_knowledge()
    with tempfile.TemporaryDirectory() as workdir:
        assistant = start_assistant(Path(workdir))
        try:
            report = evaluate(assistant, knowledge, clinc=not arguments.no_clinc)
            later = {
                name: evaluate(assistant, knowledge, clinc=False, directory=directory)
                for name, directory in LATER_BLIND_SETS.items()
            }
            heldout = answer_accuracy.evaluate(assistant, answer_accuracy.load_cases(), knowledge)
        finally:
            assistant.stop()
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    details = {
        **asdict(report),
        **{name: asdict(blind) for name, blind in later.items()},
        "heldout_wrong": [asdict(outcome) for outcome in heldout.wrong],
    }
    arguments.out.write_text(json.dumps(details, indent=2), encoding="utf-8")
    entry = figures(report, later, heldout)
    for what, target, share, _ in understanding_rows(entry):
        print(f"{what}: {share:.1%} (target {target})")
    if arguments.record:
        print(f"Recorded in {record(entry, arguments.record)}")


if __name__ == "__main__":
    main()
