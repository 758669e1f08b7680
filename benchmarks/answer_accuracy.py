"""Answer accuracy on the held-out questions, asked of the real running assistant.

Each question is asked in a new conversation. A fact question is right when the reply
starts with that fact's answer, or says the documents don't cover the detail asked about
when that detail belongs to the fact (``tsf_knowledge.unknown_topics``); an amount question
when the reply gives the expected verdict on that amount; an out-of-scope question when no
fact is stated at all. ``make eval`` (:mod:`benchmarks.blind_eval`) and ``make bench`` ask
them; so does the end-to-end suite.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.support.harness import ROOT, RunningAssistant
from tsf_knowledge.amounts import describe_amount_fit
from tsf_knowledge.facts import KnowledgeBase
from tsf_knowledge.fund_terms import fund_terms
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
    """The outcome of every held-out question, and the figures over them."""

    outcomes: tuple[Outcome, ...]

    @property
    def wrong(self) -> tuple[Outcome, ...]:
        """The questions answered wrong."""
        return tuple(outcome for outcome in self.outcomes if not outcome.correct)

    @property
    def accuracy(self) -> float:
        """Share of all questions answered right."""
        figures = tally(outcome.correct for outcome in self.outcomes)
        return figures["correct"] / figures["total"] if figures["total"] else 0.0

    def figures(self) -> dict[str, int]:
        """``total`` and ``correct``, then the same of the in-scope and out-of-scope questions."""
        groups = {
            "": self.outcomes,
            "in_scope_": [item for item in self.outcomes if item.case.expected != OUT_OF_SCOPE],
            "out_of_scope_": [item for item in self.outcomes if item.case.expected == OUT_OF_SCOPE],
        }
        return {
            prefix + key: count
            for prefix, group in groups.items()
            for key, count in tally(outcome.correct for outcome in group).items()
        }


def tally(outcomes: Iterable[bool]) -> dict[str, int]:
    """How many outcomes there were (``total``) and how many were right (``correct``)."""
    values = list(outcomes)
    return {"total": len(values), "correct": sum(values)}


def new_sender(prefix: str) -> str:
    """A sender id no conversation has used yet."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def reply_text(texts: Sequence[str]) -> str:
    """The replies to one message as one text, without the privacy notice."""
    return "\n\n".join(text for text in texts if not text.startswith("Privacy:"))


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
        reply = reply_text(assistant.texts(new_sender("eval"), case.text))
        outcomes.append(Outcome(case, reply, is_correct(case, reply, knowledge)))
    return AccuracyReport(tuple(outcomes))
