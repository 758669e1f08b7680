"""Answer accuracy on the held-out questions, asked of the real running assistant.

Each question is asked in a new conversation. A fact question is right when the reply
starts with that fact's answer, or says the documents don't cover the detail asked about
when that detail belongs to the fact (``tsf_knowledge.unknown_topics``); an amount question
when the reply gives the expected verdict on that amount; an out-of-scope question when no
fact is stated at all.

Usage: ``python -m benchmarks.answer_accuracy [--out FILE]`` (starts its own assistant).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from tests.support.harness import ROOT, RunningAssistant, start_assistant
from tsf_knowledge.amounts import describe_amount_fit
from tsf_knowledge.facts import KnowledgeBase
from tsf_knowledge.fund_terms import fund_terms
from tsf_knowledge.loader import default_knowledge
from tsf_knowledge.unknown_topics import find_unknown_topic, unknown_topic_reply

HELDOUT_PATH = ROOT / "tests" / "data" / "heldout_questions.yml"
OUT_OF_SCOPE = "out_of_scope"
AMOUNT_CHECK = "amount_check"


@dataclass(frozen=True)
class Case:
    """One held-out question and what a right answer is."""

    text: str
    expected: str
    amount: int | None = None


@dataclass(frozen=True)
class Outcome:
    """One question, the assistant's reply and whether it was right."""

    case: Case
    reply: str
    correct: bool


@dataclass(frozen=True)
class AccuracyReport:
    """Accuracy over every held-out question, with the ones it got wrong."""

    total: int
    correct: int
    in_scope_total: int
    in_scope_correct: int
    out_of_scope_total: int
    out_of_scope_correct: int
    wrong: tuple[Outcome, ...]

    @property
    def accuracy(self) -> float:
        """Share of all questions answered right."""
        return self.correct / self.total if self.total else 0.0


def load_cases(path: Path = HELDOUT_PATH) -> list[Case]:
    """The held-out questions."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Case(item["text"], item["expected"], item.get("amount")) for item in data["questions"]]


def is_correct(case: Case, reply: str, knowledge: KnowledgeBase) -> bool:
    """Whether ``reply`` is a right answer to ``case``."""
    states_a_fact = any(reply.startswith(fact.answer) for fact in knowledge.facts)
    if case.expected == OUT_OF_SCOPE:
        return not states_a_fact and "£" not in reply.split("\n")[0]
    if case.expected == AMOUNT_CHECK:
        assert case.amount is not None
        return describe_amount_fit(case.amount, knowledge) in reply
    if reply.startswith(knowledge.fact(case.expected).answer):
        return True
    # Saying the documents don't cover a detail, rather than giving the nearest fact, is
    # right when that fact is the one the detail belongs to.
    topic = find_unknown_topic(case.text)
    return (
        topic is not None
        and topic.related_fact == case.expected
        and reply.startswith(unknown_topic_reply(topic, fund_terms().team_phone))
    )


def evaluate(
    assistant: RunningAssistant, cases: Sequence[Case], knowledge: KnowledgeBase
) -> AccuracyReport:
    """Ask every question in its own conversation and score the replies."""
    outcomes = []
    for case in cases:
        texts = assistant.texts(f"eval-{uuid.uuid4().hex[:12]}", case.text)
        reply = "\n\n".join(text for text in texts if not text.startswith("Privacy:"))
        outcomes.append(Outcome(case, reply, is_correct(case, reply, knowledge)))
    in_scope = [outcome for outcome in outcomes if outcome.case.expected != OUT_OF_SCOPE]
    out_of_scope = [outcome for outcome in outcomes if outcome.case.expected == OUT_OF_SCOPE]
    return AccuracyReport(
        total=len(outcomes),
        correct=sum(outcome.correct for outcome in outcomes),
        in_scope_total=len(in_scope),
        in_scope_correct=sum(outcome.correct for outcome in in_scope),
        out_of_scope_total=len(out_of_scope),
        out_of_scope_correct=sum(outcome.correct for outcome in out_of_scope),
        wrong=tuple(outcome for outcome in outcomes if not outcome.correct),
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Start the assistant, evaluate, print the figures and write them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "answer_accuracy.json")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        assistant = start_assistant(Path(workdir))
        try:
            report = evaluate(assistant, load_cases(), default_knowledge())
        finally:
            assistant.stop()
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
    print(
        f"Answer accuracy: {report.correct}/{report.total} = {report.accuracy:.1%} "
        f"(in scope {report.in_scope_correct}/{report.in_scope_total}, "
        f"out of scope {report.out_of_scope_correct}/{report.out_of_scope_total})"
    )
    for outcome in report.wrong:
        print(f"  WRONG [{outcome.case.expected}] {outcome.case.text!r} -> {outcome.reply[:90]!r}")


if __name__ == "__main__":
    main()
