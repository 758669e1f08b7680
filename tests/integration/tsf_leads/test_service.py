"""Submitting leads: durable, atomic, idempotent per conversation, uniquely numbered."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from tests.support.leads import NOW, make_consent, make_contact, make_summary
from tsf_leads.contracts import StoredLead
from tsf_leads.db import lead_sequences, leads, outbox
from tsf_leads.service import (
    InvalidReference,
    LeadNotFound,
    export_csv,
    get_lead,
    list_leads,
    retry,
    submit_lead,
)
from tsf_leads.unit_of_work import LeadStore, SqlAlchemyUnitOfWork, open_store


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
    return submit_lead(
        store.unit_of_work(), summary, make_consent(), destinations, clock=lambda: NOW
    )


def test_a_submitted_lead_is_stored_with_its_outbox_rows(store: LeadStore) -> None:
    lead = submit_lead(
        store.unit_of_work(), make_summary(), make_consent(), ["crm:hubspot", "notify:slack"]
    )

    record = get_lead(store.unit_of_work(), lead.reference)
    assert lead.reference == "TSF-2026-000001"
    assert record.lead == lead
    assert record.status == "pending"
    assert [(d.destination, d.status, d.attempts) for d in record.deliveries] == [
        ("crm:hubspot", "pending", 0),
        ("notify:slack", "pending", 0),
    ]


def test_the_lead_is_durable_for_a_new_process(db_url: str) -> None:
    first = open_store(db_url)
    lead = submit_lead(first.unit_of_work(), make_summary(), make_consent(), ["crm:webhook"])
    first.dispose()

    second = open_store(db_url)
    try:
        assert get_lead(second.unit_of_work(), lead.reference).lead == lead
    finally:
        second.dispose()


def test_a_lead_with_no_destination_is_kept_locally(store: LeadStore) -> None:
    lead = _submit(store, destinations=())

    record = get_lead(store.unit_of_work(), lead.reference)
    assert record.status == "stored"
    assert record.deliveries == ()


class _FailingSecondOutboxWrite(SqlAlchemyUnitOfWork):
    """Fails between writes: after the lead and its first outbox row, before the second."""

    def __enter__(self) -> _FailingSecondOutboxWrite:
        super().__enter__()
        add, calls = self.outbox.add, []

        def add_then_fail(*args: object) -> None:
            calls.append(args)
            if len(calls) > 1:
                raise RuntimeError("the process died here")
            add(*args)  # type: ignore[arg-type]

        self.outbox.add = add_then_fail  # type: ignore[method-assign]
        return self


def test_a_failure_between_the_writes_leaves_nothing_behind(store: LeadStore) -> None:
    failing = _FailingSecondOutboxWrite(store.session_factory)

    with pytest.raises(RuntimeError, match="died"):
        submit_lead(failing, make_summary(), make_consent(), ["crm:webhook", "notify:slack"])

    assert (_count(store, leads), _count(store, outbox), _count(store, lead_sequences)) == (0, 0, 0)
    assert _submit(store).reference == "TSF-2026-000001"


def test_resubmitting_in_the_same_conversation_returns_the_stored_lead(store: LeadStore) -> None:
    first = submit_lead(store.unit_of_work(), make_summary(), make_consent(), ["crm:webhook"])
    same_email = make_contact(email="  JO.BLOGGS@example.org")

    again = submit_lead(
        store.unit_of_work(), make_summary(contact=same_email), make_consent(), ["crm:webhook"]
    )

    assert again == first
    assert (_count(store, leads), _count(store, outbox)) == (1, 1)


def test_another_email_in_the_same_conversation_is_another_lead(store: LeadStore) -> None:
    first = submit_lead(store.unit_of_work(), make_summary(), make_consent(), [])
    other = make_summary(contact=make_contact(email="colleague@example.org"))

    second = submit_lead(store.unit_of_work(), other, make_consent(), [])

    assert second.reference != first.reference


def test_sequences_are_per_year(store: LeadStore) -> None:
    def submit(n: int, year: int) -> str:
        summary = make_summary(conversation_id=f"c{n}", created_at=NOW.replace(year=year))
        return submit_lead(store.unit_of_work(), summary, make_consent(), []).reference

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
            submit_lead(
                store.unit_of_work(), make_summary(), make_consent(), ["crm:webhook"]
            ).reference
        ),
    )

    assert set(references) == {"TSF-2026-000001"}
    assert (_count(store, leads), _count(store, outbox)) == (1, 1)


def test_list_is_newest_first(store: LeadStore) -> None:
    for n in range(3):
        _submit(store, n)

    records = list_leads(store.unit_of_work())

    assert [r.reference for r in records] == [f"TSF-2026-{n:06d}" for n in (3, 2, 1)]
    assert [r.reference for r in list_leads(store.unit_of_work(), limit=1)] == ["TSF-2026-000003"]


def test_get_accepts_a_typed_reference_and_refuses_unknown_ones(store: LeadStore) -> None:
    lead = _submit(store)

    assert get_lead(store.unit_of_work(), " tsf-2026-000001 ").lead == lead
    with pytest.raises(LeadNotFound, match="TSF-2026-000002"):
        get_lead(store.unit_of_work(), "TSF-2026-000002")
    with pytest.raises(InvalidReference):
        get_lead(store.unit_of_work(), "lead 1")


def test_retry_of_a_lead_without_dead_letters_changes_nothing(store: LeadStore) -> None:
    lead = _submit(store)

    assert retry(store.unit_of_work(), lead.reference) == 0
    with pytest.raises(LeadNotFound):
        retry(store.unit_of_work(), "TSF-2026-000009")


def test_export_csv_has_every_lead_and_defuses_formulas(store: LeadStore) -> None:
    _submit(store, 1)
    hostile = make_summary(
        conversation_id="c-x",
        organisation='=HYPERLINK("http://evil")',
        contact=make_contact(phone="+44 1632 960000"),
    )
    submit_lead(store.unit_of_work(), hostile, make_consent(), [])
    out = io.StringIO()

    count = export_csv(store.unit_of_work(), out)

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert count == 2
    assert [row["reference"] for row in rows] == ["TSF-2026-000002", "TSF-2026-000001"]
    assert rows[0]["organisation"] == '\'=HYPERLINK("http://evil")'
    assert rows[0]["contact_phone"] == "'+44 1632 960000"
    assert rows[1]["contact_email"] == "person1@example.org"
    assert rows[1]["amount"] == "450000"
    assert rows[1]["deliveries"] == "crm:webhook=pending"
    assert rows[0]["status"] == "stored"
