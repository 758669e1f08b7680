"""Retention and erasure: leads and their outbox rows go, other leads stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.support.leads import NOW, make_consent, make_contact, make_summary
from tsf_leads.db import leads, outbox
from tsf_leads.repository import LeadStore
from tsf_leads.service import LeadService


def _add(store: LeadStore, n: int, days_old: int, email: str | None = None) -> str:
    summary = make_summary(
        conversation_id=f"c{n}",
        contact=make_contact(email=email or f"person{n}@example.org"),
        created_at=NOW - timedelta(days=days_old),
    )
    lead = LeadService(store, ["crm:webhook", "notify:x"]).submit(summary, make_consent())
    return lead.reference


def _counts(store: LeadStore) -> tuple[int, int]:
    with store.engine.connect() as connection:
        return (
            connection.execute(select(func.count()).select_from(leads)).scalar_one(),
            connection.execute(select(func.count()).select_from(outbox)).scalar_one(),
        )


def _remaining(store: LeadStore) -> set[str]:
    return {record.reference for record in LeadService(store).list()}


def test_purge_deletes_leads_older_than_the_retention_period(store: LeadStore) -> None:
    old = _add(store, 1, days_old=400)
    borderline = _add(store, 2, days_old=365)
    recent = _add(store, 3, days_old=10)

    purged = LeadService(store).purge_created_before(NOW + timedelta(seconds=1, days=-365))

    assert purged == [old, borderline]
    assert _remaining(store) == {recent}
    assert _counts(store) == (1, 2)


def test_purge_with_nothing_old_deletes_nothing(store: LeadStore) -> None:
    recent = _add(store, 1, days_old=1)

    assert LeadService(store).purge_created_before(NOW - timedelta(days=30)) == []
    assert _remaining(store) == {recent}


def test_erase_by_email_deletes_every_lead_of_that_person(store: LeadStore) -> None:
    first = _add(store, 1, days_old=3, email="Sam.Smith@example.org")
    other = _add(store, 2, days_old=2)
    second = _add(store, 3, days_old=1, email="sam.smith@example.org")

    erased = LeadService(store).erase_by_email(" SAM.SMITH@EXAMPLE.ORG ")

    assert erased == [first, second]
    assert _remaining(store) == {other}
    assert _counts(store) == (1, 2)


def test_erasing_an_unknown_email_deletes_nothing(store: LeadStore) -> None:
    kept = _add(store, 1, days_old=1)

    assert LeadService(store).erase_by_email("nobody@example.org") == []
    assert _remaining(store) == {kept}


def test_erasing_needs_an_email(store: LeadStore) -> None:
    with pytest.raises(ValueError, match="email"):
        LeadService(store).erase_by_email("  ")


def test_references_are_not_reused_after_erasure(store: LeadStore) -> None:
    _add(store, 1, days_old=0)
    LeadService(store).erase_by_email("person1@example.org")

    assert _add(store, 2, days_old=0) == "TSF-2026-000002"
