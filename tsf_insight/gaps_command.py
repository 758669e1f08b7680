"""``tsf-insight gaps``: the questions the assistant could not answer well, grouped by topic.

One row per group, largest first: how many questions, why they fell short (each reason with
its count) and up to three examples, in the order asked. ``--json`` prints the same as a
list of objects (``count``, ``reasons``, ``best_guesses``, ``examples``).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from tsf_config import Reader, shared
from tsf_config.durations import describe, parse_age
from tsf_insight.command_support import Streams
from tsf_insight.grouping import DEFAULT_THRESHOLD, group_questions
from tsf_insight.store import Gap, InsightStore
from tsf_leads.command_line import EXIT_OK, check_url
from tsf_leads.db import sqlite_file_missing

DEFAULT_SINCE = "30d"


def add_parser(commands: Any) -> None:
    """Add ``gaps`` to the sub-commands."""
    command = commands.add_parser(
        "gaps", help="questions the assistant could not answer well, grouped by topic"
    )
    command.add_argument(
        "--since",
        metavar="AGE",
        default=DEFAULT_SINCE,
        help=f"e.g. 7d or 36h: gaps recorded since then (default {DEFAULT_SINCE})",
    )
    command.add_argument("--json", action="store_true", help="print a JSON list of groups")
    command.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        metavar="X",
        help="cosine distance under which questions count as one topic, between 0 and 2 "
        f"(default {DEFAULT_THRESHOLD}; lower makes more, smaller groups)",
    )
    command.set_defaults(run=run)


def gap_groups(gaps: Sequence[Gap], threshold: float = DEFAULT_THRESHOLD) -> list[dict[str, Any]]:
    """The groups of ``gaps``' questions, each with its count, reasons, best guesses and
    examples (reasons and guesses most frequent first, ties by name)."""
    groups = []
    for group in group_questions([gap.question for gap in gaps], threshold):
        members = [gaps[position] for position in group.members]
        groups.append(
            {
                "count": group.count,
                "reasons": _tally(gap.reason for gap in members),
                "best_guesses": _tally(gap.best_guess for gap in members if gap.best_guess),
                "examples": list(group.examples),
            }
        )
    return groups


def _tally(values: Any) -> dict[str, int]:
    counts = Counter(values)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def render_table(groups: Sequence[dict[str, Any]]) -> str:
    """The groups as a text table: count, reasons, then one example a line."""
    reasons = [
        ", ".join(f"{reason} {count}" for reason, count in group["reasons"].items())
        for group in groups
    ]
    width = max(len("reasons"), *(len(text) for text in reasons))
    lines = [f"{'count':>5}  {'reasons':<{width}}  examples"]
    for group, reason in zip(groups, reasons, strict=True):
        examples = group["examples"] or [""]
        lines.append(f"{group['count']:>5}  {reason:<{width}}  {examples[0]}")
        lines.extend(f"{'':>5}  {'':<{width}}  {example}" for example in examples[1:])
    return "\n".join(lines)


def run(arguments: argparse.Namespace, streams: Streams) -> int:
    """Print the groups of the gaps recorded since ``--since``."""
    environ, out = streams.environ, streams.out
    age = parse_age(arguments.since)
    if not 0 < arguments.threshold <= 2:
        raise ValueError("--threshold must be a cosine distance above 0 and at most 2")
    url = Reader(shared.VARIABLES, environ).text("TSF_TRACKER_DB_URL")
    check_url("TSF_TRACKER_DB_URL", url)
    gaps: list[Gap] = []
    if not sqlite_file_missing(url):
        store = InsightStore.from_url(url)
        try:
            gaps = store.gaps_since(streams.clock() - age)
        finally:
            store.dispose()
    groups = gap_groups(gaps, arguments.threshold)
    if arguments.json:
        print(json.dumps(groups, ensure_ascii=False, indent=2), file=out)
    elif not groups:
        print(f"No content gaps in the last {describe(age)}.", file=out)
    else:
        print(
            f"{len(gaps)} content gap(s) in the last {describe(age)}, in {len(groups)} group(s):\n",
            file=out,
        )
        print(render_table(groups), file=out)
    return EXIT_OK
