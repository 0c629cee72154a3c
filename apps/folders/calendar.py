"""The activity calendar printed in the folder.

Activities have no dated occurrences, only a schedule written by the coordinator ("Tirsdage 17–19",
"Første fredag i måneden 18–20"). For "the next three months" the calendar therefore lists the area's
active activities for the period from the print date: weekly ones under the weekdays their schedule
names, monthly ones ("first Friday of the month") with their actual dates in the period, and anything
else as written. Network meetings are for ambassadors and never appear here.
"""

import calendar as pycalendar
import datetime
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from apps.organisation.models import Area
from apps.visits.models import Activity

MONTHS_AHEAD = 3

# Weekday names as coordinators write them (Danish and English), Monday first.
WEEKDAY_WORDS = [
    ("mandag", "monday"),
    ("tirsdag", "tuesday"),
    ("onsdag", "wednesday"),
    ("torsdag", "thursday"),
    ("fredag", "friday"),
    ("lørdag", "saturday"),
    ("søndag", "sunday"),
]
ORDINALS = {
    "første": 1, "first": 1, "1.": 1,
    "anden": 2, "andre": 2, "second": 2, "2.": 2,
    "tredje": 3, "third": 3, "3.": 3,
    "fjerde": 4, "fourth": 4, "4.": 4,
    "sidste": -1, "last": -1,
}  # fmt: skip
_MONTHLY = re.compile(
    r"(første|anden|andre|tredje|fjerde|sidste|first|second|third|fourth|last|[1-4]\.)\s+(\w+?)(?:e|en|s)?\s+"
    r"(?:i|of|in|every)\s+(?:hver\s+)?(?:måned|the month|month)",
    re.IGNORECASE,
)
_TIME = re.compile(r"\d{1,2}(?:[.:]\d{2})?\s*[–-]\s*\d{1,2}(?:[.:]\d{2})?")


@dataclass(frozen=True)
class CalendarEntry:
    name: str
    time: str  # "17–19", or the whole schedule when no time could be read
    place: str
    contact: str
    description: str
    dates: list[str] = field(default_factory=list)  # ISO dates of monthly activities in the period


@dataclass(frozen=True)
class ActivityCalendar:
    start: datetime.date
    end: datetime.date
    # (weekday 0–6, entries) for the weekdays that have weekly activities, Monday first.
    weekly: list[tuple[int, list[CalendarEntry]]]
    other: list[CalendarEntry]

    @property
    def is_empty(self) -> bool:
        return not self.weekly and not self.other

    def digest(self) -> str:
        """Changes whenever what the calendar prints changes: part of the key of a cached edition."""
        data = {"start": self.start.isoformat(), "end": self.end.isoformat(), "weekly": [], "other": []}
        data["weekly"] = [[day, [asdict(entry) for entry in entries]] for day, entries in self.weekly]
        data["other"] = [asdict(entry) for entry in self.other]
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, pycalendar.monthrange(year, month)[1]))


def _weekday_of(word: str) -> int | None:
    word = word.lower()
    for number, names in enumerate(WEEKDAY_WORDS):
        if any(word.startswith(name) or name.startswith(word) and len(word) >= 3 for name in names):
            return number
    return None


def _weekdays_named(schedule: str) -> list[int]:
    text = schedule.lower()
    return [number for number, names in enumerate(WEEKDAY_WORDS) if any(name in text for name in names)]


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date | None:
    days = [week[weekday] for week in pycalendar.monthcalendar(year, month) if week[weekday]]
    if nth == -1:
        return datetime.date(year, month, days[-1])
    return datetime.date(year, month, days[nth - 1]) if nth <= len(days) else None


def _monthly_dates(schedule: str, start: datetime.date, end: datetime.date) -> list[datetime.date] | None:
    match = _MONTHLY.search(schedule)
    if not match:
        return None
    nth, weekday = ORDINALS[match.group(1).lower()], _weekday_of(match.group(2))
    if weekday is None:
        return None
    dates, month = [], start.replace(day=1)
    while month <= end:
        day = _nth_weekday(month.year, month.month, weekday, nth)
        if day and start <= day <= end:
            dates.append(day)
        month = add_months(month, 1)
    return dates


def activity_calendar(*, area: Area, on_date: datetime.date) -> ActivityCalendar:
    """The area's active activities for the three months from `on_date`. One query."""
    start, end = on_date, add_months(on_date, MONTHS_AHEAD) - datetime.timedelta(days=1)
    weekly: dict[int, list[CalendarEntry]] = {}
    other: list[CalendarEntry] = []
    for activity in Activity.objects.filter(area=area, is_active=True).order_by("name", "pk"):
        time_match = _TIME.search(activity.schedule)
        entry = dict(
            name=activity.name,
            time=time_match.group(0) if time_match else activity.schedule,
            place=activity.place,
            contact=activity.contact,
            description=activity.description,
        )
        monthly = _monthly_dates(activity.schedule, start, end)
        if monthly is not None:
            if monthly:
                other.append(CalendarEntry(**entry, dates=[day.isoformat() for day in monthly]))
            continue
        weekdays = _weekdays_named(activity.schedule)
        if not weekdays:
            other.append(CalendarEntry(**{**entry, "time": activity.schedule}))
        for weekday in weekdays:
            weekly.setdefault(weekday, []).append(CalendarEntry(**entry))
    return ActivityCalendar(start=start, end=end, weekly=sorted(weekly.items()), other=other)
