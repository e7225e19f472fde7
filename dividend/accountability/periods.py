"""Periods of the accountability figures: a quarter ("2026Q3"), a year ("2026") or a range of dates,
with the same period a year earlier and the months it spans."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.I)
_YEAR = re.compile(r"^(\d{4})$")
MIN_YEAR, MAX_YEAR = 1990, 2100


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str

    def __post_init__(self):
        if self.end < self.start:
            raise ValidationError(_("The period ends (%(end)s) before it starts (%(start)s).")
                                  % {"start": self.start.isoformat(), "end": self.end.isoformat()})

    @classmethod
    def parse(cls, text: str) -> Period:
        """"2026Q3" (also "2026-Q3", "2026q3"), "2026", or a range of them "2025Q3..2026Q2" (from the
        start of the first to the end of the second); anything else, or a range in the wrong order: a
        ValidationError saying what is expected."""
        value = (text or "").strip()
        if ".." in value:
            first, _dots, last = value.partition("..")
            a, b = cls.parse(first), cls.parse(last)
            if b.end < a.start:
                raise ValidationError(_("The period is in the wrong order: %(last)s comes before %(first)s.")
                                      % {"first": a.label, "last": b.label})
            return cls(a.start, b.end, f"{a.label}..{b.label}")
        quarter, year = _QUARTER.match(value), _YEAR.match(value)
        if quarter:
            number, q = int(quarter.group(1)), int(quarter.group(2))
            _check_year(number)
            start = dt.date(number, 3 * q - 2, 1)
            return cls(start, month_end(dt.date(number, 3 * q, 1)), f"{number}Q{q}")
        if year:
            number = int(year.group(1))
            _check_year(number)
            return cls(dt.date(number, 1, 1), dt.date(number, 12, 31), str(number))
        raise ValidationError(_("Unknown period “%(value)s”: write a quarter as 2026Q3, a year as 2026, or a range "
                                "as 2025Q3..2026Q2.")
                              % {"value": value[:40]})

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Period:
        return cls(start, end, f"{start.isoformat()} – {end.isoformat()}")

    def year_earlier(self) -> Period:
        """The same period a year earlier (29 February becomes the 28th)."""
        parts = self.label.split("..")
        if all(_QUARTER.match(p) or _YEAR.match(p) for p in parts):
            label = "..".join(str(int(p[:4]) - 1) + p[4:] for p in parts)
        else:
            label = ""
        start, end = _minus_year(self.start), _minus_year(self.end)
        return Period(start, end, label or f"{start.isoformat()} – {end.isoformat()}")

    def months(self) -> list[dt.date]:
        """The first day of every month the period touches."""
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = month_end(day) + dt.timedelta(days=1)
        return months


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(_("The year must be from %(low)s to %(high)s.") % {"low": MIN_YEAR, "high": MAX_YEAR})


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def person_months(start: dt.date, end: dt.date | None, period: Period, today: dt.date) -> float:
    """Months on mission within the period, up to today: each month counts the share of its days
    covered (a whole month 1.0, 15 days of July 15/31). An open end runs to today."""
    first = max(start, period.start)
    last = min(end or today, period.end, today)
    total = 0.0
    day = first.replace(day=1)
    while day <= last:
        end_of_month = month_end(day)
        covered = (min(last, end_of_month) - max(first, day)).days + 1
        if covered > 0:
            total += covered / end_of_month.day
        day = end_of_month + dt.timedelta(days=1)
    return total
