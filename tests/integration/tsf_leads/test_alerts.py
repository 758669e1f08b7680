"""Alerts: one per dead-lettered lead and one per failing period of a destination, delivered
to the team's channels through the outbox, whatever the retries, restarts and replicas."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.fake_adapters import CountingAdapter, CountingNotifier
from tests.support.leads import NOW, FakeClock, make_consent, make_contact, make_summary
from tsf_leads.contracts import Alert, CrmRejected, CrmUnavailable, StoredLead
from tsf_leads.repository import LeadStore
from tsf_leads.service import LeadService
from tsf_leads.worker import DeliveryWorker

CRM, SLACK, EMAIL = "crm:webhook", "notify:slack", "notify:email"
NAME, EMAIL_ADDRESS = "Ada Lovelace", "ada@example.org"


def _submit(store: LeadStore, n: int = 0, destinations: tuple[str, ...] = (CRM,)) -> StoredLead:
    summary = make_summary(
        conversation_id=f"conversation-{n}",
        contact=make_contact(name=NAME, email=f"{n}{EMAIL_ADDRESS}"),
    )
    return LeadService(store, destinations, clock=lambda: NOW).submit(summary, make_consent())


def _worker(
    store: LeadStore,
    registry: dict[str, object],
    clock: Callable[[], object],
    worker_id: str = "worker-a",
    **options: object,
) -> DeliveryWorker:
    values: dict[str, object] = {"random": lambda: 0.5, "worker_id": worker_id}
    values.update(options)
    return DeliveryWorker(store, registry, clock=clock, **values)  # type: ignore[arg-type]


def _alerts(store: LeadStore) -> list[Alert]:
    with store.transaction() as leads:
        return leads.raised_alerts()


def _sent(store: LeadStore, notifier: CountingNotifier) -> list[Alert]:
    """The alerts ``notifier`` was sent, each recognised by its message."""
    raised = {alert.message(): alert for alert in _alerts(store)}
    return [raised[message] for message in notifier.messages]


def _run(worker: DeliveryWorker, clock: FakeClock, rounds: int, step: float = 3600) -> None:
    for _ in range(rounds):
        worker.deliver_once()
        clock.advance(step)


def test_a_dead_lettered_lead_alerts_each_team_channel_once_with_reference_destination_and_reason(
    store: LeadStore,
) -> None:
    lead = _submit(store)
    crm = CountingAdapter(failures=[CrmRejected("contact ada@example.org is invalid", 400)])
    slack, email, clock = CountingNotifier("slack"), CountingNotifier("email"), FakeClock()
    worker = _worker(store, {CRM: crm, SLACK: slack, EMAIL: email}, clock)

    _run(worker, clock, rounds=5)

    [alert] = _sent(store, slack)
    assert _sent(store, email) == [alert]
    assert (alert.kind, alert.reference, alert.destination) == ("dead_letter", lead.reference, CRM)
    assert "CrmRejected (HTTP 400)" in alert.reason
    text = alert.message().plain_text()
    assert EMAIL_ADDRESS not in text and NAME not in text
    assert _alerts(store) == [alert]


def test_retries_restarts_and_a_second_replica_do_not_repeat_the_alert(store: LeadStore) -> None:
    lead = _submit(store)
    crm, slack, clock = CountingAdapter(), CountingNotifier("slack"), FakeClock()
    crm.down = True
    registry = {CRM: crm, SLACK: slack}

    _run(_worker(store, registry, clock, max_attempts=3), clock, rounds=2)
    restarted = _worker(store, registry, clock, "worker-b", max_attempts=3)
    replica = _worker(store, registry, clock, "worker-c", max_attempts=3)
    for _ in range(4):
        restarted.deliver_once()
        replica.deliver_once()
        clock.advance(3600)

    dead = [alert for alert in _sent(store, slack) if alert.kind == "dead_letter"]
    assert [(a.reference, a.destination) for a in dead] == [(lead.reference, CRM)]
    assert "3 attempts, last CrmUnavailable" in dead[0].reason


def test_a_lead_retried_by_hand_that_gives_up_again_alerts_again(store: LeadStore) -> None:
    lead = _submit(store)
    failures = [CrmRejected("no", 422), CrmRejected("no", 422)]
    crm, slack, clock = CountingAdapter(failures=failures), CountingNotifier("slack"), FakeClock()
    worker = _worker(store, {CRM: crm, SLACK: slack}, clock)

    _run(worker, clock, rounds=2)
    LeadService(store, clock=clock).retry(lead.reference)
    _run(worker, clock, rounds=3)

    assert [a.kind for a in _sent(store, slack)] == ["dead_letter", "dead_letter"]


def test_a_destination_failing_longer_than_the_threshold_alerts_once_per_failing_period(
    store: LeadStore,
) -> None:
    first, second = _submit(store, 1), _submit(store, 2)
    crm, slack, clock = CountingAdapter(), CountingNotifier("slack"), FakeClock()
    crm.down = True
    worker = _worker(
        store, {CRM: crm, SLACK: slack}, clock, max_attempts=50, base_delay=60, max_delay=60
    )

    _run(worker, clock, rounds=25, step=61)  # about 25 minutes of failures
    before_threshold = list(_sent(store, slack))
    _run(worker, clock, rounds=20, step=61)  # past 30 minutes, still failing
    during = [a for a in _sent(store, slack) if a.kind == "failing"]
    crm.down = False
    _run(worker, clock, rounds=2, step=61)  # recovers: both leads delivered
    third = _submit(store, 3)
    crm.down = True
    _run(worker, clock, rounds=40, step=61)  # a new failing period

    failing = [a for a in _sent(store, slack) if a.kind == "failing"]
    assert before_threshold == []
    assert len(during) == 1
    assert during[0].destination == CRM
    assert during[0].reference in {first.reference, second.reference}
    assert "failing for 3" in during[0].reason and "CrmUnavailable" in during[0].reason
    assert [a.reference for a in failing[1:]] == [third.reference]


def test_an_alert_is_not_sent_to_the_channel_it_is_about(store: LeadStore) -> None:
    _submit(store, destinations=(SLACK, EMAIL))
    slack, email, clock = CountingNotifier("slack"), CountingNotifier("email"), FakeClock()
    slack.notify = _refuse  # type: ignore[method-assign]
    worker = _worker(store, {SLACK: slack, EMAIL: email}, clock)

    _run(worker, clock, rounds=4)

    assert _sent(store, slack) == []
    assert [(a.kind, a.destination) for a in _sent(store, email)] == [("dead_letter", SLACK)]


def _refuse(_lead: StoredLead) -> None:
    raise CrmRejected("invalid_payload", 400)


def test_an_alert_that_cannot_be_delivered_raises_no_alert_about_itself(
    store: LeadStore,
) -> None:
    _submit(store)
    crm = CountingAdapter(failures=[CrmRejected("no", 400)])
    slack, clock = CountingNotifier("slack"), FakeClock()
    slack.down = True
    worker = _worker(store, {CRM: crm, SLACK: slack}, clock, max_attempts=2)

    _run(worker, clock, rounds=6)

    assert [(a.kind, a.destination) for a in _alerts(store)] == [
        ("dead_letter", CRM),
        ("failing", SLACK),  # Slack itself failing for an hour: no channel left to tell
    ]


def test_the_same_alert_key_is_recorded_and_queued_once(store: LeadStore) -> None:
    lead = _submit(store)
    alert = Alert("failing", lead.reference, CRM, "CrmUnavailable", NOW)
    with store.transaction() as leads:
        [claim] = leads.claim([CRM], "worker-a", NOW, NOW, 1)

    raised = []
    for _ in range(2):
        with store.transaction() as leads:
            raised.append(leads.raise_alert("failing/crm/x", alert, claim.outbox_id, [SLACK]))
    with store.transaction() as leads:
        queued = leads.claim([SLACK], "worker-a", NOW, NOW, 10)

    assert raised == [True, False]
    assert _alerts(store) == [alert]
    assert [q.alert for q in queued] == [alert]


def test_alerts_are_not_listed_as_deliveries_of_the_lead(store: LeadStore) -> None:
    lead = _submit(store)
    crm = CountingAdapter(failures=[CrmUnavailable("503")] * 3)
    slack, clock = CountingNotifier("slack"), FakeClock()
    _run(_worker(store, {CRM: crm, SLACK: slack}, clock, max_attempts=2), clock, rounds=3)

    record = LeadService(store).get(lead.reference)

    assert [d.destination for d in record.deliveries] == [CRM]
    assert record.status_deliveries == ()
    assert _sent(store, slack) and record.status == "dead"
