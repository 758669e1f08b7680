"""When the Social Investment Team can take a conversation: opening hours in UK time.

Hours are written as people write them: ``Mon-Fri 09:00-17:00``, or several groups
separated by ``;`` (``Mon-Thu 09:00-17:00; Fri 09:00-16:30``). They are read in
Europe/London time, so they follow British Summer Time, and England's bank holidays are
always closed (the ``holidays`` package's calendar for England).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

LONDON = "Europe/London"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SEARCH_DAYS = 14
"""How far ahead :meth:`OfficeHours.next_opening` looks (two weeks cover Christmas)."""

_GROUP = re.compile(
    r"^(?P<days>[a-z]{3}(?:\s*-\s*[a-z]{3})?(?:\s*,\s*[a-z]{3}(?:\s*-\s*[a-z]{3})?)*)\s+"
    r"(?P<opens>\d{1,2}:\d{2})\s*-\s*(?P<closes>\d{1,2}:\d{2})$"
)


ALWAYS = "always"


class OfficeHoursError(ValueError):
    """Opening hours that cannot be read."""


@dataclass(frozen=True)
class Opening:
    """One day's opening: from ``opens`` until ``closes``, local time."""

    weekday: int
    opens: time
    closes: time


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    """Whether ``day`` is a bank holiday in England."""
    return day in _bank_holidays(day.year)


def _clock(text: str, spec: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours > 23 or minutes > 59:
        raise OfficeHoursError(f"{text!r} in {spec!r} is not a time of day (use 00:00 to 23:59)")
    return time(hours, minutes)


def _weekdays(days: str, spec: str) -> list[int]:
    found = []
    for part in days.split(","):
        first, _, last = (name.strip() for name in part.partition("-"))
        for name in (first, last or first):
            if name not in DAYS:
                raise OfficeHoursError(f"{name!r} in {spec!r} is not a day (use Mon to Sun)")
        start, end = DAYS.index(first), DAYS.index(last or first)
        if end < start:
            raise OfficeHoursError(f"{part.strip()!r} in {spec!r} runs backwards")
        found.extend(range(start, end + 1))
    return found


@dataclass(frozen=True)
class OfficeHours:
    """The team's weekly opening hours; England's bank holidays are closed. ``always``
    (written ``always``) is a team that answers at any time, bank holidays included."""

    openings: tuple[Opening, ...]
    always: bool = False

    @classmethod
    def parse(cls, spec: str) -> OfficeHours:
        """Read hours such as ``Mon-Fri 09:00-17:00; Sat 10:00-12:00``, or ``always``.

        Raises:
            OfficeHoursError: If a group is not "days hh:mm-hh:mm", a day or time is not
                one, a day is given twice, or a day closes before it opens.
        """
        if spec.strip().lower() == ALWAYS:
            return cls((), always=True)
        openings: dict[int, Opening] = {}
        for group in (part.strip() for part in spec.lower().split(";")):
            match = _GROUP.match(group)
            if match is None:
                raise OfficeHoursError(
                    f"{group or spec!r} is not opening hours: write them like "
                    "'Mon-Fri 09:00-17:00' (groups separated by ';')"
                )
            opens, closes = _clock(match["opens"], spec), _clock(match["closes"], spec)
            if closes <= opens:
                raise OfficeHoursError(f"{group!r} closes before it opens")
            for weekday in _weekdays(match["days"], spec):
                if weekday in openings:
                    raise OfficeHoursError(f"{DAY_NAMES[weekday]} is given twice in {spec!r}")
                openings[weekday] = Opening(weekday, opens, closes)
        return cls(tuple(openings[day] for day in sorted(openings)))

    def describe(self) -> str:
        """The hours in words: "Monday to Friday, 9:00 to 17:00 (UK time), not on bank
        holidays"; days with the same hours run together."""
        if self.always:
            return "at any time"
        runs: list[list[Opening]] = []
        for opening in self.openings:
            last = runs[-1][-1] if runs else None
            same = last and (last.opens, last.closes) == (opening.opens, opening.closes)
            if same and opening.weekday == last.weekday + 1:
                runs[-1].append(opening)
            else:
                runs.append([opening])
        parts = [
            f"{DAY_NAMES[run[0].weekday]}"
            + (f" to {DAY_NAMES[run[-1].weekday]}" if len(run) > 1 else "")
            + f", {run[0].opens:%H:%M} to {run[0].closes:%H:%M}"
            for run in runs
        ]
        return "; ".join(parts) + " (UK time), not on bank holidays"

    def _opening_on(self, day: date) -> Opening | None:
        if is_bank_holiday(day):
            return None
        return next((o for o in self.openings if o.weekday == day.weekday()), None)

    def is_open(self, moment: datetime) -> bool:
        """Whether the team is in at ``moment`` (a timezone-aware time)."""
        if self.always:
            return True
        local = moment.astimezone(ZoneInfo(LONDON))
        opening = self._opening_on(local.date())
        return opening is not None and opening.opens <= local.time() < opening.closes

    def next_opening(self, moment: datetime) -> datetime | None:
        """When the team is next in after ``moment`` (``moment`` itself if it is open now),
        in London time; None if they are not in within :data:`SEARCH_DAYS`."""
        local = moment.astimezone(ZoneInfo(LONDON))
        if self.is_open(local):
            return local
        for ahead in range(SEARCH_DAYS + 1):
            day = local.date() + timedelta(days=ahead)
            opening = self._opening_on(day)
            if opening is None:
                continue
            opens = datetime.combine(day, opening.opens, tzinfo=ZoneInfo(LONDON))
            if opens > local:
                return opens
        return None
