"""The team status of a lead: who did what when, idempotent, forwards only, kept and erased."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.support.leads import FakeClock, make_consent, make_summary
from tsf_leads.contracts import StoredLead
from tsf_leads.db import lead_status_changes, outbox
from tsf_leads.repository import LeadStore
from tsf_leads.service import InvalidReference, LeadNotFound, LeadService
from tsf_leads.team_status import MAX_REASON_LENGTH, InvalidTeamStatus, TransitionNotAllowed

DESTINATIONS = ("crm:webhook", "notify:slack", "notify:teams")


def _service(store: LeadStore, clock: FakeClock | None = None) -> LeadService:
    return LeadService(store, DESTINATIONS, clock=clock or FakeClock())


def _lead(store: LeadStore) -> StoredLead:
    return _service(store).submit(make_summary(), make_consent())


def _count(store: LeadStore, table: object) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_change_is_stored_with_who_and_when_and_queued_for_the_crm_only(
    store: LeadStore,
) -> None:
    lead, clock = _lead(store), FakeClock()
    clock.advance(300)

    change = _service(store, clock).set_team_status(
        lead.reference.lower(), "claimed", "U012SAM", "  Sam   Jones ", interaction_id="a-1"
    )

    assert (change.changed, change.queued) == (True, 1)
    team = change.lead.team
    assert team is not None
    assert (team.status, team.staff_id, team.staff_name) == ("claimed", "U012SAM", "Sam Jones")
    assert (team.changed_at, team.reason) == (clock.now, None)
    assert [d.destination for d in change.lead.status_deliveries] == ["crm:webhook"]
    assert change.lead.status_deliveries[0].status == "pending"
    assert change.lead.status == "pending"  # the delivery status keeps its meaning
    assert len(change.lead.deliveries) == len(DESTINATIONS)
    assert _service(store).get(lead.reference).team == team


def test_the_same_interaction_twice_changes_and_queues_nothing(store: LeadStore) -> None:
    lead, service = _lead(store), _service(store)

    first = service.set_team_status(lead.reference, "claimed", "U1", "Sam Jones", None, "a-1")
    retried = service.set_team_status(lead.reference, "claimed", "U1", "Sam Jones", None, "a-1")

    assert (first.changed, retried.changed, retried.queued) == (True, False, 0)
    assert retried.lead.team == first.lead.team
    assert _count(store, lead_status_changes) == 1
    assert _count(store, outbox) == len(DESTINATIONS) + 1


def test_the_status_a_lead_already_has_keeps_whoever_set_it_first(store: LeadStore) -> None:
    lead, service = _lead(store), _service(store)
    service.set_team_status(lead.reference, "claimed", "U1", "Sam Jones", None, "a-1")

    again = service.set_team_status(lead.reference, "claimed", "U2", "Alex Kay", None, "b-1")

    assert again.changed is False
    assert again.lead.team is not None and again.lead.team.staff_name == "Sam Jones"
    assert _count(store, lead_status_changes) == 1


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["claimed"], True),
        (["contacted"], True),
        (["not_a_fit"], True),
        (["claimed", "contacted"], True),
        (["claimed", "not_a_fit"], True),
        (["contacted", "not_a_fit"], True),
        (["claimed", "contacted", "not_a_fit"], True),
        (["contacted", "claimed"], False),
        (["not_a_fit", "claimed"], False),
        (["not_a_fit", "contacted"], False),
    ],
)
def test_statuses_only_move_forwards(store: LeadStore, path: list[str], allowed: bool) -> None:
    lead, service = _lead(store), _service(store)
    *before, last = path
    for status in before:
        service.set_team_status(
            lead.reference, status, "U1", "Sam", "why" * (status == "not_a_fit")
        )

    def move() -> object:
        return service.set_team_status(lead.reference, last, "U1", "Sam", "Not a spin-out")

    if allowed:
        assert move().changed is True  # type: ignore[attr-defined]
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            move()
        assert refused.value.current == before[-1]
        assert lead.reference in str(refused.value)
    history = [row.status for row in service.status_history(lead.reference)]
    assert history == (path if allowed else before)


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [
        ("not_a_fit", None, "why the lead is not a fit"),
        ("not_a_fit", "   ", "why the lead is not a fit"),
        ("not_a_fit", "x" * (MAX_REASON_LENGTH + 1), "keep it under"),
        ("won", None, "not a team status"),
    ],
)
def test_a_bad_change_is_refused_with_a_message(
    store: LeadStore, status: str, reason: str | None, message: str
) -> None:
    lead = _lead(store)

    with pytest.raises(InvalidTeamStatus, match=message):
        _service(store).set_team_status(lead.reference, status, "U1", "Sam", reason)

    assert _count(store, lead_status_changes) == 0


def test_a_staff_member_is_needed(store: LeadStore) -> None:
    lead = _lead(store)

    with pytest.raises(InvalidTeamStatus, match="staff name"):
        _service(store).set_team_status(lead.reference, "claimed", "U1", "  ")
    with pytest.raises(InvalidTeamStatus, match="staff id"):
        _service(store).set_team_status(lead.reference, "claimed", "", "Sam")


def test_an_unknown_or_malformed_reference_is_a_clear_error(store: LeadStore) -> None:
    service = _service(store)

    with pytest.raises(LeadNotFound, match="there is no lead TSF-2026-000999"):
        service.set_team_status("TSF-2026-000999", "claimed", "U1", "Sam")
    with pytest.raises(InvalidReference):
        service.set_team_status("hello", "claimed", "U1", "Sam")


def test_a_lead_without_a_crm_still_keeps_its_team_status(store: LeadStore) -> None:
    lead = LeadService(store).submit(make_summary(), make_consent())

    change = LeadService(store).set_team_status(lead.reference, "contacted", "U1", "Sam")

    assert (change.changed, change.queued, change.lead.status) == (True, 0, "stored")


def test_erasing_a_lead_erases_its_status_history_and_jobs(store: LeadStore) -> None:
    lead, service = _lead(store), _service(store)
    service.set_team_status(lead.reference, "not_a_fit", "U1", "Sam", "Not a spin-out")

    service.erase_by_email(make_summary().contact.email)

    assert (_count(store, lead_status_changes), _count(store, outbox)) == (0, 0)
