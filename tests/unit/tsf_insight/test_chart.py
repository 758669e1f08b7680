"""The funnel chart is a readable PNG."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

from PIL import Image

from tsf_insight.chart import render_funnel_chart
from tsf_insight.funnel import Counts, Funnel

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def funnel(*weekly: Counts) -> Funnel:
    weeks = tuple((date(2026, 11, 9 + 7 * n), counts) for n, counts in enumerate(weekly))
    total = Counts(
        conversations=sum(c.conversations for c in weekly),
        checks_started=sum(c.checks_started for c in weekly),
        leads=sum(c.leads for c in weekly),
    )
    start = datetime(2026, 11, 11, 12, tzinfo=timezone.utc)
    return Funnel(start, datetime(2026, 11, 25, 12, tzinfo=timezone.utc), weeks, total)


def test_the_chart_is_a_png_of_a_readable_size(tmp_path: Path) -> None:
    chart = funnel(Counts(conversations=3), Counts(conversations=5, checks_started=4, leads=2))

    path = render_funnel_chart(chart, tmp_path / "charts" / "funnel.png")

    assert path.read_bytes()[:8] == PNG_SIGNATURE
    assert 10_000 < path.stat().st_size < 1_000_000
    with Image.open(path) as image:
        assert image.size == (1600, 600)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50  # drawn on, not a blank canvas


def test_an_empty_period_still_draws(tmp_path: Path) -> None:
    path = render_funnel_chart(funnel(Counts()), tmp_path / "empty.png")

    assert path.read_bytes()[:8] == PNG_SIGNATURE
