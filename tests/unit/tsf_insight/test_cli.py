"""``tsf-insight``: a tiny front door; each command registers itself with ``add_parser``."""

from __future__ import annotations

import io
import subprocess
import sys
from argparse import Namespace
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

import pytest

from tsf_insight import cli


def test_a_command_module_is_added_by_listing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(arguments: Namespace, environ: Mapping[str, str], out: TextIO) -> int:
        print(f"hello {arguments.who} from {environ['PLACE']}", file=out)
        return 0

    def add_parser(commands: Any) -> None:
        command = commands.add_parser("hello")
        command.add_argument("--who", default="team")
        command.set_defaults(run=run)

    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, SimpleNamespace(add_parser=add_parser)))
    out = io.StringIO()

    status = cli.main(["hello", "--who", "you"], environ={"PLACE": "here"}, stdout=out)

    assert (status, out.getvalue()) == (0, "hello you from here\n")


def test_no_command_is_a_usage_error_in_one_line() -> None:
    err = io.StringIO()

    status = cli.main([], environ={}, stdout=io.StringIO(), stderr=err)

    assert status == 2
    assert err.getvalue().startswith("tsf-insight: ") and err.getvalue().count("\n") == 1


def test_the_module_runs_from_a_shell(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tsf_insight.cli", "gaps", "--json"],
        env={"TSF_TRACKER_DB_URL": f"sqlite:///{tmp_path / 'none.db'}", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )

    assert (result.returncode, result.stdout, result.stderr) == (0, "[]\n", "")
