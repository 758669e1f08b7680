"""``tsf-insight funnel --since 30d [--json] [--chart PATH.png]``: the funnel per week."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tsf_insight.command_support import Streams, databases, since
from tsf_insight.funnel import compute_funnel, funnel_table
from tsf_leads.command_line import EXIT_OK, EXIT_USAGE, CliError

DEFAULT_SINCE = "30d"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``funnel`` to ``subparsers``."""
    parser = subparsers.add_parser(
        "funnel",
        help="conversations to delivered leads, per week (Monday to Sunday, UTC)",
    )
    parser.add_argument(
        "--since", default=DEFAULT_SINCE, metavar="PERIOD", help="e.g. 30d or 36h (default 30d)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--chart", type=Path, metavar="PATH.png", help="also draw a PNG chart")
    parser.set_defaults(run=run)
    return parser


def run(arguments: argparse.Namespace, streams: Streams) -> int:
    """Compute the funnel, print it, and draw the chart if asked."""
    chart: Path | None = arguments.chart
    if chart is not None and chart.suffix.lower() != ".png":
        raise CliError("--chart must name a .png file", EXIT_USAGE)
    start, end = since(arguments.since, streams.clock())
    with databases(streams.environ) as (tracker, leads):
        funnel = compute_funnel(tracker, leads, start, end)
    if arguments.json:
        print(json.dumps(funnel.as_dict(), indent=2), file=streams.out)
    else:
        print(f"Funnel from {start:%d %b %Y %H:%M} to {end:%d %b %Y %H:%M} UTC", file=streams.out)
        print(funnel_table(funnel), file=streams.out)
    if chart is not None:
        from tsf_insight.chart import render_funnel_chart

        try:
            render_funnel_chart(funnel, chart)
        except ImportError:
            raise CliError("drawing the chart needs matplotlib (pip install matplotlib)") from None
        print(f"Chart written to {chart}", file=streams.err)
    return EXIT_OK
