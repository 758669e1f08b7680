"""The one wall clock of the lead and privacy code."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tsf_leads.clock import utc_now


def test_the_clock_reads_now_aware_and_in_utc() -> None:
    before = datetime.now(timezone.utc)

    now = utc_now()

    assert now.utcoffset() == timedelta(0)
    assert before <= now <= datetime.now(timezone.utc)
