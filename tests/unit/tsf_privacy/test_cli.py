"""``tsf-privacy`` answers every mistake with one line and an exit status, never a traceback."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tsf_privacy.cli import main

ROOT = Path(__file__).resolve().parents[3]


def run(argv: list[str], environ: dict[str, str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, environ=environ, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    """Database URLs of files that do not exist yet."""
    return {
        "TSF_TRACKER_DB_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "TSF_LEADS_DB_URL": f"sqlite:///{tmp_path / 'leads.db'}",
    }


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["forget"], "invalid choice: 'forget'"),
        (["purge", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["purge", "--older-than", "90"], "'90' is not a period"),
        (["purge", "--older-than", "0d"], "at least 1h"),
        (["erase"], "the following arguments are required: --email"),
        (["erase", "--email", "not-an-address"], "give the person's email address"),
    ],
)
def test_usage_mistakes_exit_2_with_one_line(
    argv: list[str], message: str, environ: dict[str, str]
) -> None:
    status, out, err = run(argv, environ)

    assert status == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("tsf-privacy: ")


def test_a_dry_run_on_databases_that_do_not_exist_yet_creates_nothing(
    environ: dict[str, str], tmp_path: Path
) -> None:
    status, out, err = run(["purge", "--dry-run"], environ)

    assert (status, err) == (0, "")
    assert out == (
        "Would delete 0 conversation(s) (0 event(s)) older than 90 days and 0 lead(s) older "
        "than 365 days.\nWould delete 0 content gap and feedback record(s) older than 90 "
        "days.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_erasing_from_empty_databases_reports_nothing_found(environ: dict[str, str]) -> None:
    status, out, err = run(["erase", "--email", "jo@example.org"], environ)

    assert (status, err) == (0, "")
    assert out == "Deleted 0 lead(s) and 0 conversation(s) (0 event(s)).\n"


@pytest.mark.parametrize("variable", ["TSF_TRACKER_DB_URL", "TSF_LEADS_DB_URL"])
def test_an_unusable_database_url_names_the_variable(
    variable: str, environ: dict[str, str]
) -> None:
    environ[variable] = "nosuchdb://user:hunter2@host/db"

    status, _, err = run(["purge", "--older-than", "1d"], environ)

    assert status == 2
    assert f"{variable} is not a database URL" in err
    assert "hunter2" not in err


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_database_exits_1_naming_the_store_without_secrets(
    environ: dict[str, str],
) -> None:
    environ["TSF_TRACKER_DB_URL"] = (
        f"postgresql://tsf:hunter2@127.0.0.1:{_closed_port()}/tsf?connect_timeout=2"
    )

    status, out, err = run(["erase", "--email", "jo@example.org"], environ)

    assert status == 1
    assert out == ""
    assert err == "tsf-privacy: the conversation store is unavailable (OperationalError)\n"


def test_the_module_runs_from_a_shell_without_a_traceback(environ: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tsf_privacy.cli", "purge", "--older-than", "soon"],
        cwd=ROOT,
        env={**environ, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "'soon' is not a period" in result.stderr
