"""A team status change reaches each CRM through the outbox: once, in order, after the lead."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.fakes.crm_harness import Harness
from tests.support.leads import FakeClock, make_consent, make_summary
from tsf_leads.repository import Delivery, LeadStore
from tsf_leads.service import LeadService
from tsf_leads.worker import DeliveryWorker

EXPECTED = {
    "hubspot": {"claimed": "IN_PROGRESS", "contacted": "CONNECTED", "not_a_fit": "UNQUALIFIED"},
    "salesforce": {
        "claimed": "Open - Not Contacted",
        "contacted": "Working - Contacted",
        "not_a_fit": "Closed - Not Converted",
    },
    "dynamics": {"claimed": (0, 1), "contacted": (0, 2), "not_a_fit": (2, 7)},
    "webhook": {"claimed": "claimed", "contacted": "contacted", "not_a_fit": "not_a_fit"},
}


def _crm_status(crm: Harness, reference: str) -> Any:
    """The status the CRM holds for the lead, in its own terms."""
    fake = crm.fake
    if crm.name == "hubspot":
        contact = fake.contact_by_email(make_summary().contact.email)
        return contact["properties"].get("hs_lead_status")
    if crm.name == "salesforce":
        return fake.leads[reference].get("Status")
    if crm.name == "dynamics":
        row = fake.leads[reference]
        return (row.get("statecode"), row.get("statuscode"))
    events = [event for event in fake.status_events.values() if event["reference"] == reference]
    return events[-1]["status"] if events else None


def _updates_received(crm: Harness) -> int:
    """How many status updates the CRM processed (scripted failures are not processed)."""
    fake = crm.fake
    if crm.name == "webhook":
        return sum(fake.accepted[key] for key in fake.status_events)
    return sum(fake.status_updates.values())


class Setup:
    """A lead queued for ``crm``, the service that marks it and a worker that delivers."""

    def __init__(self, store: LeadStore, crm: Harness) -> None:
        """Submit the lead (also for Slack, which never gets status jobs); deliver nothing."""
        self.clock = FakeClock()
        self.destination = f"crm:{crm.name}"
        self.service = LeadService(store, [self.destination, "notify:slack"], clock=self.clock)
        self.lead = self.service.submit(make_summary(), make_consent())
        self.worker = DeliveryWorker(
            store,
            {self.destination: crm.adapter()},
            clock=self.clock,
            random=lambda: 0.5,
            base_delay=2,
            max_attempts=4,
            worker_id="worker-a",
        )

    def mark(self, status: str, interaction: str | None = None, reason: str | None = None) -> Any:
        """Sam Jones sets the lead's team status."""
        return self.service.set_team_status(
            self.lead.reference, status, "U012SAM", "Sam Jones", reason, interaction
        )

    def rounds(self, count: int, step: float = 60) -> None:
        """``count`` delivery rounds, ``step`` seconds apart."""
        for _ in range(count):
            self.worker.deliver_once()
            self.clock.advance(step)

    def status_jobs(self) -> tuple[Delivery, ...]:
        """The lead's status jobs, oldest first."""
        return self.service.get(self.lead.reference).status_deliveries


@pytest.mark.parametrize("status", ["claimed", "contacted", "not_a_fit"])
def test_each_status_reaches_the_crm_in_its_own_terms(
    store: LeadStore, crm: Harness, status: str
) -> None:
    setup = Setup(store, crm)
    setup.rounds(1)

    setup.mark(status, "i-1", reason="Not a spin-out" if status == "not_a_fit" else None)
    setup.rounds(1)

    assert _crm_status(crm, setup.lead.reference) == EXPECTED[crm.name][status]
    assert _updates_received(crm) == 1
    (job,) = setup.status_jobs()
    assert (job.destination, job.status) == (setup.destination, "sent")


def test_the_status_is_delivered_once_while_the_crm_is_down_for_a_while(
    store: LeadStore, crm: Harness
) -> None:
    setup = Setup(store, crm)
    setup.rounds(1)
    setup.mark("claimed", "i-1")
    crm.fake.fail_next(503, times=2)

    setup.rounds(5)

    (job,) = setup.status_jobs()
    assert (job.status, job.attempts) == ("sent", 3)
    assert _updates_received(crm) == 1
    assert _crm_status(crm, setup.lead.reference) == EXPECTED[crm.name]["claimed"]


def test_a_double_press_queues_and_delivers_once(store: LeadStore, crm: Harness) -> None:
    setup = Setup(store, crm)
    setup.rounds(1)

    first = setup.mark("contacted", "i-1")
    again = setup.mark("contacted", "i-1")
    colleague = setup.mark("contacted", "i-2")
    setup.rounds(3)

    assert (first.changed, again.changed, colleague.changed) == (True, False, False)
    assert first.queued == 1
    assert len(setup.status_jobs()) == 1
    assert _updates_received(crm) == 1


def test_the_status_waits_for_the_leads_own_delivery(store: LeadStore, crm: Harness) -> None:
    setup = Setup(store, crm)
    crm.fake.fail_next(503)
    setup.mark("claimed", "i-1")

    setup.worker.deliver_once()  # the lead fails; the status job is not even tried
    waiting = setup.status_jobs()[0]
    setup.clock.advance(60)
    setup.rounds(2)

    assert (waiting.status, waiting.attempts) == ("pending", 0)
    record = setup.service.get(setup.lead.reference)
    assert [d.status for d in record.deliveries if d.destination == setup.destination] == ["sent"]
    assert setup.status_jobs()[0].status == "sent"
    assert _crm_status(crm, setup.lead.reference) == EXPECTED[crm.name]["claimed"]


def test_a_dead_lettered_lead_holds_its_status_back_without_killing_it(
    store: LeadStore, crm: Harness
) -> None:
    setup = Setup(store, crm)
    crm.fake.fail_next(400)
    setup.rounds(1)
    setup.mark("claimed", "i-1")

    setup.rounds(6, step=3600)
    held = setup.status_jobs()[0]
    setup.service.retry(setup.lead.reference)
    setup.rounds(2)

    assert (held.status, held.attempts) == ("pending", 0)
    assert setup.status_jobs()[0].status == "sent"
    assert _updates_received(crm) == 1


def test_changes_reach_the_crm_in_the_order_they_were_made(store: LeadStore, crm: Harness) -> None:
    setup = Setup(store, crm)
    setup.rounds(1)
    setup.mark("claimed", "i-1")
    setup.mark("not_a_fit", "i-2", reason="Too early: no product yet")
    crm.fake.fail_next(503)

    setup.worker.deliver_once()  # the first change fails ...
    second_meanwhile = setup.status_jobs()[1]
    setup.rounds(4)

    assert second_meanwhile.attempts == 0  # ... and the second waits for it
    assert [job.status for job in setup.status_jobs()] == ["sent", "sent"]
    assert _crm_status(crm, setup.lead.reference) == EXPECTED[crm.name]["not_a_fit"]
    assert _updates_received(crm) == 2


def test_the_webhook_event_says_who_when_why_with_its_own_key(
    store: LeadStore, webhook: Harness
) -> None:
    setup = Setup(store, webhook)
    setup.rounds(1)
    change = setup.mark("not_a_fit", "i-1", reason="Not a public-sector spin-out")
    setup.rounds(1)

    (key, event) = next(iter(webhook.fake.status_events.items()))
    assert key == f"{setup.lead.reference}/status/1"
    assert event == {
        "schema_version": 1,
        "type": "lead.status_changed",
        "idempotency_key": key,
        "reference": setup.lead.reference,
        "status": "not_a_fit",
        "previous_status": None,
        "changed_by": {"id": "U012SAM", "name": "Sam Jones"},
        "changed_at": "2026-03-02T10:16:00.000Z",
        "reason": "Not a public-sector spin-out",
        "crm_record_id": "wh-1",
    }
    assert change.lead.team is not None
    assert change.lead.team.changed_at == setup.clock.now - timedelta(seconds=60)
