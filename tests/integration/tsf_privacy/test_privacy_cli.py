"""``tsf-privacy`` on real databases: Rasa's own SQL tracker store and the lead store.

Conversations are written by Rasa 3.6's ``SQLTrackerStore`` (which creates its ``events``
table), leads by ``tsf_leads.service.LeadService``; each test runs on SQLite and on
PostgreSQL 15.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.integration.conftest import Databases
from tests.support.leads import make_consent, make_contact, make_summary
from tsf_insight.store import FALLBACK, InsightStore
from tsf_leads.repository import LeadStore, open_store
from tsf_leads.service import LeadService
from tsf_privacy.cli import main

NOW = datetime.now(timezone.utc)


def ago(days: float) -> float:
    """A Rasa event timestamp ``days`` days ago."""
    return (NOW - timedelta(days=days)).timestamp()


@pytest.fixture
def tracker_store(databases: Databases) -> Iterator[object]:
    """Rasa's SQL tracker store on the tracker database."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    store = SQLTrackerStore(domain=Domain.empty(), host=databases.tracker_url)
    yield store
    store.engine.dispose()


@pytest.fixture
def lead_store(databases: Databases) -> Iterator[LeadStore]:
    """The lead store, migrated."""
    store = open_store(databases.leads_url)
    yield store
    store.dispose()


async def save_conversation(
    store: object, sender: str, days_old: list[float], said: str = "hello"
) -> None:
    """A conversation with one user turn (user, bot, listen) per age, oldest first."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = []
    for age in sorted(days_old, reverse=True):
        events += [
            UserUttered(said, intent={"name": "greet", "confidence": 1.0}, timestamp=ago(age)),
            SlotSet("contact_email", said if "@" in said else None, timestamp=ago(age)),
            BotUttered("Hello! How can I help?", timestamp=ago(age)),
            ActionExecuted("action_listen", timestamp=ago(age)),
        ]
    tracker = DialogueStateTracker.from_events(sender, events)
    await store.save(tracker)  # type: ignore[attr-defined]


def add_lead(store: LeadStore, conversation: str, email: str, days_old: float) -> str:
    summary = make_summary(
        conversation_id=conversation,
        contact=make_contact(email=email),
        created_at=NOW - timedelta(days=days_old),
    )
    consent = make_consent(given_at=NOW - timedelta(days=days_old, minutes=1))
    return LeadService(store, ["crm:webhook"]).submit(summary, consent).reference


def event_counts(databases: Databases) -> dict[str, int]:
    """Events per conversation, straight from the tracker database."""
    engine = create_engine(databases.tracker_url, future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id")
            ).all()
    finally:
        engine.dispose()
    return {sender: int(count) for sender, count in rows}


def remaining_leads(store: LeadStore) -> set[str]:
    return {record.reference for record in LeadService(store).list()}


def run(databases: Databases, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), environ=databases.environ, stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


async def test_purge_removes_each_kind_of_data_past_its_own_retention_period(
    databases: Databases, tracker_store: object, lead_store: LeadStore
) -> None:
    await save_conversation(tracker_store, "old-1", [200, 120])
    await save_conversation(tracker_store, "old-2", [100])
    await save_conversation(tracker_store, "came-back", [200, 10])
    await save_conversation(tracker_store, "recent", [1])
    expired_lead = add_lead(lead_store, "old-1", "a@example.org", days_old=400)
    kept_lead = add_lead(lead_store, "old-2", "b@example.org", days_old=120)

    status, out, err = run(databases, "purge")  # TSF_CONVERSATION_/TSF_LEAD_RETENTION_DAYS

    assert (status, err) == (0, "")
    assert out == (
        "Deleted 2 conversation(s) (12 event(s)) older than 90 days and 1 lead(s) older than "
        "365 days.\nDeleted 0 content gap and feedback record(s) older than 90 days.\n"
    )
    assert event_counts(databases) == {"came-back": 8, "recent": 4}
    assert remaining_leads(lead_store) == {kept_lead}
    assert expired_lead not in out  # counts only
    purged = await tracker_store.retrieve("old-1")  # type: ignore[attr-defined]
    kept = await tracker_store.retrieve("came-back")  # type: ignore[attr-defined]
    assert purged is None
    assert kept is not None and len(kept.events) == 8


async def test_the_retention_settings_are_read_from_the_environment(
    databases: Databases, tracker_store: object, lead_store: LeadStore
) -> None:
    await save_conversation(tracker_store, "forty-days", [40])
    add_lead(lead_store, "forty-days", "a@example.org", days_old=40)
    environ = {
        **databases.environ,
        "TSF_CONVERSATION_RETENTION_DAYS": "30",
        "TSF_LEAD_RETENTION_DAYS": "60",
    }
    out = io.StringIO()

    status = main(["purge"], environ=environ, stdout=out, stderr=io.StringIO())

    assert status == 0
    assert out.getvalue().startswith("Deleted 1 conversation(s) (4 event(s)) older than 30 days")
    assert event_counts(databases) == {}
    assert len(remaining_leads(lead_store)) == 1


async def test_purge_in_hours_applies_to_conversations_and_a_dry_run_comes_first(
    databases: Databases, tracker_store: object, lead_store: LeadStore
) -> None:
    await save_conversation(tracker_store, "two-days", [2])
    await save_conversation(tracker_store, "an-hour", [1 / 24])
    add_lead(lead_store, "two-days", "a@example.org", days_old=2)

    dry = run(databases, "purge", "--older-than", "36h", "--dry-run")
    assert dry == (
        0,
        "Would delete 1 conversation(s) (4 event(s)) older than 36 hours and 0 lead(s) older "
        "than 365 days.\nWould delete 0 content gap and feedback record(s) older than 36 "
        "hours.\n",
        "",
    )
    assert event_counts(databases) == {"two-days": 4, "an-hour": 4}

    status, out, _ = run(databases, "purge", "--older-than", "36h")
    assert status == 0
    assert out.startswith("Deleted 1 conversation(s) (4 event(s)) older than 36 hours")
    assert event_counts(databases) == {"an-hour": 4}
    assert len(remaining_leads(lead_store)) == 1  # leads keep their own period


def insight_rows(databases: Databases) -> tuple[list[str], list[str]]:
    """The questions of the stored gaps and the facts of the stored feedback."""
    store = InsightStore.from_url(databases.tracker_url)
    try:
        since = NOW - timedelta(days=10_000)
        return (
            [gap.question for gap in store.gaps_since(since)],
            [row.fact_id for row in store.feedback_by_fact(since)],
        )
    finally:
        store.dispose()


async def test_purge_deletes_content_gaps_and_feedback_older_than_the_conversations_period(
    databases: Databases, tracker_store: object
) -> None:
    await save_conversation(tracker_store, "recent", [1])
    store = InsightStore.from_url(databases.tracker_url)
    for question, days in (("any fees?", 120), ("is there a deadline?", 91), ("vat?", 5)):
        store.record_gap(FALLBACK, question, None, NOW - timedelta(days=days))
    store.record_feedback("loan_amounts", False, "rest", NOW - timedelta(days=100))
    store.record_feedback("loan_term", True, "rest", NOW - timedelta(days=2))
    store.dispose()

    dry = run(databases, "purge", "--dry-run")
    assert dry[0] == 0
    assert "Would delete 3 content gap and feedback record(s) older than 90 days." in dry[1]
    assert insight_rows(databases) == (
        ["any fees?", "is there a deadline?", "vat?"],
        ["loan_amounts", "loan_term"],
    )

    status, out, err = run(databases, "purge")

    assert (status, err) == (0, "")
    assert out.endswith("Deleted 3 content gap and feedback record(s) older than 90 days.\n")
    assert insight_rows(databases) == (["vat?"], ["loan_term"])
    assert event_counts(databases) == {"recent": 4}


def test_a_dry_run_purge_creates_no_content_gap_table(databases: Databases) -> None:
    engine = create_engine(databases.tracker_url, future=True)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE unrelated (id INTEGER PRIMARY KEY)"))
    engine.dispose()

    status, out, _ = run(databases, "purge", "--dry-run")

    engine = create_engine(databases.tracker_url, future=True)
    try:
        assert not inspect(engine).has_table("tsf_content_gaps")
    finally:
        engine.dispose()
    assert status == 0
    assert "Would delete 0 content gap and feedback record(s)" in out


async def test_erase_removes_one_persons_leads_and_conversations(
    databases: Databases, tracker_store: object, lead_store: LeadStore
) -> None:
    await save_conversation(tracker_store, "jo-web", [3], said="jo.bloggs@example.org")
    await save_conversation(tracker_store, "jo-slack", [2])
    await save_conversation(tracker_store, "staff", [1], said="about JO.BLOGGS@example.org")
    await save_conversation(tracker_store, "someone-else", [1])
    first = add_lead(lead_store, "jo-web", "jo.bloggs@example.org", days_old=3)
    second = add_lead(lead_store, "jo-slack", "Jo.Bloggs@Example.org", days_old=2)
    other = add_lead(lead_store, "someone-else", "sam@example.org", days_old=1)

    status, out, err = run(databases, "erase", "--email", " jo.bloggs@example.org ")

    assert (status, err) == (0, "")
    assert out.splitlines() == [
        f"Deleted 2 lead(s) ({first}, {second}) and 2 conversation(s) (8 event(s)).",
        "1 other conversation(s) mention this address; add --include-mentions to delete them too.",
        "Erase these leads from the CRM too, by reference.",
    ]
    assert "jo.bloggs" not in out.lower()
    assert event_counts(databases) == {"staff": 4, "someone-else": 4}
    assert remaining_leads(lead_store) == {other}

    status, out, _ = run(databases, "erase", "--email", "jo.bloggs@example.org", "--dry-run")
    assert (status, out) == (
        0,
        "Would delete 0 lead(s) and 0 conversation(s) (0 event(s)).\n"
        "1 other conversation(s) mention this address; add --include-mentions to delete "
        "them too.\n",
    )

    status, out, _ = run(
        databases, "erase", "--email", "jo.bloggs@example.org", "--include-mentions"
    )
    assert (status, out) == (0, "Deleted 0 lead(s) and 1 conversation(s) (4 event(s)).\n")
    assert event_counts(databases) == {"someone-else": 4}


async def test_a_dry_run_erase_changes_nothing(
    databases: Databases, tracker_store: object, lead_store: LeadStore
) -> None:
    await save_conversation(tracker_store, "jo-web", [3])
    reference = add_lead(lead_store, "jo-web", "jo@example.org", days_old=3)

    status, out, _ = run(databases, "erase", "--email", "jo@example.org", "--dry-run")

    assert (status, out) == (
        0,
        f"Would delete 1 lead(s) ({reference}) and 1 conversation(s) (4 event(s)).\n",
    )
    assert event_counts(databases) == {"jo-web": 4}
    assert remaining_leads(lead_store) == {reference}


async def test_erasing_a_lead_whose_conversation_is_already_gone(
    databases: Databases, tracker_store: object, lead_store: LeadStore
) -> None:
    await save_conversation(tracker_store, "unrelated", [1])
    reference = add_lead(lead_store, "purged-earlier", "jo@example.org", days_old=100)

    status, out, _ = run(databases, "erase", "--email", "jo@example.org")

    assert status == 0
    assert out.splitlines()[0] == (
        f"Deleted 1 lead(s) ({reference}) and 0 conversation(s) (0 event(s))."
    )
    assert event_counts(databases) == {"unrelated": 4}


async def test_after_erase_the_address_is_in_no_byte_of_the_sqlite_files(
    databases: Databases, tracker_store: object, lead_store: LeadStore
) -> None:
    if not databases.tracker_url.startswith("sqlite"):
        pytest.skip("the files of a PostgreSQL server are its own; VACUUM runs there instead")
    email = "erase.me@example.org"
    folder = Path(databases.tracker_url.removeprefix("sqlite:///")).parent
    with sqlite3.connect(folder / "tracker.db") as connection:  # as the running server has it
        connection.execute("PRAGMA journal_mode = WAL")
    for index in range(20):
        await save_conversation(tracker_store, f"jo-{index}", [3], said=f"I'm {email}")
        add_lead(lead_store, f"jo-{index}", email, days_old=3)

    before = b"".join(path.read_bytes() for path in folder.glob("*.db*"))
    # The running servers keep their connections open, so SQLite never checkpoints on close.
    servers = [sqlite3.connect(folder / name) for name in ("tracker.db", "leads.db")]
    for server in servers:
        server.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
    try:
        status, _, err = run(databases, "erase", "--email", email, "--include-mentions")

        files = sorted(folder.glob("*.db*"))
        left = {path.name: path.read_bytes().count(email.encode()) for path in files}
    finally:
        for server in servers:
            server.close()

    assert (status, err) == (0, "")
    assert email.encode() in before  # the check can see the address
    assert {"tracker.db", "leads.db"} <= set(left)
    assert set(left.values()) == {0}, left


async def test_export_gives_a_copy_of_everything_held_about_one_person_and_changes_nothing(
    databases: Databases, tracker_store: object, lead_store: LeadStore
) -> None:
    await save_conversation(tracker_store, "jo-web", [3], said="my email is jo@example.org")
    await save_conversation(tracker_store, "mention", [2], said="ask JO@example.org")
    await save_conversation(tracker_store, "someone-else", [1])
    reference = add_lead(lead_store, "jo-web", "jo@example.org", days_old=3)
    add_lead(lead_store, "someone-else", "sam@example.org", days_old=1)

    status, out, err = run(databases, "export", "--email", "Jo@Example.org")

    assert (status, err) == (0, "")
    held = json.loads(out)
    assert [lead["reference"] for lead in held["leads"]] == [reference]
    [lead] = held["leads"]
    assert lead["summary"]["contact"]["email"] == "jo@example.org"
    assert lead["consent"]["given_at"]
    assert {d["destination"] for d in lead["deliveries"]}
    conversations = {c["conversation_id"]: c["events"] for c in held["conversations"]}
    assert set(conversations) == {"jo-web", "mention"}
    assert any(e.get("text") == "my email is jo@example.org" for e in conversations["jo-web"])
    assert "sam@example.org" not in out
    assert event_counts(databases) == {"jo-web": 4, "mention": 4, "someone-else": 4}
    assert len(remaining_leads(lead_store)) == 2


async def test_export_to_a_file_is_readable_by_its_owner_only(
    databases: Databases, tracker_store: object, lead_store: LeadStore, tmp_path: Path
) -> None:
    add_lead(lead_store, "jo-web", "jo@example.org", days_old=3)
    target = tmp_path / "jo.json"

    status, out, _ = run(databases, "export", "--email", "jo@example.org", "--out", str(target))

    assert status == 0
    assert out == f"Wrote 1 lead(s) and 0 conversation(s) to {target}.\n"
    assert json.loads(target.read_text())["leads"][0]["summary"]["contact"]["email"]
    assert target.stat().st_mode & 0o777 == 0o600
    assert run(databases, "export", "--email", "jo@example.org", "--out", str(target))[0] == 1


async def test_purge_and_erase_take_live_chats_with_them(
    databases: Databases, tracker_store: object, lead_store: LeadStore
) -> None:
    from rasa.shared.core.events import BotUttered, ConversationPaused
    from rasa.shared.core.trackers import DialogueStateTracker

    from tsf_handover.store import HandoverStore

    requests = HandoverStore.open(databases.tracker_url)
    for sender, age in (("old-chat", 100), ("jo-chat", 1), ("kept-chat", 1)):
        await save_conversation(tracker_store, sender, [age], said=f"{sender}@example.org")
        tracker = await tracker_store.retrieve(sender)  # type: ignore[attr-defined]
        tracker.update(ConversationPaused(timestamp=ago(age)))
        tracker.update(
            BotUttered("Hello, I'm Sam", metadata={"tsf_live": "staff"}, timestamp=ago(age))
        )
        await tracker_store.save(tracker)  # type: ignore[attr-defined]
        requests.request(sender, ago(age), 180, '{"who": "the applicant"}')
    restored = await tracker_store.retrieve("kept-chat")  # type: ignore[attr-defined]
    assert isinstance(restored, DialogueStateTracker) and restored.is_paused()

    assert run(databases, "purge")[0] == 0
    assert requests.open_for("old-chat") is None
    assert set(event_counts(databases)) == {"jo-chat", "kept-chat"}

    add_lead(lead_store, "jo-chat", "jo@example.org", days_old=1)
    assert run(databases, "erase", "--email", "jo@example.org")[0] == 0
    assert requests.open_for("jo-chat") is None
    assert requests.open_for("kept-chat") is not None
    assert set(event_counts(databases)) == {"kept-chat"}
    requests.engine.dispose()
