"""The team status rules: statuses, allowed moves, checked input, and the line cards show."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tsf_leads.contracts import TeamStatus
from tsf_leads.team_status import (
    InvalidTeamStatus,
    TransitionNotAllowed,
    check_move,
    clean_change,
    next_statuses,
    status_line,
)


@pytest.mark.parametrize(
    ("current", "left"),
    [
        (None, ("claimed", "contacted", "not_a_fit")),
        ("claimed", ("contacted", "not_a_fit")),
        ("contacted", ("not_a_fit",)),
        ("not_a_fit", ()),
    ],
)
def test_statuses_move_forwards_only(current: str | None, left: tuple[str, ...]) -> None:
    assert next_statuses(current) == left
    for status in ("claimed", "contacted", "not_a_fit"):
        if status in left:
            check_move(current, status, "TSF-2026-000001")
        else:
            with pytest.raises(TransitionNotAllowed):
                check_move(current, status, "TSF-2026-000001")


def test_input_is_trimmed_and_the_status_forgiving() -> None:
    assert clean_change(" Not a fit ", " U1 ", " Sam\n Jones ", "  why  ", "  ") == (
        "not_a_fit",
        "U1",
        "Sam Jones",
        "why",
        None,
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("done", "U1", "Sam", None, None), "not a team status"),
        (("claimed", "U" * 129, "Sam", None, None), "staff id"),
        (("claimed", "U1", "S" * 121, None, None), "staff name"),
        (("claimed", "U1", "Sam", None, "i" * 129), "interaction id"),
        (("not_a_fit", "U1", "Sam", "", None), "why the lead is not a fit"),
        (("claimed", "U1", "Sam", "x" * 501, None), "under 501"),
    ],
)
def test_bad_input_is_refused(arguments: tuple[str, ...], message: str) -> None:
    with pytest.raises(InvalidTeamStatus, match=message):
        clean_change(*arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("moment", "line"),
    [
        (
            datetime(2026, 6, 2, 13, 5, tzinfo=timezone.utc),
            "Claimed by Sam Jones at 14:05 on 2 Jun 2026",
        ),
        (
            datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc),
            "Claimed by Sam Jones at 09:00 on 5 Jan 2026",
        ),
    ],
)
def test_the_status_line_is_in_uk_time(moment: datetime, line: str) -> None:
    assert status_line(TeamStatus("claimed", "U1", "Sam Jones", moment)) == line


def test_the_status_line_gives_the_reason() -> None:
    team = TeamStatus("not_a_fit", "U1", "Sam", datetime(2026, 1, 5, tzinfo=timezone.utc), "No\nIP")

    assert status_line(team) == "Marked not a fit by Sam at 00:00 on 5 Jan 2026: No IP"
