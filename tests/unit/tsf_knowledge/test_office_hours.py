"""Opening hours: read as people write them, in UK time, closed on England's bank holidays."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from tsf_knowledge.office_hours import OfficeHours, OfficeHoursError, is_bank_holiday

WEEKDAYS = OfficeHours.parse("Mon-Fri 09:00-17:00")
LONDON = ZoneInfo("Europe/London")


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def _london(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        ("2026-01-13 08:30", False),  # a Tuesday in winter: 08:30 in London too
        ("2026-07-14 08:30", True),  # a Tuesday in summer: 09:30 British Summer Time
        ("2026-07-14 15:59", True),  # 16:59 BST
        ("2026-07-14 16:00", False),  # 17:00 BST: closed on the hour
        ("2026-07-18 10:00", False),  # a Saturday
    ],
)
def test_hours_are_read_in_uk_time(moment: str, is_open: bool) -> None:
    assert WEEKDAYS.is_open(_utc(moment)) is is_open


@pytest.mark.parametrize(
    "day", ["2026-04-03", "2026-04-06", "2026-05-04", "2026-08-31", "2026-12-25", "2026-12-28"]
)
def test_england_s_bank_holidays_are_closed(day: str) -> None:
    assert is_bank_holiday(datetime.fromisoformat(day).date())
    assert not WEEKDAYS.is_open(_london(f"{day} 11:00"))


@pytest.mark.parametrize(
    ("moment", "next_opening"),
    [
        ("2026-07-17 18:00", "2026-07-20 09:00"),  # Friday evening: Monday morning
        ("2026-04-02 17:30", "2026-04-07 09:00"),  # before Easter: Good Friday and Monday off
        ("2026-12-24 17:00", "2026-12-29 09:00"),  # Christmas: Boxing Day observed on Monday
        ("2026-07-14 08:00", "2026-07-14 09:00"),  # early: the same morning
    ],
)
def test_the_next_opening_skips_evenings_weekends_and_bank_holidays(
    moment: str, next_opening: str
) -> None:
    assert WEEKDAYS.next_opening(_london(moment)) == _london(next_opening)


def test_when_open_the_next_opening_is_now() -> None:
    moment = _london("2026-07-14 10:15")

    assert WEEKDAYS.next_opening(moment) == moment


def test_the_next_opening_may_be_days_ahead_and_is_none_when_never_open() -> None:
    saturdays = OfficeHours.parse("Sat 09:00-10:00")

    assert saturdays.next_opening(_london("2026-07-14 10:15")) == _london("2026-07-18 09:00")
    assert OfficeHours(()).next_opening(_london("2026-07-14 10:15")) is None


def test_several_groups_give_each_day_its_own_hours() -> None:
    hours = OfficeHours.parse("Mon-Thu 09:00-17:00; Fri 09:00-16:30")

    assert hours.is_open(_london("2026-07-16 16:45"))  # Thursday
    assert not hours.is_open(_london("2026-07-17 16:45"))  # Friday
    assert hours.describe() == (
        "Monday to Thursday, 09:00 to 17:00; Friday, 09:00 to 16:30 (UK time), not on bank holidays"
    )


def test_days_may_be_listed_and_written_in_any_case() -> None:
    hours = OfficeHours.parse("MON, wed-Thu 10:00-12:00")

    assert [opening.weekday for opening in hours.openings] == [0, 2, 3]
    assert WEEKDAYS.describe() == "Monday to Friday, 09:00 to 17:00 (UK time), not on bank holidays"


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "is not opening hours"),
        ("Mon-Fri", "is not opening hours"),
        ("Mon-Fri 9-5", "is not opening hours"),
        ("Xyz 09:00-17:00", "is not a day"),
        ("Fri-Mon 09:00-17:00", "runs backwards"),
        ("Mon 17:00-09:00", "closes before it opens"),
        ("Mon 09:00-24:30", "is not a time of day"),
        ("Mon-Fri 09:00-17:00; Mon 18:00-19:00", "Monday is given twice"),
    ],
)
def test_hours_that_cannot_be_read_are_refused_with_the_reason(spec: str, problem: str) -> None:
    with pytest.raises(OfficeHoursError, match=problem):
        OfficeHours.parse(spec)


def test_always_is_open_at_any_time_even_on_a_bank_holiday() -> None:
    always = OfficeHours.parse(" Always ")
    christmas_night = datetime(2026, 12, 25, 3, 0, tzinfo=ZoneInfo("Europe/London"))
    assert always.is_open(christmas_night)
    assert always.next_opening(christmas_night) == christmas_night
    assert always.describe() == "at any time"
