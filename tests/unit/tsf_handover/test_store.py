"""The hand-over store: one open request per conversation, each change of state once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tsf_handover.store import ENDED, EXPIRED, FAILED, TAKEN, WAITING, HandoverStore

NOW = 1_800_000_000.0


@pytest.fixture
def store(tmp_path: Path) -> HandoverStore:
    return HandoverStore.open(f"sqlite:///{tmp_path / 'tracker.db'}")


def test_a_request_waits_with_its_details_and_an_unguessable_token(store: HandoverStore) -> None:
    change = store.request("rest:one", NOW, 180, '{"who": "Ada"}')
    assert change.changed
    handover = change.handover
    assert handover is not None
    assert (handover.status, handover.expires_at, handover.details) == (
        WAITING,
        NOW + 180,
        '{"who": "Ada"}',
    )
    assert len(handover.token) >= 24
    assert store.by_token(handover.token) == handover
    assert store.open_for("rest:one") == handover


def test_a_second_request_while_one_is_open_returns_the_open_one(store: HandoverStore) -> None:
    first = store.request("rest:one", NOW, 180).handover
    again = store.request("rest:one", NOW + 10, 180)
    assert not again.changed
    assert again.handover == first
    assert store.request("rest:two", NOW, 180).changed


def test_a_request_past_its_time_no_longer_blocks_a_new_one(store: HandoverStore) -> None:
    stale = store.request("rest:one", NOW, 180).handover
    assert stale is not None
    fresh = store.request("rest:one", NOW + 181, 180)
    assert fresh.changed
    assert store.by_token(stale.token).status == EXPIRED  # type: ignore[union-attr]


def test_only_the_first_of_many_simultaneous_takes_wins(store: HandoverStore) -> None:
    handover = store.request("rest:one", NOW, 180).handover
    assert handover is not None

    def take(index: int) -> bool:
        return store.take(handover.token, f"U{index}", f"Person {index}", "slack", NOW).changed

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(take, range(8)))
    assert outcomes.count(True) == 1
    taken = store.by_token(handover.token)
    assert taken is not None and taken.status == TAKEN
    assert taken.taken_by_id == f"U{outcomes.index(True)}"


def test_taken_requests_are_found_by_their_thread_and_by_who_holds_them(
    store: HandoverStore,
) -> None:
    one = store.request("rest:one", NOW, 180).handover
    two = store.request("rest:two", NOW, 180).handover
    assert one is not None and two is not None
    store.bind_slack(one.token, "C1", "111.1")
    store.bind_slack(two.token, "C1", "222.2")
    assert store.taken_in_slack_thread("C1", "111.1") is None  # waiting: no one to relay to
    store.take(one.token, "U1", "Sam Jones", "slack", NOW)
    store.take(two.token, "U2", "Alex Smith", "slack", NOW)
    assert store.taken_in_slack_thread("C1", "111.1").conversation_id == "rest:one"  # type: ignore[union-attr]
    assert store.taken_in_slack_thread("C1", "222.2").conversation_id == "rest:two"  # type: ignore[union-attr]
    assert store.taken_in_slack_thread("C2", "111.1") is None
    assert store.latest_taken_by("U2", "slack").conversation_id == "rest:two"  # type: ignore[union-attr]
    assert store.latest_taken_by("U2", "teams") is None


def test_ending_expiring_and_failing_close_the_request_once(store: HandoverStore) -> None:
    taken = store.request("rest:one", NOW, 180).handover
    waiting = store.request("rest:two", NOW, 180).handover
    unposted = store.request("rest:three", NOW, 180).handover
    assert taken and waiting and unposted
    assert not store.end(taken.token, NOW).changed  # not taken yet
    store.take(taken.token, "U1", "Sam", "slack", NOW)
    assert not store.expire(taken.token, NOW).changed  # someone has it
    assert store.end(taken.token, NOW + 5).changed
    assert not store.end(taken.token, NOW + 6).changed
    assert store.expire(waiting.token, NOW + 180).changed
    assert store.fail(unposted.token, NOW).changed
    statuses = [store.by_token(h.token).status for h in (taken, waiting, unposted)]  # type: ignore[union-attr]
    assert statuses == [ENDED, EXPIRED, FAILED]
    assert all(store.open_for(f"rest:{n}") is None for n in ("one", "two", "three"))
    assert not store.take(waiting.token, "U1", "Sam", "slack", NOW).changed


def test_erasure_and_retention_delete_requests(store: HandoverStore) -> None:
    store.request("rest:old", NOW - 100, 180)
    store.request("rest:new", NOW, 180)
    store.request("rest:gone", NOW, 180)
    assert store.delete_conversations(["rest:gone"]) == 1
    assert store.delete_requested_before(NOW - 50) == 1
    assert store.open_for("rest:old") is None and store.open_for("rest:gone") is None
    assert store.open_for("rest:new") is not None
