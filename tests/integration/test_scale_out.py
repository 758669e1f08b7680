"""Two Rasa replicas serve the same conversations safely: the production configuration
(``rasa_project/endpoints.production.yml``: SQL tracker store on PostgreSQL 15, Redis lock
store) run on this machine, without Docker.

The end-to-end test starts a real PostgreSQL and a real Redis (as their own users, on
loopback), one action server and two Rasa processes on the trained model, then holds five
eligibility interviews at once with every message going to the other replica than the one
before, and fires a burst of simultaneous messages of one conversation at both replicas.
Every turn must be answered correctly, and every tracker, read back from both replicas and
from PostgreSQL, must hold each turn exactly once, whole and in order. It is marked
``e2e`` (it needs ``models/tsf.tar.gz``); the lock store check at the top is not.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from channels.conversation_ids import conversation_id
from tests.support.eligible_interview import ELIGIBLE_ANSWERS
from tests.support.harness import free_port, http
from tests.support.postgres import PostgresServer
from tests.support.redis_server import RedisServer
from tsf_runtime.launcher import is_ready

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "tsf.tar.gz"
ENDPOINTS = ROOT / "rasa_project" / "endpoints.production.yml"
TOKEN = "scale-out-token-0123456789abcdef"
SESSION_SECRET = "scale-out-session-secret-0123456789"
START_TIMEOUT_SECONDS = 300.0
STOP_TIMEOUT_SECONDS = 30.0
CONVERSATIONS = 5
BURST = 8
EMAIL = "jo.bloggs@example.org"
QUESTION = "how long would we have to repay it?"


def _lock_store_environment(redis: RedisServer) -> dict[str, str]:
    return {
        "TSF_REDIS_HOST": redis.host,
        "TSF_REDIS_PORT": str(redis.port),
        "TSF_REDIS_PASSWORD": redis.password,
        "TSF_REDIS_DB": "1",
    }


def test_the_production_endpoints_give_rasa_a_redis_lock_store_and_a_sql_tracker_store(
    redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from rasa.core.lock_store import LockStore, RedisLockStore
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    from tsf_runtime.tracker_store import LeanSQLTrackerStore

    environment = {
        **_lock_store_environment(redis_server),
        "TSF_TRACKER_DB_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "TSF_ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    config = read_endpoint_config(str(ENDPOINTS), "lock_store")
    replica_a, replica_b = LockStore.create(config), LockStore.create(config)
    tracker_store = TrackerStore.create(read_endpoint_config(str(ENDPOINTS), "tracker_store"))
    action = read_endpoint_config(str(ENDPOINTS), "action_endpoint")

    assert isinstance(replica_a, RedisLockStore)
    assert isinstance(tracker_store, LeanSQLTrackerStore)
    assert action is not None and action.url == "http://127.0.0.1:5055/webhook"
    try:
        first = replica_a.issue_ticket("conversation-1")
        second = replica_b.issue_ticket("conversation-1")  # the other replica must wait
        assert replica_b.get_or_create_lock("conversation-1").is_locked(second)
        assert not replica_a.get_or_create_lock("conversation-1").is_locked(first)
        replica_a.finish_serving("conversation-1", first)
        assert not replica_b.get_or_create_lock("conversation-1").is_locked(second)
        assert replica_a.red.keys("tsf:lock:*") == [b"tsf:lock:conversation-1"]
    finally:
        replica_a.red.flushdb()
        tracker_store.engine.dispose()  # type: ignore[attr-defined]


# --- Two replicas ----------------------------------------------------------------------


@dataclass
class Process:
    """A child process with its log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        """Everything it wrote so far."""
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM its process group, then SIGKILL if it lingers."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()


@dataclass
class Stack:
    """The action server and two Rasa replicas sharing PostgreSQL and Redis."""

    rasa_urls: list[str]
    tracker_db_url: str
    processes: list[Process] = field(default_factory=list)

    def say(self, replica: int, sender: str, message: str) -> list[dict[str, Any]]:
        """One message to one replica's REST channel; the bot's replies."""
        status, replies = http(
            "POST",
            f"{self.rasa_urls[replica]}/webhooks/rest/webhook?token={TOKEN}",
            {"sender": sender, "message": message},
            timeout=120,
        )
        assert status == 200, f"replica {replica} answered {status}: {replies}"
        return list(replies)

    def tracker(self, replica: int, sender: str) -> dict[str, Any]:
        """A conversation's tracker as one replica reads it (HTTP API, token protected)."""
        status, tracker = http(
            "GET",
            f"{self.rasa_urls[replica]}/conversations/{conversation_id('rest', sender)}/tracker"
            f"?token={TOKEN}&include_events=ALL",
        )
        assert status == 200, tracker
        return dict(tracker)

    def logs(self) -> str:
        """The last lines of every process's log, for failure messages."""
        return "\n".join(f"--- {p.name}\n{p.log()[-3000:]}" for p in self.processes)


def _start(name: str, command: list[str], environment: dict[str, str], folder: Path) -> Process:
    log_path = folder / f"{name}.log"
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Process(name=name, popen=popen, log_path=log_path)


def _wait_until_ready(stack: Stack, ready_urls: list[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    pending = list(ready_urls)
    while pending:
        dead = [p.name for p in stack.processes if p.popen.poll() is not None]
        if dead or time.monotonic() > deadline:
            reason = f"{', '.join(dead)} stopped" if dead else "timed out"
            pytest.fail(f"The replicas did not start ({reason}):\n{stack.logs()}", pytrace=False)
        pending = [url for url in pending if not is_ready(url)]
        if pending:
            time.sleep(1)


def test_replicas_taking_tickets_at_the_same_moment_never_share_one(
    redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import read_endpoint_config

    environment = {
        **_lock_store_environment(redis_server),
        "TSF_TRACKER_DB_URL": "sqlite://",
        "TSF_ACTION_ENDPOINT_URL": "http://127.0.0.1:5055/webhook",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    config = read_endpoint_config(str(ENDPOINTS), "lock_store")
    replicas = [LockStore.create(config) for _ in range(4)]
    conversation = f"race-{uuid.uuid4().hex[:8]}"
    start = threading.Barrier(24)

    def take(index: int) -> int:
        start.wait(timeout=10)
        return replicas[index % len(replicas)].issue_ticket(conversation)

    with ThreadPoolExecutor(max_workers=24) as pool:
        tickets = list(pool.map(take, range(24)))

    assert sorted(tickets) == list(range(24)), "two replicas were given the same ticket"
    for ticket in tickets:
        replicas[ticket % len(replicas)].cleanup(conversation, ticket)
    assert replicas[0].get_lock(conversation) is None


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_server: PostgresServer,
    redis_server: RedisServer,
) -> Iterator[Stack]:
    """The action server and two Rasa replicas, on free loopback ports."""
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make model` first.", pytrace=False)
    folder = tmp_path_factory.mktemp("scale-out")
    credentials = folder / "credentials.yml"
    # Both replicas trust the same API token and sign sessions with the same key.
    credentials.write_text(
        f"channels.rest.GuardedRestInput:\n  api_token: {TOKEN}\n"
        f"  session_secret: {SESSION_SECRET}\n",
        encoding="utf-8",
    )
    tracker_db_url = postgres_server.create_database(f"tsf_tracker_{uuid.uuid4().hex[:8]}")
    actions_port, ports = free_port(), [free_port(), free_port()]
    environment = {
        **os.environ,
        **_lock_store_environment(redis_server),
        "TSF_TRACKER_DB_URL": tracker_db_url,
        "TSF_LEADS_DB_URL": postgres_server.create_database(f"tsf_leads_{uuid.uuid4().hex[:8]}"),
        "TSF_ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "SANIC_HOST": "127.0.0.1",
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "LOG_LEVEL": "INFO",
    }
    stack = Stack(
        rasa_urls=[f"http://127.0.0.1:{port}" for port in ports], tracker_db_url=tracker_db_url
    )
    actions = [sys.executable, "-m", "tsf_runtime.actions_main", "--actions", "actions"]
    stack.processes.append(
        _start("actions", [*actions, "--port", str(actions_port)], environment, folder)
    )
    for index, port in enumerate(ports):
        command = [
            sys.executable, "-m", "tsf_runtime.rasa_main", "run",
            "--model", str(MODEL), "--endpoints", str(ENDPOINTS),
            "--credentials", str(credentials),
            "--interface", "127.0.0.1", "--port", str(port),
            "--enable-api", "--auth-token", TOKEN,
        ]  # fmt: skip
        # The first replica logs at DEBUG, where Rasa writes what people type.
        level = {"LOG_LEVEL": "DEBUG"} if index == 0 else {}
        stack.processes.append(_start(f"rasa-{index}", command, environment | level, folder))
    try:
        _wait_until_ready(
            stack,
            [f"http://127.0.0.1:{actions_port}/health"]
            + [f"{url}/status?token={TOKEN}" for url in stack.rasa_urls],
        )
        yield stack
    finally:
        for process in reversed(stack.processes):
            process.stop()


def _interview(stack: Stack, number: int) -> tuple[str, list[str], list[list[str]]]:
    """One eligibility interview, each message to the other replica than the last."""
    sender = f"scale-{number}-{uuid.uuid4().hex[:8]}"
    messages = ["I'd like to see if we qualify", *ELIGIBLE_ANSWERS, "/affirm"]
    replies = []
    for index, message in enumerate(messages):
        answer = stack.say((number + index) % 2, sender, message)
        replies.append([reply.get("text", "") for reply in answer])
    return sender, messages, replies


def _events_in_postgres(stack: Stack, sender: str) -> list[tuple[int, str, float, str]]:
    engine = create_engine(stack.tracker_db_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT id, type_name, timestamp, data FROM events "
                    "WHERE sender_id = :sender ORDER BY id"
                ),
                {"sender": sender},
            ).all()
    finally:
        engine.dispose()
    return [(int(row[0]), str(row[1]), float(row[2]), str(row[3])) for row in rows]


def _assert_tracker_is_whole(stack: Stack, sender: str, messages: list[str]) -> None:
    """Both replicas and PostgreSQL agree; every message is one whole turn, in order."""
    trackers = [stack.tracker(replica, sender)["events"] for replica in (0, 1)]
    assert trackers[0] == trackers[1], "the two replicas see different trackers"
    events = trackers[0]

    rows = _events_in_postgres(stack, conversation_id("rest", sender))
    assert len(rows) == len(events)
    assert [json.loads(data)["event"] for _, _, _, data in rows] == [e["event"] for e in events]
    timestamps = [timestamp for _, _, timestamp, _ in rows]
    assert timestamps == sorted(timestamps), "events are out of order"
    assert len({data for _, _, _, data in rows}) == len(rows), "an event was stored twice"

    said = [event["text"] for event in events if event["event"] == "user"]
    assert said == messages, f"{len(said)} user messages stored, {len(messages)} sent"

    # A turn: the user's message, then actions and bot messages, then listening again.
    turns, current = [], None
    for event in events:
        if event["event"] == "user":
            assert current is None, "a message arrived in the middle of another turn"
            current = []
        elif current is not None:
            current.append(event)
            if event["event"] == "action" and event["name"] == "action_listen":
                turns.append(current)
                current = None
    assert current is None, "the last turn did not finish"
    assert len(turns) == len(messages)
    assert all(any(e["event"] == "bot" for e in turn) for turn in turns)


@pytest.mark.e2e
def test_two_replicas_serve_interleaved_interviews_without_corrupting_them(
    stack: Stack,
) -> None:
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        interviews = list(pool.map(lambda n: _interview(stack, n), range(CONVERSATIONS)))

    for sender, messages, replies in interviews:
        failure = f"{sender}: {json.dumps(replies, ensure_ascii=False)[-2000:]}"
        summary, verdict = "\n".join(replies[-2]), "\n".join(replies[-1])
        assert "Riverside Community Care CIC" in summary, failure
        assert "£450,000" in summary, failure
        assert "you seem to meet the main rules" in verdict, failure
        assert verdict.count("✓ Met") == 5, failure
        assert all(replies), f"a message got no answer: {failure}"
        _assert_tracker_is_whole(stack, sender, messages)


@pytest.mark.e2e
def test_simultaneous_messages_of_one_conversation_are_taken_one_at_a_time(
    stack: Stack,
) -> None:
    sender = f"burst-{uuid.uuid4().hex[:8]}"
    stack.say(0, sender, "hello")

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        answers = list(pool.map(lambda n: stack.say(n % 2, sender, QUESTION), range(BURST)))

    for answer in answers:
        assert any("3 to 5 years" in reply.get("text", "") for reply in answer), answer
    _assert_tracker_is_whole(stack, sender, ["hello", *[QUESTION] * BURST])


@pytest.mark.e2e
def test_what_people_type_stays_out_of_the_replicas_debug_log(stack: Stack) -> None:
    sender = f"privacy-{uuid.uuid4().hex[:8]}"

    stack.say(0, sender, f"my email is {EMAIL} and my phone is 07700 900123")

    log = stack.processes[1].log()  # rasa-0, which logs at DEBUG
    assert "[email redacted]" in log
    assert "[phone redacted]" in log
    assert EMAIL not in log
    assert "07700 900123" not in log
