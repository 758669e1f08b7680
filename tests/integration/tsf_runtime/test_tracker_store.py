"""The lean tracker store keeps conversations exactly as Rasa's SQL tracker store does.

Each test runs on a real SQLite file and a real PostgreSQL 15 database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from tsf_runtime.tracker_store import (
    STORED_EVENTS,
    LeanSQLTrackerStore,
    RecentTrackers,
    parse_event,
)

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
slots:
  organisation_name:
    type: text
    mappings: [{type: custom}]
"""
)


@pytest.fixture
def lean(db_url: str) -> Iterator[LeanSQLTrackerStore]:
    store = LeanSQLTrackerStore(domain=DOMAIN, host=db_url)
    yield store
    store.engine.dispose()


@pytest.fixture
def stock(db_url: str) -> Iterator[SQLTrackerStore]:
    store = SQLTrackerStore(domain=DOMAIN, host=db_url)
    yield store
    store.engine.dispose()


def turn(text_said: str, timestamp: float) -> list[Event]:
    return [
        UserUttered(text_said, {"name": "greet", "confidence": 1.0}, timestamp=timestamp),
        ActionExecuted("utter_greet", timestamp=timestamp + 0.1),
        BotUttered("Hello", timestamp=timestamp + 0.2),
        SlotSet("organisation_name", "Riverside CIC", timestamp=timestamp + 0.3),
        ActionExecuted("action_listen", timestamp=timestamp + 0.4),
    ]


def begin_new_session(conversation: DialogueStateTracker, said: str) -> None:
    """A session start at 5000 s, then a turn in which the user says ``said``."""
    for event in (
        ActionExecuted("action_session_start", timestamp=5000.0),
        SessionStarted(timestamp=5000.1),
        *turn(said, 6000.0),
    ):
        conversation.update(event)


def tracker(sender: str, events: list[Event]) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, events, DOMAIN.slots)


async def test_a_saved_conversation_comes_back_the_same(lean: LeanSQLTrackerStore) -> None:
    original = tracker("ann", turn("hello 👋 <b>", 1000.0) + turn("'; DROP TABLE events;", 2000))

    await lean.save(original)
    restored = await lean.retrieve("ann")

    assert restored is not None
    assert list(restored.events) == list(original.events)
    assert restored.get_slot("organisation_name") == "Riverside CIC"


async def test_saving_again_stores_only_the_new_events(lean: LeanSQLTrackerStore) -> None:
    first = tracker("bob", turn("hi", 1000.0))
    await lean.save(first)
    second = tracker("bob", turn("hi", 1000.0) + turn("again", 2000.0))

    await lean.save(second)

    with lean.session_scope() as session:
        stored = session.execute(
            text("SELECT count(*) FROM events WHERE sender_id = 'bob'")
        ).scalar()
    assert stored == 10


@pytest.mark.parametrize(
    "value",
    [
        1796233672.835223,
        0.30000000000000004,
        1e-7,
        123456789012345678901234567890,
        float("nan"),
        float("inf"),
        'a\ud800b 👋 \u2028 "quoted" \\',
        {"nested": [None, True, False, -0.0, []]},
    ],
)
def test_a_stored_event_is_parsed_to_what_the_standard_library_reads(value: object) -> None:
    data = json.dumps({"event": "slot", "name": "x", "value": value})

    parsed, expected = parse_event(data), json.loads(data)

    assert json.dumps(parsed) == json.dumps(expected)


def _stored(store: LeanSQLTrackerStore, sender: str) -> int:
    with store.session_scope() as session:
        return int(
            session.execute(
                text("SELECT count(*) FROM events WHERE sender_id = :sender"), {"sender": sender}
            ).scalar()
        )


async def test_a_tracker_read_from_the_store_saves_its_new_events_without_counting_again(
    lean: LeanSQLTrackerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await lean.save(tracker("fay", turn("hi", 1000.0)))
    restored = await lean.retrieve("fay")
    assert restored is not None
    counted = []
    monkeypatch.setattr(
        SQLTrackerStore, "_additional_events", lambda *args: counted.append(args) or iter(())
    )

    for event in turn("again", 2000.0):
        restored.update(event)
    await lean.save(restored)
    restored.update(BotUttered("Anything else?", timestamp=3000.0))
    await lean.save(restored)

    assert counted == []
    assert _stored(lean, "fay") == 11
    again = await lean.retrieve("fay")
    assert again is not None and list(again.events) == list(restored.events)


async def test_a_new_session_in_a_read_tracker_is_stored_after_the_old_one(
    lean: LeanSQLTrackerStore,
) -> None:
    await lean.save(tracker("gus", turn("before", 1000.0)))
    restored = await lean.retrieve("gus")
    assert restored is not None
    begin_new_session(restored, "after")

    await lean.save(restored)

    assert _stored(lean, "gus") == 12
    latest = await lean.retrieve("gus")
    assert latest is not None
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["after"]


async def test_only_the_latest_session_is_read_and_every_session_on_request(
    lean: LeanSQLTrackerStore,
) -> None:
    events = [
        *turn("old session", 1000.0),
        ActionExecuted("action_session_start", timestamp=5000.0),
        SessionStarted(timestamp=5000.1),
        *turn("new session", 6000.0),
    ]
    await lean.save(tracker("cat", events))

    latest = await lean.retrieve("cat")
    everything = await lean.retrieve_full_tracker("cat")

    assert latest is not None and everything is not None
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["new session"]
    assert len(everything.events) == len(events)


async def test_an_unknown_conversation_is_none(lean: LeanSQLTrackerStore) -> None:
    assert await lean.retrieve("nobody") is None


async def test_rasas_store_and_the_lean_store_read_each_others_conversations(
    lean: LeanSQLTrackerStore, stock: SQLTrackerStore
) -> None:
    await stock.save(tracker("dan", turn("from rasa", 1000.0)))
    await lean.save(tracker("eve", turn("from lean", 1000.0)))

    from_stock = await lean.retrieve("dan")
    from_lean = await stock.retrieve("eve")

    assert from_stock is not None and from_lean is not None
    assert list(from_stock.events) == turn("from rasa", 1000.0)
    assert list(from_lean.events) == turn("from lean", 1000.0)


def test_sqlite_is_in_wal_mode_with_pooled_connections(sqlite_url: str) -> None:
    store = LeanSQLTrackerStore(domain=DOMAIN, host=sqlite_url)
    try:
        with store.engine.connect() as connection:
            mode = connection.execute(text("PRAGMA journal_mode")).scalar()
            synchronous = connection.execute(text("PRAGMA synchronous")).scalar()
        assert mode == "wal"
        assert synchronous == 1  # NORMAL
        assert type(store.engine.pool).__name__ == "QueuePool"
    finally:
        store.engine.dispose()

    other = create_engine(sqlite_url)
    with other.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    other.dispose()


def test_the_endpoints_file_gives_rasa_the_lean_store(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.setenv("TSF_TRACKER_DB_URL", sqlite_url)
    monkeypatch.setenv("TSF_ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")

    store = TrackerStore.create(read_endpoint_config("rasa_project/endpoints.yml", "tracker_store"))

    assert isinstance(store, LeanSQLTrackerStore)
    store.engine.dispose()  # type: ignore[attr-defined]


class _CountingReads:
    """Counts the store's reads of whole conversations."""

    def __init__(self, store: LeanSQLTrackerStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reads = 0
        real = store._retrieve

        async def counted(*args: object, **kwargs: object) -> DialogueStateTracker | None:
            self.reads += 1
            return await real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(store, "_retrieve", counted)


async def test_the_next_message_reuses_the_tracker_saved_last_without_reading_again(
    lean: LeanSQLTrackerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = tracker("hal", turn("hi", 1000.0))
    await lean.save(saved)
    counting = _CountingReads(lean, monkeypatch)

    first = await lean.retrieve("hal")
    assert first is saved
    for event in turn("again", 2000.0):
        first.update(event)
    await lean.save(first)
    second = await lean.retrieve("hal")

    assert counting.reads == 0
    assert second is first
    assert list(second.events) == turn("hi", 1000.0) + turn("again", 2000.0)


async def test_another_replicas_write_is_read(db_url: str, lean: LeanSQLTrackerStore) -> None:
    other = LeanSQLTrackerStore(domain=DOMAIN, host=db_url)
    try:
        await lean.save(tracker("ida", turn("hi", 1000.0)))
        mine = await lean.retrieve("ida")
        theirs = await other.retrieve("ida")
        assert mine is not None and theirs is not None
        for event in turn("from the other replica", 2000.0):
            theirs.update(event)
        await other.save(theirs)

        again = await lean.retrieve("ida")
    finally:
        other.engine.dispose()

    assert again is not None and again is not mine
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == [
        "hi",
        "from the other replica",
    ]


async def test_a_tracker_left_with_unsaved_events_is_read_again(lean: LeanSQLTrackerStore) -> None:
    await lean.save(tracker("jay", turn("hi", 1000.0)))
    failed_turn = await lean.retrieve("jay")
    assert failed_turn is not None
    failed_turn.update(BotUttered("never stored", timestamp=1500.0))

    again = await lean.retrieve("jay")

    assert again is not None and again is not failed_turn
    assert list(again.events) == turn("hi", 1000.0)


async def test_a_conversation_whose_stored_times_changed_is_read_again(
    lean: LeanSQLTrackerStore,
) -> None:
    await lean.save(tracker("meg", turn("hi", 1000.0)))
    kept = await lean.retrieve("meg")
    with lean.session_scope() as session:
        session.execute(
            text("UPDATE events SET timestamp = timestamp - 7200 WHERE sender_id = 'meg'")
        )
        session.commit()

    again = await lean.retrieve("meg")

    assert again is not None and kept is not None and again is not kept


async def test_a_deleted_conversation_is_gone(lean: LeanSQLTrackerStore) -> None:
    await lean.save(tracker("kim", turn("hi", 1000.0)))
    assert await lean.retrieve("kim") is not None
    with lean.session_scope() as session:
        session.execute(text("DELETE FROM events WHERE sender_id = 'kim'"))
        session.commit()

    assert await lean.retrieve("kim") is None


async def test_a_tracker_that_began_a_new_session_is_read_as_its_latest_session(
    lean: LeanSQLTrackerStore,
) -> None:
    await lean.save(tracker("lou", turn("before", 1000.0)))
    restored = await lean.retrieve("lou")
    assert restored is not None
    begin_new_session(restored, "after")
    await lean.save(restored)
    everything = await lean.retrieve_full_tracker("lou")
    assert everything is not None
    await lean.save(everything)

    latest = await lean.retrieve("lou")

    assert latest is not None and latest is not restored and latest is not everything
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["after"]


def test_only_the_latest_conversations_are_kept() -> None:
    recent = RecentTrackers(size=2)
    trackers = {name: tracker(name, turn("hi", 1000.0)) for name in ("a", "b", "c")}
    for number, (name, kept) in enumerate(trackers.items()):
        setattr(kept, STORED_EVENTS, len(kept.events))
        recent.keep(name, (number, 1000.4), kept)

    assert recent.get("a", (0, 1000.4)) is None
    assert recent.get("b", (1, 1000.4)) is trackers["b"]
    assert recent.get("c", (2, 1000.4)) is trackers["c"]
    assert recent.get("c", (3, 1000.4)) is None  # something newer was stored
