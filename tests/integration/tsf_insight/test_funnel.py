"""The funnel on a seeded store matches the figures counted by hand, on SQLite and PostgreSQL.

The conversations are Rasa's own tracker rows and the leads the lead store's
(``tests/support/funnel_data.py`` says who does what and the expected figures).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from tests.integration.conftest import Databases
from tests.support import funnel_data
from tsf_insight.cli import main
from tsf_insight.funnel import Funnel, compute_funnel
from tsf_leads.repository import LeadStore, open_store


@pytest.fixture
async def seeded(databases: Databases) -> Iterator[tuple[Engine, LeadStore]]:
    """The tracker (written by Rasa) and the lead store, seeded."""
    await funnel_data.seed_tracker(databases.tracker_url)
    store = open_store(databases.leads_url)
    funnel_data.seed_leads(store)
    engine = create_engine(databases.tracker_url, future=True)
    yield engine, store
    engine.dispose()
    store.dispose()


@pytest.fixture
def funnel(seeded: tuple[Engine, LeadStore]) -> Funnel:
    tracker, leads = seeded
    return compute_funnel(tracker, leads, funnel_data.START, funnel_data.NOW)


def test_the_period_is_split_into_the_iso_weeks_it_touches(funnel: Funnel) -> None:
    assert [week for week, _ in funnel.weeks] == list(funnel_data.WEEKS)


def test_each_weeks_stages_match_the_hand_count(funnel: Funnel) -> None:
    counted = {
        week: {stage: counts.stage(stage) for stage in funnel_data.STAGES}
        for week, counts in funnel.weeks
    }

    assert counted == funnel_data.EXPECTED_WEEKS


def test_the_periods_totals_count_each_conversation_once(funnel: Funnel) -> None:
    totals = {stage: funnel.total.stage(stage) for stage in funnel_data.STAGES}

    assert totals == funnel_data.EXPECTED_TOTAL


def test_not_eligible_verdicts_are_broken_down_by_the_criterion_that_ruled_them_out(
    funnel: Funnel,
) -> None:
    weekly = {week: counts.not_eligible_by_reason for week, counts in funnel.weeks}

    assert weekly == funnel_data.EXPECTED_REASONS
    assert funnel.total.not_eligible_by_reason == funnel_data.EXPECTED_TOTAL_REASONS


def test_without_a_lead_store_the_lead_stages_are_zero(seeded: tuple[Engine, LeadStore]) -> None:
    tracker, _ = seeded

    funnel = compute_funnel(tracker, None, funnel_data.START, funnel_data.NOW)

    assert (funnel.total.leads, funnel.total.delivered, funnel.total.dead_lettered) == (0, 0, 0)
    assert funnel.total.conversations == funnel_data.EXPECTED_TOTAL["conversations"]


def test_a_database_rasa_has_not_used_yet_gives_an_empty_funnel(databases: Databases) -> None:
    engine = create_engine(databases.tracker_url, future=True)
    try:
        funnel = compute_funnel(engine, None, funnel_data.START, funnel_data.NOW)
    finally:
        engine.dispose()

    assert funnel.total.conversations == 0
    assert len(funnel.weeks) == 3


def run(databases: Databases, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(
        list(argv),
        environ=databases.environ,
        stdout=out,
        stderr=err,
        clock=lambda: funnel_data.NOW,
    )
    return status, out.getvalue(), err.getvalue()


def test_the_command_prints_the_same_funnel_as_json(
    databases: Databases, seeded: tuple[Engine, LeadStore]
) -> None:
    status, out, err = run(databases, "funnel", "--since", "14d", "--json")

    assert (status, err) == (0, "")
    document = json.loads(out)
    assert [week["week"] for week in document["weeks"]] == [
        w.isoformat() for w in funnel_data.WEEKS
    ]
    assert {stage: document["total"][stage] for stage in funnel_data.STAGES} == (
        funnel_data.EXPECTED_TOTAL
    )


def test_the_command_prints_a_table_and_draws_the_chart(
    databases: Databases, seeded: tuple[Engine, LeadStore], tmp_path: Path
) -> None:
    chart = tmp_path / "funnel.png"

    status, out, err = run(databases, "funnel", "--since", "14d", "--chart", str(chart))

    assert status == 0, err
    lines = [line.split() for line in out.splitlines()]
    assert ["Conversations", "3", "5", "5", "11"] in lines
    assert ["Leads", "dead-lettered", "0", "1", "0", "1"] in lines
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
