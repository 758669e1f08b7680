"""``tsf-insight``: insight for the team from the conversations and the leads.

Each sub-command lives in its own module with ``add_parser(subparsers)`` (see
:mod:`tsf_insight.command_support`): ``gaps`` (:mod:`tsf_insight.gaps_command`), ``funnel``
(:mod:`tsf_insight.funnel_command`) and ``digest`` (:mod:`tsf_insight.digest_command`);
adding a command is one line in :data:`COMMANDS`. The databases are ``TSF_TRACKER_DB_URL``
(conversations, content gaps, answer feedback) and ``TSF_LEADS_DB_URL`` (leads).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TextIO

from tsf_insight import digest_command, funnel_command, gaps_command
from tsf_insight.command_support import Streams
from tsf_leads.clock import utc_now
from tsf_leads.command_line import command_parser, run_command

COMMANDS = (gaps_command, funnel_command, digest_command)


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> int:
    """Run one command and return its exit status.

    Args:
        argv: The arguments (``sys.argv[1:]`` by default).
        environ: Where the settings are read (the process environment by default).
        stdout: Where results go.
        stderr: Where messages and logs go.
        clock: The time now (UTC).
    """
    parser, commands = command_parser(
        "tsf-insight", "Insight for the team: content gaps, the funnel and the weekly digest."
    )
    for command in COMMANDS:
        command.add_parser(commands)
    streams = Streams(
        os.environ if environ is None else environ,
        stdout or sys.stdout,
        stderr or sys.stderr,
        clock,
    )
    return run_command(
        parser,
        argv,
        lambda arguments: int(arguments.run(arguments, streams)),
        stderr=streams.err,
        store="the conversations' or the lead database",
        info_commands=("digest",),
    )


if __name__ == "__main__":
    sys.exit(main())
