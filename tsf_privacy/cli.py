"""``tsf-privacy``: purge data past its retention period, or erase one person's data.

Run as ``python -m tsf_privacy.cli`` or ``tsf-privacy``::

    tsf-privacy purge [--dry-run]         # each kind of data past its retention setting
                                          # (content gaps and feedback: as conversations)
    tsf-privacy purge --older-than 30d    # conversations sooner; leads still by their rule
    tsf-privacy erase --email jo@example.org [--dry-run] [--include-mentions]
    tsf-privacy export --email jo@example.org [--out FILE]   # right of access: a JSON copy

The databases are the assistant's own: ``TSF_TRACKER_DB_URL`` (conversations, Rasa's SQL
tracker store, and beside them the team's content gaps and answer feedback, purged with the
conversations' retention period) and ``TSF_LEADS_DB_URL`` (leads). Output and logs hold
counts and lead references, never personal data. Every failure is one line on stderr and a
non-zero exit status: 1 when a database is unavailable, 2 for bad input or configuration.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import SQLAlchemyError

from tsf_config import Reader
from tsf_config.durations import describe, parse_age
from tsf_config.shared import VARIABLES as SHARED_VARIABLES
from tsf_config.shared import conversation_retention_days
from tsf_insight.store import InsightStore
from tsf_insight.store import gaps as gap_table
from tsf_leads.command_line import EXIT_OK, check_url, command_parser, run_command
from tsf_leads.db import sqlite_file_missing
from tsf_leads.repository import LeadStore, open_store
from tsf_leads.service import LeadService
from tsf_leads.settings import load_settings as load_lead_settings
from tsf_privacy.access import subject_access
from tsf_privacy.conversations import ConversationStore
from tsf_privacy.retention import (
    EraseReport,
    PurgeReport,
    StoreUnavailable,
    clean_email,
    erase,
    purge,
)
from tsf_privacy.scrub import delete_securely, scrub_deleted


def build_parser() -> argparse.ArgumentParser:
    """The command line: ``purge``, ``erase`` and ``export``."""
    parser, commands = command_parser(
        "tsf-privacy",
        "Delete conversations and leads past their retention period, or one person's on "
        "request, or give one person a copy of what is held about them.",
    )
    purge_command = commands.add_parser(
        "purge",
        help="delete conversations (with content gaps and feedback) and leads past their "
        "retention periods",
    )
    purge_command.add_argument(
        "--older-than",
        metavar="AGE",
        help="e.g. 30d or 36h: conversations whose last message is older, and content gaps "
        "and feedback recorded before then (default TSF_CONVERSATION_RETENTION_DAYS); leads "
        "always follow TSF_LEAD_RETENTION_DAYS",
    )
    purge_command.add_argument("--dry-run", action="store_true", help="only count")
    erase_command = commands.add_parser(
        "erase", help="delete one person's leads and the conversations they came from"
    )
    erase_command.add_argument("--email", required=True, help="the person's email address")
    erase_command.add_argument("--dry-run", action="store_true", help="only count")
    erase_command.add_argument(
        "--include-mentions",
        action="store_true",
        help="also delete other conversations in which the address was typed",
    )
    export_command = commands.add_parser(
        "export", help="a JSON copy of everything held about one person (right of access)"
    )
    export_command.add_argument("--email", required=True, help="the person's email address")
    export_command.add_argument(
        "--out", type=Path, help="write to this file (readable by you only) instead of stdout"
    )
    return parser


def _open_conversations(url: str) -> ConversationStore | None:
    """The tracker database, or ``None`` when it has no conversations table yet."""
    if sqlite_file_missing(url):
        return None
    store = ConversationStore.from_url(url)
    try:
        if store.exists():
            return store
    except SQLAlchemyError as error:
        store.dispose()
        raise StoreUnavailable("conversation store", error) from error
    store.dispose()
    return None


def _open_leads(url: str, dry_run: bool) -> LeadStore | None:
    """The lead store (migrated, unless a dry run), or ``None`` when there is none yet."""
    if sqlite_file_missing(url):
        return None
    try:
        store = open_store(url, migrate_schema=not dry_run)
    except SQLAlchemyError as error:
        raise StoreUnavailable("lead store", error) from error
    try:
        if dry_run and not inspect(store.engine).has_table("leads"):
            store.dispose()
            return None
    except SQLAlchemyError as error:
        store.dispose()
        raise StoreUnavailable("lead store", error) from error
    return store


def _open_insight(url: str, dry_run: bool) -> InsightStore | None:
    """The content gaps and feedback, or ``None`` when there are none yet (a dry run
    creates no table)."""
    if sqlite_file_missing(url):
        return None
    try:
        if dry_run:
            engine = create_engine(url, future=True)
            try:
                if not inspect(engine).has_table(gap_table.name):
                    return None
            finally:
                engine.dispose()
        store = InsightStore.from_url(url)
    except SQLAlchemyError as error:
        raise StoreUnavailable("content-gap store", error) from error
    delete_securely(store.engine)
    return store


def _print_purge(report: PurgeReport, ages: tuple[str, str], out: TextIO) -> None:
    verb = "Would delete" if report.dry_run else "Deleted"
    print(
        f"{verb} {report.conversations} conversation(s) ({report.events} event(s)) older "
        f"than {ages[0]} and {report.leads} lead(s) older than {ages[1]}.\n"
        f"{verb} {report.insight_records} content gap and feedback record(s) older than "
        f"{ages[0]}.",
        file=out,
    )


def _print_erase(report: EraseReport, out: TextIO) -> None:
    verb = "Would delete" if report.dry_run else "Deleted"
    references = ", ".join(report.lead_references)
    print(
        f"{verb} {report.leads} lead(s){f' ({references})' if references else ''} and "
        f"{report.conversations} conversation(s) ({report.events} event(s)).",
        file=out,
    )
    if report.other_mentions:
        print(
            f"{report.other_mentions} other conversation(s) mention this address; "
            "add --include-mentions to delete them too.",
            file=out,
        )
    if report.leads and not report.dry_run:
        print("Erase these leads from the CRM too, by reference.", file=out)


def _scrub(
    conversations: ConversationStore | None,
    leads: LeadStore | None,
    insight: InsightStore | None = None,
) -> None:
    """No copy of what was deleted stays in the database files (a database error is
    reported by :func:`main` like any other); the insight tables share the conversations'
    database, scrubbed once."""
    for store in (conversations or insight, leads):
        if store is not None:
            scrub_deleted(store.engine)


def _write_export(held: dict[str, Any], path: Path | None, out: TextIO) -> None:
    """The export as JSON on ``out``, or in a new file only its owner can read."""
    text = json.dumps(held, ensure_ascii=False, indent=2) + "\n"
    if path is None:
        out.write(text)
        return
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)
    print(
        f"Wrote {len(held['leads'])} lead(s) and {len(held['conversations'])} conversation(s) "
        f"to {path}.",
        file=out,
    )


def _run(arguments: argparse.Namespace, environ: Mapping[str, str], out: TextIO) -> int:
    tracker_url = Reader(SHARED_VARIABLES, environ).text("TSF_TRACKER_DB_URL")
    leads_url = load_lead_settings(environ).db_url
    check_url("TSF_TRACKER_DB_URL", tracker_url)
    check_url("TSF_LEADS_DB_URL", leads_url)
    purging = arguments.command == "purge"
    if purging:
        lead_age = timedelta(days=load_lead_settings(environ).retention_days)
        age = (
            parse_age(arguments.older_than)
            if arguments.older_than
            else timedelta(days=conversation_retention_days(environ))
        )
    else:
        clean_email(arguments.email)
    reading = arguments.command == "export"
    dry_run = reading or arguments.dry_run
    conversations = leads = insight = None
    try:
        conversations = _open_conversations(tracker_url)
        leads = _open_leads(leads_url, dry_run)
        if purging:
            insight = _open_insight(tracker_url, dry_run)
        lead_service = LeadService(leads) if leads is not None else None
        if reading:
            held = subject_access(conversations, lead_service, arguments.email)
            _write_export(held, arguments.out, out)
            return EXIT_OK
        if purging:
            report = purge(
                conversations,
                lead_service,
                age,
                lead_age,
                dry_run=arguments.dry_run,
                insight=insight,
            )
            _print_purge(report, (describe(age), describe(lead_age)), out)
        else:
            erased = erase(
                conversations,
                lead_service,
                arguments.email,
                dry_run=arguments.dry_run,
                include_mentions=arguments.include_mentions,
            )
            _print_erase(erased, out)
        if not dry_run:
            _scrub(conversations, leads, insight)
        return EXIT_OK
    finally:
        for store in (conversations, leads, insight):
            if store is not None:
                store.dispose()


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one command and return its exit status.

    Args:
        argv: The arguments (``sys.argv[1:]`` by default).
        environ: Where the database URLs are read (the process environment by default).
        stdout: Where results go.
        stderr: Where messages and logs go.
    """
    out = stdout or sys.stdout
    return run_command(
        build_parser(),
        argv,
        lambda arguments: _run(arguments, os.environ if environ is None else environ, out),
        stderr=stderr or sys.stderr,
        store="a database",
        failures=(StoreUnavailable,),
    )


if __name__ == "__main__":
    sys.exit(main())
