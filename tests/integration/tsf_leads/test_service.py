"""Submitting leads: durable, atomic, idempotent per conversation, uniquely numbered."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.fakes.leads import make_lead
from tests.support.leads import NOW, make_consent, make_contact, make_summary
from tsf_leads.contracts import StoredLead
from tsf_leads.db import lead_sequences, leads, outbox
from tsf_leads.repository import LeadRepository, LeadStore, open_store
from tsf_leads.service import InvalidReference, LeadNotFound, LeadService
from tsf_leads.settings import load_settings


def _count(store: LeadStore, table: object) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _submit(
    store: LeadStore, n: int = 0, destinations: tuple[str, ...] = ("crm:webhook",)
) -> StoredLead:
    summary = make_summary(
        conversation_id=f"conversation-{n}",
        contact=make_contact(email=f"person{n}@example.org"),
        organisation=f"Spin-out {n}",
    )
    return LeadService(store, destinations, clock=lambda: NOW).submit(summary, make_consent())


def test_a_submitted_lead_is_stored_with_its_outbox_rows(store: LeadStore) -> None:
    lead = LeadService(store, ["crm:hubspot", "notify:slack"]).submit(
        make_summary(), make_consent()
    )

    record = LeadService(store).get(lead.reference)
    assert lead.reference == "TSF-2026-000001"
    assert record.lead == lead
    assert record.status == "pending"
    assert [(d.destination, d.status, d.attempts) for d in record.deliveries] == [
        ("crm:hubspot", "pending", 0),
        ("notify:slack", "pending", 0),
    ]


def test_the_lead_is_durable_for_a_new_process(db_url: str) -> None:
    first = open_store(db_url)
    lead = LeadService(first, ["crm:webhook"]).submit(make_summary(), make_consent())
    first.dispose()

    second = open_store(db_url)
    try:
        assert LeadService(second).get(lead.reference).lead == lead
    finally:
        second.dispose()


def test_a_lead_with_no_destination_is_kept_locally(store: LeadStore) -> None:
    lead = _submit(store, destinations=())

    record = LeadService(store).get(lead.reference)
    assert record.status == "stored"
    assert record.deliveries == ()


def test_a_failure_between_the_writes_leaves_nothing_behind(
    store: LeadStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    execute, outbox_rows = LeadRepository._execute, []

    def die_before_the_second_outbox_row(self: LeadRepository, statement: Any) -> Any:
        if statement.is_insert and statement.table is outbox:
            outbox_rows.append(statement)
            if len(outbox_rows) > 1:
                raise RuntimeError("the process died here")
        return execute(self, statement)

    monkeypatch.setattr(LeadRepository, "_execute", die_before_the_second_outbox_row)
    with pytest.raises(RuntimeError, match="died"):
        LeadService(store, ["crm:webhook", "notify:slack"]).submit(make_summary(), make_consent())
    monkeypatch.undo()

    assert len(outbox_rows) == 2
    assert (_count(store, leads), _count(store, outbox), _count(store, lead_sequences)) == (0, 0, 0)
    assert _submit(store).reference == "TSF-2026-000001"


def test_the_service_from_settings_queues_leads_for_the_configured_crm(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "TSF_LEADS_DB_URL": f"sqlite:///{tmp_path / 'leads.db'}",
            "TSF_CRM": "webhook",
            "TSF_CRM_WEBHOOK_URL": "http://127.0.0.1:9/hook",
            "TSF_CRM_WEBHOOK_SECRET": "0123456789abcdef0123",
        }
    )
    service = LeadService.from_settings(settings)
    lead = make_lead()

    stored = service.submit(lead.summary, lead.consent)

    record = service.get(stored.reference)
    service.store.dispose()
    assert record.lead.summary.organisation == lead.summary.organisation
    assert [delivery.destination for delivery in record.deliveries] == ["crm:webhook"]


def test_resubmitting_in_the_same_conversation_returns_the_stored_lead(store: LeadStore) -> None:
    first = LeadService(store, ["crm:webhook"]).submit(make_summary(), make_consent())
    same_email = make_contact(email="  JO.BLOGGS@example.org")

    again = LeadService(store, ["crm:webhook"]).submit(
        make_summary(contact=same_email), make_consent()
    )

    assert again == first
    assert (_count(store, leads), _count(store, outbox)) == (1, 1)


def test_another_email_in_the_same_conversation_is_another_lead(store: LeadStore) -> None:
    first = LeadService(store, []).submit(make_summary(), make_consent())
    other = make_summary(contact=make_contact(email="colleague@example.org"))

    second = LeadService(store, []).submit(other, make_consent())

    assert second.reference != first.reference


def test_sequences_are_per_year(store: LeadStore) -> None:
    def submit(n: int, year: int) -> str:
        summary = make_summary(conversation_id=f"c{n}", created_at=NOW.replace(year=year))
        return LeadService(store, []).submit(summary, make_consent()).reference

    references = [submit(1, 2026), submit(2, 2027), submit(3, 2026), submit(4, 2027)]

    assert references == [
        "TSF-2026-000001",
        "TSF-2027-000001",
        "TSF-2026-000002",
        "TSF-2027-000002",
    ]


def _concurrently(count: int, task: Callable[[int], str]) -> list[str]:
    barrier = threading.Barrier(count, timeout=30)

    def run(n: int) -> str:
        barrier.wait()
        return task(n)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count), timeout=60))


def test_references_are_unique_under_eight_concurrent_writers(store: LeadStore) -> None:
    references = _concurrently(8, lambda n: _submit(store, n).reference)

    assert sorted(references) == [f"TSF-2026-{n:06d}" for n in range(1, 9)]
    assert (_count(store, leads), _count(store, outbox)) == (8, 8)


def test_concurrent_resubmissions_store_one_lead(store: LeadStore) -> None:
    references = _concurrently(
        8,
        lambda n: (
            LeadService(store, ["crm:webhook"]).submit(make_summary(), make_consent()).reference
        ),
    )

    assert set(references) == {"TSF-2026-000001"}
    assert (_count(store, leads), _count(store, outbox)) == (1, 1)


def test_list_is_newest_first(store: LeadStore) -> None:
    for n in range(3):
        _submit(store, n)

    records = LeadService(store).list()

    assert [r.reference for r in records] == [f"TSF-2026-{n:06d}" for n in (3, 2, 1)]
    assert [r.reference for r in LeadService(store).list(limit=1)] == ["TSF-2026-000003"]


def test_get_accepts_a_typed_reference_and_refuses_unknown_ones(store: LeadStore) -> None:
    lead = _submit(store)

    assert LeadService(store).get(" tsf-2026-000001 ").lead == lead
    with pytest.raises(LeadNotFound, match="TSF-2026-000002"):
        LeadService(store).get("TSF-2026-000002")
    with pytest.raises(InvalidReference):
        LeadService(store).get("lead 1")


def test_retry_of_a_lead_without_dead_letters_changes_nothing(store: LeadStore) -> None:
    lead = _submit(store)

    assert LeadService(store).retry(lead.reference) == 0
    with pytest.raises(LeadNotFound):
        LeadService(store).retry("TSF-2026-000009")


def test_export_csv_has_every_lead_and_defuses_formulas(store: LeadStore) -> None:
    _submit(store, 1)
    hostile = make_summary(
        conversation_id="c-x",
        organisation='=HYPERLINK("http://evil")',
        contact=make_contact(phone="+44 1632 960000"),
    )
    LeadService(store, []).submit(hostile, make_consent())
    out = io.StringIO()

    count = LeadService(store).export_csv(out)

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == 2
    assert [row["reference"] for row in rows] == ["TSF-2026-000002", "TSF-2026-000001"]
    assert rows[0]["organisation"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["contact_phone"] == "'+44 1632 960000"
    assert rows[1]["contact_email"] == "person1@example.org"
    assert rows[1]["amount"] == "450000"
    assert rows[1]["deliveries"] == "crm:webhook=pending"
    assert rows[0]["status"] == "stored"
