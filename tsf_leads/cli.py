"""``tsf-leads``: list, show, retry, export, deliver and mark warm leads from a shell.

Run as ``python -m tsf_leads.cli`` or ``tsf-leads``. Every failure is a one-line message on
stderr and a non-zero exit status: 1 when something is not there or not reachable, 2 for bad
input or configuration.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from prometheus_client import start_http_server
from sqlalchemy.engine import make_url

from tsf_config.metrics import metrics
from tsf_leads import service
from tsf_leads.command_line import (
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    check_url,
    command_parser,
    run_command,
    stop_on_signals,
)
from tsf_leads.db import sqlite_file_missing
from tsf_leads.destinations import DeliveryConfigError, build_registry
from tsf_leads.repository import LeadRecord, open_store
from tsf_leads.settings import LeadSettings, load_settings
from tsf_leads.summary import format_time
from tsf_leads.team_status import STATUS_LABELS, TEAM_STATUSES, status_line
from tsf_leads.worker import DEFAULT_BATCH_SIZE, DEFAULT_LEASE_SECONDS, DeliveryWorker, Registry

ORGANISATION_WIDTH = 32
logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """The command line: one sub-command per job."""
    parser, commands = command_parser("tsf-leads", "Warm leads of the TSF Assistant.")
    listing = commands.add_parser("list", help="list leads, newest first, with delivery status")
    listing.add_argument("--limit", type=int, default=None, help="show at most this many")
    show = commands.add_parser("show", help="show a lead's summary and its deliveries")
    show.add_argument("reference", help="e.g. TSF-2026-000123")
    retry = commands.add_parser("retry", help="queue a lead's dead-lettered deliveries again")
    retry.add_argument("reference", help="e.g. TSF-2026-000123")
    export = commands.add_parser("export", help="export every lead")
    export.add_argument(
        "--csv",
        nargs="?",
        const="-",
        metavar="FILE",
        help="as CSV, to FILE or to standard output",
    )
    deliver = commands.add_parser("deliver", help="deliver queued leads (until stopped)")
    deliver.add_argument("--once", action="store_true", help="deliver one batch and stop")
    deliver.add_argument("--lease-seconds", type=float, default=DEFAULT_LEASE_SECONDS)
    deliver.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    status = commands.add_parser(
        "status", help="set what the team did with a lead (and tell the CRM)"
    )
    status.add_argument("reference", help="e.g. TSF-2026-000123")
    status.add_argument("status", choices=TEAM_STATUSES)
    status.add_argument("--by", required=True, metavar="NAME", help="who did it")
    status.add_argument(
        "--staff-id", metavar="ID", help="a stable id for them (default: cli:<NAME>)"
    )
    status.add_argument("--reason", help="why the lead is not a fit (required for not_a_fit)")
    commands.add_parser("migrate", help="bring the lead store to the latest schema")
    return parser


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _deliveries(record: LeadRecord) -> str:
    parts = [
        f"{delivery.destination} {'DEAD' if delivery.status == 'dead' else delivery.status}"
        for delivery in record.deliveries
    ]
    return ", ".join(parts) or "kept locally"


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _list(leads: service.LeadService, limit: int | None, out: TextIO) -> int:
    if limit is not None and limit < 1:
        raise CliError("--limit must be at least 1", EXIT_USAGE)
    records = leads.list(limit)
    if not records:
        print("No leads yet.", file=out)
        return EXIT_OK
    rows = [("REFERENCE", "CREATED", "ORGANISATION", "VERDICT", "PRIORITY", "DELIVERY")]
    for record in records:
        summary = record.lead.summary
        flag = "! " if record.has_dead_letters else ""
        rows.append(
            (
                record.reference,
                format_time(summary.created_at),
                _shorten(summary.organisation, ORGANISATION_WIDTH),
                summary.verdict,
                f"{summary.priority} ({summary.score})",
                flag + _deliveries(record),
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        print("  ".join([*cells, row[-1]]).rstrip(), file=out)
    dead = sum(record.has_dead_letters for record in records)
    if dead:
        print(
            f"\n{dead} lead(s) marked ! have dead-lettered deliveries: see `show`, then `retry`.",
            file=out,
        )
    return EXIT_OK


def _show(leads: service.LeadService, reference: str, out: TextIO) -> int:
    record = leads.get(reference)
    print(record.lead.markdown.rstrip("\n"), file=out)
    print("\n## Team status\n", file=out)
    history = leads.status_history(record.reference)
    if not history:
        print("New: nobody has claimed it yet.", file=out)
    for change in history:
        print(f"- {status_line(change.team)}", file=out)
    for job in record.status_deliveries:
        print(
            f"- CRM update to {job.destination}: {job.status} (attempts: {job.attempts})", file=out
        )
    print("\n## Delivery\n", file=out)
    print(f"Status: {record.status}", file=out)
    if not record.deliveries:
        print("No destination is configured: the lead is kept in the local store.", file=out)
    for delivery in record.deliveries:
        print(f"\n- {delivery.destination}: {delivery.status}", file=out)
        print(f"  attempts: {delivery.attempts}", file=out)
        if delivery.status == "sent" and delivery.sent_at is not None:
            print(f"  sent: {format_time(delivery.sent_at)}", file=out)
            if delivery.external_id:
                print(f"  CRM id: {delivery.external_id}", file=out)
        elif delivery.status in ("pending", "in_flight"):
            print(f"  next attempt: {format_time(delivery.next_attempt_at)}", file=out)
        if delivery.last_error:
            print(f"  last error: {delivery.last_error}", file=out)
    return EXIT_OK


def _status(leads: service.LeadService, arguments: argparse.Namespace, out: TextIO) -> int:
    name = " ".join(arguments.by.split())
    staff_id = arguments.staff_id or f"cli:{name}"
    change = leads.set_team_status(
        arguments.reference, arguments.status, staff_id, name, arguments.reason
    )
    team = change.lead.team
    assert team is not None
    if not change.changed:
        print(
            f"{change.lead.reference} is already {STATUS_LABELS[team.status].lower()}: "
            f"{status_line(team)}. Nothing changed.",
            file=out,
        )
        return EXIT_OK
    crm = f"; queued for {change.queued} CRM destination(s)" if change.queued else ""
    print(f"{change.lead.reference}: {status_line(team)}{crm}.", file=out)
    return EXIT_OK


def _retry(leads: service.LeadService, reference: str, out: TextIO) -> int:
    canonical = service.normalise_reference(reference)
    count = leads.retry(canonical)
    if count:
        print(f"Queued {count} dead-lettered delivery(ies) of {canonical} again.", file=out)
    else:
        print(f"{canonical} has no dead-lettered deliveries: nothing to retry.", file=out)
    return EXIT_OK


def _export(leads: service.LeadService, target: str | None, out: TextIO, err: TextIO) -> int:
    if target is None:
        raise CliError("choose a format: export --csv [FILE]", EXIT_USAGE)
    if target == "-":
        leads.export_csv(out)
        return EXIT_OK
    path = Path(target)
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            count = leads.export_csv(handle)
    except OSError as error:
        raise CliError(f"cannot write {target}: {error.strerror or error}") from error
    print(f"Exported {count} lead(s) to {path}.", file=err)
    return EXIT_OK


@contextmanager
def _metrics_server(settings: LeadSettings) -> Iterator[None]:
    """Serve the worker's ``/metrics`` on ``TSF_WORKER_METRICS_HOST:PORT`` (unless port 0)."""
    if not settings.metrics_port:
        yield
        return
    try:
        server, thread = start_http_server(
            settings.metrics_port, settings.metrics_host, registry=metrics().registry
        )
    except OSError as error:  # delivering matters more than being measured
        logger.warning(
            "No metrics: cannot serve them on %s:%d (%s)",
            settings.metrics_host,
            settings.metrics_port,
            error.strerror or error,
        )
        yield
        return
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _deliver(
    leads: service.LeadService,
    settings: LeadSettings,
    arguments: argparse.Namespace,
    registry: Registry | None,
    out: TextIO,
) -> int:
    if arguments.batch_size < 1 or not arguments.lease_seconds > 0:
        raise CliError("--batch-size and --lease-seconds must be positive", EXIT_USAGE)
    if registry is None:
        try:
            registry = build_registry(settings)
        except DeliveryConfigError as error:
            raise CliError(str(error), EXIT_USAGE) from error
    if not registry:
        print(
            "No destination is configured (TSF_CRM=none, no notifiers): "
            "leads stay in the local store.",
            file=out,
        )
    worker = DeliveryWorker.from_settings(
        settings,
        leads.store,
        registry,
        lease_seconds=arguments.lease_seconds,
        batch_size=arguments.batch_size,
    )
    if arguments.once:
        counts = worker.deliver_once()
        print(
            f"Claimed {counts.claimed}: {counts.sent} sent, {counts.retried} to retry, "
            f"{counts.dead} dead-lettered.",
            file=out,
        )
        return EXIT_OK
    stop_event = threading.Event()
    with stop_on_signals(stop_event), _metrics_server(settings):
        totals = worker.run_forever(stop_event)
    print(f"Stopped: {totals.sent} sent, {totals.dead} dead-lettered.", file=out)
    return EXIT_OK


CREATES_THE_STORE = frozenset({"migrate", "deliver"})
"""Commands that may create a SQLite lead store; the others refuse a missing file."""


def _run(
    arguments: argparse.Namespace,
    settings: LeadSettings,
    registry: Registry | None,
    out: TextIO,
    err: TextIO,
) -> int:
    command = arguments.command
    check_url("TSF_LEADS_DB_URL", settings.db_url)
    if command not in CREATES_THE_STORE and sqlite_file_missing(settings.db_url):
        raise CliError(
            f"there is no lead store at {_safe_url(settings.db_url)}: check TSF_LEADS_DB_URL, "
            "or create it with `tsf-leads migrate`",
            EXIT_USAGE,
        )
    leads = service.LeadService(open_store(settings.db_url))
    try:
        if command == "migrate":
            print(f"The lead store at {_safe_url(settings.db_url)} is up to date.", file=out)
            return EXIT_OK
        if command == "list":
            return _list(leads, arguments.limit, out)
        if command == "show":
            return _show(leads, arguments.reference, out)
        if command == "status":
            return _status(leads, arguments, out)
        if command == "retry":
            return _retry(leads, arguments.reference, out)
        if command == "export":
            return _export(leads, arguments.csv, out, err)
        if command == "deliver":
            return _deliver(leads, settings, arguments, registry, out)
        raise CliError(f"unknown command {command!r}", EXIT_USAGE)
    finally:
        leads.store.dispose()


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    registry: Registry | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one command and return its exit status.

    Args:
        argv: The arguments (``sys.argv[1:]`` by default).
        environ: Where settings are read (the process environment by default).
        registry: Adapters to deliver with, instead of the ones the settings name (tests).
        stdout: Where results go.
        stderr: Where messages and logs go.
    """
    out, err = stdout or sys.stdout, stderr or sys.stderr
    return run_command(
        build_parser(),
        argv,
        lambda arguments: _run(arguments, load_settings(environ), registry, out, err),
        stderr=err,
        store="the lead store",
        failures=(service.LeadNotFound,),
        info_commands={"deliver"},
    )


if __name__ == "__main__":
    sys.exit(main())
