"""``tsf-leads`` against a temporary SQLite store: output, messages and exit codes."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.fake_adapters import CountingAdapter
from tests.support.leads import make_consent, make_contact, make_summary, opened_store
from tsf_leads.cli import main
from tsf_leads.contracts import CrmRejected
from tsf_leads.repository import LeadStore, open_store
from tsf_leads.service import LeadService

REPO = Path(__file__).resolve().parents[3]
CRM = "crm:webhook"


@dataclass
class Result:
    """What a command printed and returned."""

    status: int
    out: str
    err: str


@pytest.fixture
def environ(sqlite_url: str) -> dict[str, str]:
    """Settings for a fresh SQLite store, created as `tsf-leads migrate` does."""
    open_store(sqlite_url).dispose()
    return {"TSF_LEADS_DB_URL": sqlite_url, "TSF_CRM": "webhook"}


@pytest.fixture
def lead_store(sqlite_url: str) -> Iterator[LeadStore]:
    """The same store, opened by the test to add leads."""
    yield from opened_store(sqlite_url)


def run(environ: dict[str, str], *argv: str, registry: dict[str, object] | None = None) -> Result:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), environ=environ, registry=registry, stdout=out, stderr=err)  # type: ignore[arg-type]
    return Result(status, out.getvalue(), err.getvalue())


def add_lead(store: LeadStore, n: int = 1, destinations: tuple[str, ...] = (CRM,)) -> str:
    summary = make_summary(
        conversation_id=f"c{n}",
        organisation=f"Spin-out number {n}",
        contact=make_contact(email=f"person{n}@example.org"),
    )
    return LeadService(store, destinations).submit(summary, make_consent()).reference


def test_migrate_creates_the_store(environ: dict[str, str], sqlite_url: str) -> None:
    result = run(environ, "migrate")

    assert result.status == 0
    assert "is up to date" in result.out
    assert Path(sqlite_url.removeprefix("sqlite:///")).exists()


def test_list_when_there_are_no_leads(environ: dict[str, str]) -> None:
    assert run(environ, "list") == Result(0, "No leads yet.\n", "")


def test_list_shows_each_lead_and_flags_dead_letters(
    environ: dict[str, str], lead_store: LeadStore
) -> None:
    first, second = add_lead(lead_store, 1), add_lead(lead_store, 2, destinations=())
    crm = CountingAdapter(failures=[CrmRejected("HTTP 422", 422)])
    run(environ, "deliver", "--once", registry={CRM: crm})

    result = run(environ, "list")

    header, *rows = result.out.splitlines()[:3]
    assert result.status == 0
    assert header.split() == [
        "REFERENCE",
        "CREATED",
        "ORGANISATION",
        "VERDICT",
        "PRIORITY",
        "DELIVERY",
    ]
    assert rows[0].startswith(second) and rows[0].endswith("kept locally")
    assert rows[1].startswith(first) and "Spin-out number 1" in rows[1]
    assert "eligible" in rows[1] and "high (100)" in rows[1]
    assert rows[1].endswith(f"! {CRM} DEAD")
    assert "1 lead(s) marked ! have dead-lettered deliveries" in result.out


def test_show_prints_the_summary_and_the_delivery_state(
    environ: dict[str, str], lead_store: LeadStore
) -> None:
    reference = add_lead(lead_store)
    run(
        environ,
        "deliver",
        "--once",
        registry={CRM: CountingAdapter(failures=[CrmRejected("HTTP 400: bad phone", 400)])},
    )

    result = run(environ, "show", reference.lower())

    assert result.status == 0
    assert result.out.startswith(f"# Lead {reference}: Spin-out number 1")
    assert "> Yes, we span out of the county council in 2019." in result.out
    assert f"- {CRM}: dead\n  attempts: 1\n" in result.out
    assert "last error: HTTP 400: CrmRejected: HTTP 400: bad phone" in result.out


@pytest.mark.parametrize("command", ["show", "retry"])
def test_unknown_and_malformed_references(environ: dict[str, str], command: str) -> None:
    unknown = run(environ, command, "TSF-2026-000404")
    malformed = run(environ, command, "lead-404")

    assert (unknown.status, unknown.out) == (1, "")
    assert unknown.err == "tsf-leads: there is no lead TSF-2026-000404\n"
    assert malformed.status == 2
    assert "is not a lead reference (they look like TSF-2026-000123)" in malformed.err
    assert "Traceback" not in unknown.err + malformed.err


def test_retry_requeues_dead_letters_and_deliver_sends_them(
    environ: dict[str, str], lead_store: LeadStore
) -> None:
    reference = add_lead(lead_store)
    crm = CountingAdapter(failures=[CrmRejected("HTTP 409", 409)])
    run(environ, "deliver", "--once", registry={CRM: crm})

    retried = run(environ, "retry", reference)
    nothing_left = run(environ, "retry", reference)
    delivered = run(environ, "deliver", "--once", registry={CRM: crm})
    again = run(environ, "retry", reference)

    assert retried.out == f"Queued 1 dead-lettered delivery(ies) of {reference} again.\n"
    assert nothing_left.out == f"{reference} has no dead-lettered deliveries: nothing to retry.\n"
    assert delivered.out == "Claimed 1: 1 sent, 0 to retry, 0 dead-lettered.\n"
    assert again.status == 0
    assert crm.accepted == {reference: 1}
    assert f"{CRM} sent" in run(environ, "list").out


def test_export_csv_to_stdout_and_to_a_file(
    environ: dict[str, str], lead_store: LeadStore, tmp_path: Path
) -> None:
    references = [add_lead(lead_store, n) for n in (1, 2)]
    target = tmp_path / "leads.csv"

    to_stdout = run(environ, "export", "--csv")
    to_file = run(environ, "export", "--csv", str(target))

    rows = list(csv.DictReader(io.StringIO(to_stdout.out)))
    assert [row["reference"] for row in rows] == references[::-1]
    assert to_file.status == 0
    assert to_file.err == f"Exported 2 lead(s) to {target}.\n"
    assert target.read_bytes().decode("utf-8") == to_stdout.out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export"], "choose a format: export --csv [FILE]"),
        ([], "the following arguments are required: COMMAND"),
        (["launch"], "invalid choice: 'launch'"),
        (["list", "--limit", "0"], "--limit must be at least 1"),
        (["list", "--limit", "ten"], "invalid int value: 'ten'"),
        (["deliver", "--batch-size", "0"], "--batch-size and --lease-seconds must be positive"),
        (["purge"], "invalid choice: 'purge'"),  # tsf-privacy deletes personal data
        (["erase", "--email", "jo@example.org"], "invalid choice: 'erase'"),
    ],
)
def test_bad_input_gets_a_message_and_status_2(
    environ: dict[str, str], argv: list[str], message: str
) -> None:
    result = run(environ, *argv)

    assert result.status == 2
    assert result.err.startswith("tsf-leads: ")
    assert message in result.err


def test_an_unwritable_export_file_is_reported(environ: dict[str, str], tmp_path: Path) -> None:
    result = run(environ, "export", "--csv", str(tmp_path / "missing" / "leads.csv"))

    assert result.status == 1
    assert result.err.startswith("tsf-leads: cannot write")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TSF_CRM", "pipedrive", "TSF_CRM must be one of"),
        ("TSF_DELIVERY_MAX_ATTEMPTS", "x", "TSF_DELIVERY_MAX_ATTEMPTS must be a whole number"),
        ("TSF_LEADS_DB_URL", "not a url", "TSF_LEADS_DB_URL is not a database URL"),
        ("TSF_LEADS_DB_URL", "nosuchdb://x", "TSF_LEADS_DB_URL is not a database URL"),
    ],
)
def test_bad_settings_are_reported(
    environ: dict[str, str], variable: str, value: str, message: str
) -> None:
    result = run({**environ, variable: value}, "list")

    assert result.status == 2
    assert message in result.err


def test_an_unreachable_database_is_reported(environ: dict[str, str]) -> None:
    unreachable = {**environ, "TSF_LEADS_DB_URL": "postgresql://nobody@127.0.0.1:1/leads"}

    result = run(unreachable, "list")

    assert result.status == 1
    assert result.err == "tsf-leads: the lead store is unavailable (OperationalError)\n"


def test_deliver_with_an_adapter_that_cannot_be_built_fails_clearly(
    environ: dict[str, str],
) -> None:
    result = run({**environ, "TSF_CRM": "hubspot"}, "deliver", "--once")

    assert result.status == 2
    assert "cannot build the hubspot CRM adapter" in result.err
    assert "TSF_HUBSPOT_TOKEN" in result.err


def test_deliver_with_no_destination_says_leads_stay_local(
    environ: dict[str, str], lead_store: LeadStore
) -> None:
    add_lead(lead_store)

    result = run(environ, "deliver", "--once", registry={})

    assert result.status == 0
    assert "No destination is configured" in result.out
    assert "Claimed 0: 0 sent" in result.out


def test_the_module_runs_as_a_program(environ: dict[str, str]) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "tsf_leads.cli", "list"],
        cwd=REPO,
        env={**environ, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert (completed.returncode, completed.stdout, completed.stderr) == (0, "No leads yet.\n", "")


@pytest.mark.parametrize(
    "command", [["list"], ["show", "TSF-2026-000001"], ["retry", "TSF-2026-000001"]]
)
def test_a_lead_store_that_does_not_exist_is_refused_not_created(
    tmp_path: Path, command: list[str]
) -> None:
    mistyped = tmp_path / "laeds.db"

    result = run({"TSF_LEADS_DB_URL": f"sqlite:///{mistyped}"}, *command)

    assert result.status == 2
    assert "there is no lead store" in result.err
    assert "tsf-leads migrate" in result.err
    assert not mistyped.exists()


def test_status_marks_a_lead_and_queues_the_crm_update(
    environ: dict[str, str], lead_store: LeadStore
) -> None:
    reference = add_lead(lead_store)

    result = run(environ, "status", reference.lower(), "claimed", "--by", "Sam  Jones")
    shown = run(environ, "show", reference)

    assert result.status == 0, result.err
    assert result.out.startswith(f"{reference}: Claimed by Sam Jones at ")
    assert result.out.rstrip().endswith("queued for 1 CRM destination(s).")
    record = LeadService(lead_store).get(reference)
    assert record.team is not None
    assert (record.team.staff_id, record.team.staff_name) == ("cli:Sam Jones", "Sam Jones")
    assert "## Team status\n\n- Claimed by Sam Jones at " in shown.out
    assert f"- CRM update to {CRM}: pending (attempts: 0)" in shown.out


def test_status_again_changes_nothing(environ: dict[str, str], lead_store: LeadStore) -> None:
    reference = add_lead(lead_store)
    run(environ, "status", reference, "contacted", "--by", "Sam Jones")

    again = run(environ, "status", reference, "contacted", "--by", "Alex Kay", "--staff-id", "U2")

    assert again.status == 0
    assert again.out.startswith(f"{reference} is already contacted: Contacted by Sam Jones")
    assert "Nothing changed." in again.out


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["not_a_fit", "--by", "Sam"], 2, "please say why the lead is not a fit"),
        (["won", "--by", "Sam"], 2, "invalid choice"),
        (["claimed"], 2, "--by"),
    ],
)
def test_status_refuses_bad_input_in_one_line(
    environ: dict[str, str], lead_store: LeadStore, argv: list[str], status: int, message: str
) -> None:
    reference = add_lead(lead_store)

    result = run(environ, "status", reference, *argv)

    assert result.status == status
    assert message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


def test_status_cannot_go_backwards(environ: dict[str, str], lead_store: LeadStore) -> None:
    reference = add_lead(lead_store)
    run(environ, "status", reference, "not_a_fit", "--by", "Sam", "--reason", "Not a spin-out")

    result = run(environ, "status", reference, "claimed", "--by", "Sam")

    assert result.status == 2
    assert "is already marked 'not a fit', so it cannot be marked 'claimed'" in result.err


def test_status_of_an_unknown_lead(environ: dict[str, str]) -> None:
    result = run(environ, "status", "TSF-2026-000999", "claimed", "--by", "Sam")

    assert result == Result(1, "", "tsf-leads: there is no lead TSF-2026-000999\n")
