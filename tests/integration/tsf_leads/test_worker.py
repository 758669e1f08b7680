"""The delivery worker against a fake CRM: sent once, retried with backoff, dead-lettered."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from tests.support.fake_adapters import CountingAdapter, CountingNotifier
from tests.support.leads import NOW, FakeClock, make_consent, make_contact, make_summary
from tsf_leads.contracts import CrmAuthError, CrmRejected, CrmUnavailable, StoredLead
from tsf_leads.repository import Delivery, LeadRecord, LeadStore
from tsf_leads.service import LeadService
from tsf_leads.worker import DeliveryCounts, DeliveryWorker

CRM = "crm:webhook"


def _submit(store: LeadStore, n: int = 0, destinations: tuple[str, ...] = (CRM,)) -> StoredLead:
    summary = make_summary(
        conversation_id=f"conversation-{n}", contact=make_contact(email=f"p{n}@example.org")
    )
    return LeadService(store, destinations, clock=lambda: NOW).submit(summary, make_consent())


def _worker(
    store: LeadStore, registry: dict[str, object], clock: Callable[[], object], **options: object
) -> DeliveryWorker:
    values: dict[str, object] = {"random": lambda: 0.5, "worker_id": "worker-a"}
    values.update(options)
    return DeliveryWorker(store, registry, clock=clock, **values)  # type: ignore[arg-type]


def _record(store: LeadStore, lead: StoredLead) -> LeadRecord:
    return LeadService(store).get(lead.reference)


def _delivery(store: LeadStore, lead: StoredLead, destination: str = CRM) -> Delivery:
    return next(d for d in _record(store, lead).deliveries if d.destination == destination)


def test_a_lead_is_marked_sent_only_after_the_crm_accepts_it(store: LeadStore) -> None:
    lead = _submit(store)
    crm, clock = CountingAdapter(failures=[CrmUnavailable("HTTP 503")]), FakeClock()
    worker = _worker(store, {CRM: crm}, clock)

    first = worker.deliver_once()
    after_failure = _delivery(store, lead)
    clock.advance(15)
    second = worker.deliver_once()

    assert (first.claimed, first.sent, first.retried) == (1, 0, 1)
    assert after_failure.status == "pending"
    assert after_failure.sent_at is None
    assert "HTTP 503" in (after_failure.last_error or "")
    assert (second.claimed, second.sent) == (1, 1)
    delivered = _delivery(store, lead)
    assert (delivered.status, delivered.attempts, delivered.sent_at) == ("sent", 2, clock.now)
    assert delivered.external_id == f"crm-{lead.reference}"
    assert delivered.last_error is None
    assert _record(store, lead).status == "delivered"
    assert crm.calls == {lead.reference: 2}
    assert crm.accepted == {lead.reference: 1}


def test_the_reference_is_the_idempotency_key_and_the_lead_is_whole(store: LeadStore) -> None:
    lead = _submit(store)
    crm = CountingAdapter()

    _worker(store, {CRM: crm}, FakeClock()).deliver_once()

    assert crm.leads == {lead.reference: lead}


def test_unavailable_is_retried_with_exponential_backoff_and_jitter(store: LeadStore) -> None:
    lead = _submit(store)
    failures = [CrmUnavailable("timeout")] * 3
    crm, clock = CountingAdapter(failures=failures), FakeClock()
    worker = _worker(store, {CRM: crm}, clock, base_delay=10, random=lambda: 0.5)
    due_times = []

    for _ in range(3):
        worker.deliver_once()
        due_times.append((_delivery(store, lead).next_attempt_at - clock.now).total_seconds())
        clock.advance(due_times[-1] - 1)
        assert worker.deliver_once().claimed == 0  # not a second early
        clock.advance(1)
    final = worker.deliver_once()

    assert due_times == [5, 10, 20]  # half (the draw) of 10, 20, 40
    assert final.sent == 1
    assert crm.calls[lead.reference] == 4


def test_retry_after_is_honoured(store: LeadStore) -> None:
    lead = _submit(store)
    crm, clock = (
        CountingAdapter(failures=[CrmUnavailable("HTTP 429", retry_after=120)]),
        FakeClock(),
    )
    worker = _worker(store, {CRM: crm}, clock, base_delay=30, random=lambda: 0.5)

    worker.deliver_once()
    clock.advance(119)
    early = worker.deliver_once()
    clock.advance(1)
    on_time = worker.deliver_once()

    assert _delivery(store, lead).next_attempt_at == clock.now
    assert (early.claimed, on_time.sent) == (0, 1)


@pytest.mark.parametrize(
    "error",
    [CrmRejected("HTTP 422: email is invalid", status_code=422), CrmAuthError("bad token", 401)],
)
def test_a_rejected_lead_is_dead_lettered_with_the_reason(
    store: LeadStore, error: CrmRejected
) -> None:
    lead = _submit(store)
    crm, clock = CountingAdapter(failures=[error]), FakeClock()
    worker = _worker(store, {CRM: crm}, clock)

    counts = worker.deliver_once()
    clock.advance(10 * 24 * 3600)
    later = worker.deliver_once()

    dead = _delivery(store, lead)
    assert (counts.dead, later.claimed) == (1, 0)
    assert dead.status == "dead"
    assert dead.last_error is not None
    assert f"HTTP {error.status_code}" in dead.last_error
    assert str(error) in dead.last_error
    assert _record(store, lead).status == "dead"
    assert _record(store, lead).has_dead_letters


def test_a_dead_letter_can_be_retried_by_hand(store: LeadStore) -> None:
    lead = _submit(store)
    crm, clock = CountingAdapter(failures=[CrmRejected("HTTP 400", 400)]), FakeClock()
    worker = _worker(store, {CRM: crm}, clock)
    worker.deliver_once()

    requeued = LeadService(store, clock=clock).retry(lead.reference)
    pending = _delivery(store, lead)
    counts = worker.deliver_once()

    assert requeued == 1
    assert (pending.status, pending.attempts) == ("pending", 0)
    assert counts.sent == 1
    assert _record(store, lead).status == "delivered"


def test_it_gives_up_after_the_maximum_attempts(store: LeadStore) -> None:
    lead = _submit(store)
    crm, clock = CountingAdapter(), FakeClock()
    crm.down = True
    worker = _worker(store, {CRM: crm}, clock, max_attempts=3, base_delay=1, max_delay=1)

    totals = DeliveryCounts()
    for _ in range(6):
        totals.add(worker.deliver_once())
        clock.advance(2)

    dead = _delivery(store, lead)
    assert crm.calls[lead.reference] == 3
    assert (totals.retried, totals.dead) == (2, 1)
    assert (dead.status, dead.attempts) == ("dead", 3)
    assert dead.last_error is not None
    assert dead.last_error.startswith("gave up after 3 attempts: CrmUnavailable: HTTP 503")


def test_an_adapter_bug_is_retried_not_lost(store: LeadStore) -> None:
    lead = _submit(store)
    crm, clock = CountingAdapter(failures=[KeyError("id")]), FakeClock()
    worker = _worker(store, {CRM: crm}, clock)

    worker.deliver_once()
    failed = _delivery(store, lead)
    clock.advance(3600)
    worker.deliver_once()

    assert (failed.status, failed.last_error) == ("pending", "KeyError: 'id'")
    assert _delivery(store, lead).status == "sent"


def test_an_expired_lease_lets_another_worker_recover_a_crashed_delivery(
    store: LeadStore,
) -> None:
    lead = _submit(store)
    crm, clock = CountingAdapter(), FakeClock()
    crashed = _worker(store, {CRM: crm}, clock, worker_id="crashed", lease_seconds=60)
    survivor = _worker(store, {CRM: crm}, clock, worker_id="survivor", lease_seconds=60)

    claims = crashed.claim()  # ... and the process dies before delivering
    in_flight = _delivery(store, lead)
    while_leased = survivor.deliver_once()
    clock.advance(60)
    after_expiry = survivor.deliver_once()

    assert [c.idempotency_key for c in claims] == [lead.reference]
    assert in_flight.status == "in_flight"
    assert while_leased.claimed == 0
    assert after_expiry.sent == 1
    assert crm.calls == {lead.reference: 1}
    assert _delivery(store, lead).attempts == 2


def test_a_crash_after_the_crm_accepted_does_not_duplicate_the_lead(store: LeadStore) -> None:
    lead = _submit(store)
    crm, clock = CountingAdapter(), FakeClock()
    crashed = _worker(store, {CRM: crm}, clock, worker_id="crashed", lease_seconds=60)
    claim = crashed.claim()[0]
    crm.deliver(claim.lead, claim.idempotency_key)  # accepted; the worker dies before recording
    clock.advance(61)

    _worker(store, {CRM: crm}, clock, worker_id="survivor").deliver_once()

    assert crm.calls == {lead.reference: 2}
    assert crm.created == {lead.reference}
    assert _delivery(store, lead).status == "sent"


def test_a_late_outcome_from_a_worker_that_lost_its_lease_is_ignored(store: LeadStore) -> None:
    lead = _submit(store)
    crm, clock = CountingAdapter(), FakeClock()
    slow = _worker(store, {CRM: crm}, clock, worker_id="slow", lease_seconds=60)
    claim = slow.claim()[0]
    clock.advance(61)
    _worker(store, {CRM: crm}, clock, worker_id="fast").deliver_once()

    with store.transaction() as leads:
        retried = leads.schedule_retry(claim.outbox_id, "slow", clock.now, clock.now, "late")
        dead = leads.mark_dead(claim.outbox_id, "slow", clock.now, "late")

    assert (retried, dead) == (False, False)
    assert _delivery(store, lead).status == "sent"


def test_a_row_whose_worker_keeps_dying_is_dead_lettered(store: LeadStore) -> None:
    lead = _submit(store)
    crm, clock = CountingAdapter(), FakeClock()
    for n in range(3):
        _worker(store, {CRM: crm}, clock, worker_id=f"dies-{n}", lease_seconds=10).claim()
        clock.advance(11)

    counts = _worker(store, {CRM: crm}, clock, max_attempts=3).deliver_once()

    assert (counts.claimed, counts.dead) == (1, 1)
    assert crm.calls == {}
    assert "interrupted" in (_delivery(store, lead).last_error or "")


def test_notifiers_are_destinations_too(store: LeadStore) -> None:
    lead = _submit(store, destinations=(CRM, "notify:chat"))
    crm, chat = CountingAdapter(), CountingNotifier("chat")

    counts = _worker(store, {CRM: crm, "notify:chat": chat}, FakeClock()).deliver_once()

    assert counts.sent == 2
    assert chat.notified == {lead.reference: 1}
    assert _record(store, lead).status == "delivered"


def test_destinations_without_an_adapter_are_left_alone(store: LeadStore) -> None:
    lead = _submit(store, destinations=(CRM, "crm:hubspot"))

    counts = _worker(store, {CRM: CountingAdapter()}, FakeClock()).deliver_once()

    assert counts.claimed == 1
    assert _delivery(store, lead, "crm:hubspot").status == "pending"
    assert _record(store, lead).status == "pending"


def test_stopping_mid_batch_hands_back_the_rows_not_attempted(store: LeadStore) -> None:
    leads = [_submit(store, n) for n in range(3)]
    stop = threading.Event()

    class StopAfterFirst(CountingAdapter):
        def deliver(self, lead: StoredLead, idempotency_key: str):  # type: ignore[no-untyped-def]
            stop.set()
            return super().deliver(lead, idempotency_key)

    counts = _worker(store, {CRM: StopAfterFirst()}, FakeClock()).deliver_once(stop)

    assert (counts.claimed, counts.sent, counts.released) == (3, 1, 2)
    released = [_delivery(store, lead) for lead in leads[1:]]
    assert [(d.status, d.attempts) for d in released] == [("pending", 0), ("pending", 0)]


def test_run_forever_stops_when_asked(store: LeadStore) -> None:
    lead = _submit(store)
    crm = CountingAdapter()
    worker = DeliveryWorker(store, {CRM: crm}, poll_seconds=0.05)
    stop, result = threading.Event(), []
    thread = threading.Thread(target=lambda: result.append(worker.run_forever(stop)))

    thread.start()
    for _ in range(200):
        if crm.accepted:
            break
        threading.Event().wait(0.01)
    stop.set()
    thread.join(timeout=10)

    assert not thread.is_alive()
    assert result[0].sent == 1
    assert crm.accepted == {lead.reference: 1}


def test_logs_name_references_never_people(
    store: LeadStore, caplog: pytest.LogCaptureFixture
) -> None:
    lead = _submit(store)
    failures = [CrmUnavailable("HTTP 503 for jo.bloggs@example.org"), CrmRejected("Jo Bloggs", 422)]
    crm, clock = CountingAdapter(failures=failures), FakeClock()
    worker = _worker(store, {CRM: crm}, clock)

    with caplog.at_level(logging.DEBUG, logger="tsf_leads"):
        worker.deliver_once()
        clock.advance(3600)
        worker.deliver_once()

    assert lead.reference in caplog.text
    for personal in ("Jo Bloggs", "jo.bloggs", "p0@example.org", "01632", "Riverside"):
        assert personal not in caplog.text


def test_two_workers_never_deliver_the_same_row_twice(store: LeadStore) -> None:
    references = [_submit(store, n).reference for n in range(50)]
    crm = CountingAdapter(delay=0.002)
    barrier = threading.Barrier(2, timeout=30)
    totals: dict[str, DeliveryCounts] = {}

    def run(name: str) -> None:
        worker = DeliveryWorker(store, {CRM: crm}, worker_id=name, batch_size=5)
        barrier.wait()
        total = DeliveryCounts()
        for _ in range(100):
            counts = worker.deliver_once()
            total.add(counts)
            if counts.claimed == 0:
                break
        totals[name] = total

    threads = [threading.Thread(target=run, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(crm.calls) == sorted(references)
    assert set(crm.calls.values()) == {1}
    assert sum(total.sent for total in totals.values()) == 50


def test_deliveries_are_counted_by_destination_and_outcome_with_their_latency(
    store: LeadStore,
) -> None:
    from tsf_config.metrics import Metrics

    _submit(store, 1)
    _submit(store, 2)
    crm = CountingAdapter(failures=[CrmUnavailable("HTTP 503"), CrmRejected("no", 400)])
    clock, measured = FakeClock(), Metrics()
    worker = _worker(store, {CRM: crm}, clock, metrics=measured)

    worker.deliver_once()
    clock.advance(90)
    worker.deliver_once()

    def value(name: str, **labels: str) -> float | None:
        return measured.registry.get_sample_value(name, labels)

    attempts = "tsf_delivery_attempts_total"
    assert value(attempts, destination=CRM, outcome="retry") == 1
    assert value(attempts, destination=CRM, outcome="dead") == 1
    assert value(attempts, destination=CRM, outcome="sent") == 1
    latency = "tsf_lead_delivery_latency_seconds"
    assert value(f"{latency}_count", destination=CRM) == 1
    assert value(f"{latency}_sum", destination=CRM) == 90


def test_each_round_beats_and_sets_the_lead_and_outbox_gauges(
    store: LeadStore, tmp_path: Path
) -> None:
    from tsf_config.metrics import Metrics
    from tsf_leads import heartbeat

    _submit(store, 1)
    _submit(store, 2)
    clock, measured = FakeClock(), Metrics()
    beat_file = tmp_path / "beat"
    worker = _worker(store, {}, clock, metrics=measured, heartbeat_file=beat_file)
    clock.advance(600)

    worker.beat()

    def value(name: str, **labels: str) -> float | None:
        return measured.registry.get_sample_value(name, labels)

    assert heartbeat.last_beat(beat_file) == clock.now
    assert value("tsf_worker_heartbeat_timestamp_seconds") == clock.now.timestamp()
    assert value("tsf_leads", status="pending") == 2
    assert value("tsf_leads", status="delivered") == 0
    assert value("tsf_outbox_depth") == 2
    assert value("tsf_outbox_oldest_age_seconds") == 600


def test_run_forever_writes_the_heartbeat_on_every_round(store: LeadStore, tmp_path: Path) -> None:
    from tsf_leads import heartbeat

    beat_file = tmp_path / "beat"
    worker = DeliveryWorker(store, {}, poll_seconds=0.05, heartbeat_file=beat_file)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,))

    thread.start()
    seen = set()
    for _ in range(500):
        last = heartbeat.last_beat(beat_file)
        if last is not None:
            seen.add(last)
        if len(seen) >= 2:
            break
        threading.Event().wait(0.01)
    stop.set()
    thread.join(timeout=10)

    assert len(seen) >= 2


def test_a_long_batch_keeps_the_heartbeat_fresh_row_by_row(
    store: LeadStore, tmp_path: Path
) -> None:
    from tsf_leads import heartbeat

    for n in range(3):
        _submit(store, n)
    clock, beat_file = FakeClock(), tmp_path / "beat"
    crm = CountingAdapter()
    original = crm.deliver

    def slow_deliver(lead: StoredLead, key: str) -> object:
        clock.advance(100)  # each delivery takes 100 s
        return original(lead, key)

    crm.deliver = slow_deliver  # type: ignore[method-assign]
    worker = _worker(store, {CRM: crm}, clock, heartbeat_file=beat_file)

    worker.deliver_once()

    assert heartbeat.last_beat(beat_file) == clock.now - timedelta(seconds=100)
