"""Content gaps and answer feedback, in the conversations' database.

A **gap** is one turn the assistant could not answer well: the question with personal data
redacted (:func:`tsf_knowledge.personal_data.redact_names`), why (:data:`REASONS`), the
assistant's best guess (a fact id, an unknown-topic key, an intent) and when; no sender id,
so a gap can never lead back to a person. **Feedback** is one "Was this helpful?" press:
the fact the answer gave, yes or no, the channel, when, and the answer's random token (so an
answer counts once). Both are kept as long as
conversations are (``tsf-privacy purge`` deletes rows older than the retention period).
Times are seconds since the epoch (UTC). Tables are created on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    case,
    create_engine,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError

from tsf_config import Reader, shared
from tsf_knowledge.personal_data import redact_names

FALLBACK = "fallback"
NO_FACT = "no_fact"
UNKNOWN_TOPIC = "unknown_topic"
LOW_CONFIDENCE = "low_confidence"
NOT_WHAT_I_ASKED = "not_what_i_asked"
UNHELPFUL = "unhelpful"
REASONS: dict[str, str] = {
    FALLBACK: "not understood (fallback)",
    NO_FACT: "about the fund, but nothing in the documents answers it",
    UNKNOWN_TOPIC: "a topic the documents don't cover",
    LOW_CONFIDENCE: "answered with low confidence",
    NOT_WHAT_I_ASKED: "the answer was 'not what I asked'",
    UNHELPFUL: "the answer was marked unhelpful",
}
MAX_QUESTION_LENGTH = 300
PERSONAL_SLOTS = ("contact_name", "organisation_name", "contact_email", "contact_phone")
"""The slots whose values (the names, email and phone a conversation gave) are redacted
from its gaps' questions, wherever they appear."""
SQLITE_TIMEOUT_SECONDS = 30

metadata = MetaData()
gaps = Table(
    "tsf_content_gaps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("asked_at", Float, nullable=False, index=True),
    Column("reason", String(32), nullable=False),
    Column("question", Text, nullable=False),
    Column("best_guess", String(255)),
)
feedback = Table(
    "tsf_answer_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("given_at", Float, nullable=False, index=True),
    Column("fact_id", String(255), nullable=False, index=True),
    Column("helpful", Boolean, nullable=False),
    Column("channel", String(32), nullable=False),
    Column("answer_id", String(64), unique=True),
)


@dataclass(frozen=True)
class Gap:
    """One turn the assistant could not answer well."""

    asked_at: float
    reason: str
    question: str
    best_guess: str | None


@dataclass(frozen=True)
class FactFeedback:
    """How often one fact's answers were marked helpful and unhelpful."""

    fact_id: str
    helpful: int
    unhelpful: int


def clean_question(text: str, names: Iterable[str] = ()) -> str:
    """The question as a gap keeps it: personal data and ``names`` redacted, white space
    folded, cut to :data:`MAX_QUESTION_LENGTH` characters."""
    return " ".join(redact_names(text, names).split())[:MAX_QUESTION_LENGTH]


class InsightStore:
    """Gaps and feedback in one database (``TSF_TRACKER_DB_URL``)."""

    def __init__(self, engine: Engine) -> None:
        """Work on ``engine``'s database; create the tables if they are missing."""
        self.engine = engine
        metadata.create_all(engine)

    @classmethod
    def from_url(cls, url: str) -> InsightStore:
        """Open the store at a SQLAlchemy URL."""
        options: dict[str, object] = {"future": True, "pool_pre_ping": True}
        if make_url(url).get_backend_name() == "sqlite":
            options["connect_args"] = {"timeout": SQLITE_TIMEOUT_SECONDS}
        return cls(create_engine(url, **options))

    @classmethod
    def from_settings(cls, environ: Mapping[str, str] | None = None) -> InsightStore:
        """Open the store in the conversations' database (``TSF_TRACKER_DB_URL``)."""
        return cls.from_url(Reader(shared.VARIABLES, environ).text("TSF_TRACKER_DB_URL"))

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()

    def record_gap(
        self,
        reason: str,
        question: str,
        best_guess: str | None,
        at: datetime,
        names: Iterable[str] = (),
    ) -> None:
        """Record one gap; the question is cleaned (:func:`clean_question`) first."""
        if reason not in REASONS:
            raise ValueError(f"unknown gap reason {reason!r}")
        row = {
            "asked_at": at.timestamp(),
            "reason": reason,
            "question": clean_question(question, names),
            "best_guess": best_guess,
        }
        with self.engine.begin() as connection:
            connection.execute(insert(gaps).values(row))

    def gaps_since(self, since: datetime) -> list[Gap]:
        """Gaps recorded at or after ``since``, oldest first."""
        query = select(gaps).where(gaps.c.asked_at >= since.timestamp()).order_by(gaps.c.id)
        with self.engine.connect() as connection:
            return [
                Gap(row.asked_at, row.reason, row.question, row.best_guess)
                for row in connection.execute(query)
            ]

    def record_feedback(
        self,
        fact_id: str,
        helpful: bool,
        channel: str,
        at: datetime,
        answer_id: str | None = None,
    ) -> bool:
        """Record one "Was this helpful?" press for an answer that gave ``fact_id``; whether
        it was recorded (``False``: the answer ``answer_id`` already has its press)."""
        row = {
            "given_at": at.timestamp(),
            "fact_id": fact_id,
            "helpful": helpful,
            "channel": channel,
            "answer_id": answer_id,
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(feedback).values(row))
        except IntegrityError:
            return False
        return True

    def feedback_by_fact(self, since: datetime) -> list[FactFeedback]:
        """Presses since ``since``, counted per fact; most unhelpful first, then by id."""
        unhelpful = func.sum(case((feedback.c.helpful.is_(False), 1), else_=0))
        helpful = func.sum(case((feedback.c.helpful.is_(True), 1), else_=0))
        query = (
            select(feedback.c.fact_id, helpful, unhelpful)
            .where(feedback.c.given_at >= since.timestamp())
            .group_by(feedback.c.fact_id)
            .order_by(unhelpful.desc(), feedback.c.fact_id)
        )
        with self.engine.connect() as connection:
            return [
                FactFeedback(fact_id, int(yes or 0), int(no or 0))
                for fact_id, yes, no in connection.execute(query)
            ]

    def count_before(self, cutoff: datetime) -> int:
        """How many gaps and feedback rows are older than ``cutoff`` (what
        :meth:`delete_before` would delete)."""
        moment = cutoff.timestamp()
        with self.engine.connect() as connection:
            older_gaps = connection.execute(
                select(func.count()).select_from(gaps).where(gaps.c.asked_at < moment)
            ).scalar_one()
            older_feedback = connection.execute(
                select(func.count()).select_from(feedback).where(feedback.c.given_at < moment)
            ).scalar_one()
        return int(older_gaps) + int(older_feedback)

    def delete_before(self, cutoff: datetime) -> int:
        """Delete gaps and feedback older than ``cutoff``; how many rows went."""
        moment = cutoff.timestamp()
        with self.engine.begin() as connection:
            gone = connection.execute(delete(gaps).where(gaps.c.asked_at < moment)).rowcount
            gone += connection.execute(
                delete(feedback).where(feedback.c.given_at < moment)
            ).rowcount
        return int(gone or 0)
