"""The skeleton of the command-line tools (``tsf-leads``, ``tsf-privacy``, ``tsf-insight``).

Sub-commands parsed by a parser that raises instead of exiting, logs on stderr, and every
failure reported as one line (``<prog>: <message>``) with an exit status: 1 when something
is not there or not reachable, 2 for bad input or configuration. Never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Any, TextIO

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A failure to report in one line, with its exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED) -> None:
        """Keep the message and status."""
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """Raise instead of exiting, so the failure is reported like every other."""
        raise CliError(f"{message} (see {self.prog.split()[0]} --help)", EXIT_USAGE)


def command_parser(prog: str, description: str) -> tuple[argparse.ArgumentParser, Any]:
    """A parser for ``prog`` and its (required) sub-commands, to add each one to."""
    parser = _Parser(prog=prog, description=description)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    return parser, commands


def check_url(variable: str, url: str) -> None:
    """Refuse a URL SQLAlchemy cannot use, naming the variable (never the URL: it may hold a
    password)."""
    try:
        make_url(url).get_dialect()
    except ArgumentError:
        raise CliError(
            f"{variable} is not a database URL SQLAlchemy understands (e.g. postgresql://…)",
            EXIT_USAGE,
        ) from None


def run_command(
    parser: argparse.ArgumentParser,
    argv: Sequence[str] | None,
    run: Callable[[argparse.Namespace], int],
    *,
    stderr: TextIO,
    store: str,
    failures: tuple[type[Exception], ...] = (),
    info_commands: Collection[str] = (),
) -> int:
    """Parse ``argv``, set up logging and ``run`` the command; return its exit status.

    Args:
        parser: From :func:`command_parser`.
        argv: The arguments (``sys.argv[1:]`` when ``None``).
        run: Runs the parsed command and returns its exit status.
        stderr: Where messages and logs go.
        store: What a database error is reported as, e.g. ``"the lead store"``.
        failures: Errors whose message is reported with status 1 (``ValueError`` is always
            reported with status 2).
        info_commands: Commands that log at INFO level (the others log warnings only).
    """
    prog = parser.prog
    try:
        arguments = parser.parse_args(argv)
        logging.basicConfig(
            level=logging.INFO if arguments.command in info_commands else logging.WARNING,
            stream=stderr,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        logging.getLogger("alembic").setLevel(logging.WARNING)
        return run(arguments)
    except Exception as error:  # never a traceback, never personal data
        message, status = _report(error, store, failures)
        print(f"{prog}: {message}", file=stderr)
        return status


def _report(error: Exception, store: str, failures: tuple[type[Exception], ...]) -> tuple[str, int]:
    """The one-line message and exit status for a failed command."""
    if isinstance(error, CliError):
        return str(error), error.status
    if isinstance(error, ValueError):
        return str(error), EXIT_USAGE
    if isinstance(error, failures):
        return str(error), EXIT_FAILED
    if isinstance(error, SQLAlchemyError):
        return f"{store} is unavailable ({type(error).__name__})", EXIT_FAILED
    if isinstance(error, OSError):
        return error.strerror or type(error).__name__, EXIT_FAILED
    return f"unexpected error ({type(error).__name__})", EXIT_FAILED


@contextmanager
def stop_on_signals(stop_event: threading.Event) -> Iterator[None]:
    """Set ``stop_event`` on SIGTERM or SIGINT (main thread only), restoring handlers after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _handler(signum: int, _frame: FrameType | None) -> None:
        stop_event.set()

    previous = {sig: signal.signal(sig, _handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
