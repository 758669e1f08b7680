"""``tsf-insight``: a tiny front door (each command registers itself with ``add_parser``)
that refuses bad input with one polite line and an exit status, never a traceback."""

from __future__ import annotations

import io
import subprocess
import sys
from argparse import Namespace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tsf_insight import cli
from tsf_insight.cli import main
from tsf_insight.command_support import Streams


def run(environ: dict[str, str], *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), environ=environ, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    tracker = tmp_path / "tracker.db"
    tracker.touch()
    return {
        "TSF_TRACKER_DB_URL": f"sqlite:///{tracker}",
        "TSF_LEADS_DB_URL": f"sqlite:///{tmp_path / 'no-leads-yet.db'}",
    }


@pytest.mark.parametrize("since", ["30", "thirty days", "0d", "-3d"])
def test_a_period_that_is_not_one_is_refused(environ: dict[str, str], since: str) -> None:
    status, out, err = run(environ, "funnel", "--since", since)

    assert (status, out) == (2, "")
    assert err.startswith("tsf-insight: ") and "Traceback" not in err


def test_the_chart_must_be_a_png(environ: dict[str, str]) -> None:
    status, _, err = run(environ, "funnel", "--chart", "funnel.jpg")

    assert status == 2
    assert "--chart must name a .png file" in err


def test_a_missing_sqlite_tracker_is_reported_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"

    status, _, err = run({"TSF_TRACKER_DB_URL": f"sqlite:///{missing}"}, "funnel")

    assert status == 1
    assert "does not exist" in err
    assert not missing.exists()


def test_a_database_url_that_is_not_one_is_refused_without_echoing_it() -> None:
    status, _, err = run({"TSF_TRACKER_DB_URL": "nonsense://user:secret@host/db"}, "funnel")

    assert status == 2
    assert "TSF_TRACKER_DB_URL" in err and "secret" not in err


def test_an_empty_tracker_and_no_lead_store_give_an_empty_funnel(
    environ: dict[str, str],
) -> None:
    status, out, err = run(environ, "funnel", "--since", "14d")

    assert (status, err) == (0, "")
    assert ["Conversations", "0", "0", "0", "0"] in [line.split() for line in out.splitlines()]


def test_send_and_schedule_cannot_be_asked_together(environ: dict[str, str]) -> None:
    status, _, err = run(environ, "digest", "--send", "--schedule")

    assert status == 2
    assert "not allowed with" in err


def test_a_schedule_that_is_not_one_is_refused(environ: dict[str, str]) -> None:
    status, _, err = run({**environ, "TSF_DIGEST_SCHEDULE": "every monday"}, "digest", "--schedule")

    assert status == 2
    assert "TSF_DIGEST_SCHEDULE" in err and "mon 09:00" in err


def test_a_command_module_is_added_by_listing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(arguments: Namespace, streams: Streams) -> int:
        print(f"hello {arguments.who} from {streams.environ['PLACE']}", file=streams.out)
        return 0

    def add_parser(commands: Any) -> None:
        command = commands.add_parser("hello")
        command.add_argument("--who", default="team")
        command.set_defaults(run=run)

    monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, SimpleNamespace(add_parser=add_parser)))
    out = io.StringIO()

    status = main(["hello", "--who", "you"], environ={"PLACE": "here"}, stdout=out)

    assert (status, out.getvalue()) == (0, "hello you from here\n")


def test_no_command_is_a_usage_error_in_one_line() -> None:
    err = io.StringIO()

    status = main([], environ={}, stdout=io.StringIO(), stderr=err)

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
