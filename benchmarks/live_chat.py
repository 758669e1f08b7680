"""Live chat figure: from a staff reply in the team's Slack thread to the widget receiving it.

Starts the real assistant with live chat on (a fake Slack Web API on 127.0.0.1), opens a
widget session over REST, asks for a person, takes the chat with a signed click, then for
each of ``replies`` staff replies times the signed thread message to its arrival on the
widget's live stream (``/webhooks/rest/live``, the Server-Sent Events the widget's
EventSource reads). Loopback only.

Usage: ``python -m benchmarks.live_chat [--replies 50]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy

from tests.fakes.slack_api import FakeSlackApi, block_actions_body, event_body, sign
from tests.support.harness import http, start_assistant

TOKEN = "xoxb-bench-live-chat"
SECRET = "bench-live-chat-signing-secret-01"
TEAM = "C0BENCHTEAM"
STAFF = "U0BENCHSTAFF"


@dataclass(frozen=True)
class LiveChatFigures:
    """What the run measured."""

    replies: int
    staff_reply_to_widget_ms_median: float
    staff_reply_to_widget_ms_p95: float


def _environment(workdir: Path, slack: FakeSlackApi) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "TSF_SLACK_API_URL": slack.url,
        "TSF_SLACK_DEDUP_DB": str(workdir / "slack_events.db"),
        "TSF_TEAM_SLACK_CHANNEL": TEAM,
        "TSF_OFFICE_HOURS": "always",
        "TSF_HANDOVER_WAIT_SECONDS": "3600",
    }


def _to_slack(rasa_url: str, body: bytes, content_type: str) -> None:
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/slack/webhook",
        data=body,
        method="POST",
        headers={"Content-Type": content_type, **sign(SECRET, body)},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200, answer.status


def _say(rasa_url: str, session: str, message: str) -> str:
    """A widget message; returns the session id the server issued."""
    status, replies = http(
        "POST",
        f"{rasa_url}/webhooks/rest/webhook",
        {"sender": session, "message": message, "metadata": {"live_chat": True}},
    )
    assert status == 200 and replies, replies
    return str(replies[0]["recipient_id"])


def _stream(rasa_url: str, session: str) -> Iterator[dict[str, Any]]:
    """The widget's live messages, as they arrive."""
    with urllib.request.urlopen(
        f"{rasa_url}/webhooks/rest/live?session={session}", timeout=60
    ) as stream:
        for raw in stream:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("data: "):
                yield json.loads(line[6:])


def _card(slack: FakeSlackApi) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        cards = [m for m in slack.messages(TEAM) if not m.get("thread_ts")]
        if cards:
            return cards[0]
        time.sleep(0.05)
    raise RuntimeError("no hand-over card reached Slack")


def _take_token(card: dict[str, Any]) -> str:
    for block in card["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == "tsf_handover_take":
                return str(element["value"])
    raise RuntimeError("the card has no Take it button")


def measure(workdir: Path, replies: int) -> LiveChatFigures:
    """Time ``replies`` staff replies from Slack's webhook call to the widget's stream."""
    workdir.mkdir(parents=True, exist_ok=True)
    with FakeSlackApi(TOKEN, {STAFF: "Sam Jones"}) as slack:
        assistant = start_assistant(workdir, extra_env=_environment(workdir, slack))
        try:
            session = _say(assistant.rasa_url, "bench-widget", "/ask_contact_team")
            _say(assistant.rasa_url, session, "/affirm")
            card = _card(slack)
            arrivals: dict[str, float] = {}
            joined = threading.Event()

            def listen() -> None:
                for message in _stream(assistant.rasa_url, session):
                    if message.get("kind") == "joined":
                        joined.set()
                    arrivals[message.get("text", "")] = time.perf_counter()
                    if len(arrivals) > replies:
                        return

            listener = threading.Thread(target=listen, daemon=True)
            listener.start()
            click = block_actions_body(
                _take_token(card), user=STAFF, channel=TEAM, action_id="tsf_handover_take"
            )
            _to_slack(assistant.rasa_url, click, "application/x-www-form-urlencoded")
            if not joined.wait(30):
                raise RuntimeError("the take never reached the widget")
            latencies = []
            for number in range(replies):
                text = f"Staff reply {number} {uuid.uuid4().hex[:6]}"
                event = json.loads(
                    event_body(f"EvB{number}{uuid.uuid4().hex[:6]}", text, user=STAFF, channel=TEAM)
                )
                event["event"].update(thread_ts=card["posted_ts"], channel_type="channel")
                sent = time.perf_counter()
                _to_slack(assistant.rasa_url, json.dumps(event).encode(), "application/json")
                deadline = time.monotonic() + 30
                while text not in arrivals and time.monotonic() < deadline:
                    time.sleep(0.002)
                if text not in arrivals:
                    raise RuntimeError(f"reply {number} never reached the widget")
                latencies.append((arrivals[text] - sent) * 1000)
        finally:
            assistant.stop()
    return LiveChatFigures(
        replies=replies,
        staff_reply_to_widget_ms_median=round(statistics.median(latencies), 1),
        staff_reply_to_widget_ms_p95=round(float(numpy.percentile(latencies, 95)), 1),
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replies", type=int, default=50)
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tsf-live-chat-") as scratch:
        print(measure(Path(scratch), arguments.replies))


if __name__ == "__main__":
    main()
