"""A lead survives the trip to JSON and back."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from tests.support.leads import make_consent, make_contact, make_summary
from tsf_leads.payload import as_utc, dump_lead, load_lead


def test_round_trip_keeps_every_field() -> None:
    summary = make_summary(notes=("Called back",), contact=make_contact(phone=None))
    consent = make_consent()

    assert load_lead(dump_lead(summary, consent)) == (summary, consent)


def test_times_are_stored_in_utc() -> None:
    local = datetime(2026, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))

    document = json.loads(dump_lead(make_summary(created_at=local), make_consent()))

    assert document["summary"]["created_at"] == "2026-07-01T10:00:00+00:00"


def test_unicode_is_kept_readable() -> None:
    text = dump_lead(make_summary(organisation="Ysbyty Gwynedd — Gofal"), make_consent())

    assert "Ysbyty Gwynedd — Gofal" in text


def test_an_unknown_version_is_refused() -> None:
    document = json.loads(dump_lead(make_summary(), make_consent()))
    document["version"] = 99

    with pytest.raises(ValueError, match="version"):
        load_lead(json.dumps(document))


def test_naive_times_are_taken_as_utc() -> None:
    assert as_utc(datetime(2026, 1, 1, 9)) == datetime(2026, 1, 1, 9, tzinfo=timezone.utc)
