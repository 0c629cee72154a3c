"""The periods dashboards are shown for: whole calendar months, named by a short key in the URL.

Keys: ``last12`` (this month and the eleven before), ``2026`` (a year), ``2026-H1`` (a half-year),
``2026-Q3`` (a quarter), ``2026-01:2026-06`` (any run of whole months). Whole months only, so every
figure of a period is a sum of the month rows the dashboards already count.

Boards get calendar years only (`board_period_choices`): periods that overlap give away by subtraction
what each of them hides (January–March minus January–February is March), so a board's periods are one
partition of time — no two overlap, and last year, the comparison, is one of them too. Coordinators, who
see the people anyway, choose freely.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

# How far back the period menu goes; custom months may reach further.
MENU_YEARS = 5
_MONTHS = re.compile(r"^(\d{4})-(\d{2}):(\d{4})-(\d{2})$")
_PART = re.compile(r"^(\d{4})-([HQ])([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def month_last_day(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """From the first day of `start`'s month to the last day of `end`'s month."""

    key: str
    start: datetime.date
    end: datetime.date

    @property
    def months(self) -> list[datetime.date]:
        """The first day of every month in the period."""
        count = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return [add_months(self.start, n) for n in range(count)]

    def previous_year(self) -> "Period":
        """The same months a year earlier: the comparison every dashboard shows."""
        start = self.start.replace(year=self.start.year - 1)
        end = month_last_day(self.end.replace(day=1, year=self.end.year - 1))
        if _YEAR.match(self.key) or _PART.match(self.key):
            key = str(start.year) + self.key[4:]  # "2026-Q3" → "2025-Q3"
        else:
            key = months_key(start, end)
        return Period(key=key, start=start, end=end)

    @property
    def label(self) -> str:
        if self.key == "last12":
            return _("the last 12 months")
        if match := _PART.match(self.key):
            year, kind, number = match.groups()
            if kind == "H":
                return _("%(year)s, half-year %(number)s") % {"year": year, "number": number}
            return _("%(year)s, quarter %(number)s") % {"year": year, "number": number}
        if _YEAR.match(self.key):
            return self.key
        return self.span

    @property
    def span(self) -> str:
        """ "January 2026 – June 2026" in the active language."""
        start = formats.date_format(self.start, "YEAR_MONTH_FORMAT")
        end = formats.date_format(self.end, "YEAR_MONTH_FORMAT")
        return start if start == end else f"{start} – {end}"


def months_key(start: datetime.date, end: datetime.date) -> str:
    return f"{start:%Y-%m}:{end:%Y-%m}"


def last_twelve_months(today: datetime.date) -> Period:
    return Period(key="last12", start=add_months(today, -11), end=month_last_day(today))


def period_from_key(key: str, *, today: datetime.date) -> Period | None:
    """The period a key names, or None when the key is not one (or runs backwards, or spans over 5 years)."""
    key = (key or "").strip()
    if key == "last12":
        return last_twelve_months(today)
    if match := _YEAR.match(key):
        year = int(match.group(1))
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    elif match := _PART.match(key):
        year, kind, number = int(match.group(1)), match.group(2), int(match.group(3))
        if kind == "H" and number > 2:
            return None
        length = 6 if kind == "H" else 3
        start = datetime.date(year, (number - 1) * length + 1, 1)
        end = month_last_day(add_months(start, length - 1))
    elif match := _MONTHS.match(key):
        y1, m1, y2, m2 = (int(part) for part in match.groups())
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            return None
        start, end = datetime.date(y1, m1, 1), month_last_day(datetime.date(y2, m2, 1))
    else:
        return None
    if end < start or not (2000 <= start.year and end.year <= today.year + 1):
        return None
    if (end.year - start.year) * 12 + end.month - start.month >= 12 * MENU_YEARS:
        return None
    return Period(key=key, start=start, end=end)


def period_choices(*, today: datetime.date) -> list[tuple[str, list[tuple[str, str]]] | tuple[str, str]]:
    """The period menu: the last 12 months, then per year (newest first) the year, its halves and quarters
    that have begun. Grouped for a <select> with <optgroup>s."""
    choices: list = [("last12", _("The last 12 months"))]
    for year in range(today.year, today.year - MENU_YEARS, -1):
        options = [(str(year), _("The whole year %(year)s") % {"year": year})]
        for half in (1, 2):
            if datetime.date(year, (half - 1) * 6 + 1, 1) <= today:
                options.append((f"{year}-H{half}", _("Half-year %(number)s") % {"number": half}))
        for quarter in (1, 2, 3, 4):
            if datetime.date(year, (quarter - 1) * 3 + 1, 1) <= today:
                options.append((f"{year}-Q{quarter}", _("Quarter %(number)s") % {"number": quarter}))
        choices.append((str(year), options))
    choices.append(("custom", _("Months of my choice")))
    return choices


def board_period_choices(*, today: datetime.date) -> list[tuple[str, str]]:
    """The only periods a board may see: this year so far and the whole years before it, newest first."""
    return [
        (str(year), _("%(year)s so far") % {"year": year} if year == today.year else str(year))
        for year in range(today.year, today.year - MENU_YEARS, -1)
    ]


def board_default_period(*, today: datetime.date) -> Period:
    """This calendar year: what a board page shows when no (allowed) period is asked for."""
    return period_from_key(str(today.year), today=today)
