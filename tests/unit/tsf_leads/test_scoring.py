"""How a lead is prioritised: the score and priority table in ``score_lead``'s docstring."""

from __future__ import annotations

import pytest

from tests.support.leads import make_criteria
from tsf_leads.summary import score_lead


@pytest.mark.parametrize(
    ("verdict", "statuses", "amount", "priority", "score"),
    [
        # Eligible, every criterion met, amount in range: the best lead.
        ("eligible", (), 450_000, "high", 100),
        ("eligible", (), 250_000, "high", 100),
        ("eligible", (), 1_000_000, "high", 100),
        # One criterion to discuss: medium, 9 points off (half of 90 / 5).
        ("borderline", ("to_discuss",), 450_000, "medium", 91),
        ("borderline", ("met", "met", "met", "met", "to_discuss"), 500_000, "medium", 91),
        # Amount unknown: its criterion is to discuss and the 10 range points are lost.
        ("borderline", ("met", "met", "met", "to_discuss"), None, "medium", 81),
        # Two or more to discuss: low.
        ("borderline", ("to_discuss", "to_discuss"), 450_000, "low", 82),
        ("borderline", ("to_discuss",) * 5, None, "low", 45),
        # A criterion not met is never more than low.
        ("borderline", ("not_met",), 450_000, "low", 82),
        ("borderline", ("met", "met", "met", "not_met"), 2_000_000, "low", 72),
        # An eligible verdict with a loose end is only medium.
        ("eligible", ("to_discuss",), 450_000, "medium", 91),
    ],
)
def test_score_table(
    verdict: str, statuses: tuple[str, ...], amount: int | None, priority: str, score: int
) -> None:
    assert score_lead(verdict, make_criteria(*statuses), amount) == (priority, score)


def test_no_criteria_scores_on_the_amount_alone() -> None:
    assert score_lead("eligible", (), 450_000) == ("high", 100)
    assert score_lead("borderline", (), None) == ("medium", 90)


@pytest.mark.parametrize("amount", [None, 0, 100, 450_000, 10**9])
@pytest.mark.parametrize("statuses", [(), ("not_met",) * 5, ("to_discuss",) * 5])
def test_the_score_is_always_between_0_and_100(
    statuses: tuple[str, ...], amount: int | None
) -> None:
    _, score = score_lead("borderline", make_criteria(*statuses), amount)

    assert 0 <= score <= 100
