"""Faults: the CRM down while leads arrive, and a worker killed in the middle of a batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from tests.support.fake_adapters import CountingAdapter
from tests.support.http_crm import CrmServer
from tests.support.leads import FakeClock, make_consent, make_contact, make_summary
from tsf_leads.clock import utc_now
from tsf_leads.db import leads, outbox
from tsf_leads.repository import LeadStore
from tsf_leads.service import LeadService
from tsf_leads.worker import DeliveryWorker

REPO = Path(__file__).resolve().parents[3]
CRM = "crm:webhook"
WEBHOOK_SECRET = "a-shared-secret-for-the-fault-test-0123456789"
LEADS = 20


def _submit_many(
    store: LeadStore, count: int = LEADS, start: int = 0, clock: Callable[[], datetime] = utc_now
) -> list[str]:
    references = []
    for n in range(start, start + count):
        summary = make_summary(
            conversation_id=f"conversation-{n}", contact=make_contact(email=f"p{n}@example.org")
        )
        lead = LeadService(store, [CRM], clock=clock).submit(summary, make_consent())
        references.append(lead.reference)
    return references


def _statuses(store: LeadStore) -> dict[str, str]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(leads.c.reference, outbox.c.status).join(outbox, outbox.c.lead_id == leads.c.id)
        ).all()
    return dict(rows)  # type: ignore[arg-type]


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


def test_leads_created_while_the_crm_is_down_are_all_delivered_once_it_is_up(
    store: LeadStore,
) -> None:
    crm, clock = CountingAdapter(), FakeClock()
    crm.down = True
    worker = DeliveryWorker(
        store,
        {CRM: crm},
        clock=clock,
        random=lambda: 0.5,
        base_delay=30,
        max_delay=600,
        batch_size=7,
    )
    references = []
    for batch in range(4):  # leads keep arriving while the CRM is down
        references += _submit_many(store, 5, start=5 * batch, clock=clock)
        for _ in range(3):
            worker.deliver_once()
        clock.advance(120)
    assert crm.accepted == {}
    assert set(crm.calls) == set(references)  # every lead was tried while the CRM was down
    assert set(_statuses(store).values()) == {"pending"}

    crm.down = False
    for _ in range(20):  # bounded: each round is one batch
        clock.advance(600)
        worker.deliver_once()
        if set(_statuses(store).values()) == {"sent"}:
            break

    assert len(references) == LEADS
    assert set(_statuses(store).values()) == {"sent"}
    assert crm.accepted == {reference: 1 for reference in references}


@contextmanager
def _deliver_process(crm_url: str, db_url: str, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``python -m tsf_leads.cli deliver`` with the real webhook adapter, short leases."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TSF_")}
    environment.update(
        {
            "PYTHONPATH": str(REPO),
            "TSF_LEADS_DB_URL": db_url,
            "TSF_CRM": "webhook",
            "TSF_CRM_WEBHOOK_URL": crm_url,
            "TSF_CRM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "TSF_DELIVERY_POLL_SECONDS": "0.1",
        }
    )
    command = [sys.executable, "-m", "tsf_leads.cli", "deliver", "--batch-size", "5"]
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*command, "--lease-seconds", "2"],
            cwd=REPO,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(
    store: LeadStore, db_url: str, tmp_path: Path
) -> None:
    references = _submit_many(store)
    log = tmp_path / "worker.log"

    with CrmServer(delay=0.1) as crm:
        with _deliver_process(crm.url, db_url, log) as first:
            _wait_for(lambda: len(crm.requests) >= 5, 30, "five leads at the CRM")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        at_kill = _statuses(store)
        in_flight = [ref for ref, status in at_kill.items() if status == "in_flight"]
        assert in_flight, f"expected a delivery in flight when killed: {at_kill}"
        assert list(at_kill.values()).count("sent") < LEADS

        with _deliver_process(crm.url, db_url, log) as second:
            _wait_for(lambda: set(_statuses(store).values()) == {"sent"}, 60, "every lead sent")
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=15) == 0, log.read_text()

    assert crm.created == {reference: 1 for reference in references}
    assert {crm.bodies[ref]["reference"] for ref in references} == set(references)
    resent = [ref for ref in in_flight if ref in crm.requests]
    assert all(crm.requests[ref] == 2 for ref in resent)
    assert max(crm.requests.values()) <= 2
    assert "Stopped:" in log.read_text()
