"""``tsf-insight digest [--send | --schedule]``: the weekly digest, printed, sent now, or
sent every week by the digest service (``TSF_DIGEST_SCHEDULE``)."""

from __future__ import annotations

import argparse
import logging
import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tsf_config import Reader
from tsf_insight.command_support import Streams, databases, tracker_engine
from tsf_insight.digest import build_digest
from tsf_insight.schedule import DigestSchedule, SendLog, run_schedule, send_message
from tsf_insight.settings import VARIABLES
from tsf_insight.store import InsightStore
from tsf_leads.command_line import EXIT_FAILED, EXIT_OK, EXIT_USAGE, CliError, stop_on_signals
from tsf_leads.contracts import Notifier, TeamMessage
from tsf_leads.notify import build_notifiers

logger = logging.getLogger(__name__)

NO_NOTIFIER = (
    "no team notifier is configured: set TSF_NOTIFY_SLACK_WEBHOOK_URL, "
    "TSF_NOTIFY_TEAMS_WEBHOOK_URL, TSF_TEAM_TEAMS_CHANNEL (with the bot) or TSF_NOTIFY_SMTP_HOST"
)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``digest`` to ``subparsers``."""
    parser = subparsers.add_parser(
        "digest",
        help="the weekly digest: funnel, content gaps, unhelpful answers, leads waiting or failing",
    )
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--send", action="store_true", help="send it now through the team's notifiers")
    how.add_argument(
        "--schedule",
        action="store_true",
        help="keep running and send it once a week at TSF_DIGEST_SCHEDULE (the digest service)",
    )
    parser.set_defaults(run=run)
    return parser


def digest_message(environ: Mapping[str, str], now: datetime) -> TeamMessage:
    """This week's digest for the notifiers, read from the databases now."""
    with databases(environ) as (tracker, leads):
        return build_digest(tracker, InsightStore(tracker), leads, now).message()


def notifiers(environ: Mapping[str, str]) -> list[Notifier]:
    """The team's notifiers (as the lead notifications use them); refuses none."""
    found = build_notifiers(environ)
    if not found:
        raise CliError(NO_NOTIFIER, EXIT_USAGE)
    return found


def run(arguments: argparse.Namespace, streams: Streams) -> int:
    """Print the digest, send it, or run the weekly schedule."""
    if arguments.schedule:
        return _schedule(streams)
    if not arguments.send:
        now = streams.clock()
        with databases(streams.environ) as (tracker, leads):
            digest = build_digest(tracker, InsightStore(tracker), leads, now)
        streams.out.write(digest.markdown())
        return EXIT_OK
    targets = notifiers(streams.environ)
    message = digest_message(streams.environ, streams.clock())
    failed = send_message(targets, message)
    sent = [notifier.name for notifier in targets if notifier.name not in failed]
    if sent:
        print(f"Sent the digest to {', '.join(sent)}.", file=streams.out)
    if failed:
        raise CliError(f"the digest could not go to {', '.join(failed)}", EXIT_FAILED)
    return EXIT_OK


def _schedule(streams: Streams, stop: threading.Event | None = None) -> int:
    schedule = DigestSchedule.parse(Reader(VARIABLES, streams.environ).text("TSF_DIGEST_SCHEDULE"))
    stop = stop or threading.Event()
    with stop_on_signals(stop):
        if schedule is None:
            logger.info("TSF_DIGEST_SCHEDULE is off: no digest will be sent")
            stop.wait()
            return EXIT_OK
        targets = notifiers(streams.environ)
        tracker = tracker_engine(streams.environ)
        try:
            logger.info("Sending the weekly digest %s", schedule.describe())
            run_schedule(
                stop,
                schedule,
                SendLog(tracker),
                targets,
                lambda now: digest_message(streams.environ, now),
                streams.clock,
            )
        finally:
            tracker.dispose()
    return EXIT_OK
