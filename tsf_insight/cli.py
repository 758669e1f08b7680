"""``tsf-insight``: what the team can learn from the conversations.

Run as ``python -m tsf_insight.cli`` or ``tsf-insight``::

    tsf-insight gaps --since 30d [--json] [--threshold 0.8]   # unanswered questions, grouped

Each command lives in its own module with an ``add_parser(commands)`` that adds its
sub-parser and sets ``run(arguments, environ, out) -> exit status``; adding a command is one
line in :data:`COMMANDS`. Failures are one line on stderr: exit status 1 when the database
is unavailable, 2 for bad input or configuration.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from tsf_insight import gaps_command
from tsf_leads.command_line import command_parser, run_command

COMMANDS = (gaps_command,)


def build_parser() -> argparse.ArgumentParser:
    """The command line, with every command of :data:`COMMANDS`."""
    parser, commands = command_parser(
        "tsf-insight", "What people ask that the assistant could not answer well, and more."
    )
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one command and return its exit status (``environ``: where settings are read,
    the process environment by default)."""
    out = stdout or sys.stdout
    settings = os.environ if environ is None else environ
    return run_command(
        build_parser(),
        argv,
        lambda arguments: arguments.run(arguments, settings, out),
        stderr=stderr or sys.stderr,
        store="the conversations' database",
    )


if __name__ == "__main__":
    sys.exit(main())
