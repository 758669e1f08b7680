"""``tsf-insight gaps``: the gaps recorded since a period ago, grouped by topic, as a table
or as JSON, read from the conversations' database."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tsf_insight.cli import main
from tsf_insight.store import (
    FALLBACK,
    LOW_CONFIDENCE,
    NO_FACT,
    NOT_WHAT_I_ASKED,
    UNKNOWN_TOPIC,
    InsightStore,
)

NOW = datetime.now(timezone.utc)
SEEDED = [
    # (days ago, reason, question, best guess): the topics of tests/unit/tsf_insight/test_grouping
    (1, UNKNOWN_TOPIC, "what are the arrangement fees?", "fees"),
    (2, UNKNOWN_TOPIC, "do you charge an arrangement fee", "fees"),
    (3, NO_FACT, "how big are the fees", None),
    (4, FALLBACK, "what security do you need for the loan", "ask_loan_term"),
    (5, LOW_CONFIDENCE, "do I need to give security or a guarantee", "eligible_uses"),
    (6, FALLBACK, "when is the application deadline", "ask_fund_timing"),
    (7, NO_FACT, "what's the deadline to apply?", None),
    (8, NOT_WHAT_I_ASKED, "can we repay the loan early without penalty", "loan_term"),
    (9, UNKNOWN_TOPIC, "is there an application deadline this year", "deadline"),
    (45, UNKNOWN_TOPIC, "any fees at all?", "fees"),  # older than 30 days
]


TABLE = """\
9 content gap(s) in the last 30 days, in 4 group(s):

count  reasons                                 examples
    3  unknown_topic 2, no_fact 1              what are the arrangement fees?
                                               do you charge an arrangement fee
                                               how big are the fees
    3  fallback 1, no_fact 1, unknown_topic 1  when is the application deadline
                                               what's the deadline to apply?
                                               is there an application deadline this year
    2  fallback 1, low_confidence 1            what security do you need for the loan
                                               do I need to give security or a guarantee
    1  not_what_i_asked 1                      can we repay the loan early without penalty
"""


@pytest.fixture
def environ(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A tracker database holding the seeded gaps."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = InsightStore.from_url(url)
    for days, reason, question, guess in SEEDED:
        store.record_gap(reason, question, guess, NOW - timedelta(days=days))
    store.dispose()
    yield {"TSF_TRACKER_DB_URL": url}


def run(environ: dict[str, str], *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), environ=environ, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_the_gaps_of_the_last_30_days_print_as_groups_largest_first(
    environ: dict[str, str],
) -> None:
    status, out, err = run(environ, "gaps", "--since", "30d")

    assert (status, err) == (0, "")
    assert out == TABLE


def test_the_default_period_is_30_days(environ: dict[str, str]) -> None:
    assert run(environ, "gaps") == run(environ, "gaps", "--since", "30d")


def test_json_gives_each_group_its_count_reasons_best_guesses_and_examples(
    environ: dict[str, str],
) -> None:
    status, out, _ = run(environ, "gaps", "--json")

    assert status == 0
    assert json.loads(out) == [
        {
            "count": 3,
            "reasons": {"unknown_topic": 2, "no_fact": 1},
            "best_guesses": {"fees": 2},
            "examples": [
                "what are the arrangement fees?",
                "do you charge an arrangement fee",
                "how big are the fees",
            ],
        },
        {
            "count": 3,
            "reasons": {"fallback": 1, "no_fact": 1, "unknown_topic": 1},
            "best_guesses": {"ask_fund_timing": 1, "deadline": 1},
            "examples": [
                "when is the application deadline",
                "what's the deadline to apply?",
                "is there an application deadline this year",
            ],
        },
        {
            "count": 2,
            "reasons": {"fallback": 1, "low_confidence": 1},
            "best_guesses": {"ask_loan_term": 1, "eligible_uses": 1},
            "examples": [
                "what security do you need for the loan",
                "do I need to give security or a guarantee",
            ],
        },
        {
            "count": 1,
            "reasons": {"not_what_i_asked": 1},
            "best_guesses": {"loan_term": 1},
            "examples": ["can we repay the loan early without penalty"],
        },
    ]


def test_a_longer_period_takes_in_older_gaps(environ: dict[str, str]) -> None:
    _, out, _ = run(environ, "gaps", "--since", "60d", "--json")

    groups = json.loads(out)
    assert sum(group["count"] for group in groups) == 10
    assert groups[0]["count"] == 4 and groups[0]["reasons"]["unknown_topic"] == 3


def test_a_strict_threshold_keeps_every_question_apart(environ: dict[str, str]) -> None:
    _, out, _ = run(environ, "gaps", "--json", "--threshold", "0.01")

    assert [group["count"] for group in json.loads(out)] == [1] * 9


def test_hours_work_and_nothing_recent_says_so(environ: dict[str, str]) -> None:
    assert run(environ, "gaps", "--since", "12h") == (
        0,
        "No content gaps in the last 12 hours.\n",
        "",
    )


def test_a_database_that_does_not_exist_yet_has_no_gaps_and_is_not_created(
    tmp_path: Path,
) -> None:
    environ = {"TSF_TRACKER_DB_URL": f"sqlite:///{tmp_path / 'none.db'}"}

    assert run(environ, "gaps", "--json") == (0, "[]\n", "")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("gaps", "--since", "a month"), "is not a period"),
        (("gaps", "--threshold", "3"), "cosine distance"),
        (("gaps", "--threshold", "x"), "invalid float value"),
        (("chart",), "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    environ: dict[str, str], argv: tuple[str, ...], message: str
) -> None:
    status, out, err = run(environ, *argv)

    assert (status, out) == (2, "")
    assert err.startswith("tsf-insight: ") and message in err
    assert err.count("\n") == 1


def test_an_unusable_database_url_names_the_variable_not_the_url() -> None:
    status, _, err = run({"TSF_TRACKER_DB_URL": "nonsense://secret@host/db"}, "gaps")

    assert status == 2
    assert "TSF_TRACKER_DB_URL" in err and "secret" not in err
