"""The command-line skeleton: every failure is one line on stderr with its exit status."""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable

import pytest
from sqlalchemy.exc import OperationalError

from tsf_leads.command_line import CliError, check_url, command_parser, run_command


def run(argv: list[str], action: Callable[[argparse.Namespace], int]) -> tuple[int, str]:
    parser, commands = command_parser("tsf-demo", "A demonstration.")
    commands.add_parser("go").add_argument("--count", type=int)
    err = io.StringIO()
    status = run_command(
        parser, argv, action, stderr=err, store="the demo store", failures=(LookupError,)
    )
    return status, err.getvalue()


def fail(error: Exception) -> Callable[[argparse.Namespace], int]:
    def action(arguments: argparse.Namespace) -> int:
        raise error

    return action


def test_the_command_runs_with_its_arguments() -> None:
    assert run(["go", "--count", "3"], lambda arguments: arguments.count) == (3, "")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["stop"], "invalid choice: 'stop'"),
        (["go", "--count", "x"], "invalid int value: 'x'"),
    ],
)
def test_usage_mistakes_exit_2_pointing_at_the_help(argv: list[str], message: str) -> None:
    status, err = run(argv, lambda arguments: 0)

    assert status == 2
    assert err.startswith("tsf-demo: ") and message in err
    assert err.endswith("(see tsf-demo --help)\n")


@pytest.mark.parametrize(
    ("error", "status", "line"),
    [
        (CliError("no such thing"), 1, "tsf-demo: no such thing"),
        (CliError("bad flag", 2), 2, "tsf-demo: bad flag"),
        (ValueError("not a number"), 2, "tsf-demo: not a number"),
        (LookupError("no lead TSF-2026-000001"), 1, "tsf-demo: no lead TSF-2026-000001"),
        (
            OperationalError("SELECT jo@example.org", {}, Exception("down")),
            1,
            "tsf-demo: the demo store is unavailable (OperationalError)",
        ),
        (PermissionError(13, "Permission denied"), 1, "tsf-demo: Permission denied"),
        (TypeError("jo@example.org"), 1, "tsf-demo: unexpected error (TypeError)"),
    ],
)
def test_each_failure_is_one_line_with_its_status(error: Exception, status: int, line: str) -> None:
    assert run(["go"], fail(error)) == (status, line + "\n")


@pytest.mark.parametrize("url", ["not a url", "nosuchdb://user:hunter2@host/db"])
def test_an_unusable_database_url_names_the_variable_not_the_url(url: str) -> None:
    with pytest.raises(CliError, match="TSF_X_URL is not a database URL") as caught:
        check_url("TSF_X_URL", url)

    assert caught.value.status == 2
    assert "hunter2" not in str(caught.value)
