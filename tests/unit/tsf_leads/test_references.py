"""Lead references: TSF-<year>-<6 digits>, numbered per year."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.leads import NOW, make_consent, make_contact, make_summary
from tsf_leads.repository import LeadStore, open_store
from tsf_leads.service import (
    InvalidReference,
    LeadService,
    format_reference,
    normalise_reference,
    parse_reference,
)


@pytest.fixture
def store() -> Iterator[LeadStore]:
    """A lead store in memory."""
    lead_store = open_store("sqlite://")
    yield lead_store
    lead_store.dispose()


@pytest.mark.parametrize(
    ("year", "sequence", "reference"),
    [
        (2026, 1, "TSF-2026-000001"),
        (2026, 123, "TSF-2026-000123"),
        (2027, 1_234_567, "TSF-2027-1234567"),
    ],
)
def test_format_and_parse(year: int, sequence: int, reference: str) -> None:
    assert format_reference(year, sequence) == reference
    assert parse_reference(reference) == (year, sequence)


@pytest.mark.parametrize("bad", [(2026, 0), (0, 1), (10_000, 1)])
def test_impossible_references_are_refused(bad: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        format_reference(*bad)


@pytest.mark.parametrize("typed", [" tsf-2026-000007 ", "TSF-2026-000007", "Tsf-2026-000007"])
def test_typed_references_are_normalised(typed: str) -> None:
    assert normalise_reference(typed) == "TSF-2026-000007"


@pytest.mark.parametrize(
    "bad", ["", "TSF-26-000001", "TSF-2026-1", "2026-000001", "TSF-2026-00000x"]
)
def test_other_text_is_not_a_reference(bad: str) -> None:
    with pytest.raises(InvalidReference, match="TSF-2026-000123"):
        parse_reference(bad)


def test_references_are_numbered_per_year_of_creation(store: LeadStore) -> None:
    created = [
        NOW,
        NOW,
        NOW.replace(year=2027, month=1, day=1, hour=0),
        NOW,
        NOW.replace(year=2027),
    ]

    references = [
        LeadService(store)
        .submit(make_summary(conversation_id=f"c{n}", created_at=at), make_consent())
        .reference
        for n, at in enumerate(created)
    ]

    assert references == [
        "TSF-2026-000001",
        "TSF-2026-000002",
        "TSF-2027-000001",
        "TSF-2026-000003",
        "TSF-2027-000002",
    ]


def test_the_stored_lead_carries_its_reference_in_the_markdown(store: LeadStore) -> None:
    lead = LeadService(store, ["crm:webhook"]).submit(make_summary(), make_consent())

    assert lead.markdown.startswith("# Lead TSF-2026-000001: Riverside Care Partnership CIC")
    assert lead.summary == make_summary()


def test_resubmitting_in_the_same_conversation_returns_the_first_lead(store: LeadStore) -> None:
    service = LeadService(store, ["crm:webhook"])
    first = service.submit(make_summary(), make_consent())

    same_person = make_contact(name="Jo", role="Director", email=" JO.Bloggs@Example.org ")

    again = service.submit(make_summary(contact=same_person), make_consent())

    assert again == first
    (record,) = service.list()
    assert record.reference == first.reference
    assert len(record.deliveries) == 1


def test_destinations_are_queued_once_each(store: LeadStore) -> None:
    service = LeadService(store, ["crm:webhook", "notify:slack", " crm:webhook "])

    lead = service.submit(make_summary(), make_consent())

    assert [d.destination for d in service.get(lead.reference).deliveries] == [
        "crm:webhook",
        "notify:slack",
    ]


@pytest.mark.parametrize("bad", ["", "  ", "x" * 65])
def test_bad_destination_names_are_refused_before_anything_is_stored(
    store: LeadStore, bad: str
) -> None:
    service = LeadService(store, ["crm:webhook", bad])

    with pytest.raises(ValueError, match="destination"):
        service.submit(make_summary(), make_consent())

    assert service.list() == []
