"""Beat's scheduled jobs across the Danish daylight-saving changes: the clock is moved minute by minute over
the last Sunday of March (02:00 → 03:00) and of October (03:00 → 02:00), asking each job's schedule what
beat asks it — is it due? — and counting the runs."""

import copy
import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings

from naboambassador.celery import app as celery_app

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
UTC = datetime.UTC
CRONTABS = {
    name: entry["schedule"]
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
    if isinstance(entry["schedule"], crontab)
}


def last_sunday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() - 6) % 7)


SPRING = last_sunday(2027, 3)
AUTUMN = last_sunday(2026, 10)


def simulate(schedule: crontab, sunday: datetime.date) -> list[datetime.datetime]:
    """Run beat's question every real minute from Thursday to Wednesday around the Sunday."""
    start = datetime.datetime.combine(sunday - datetime.timedelta(days=3), datetime.time(), COPENHAGEN)
    end = start + datetime.timedelta(days=7)
    clock = {"now": start.astimezone(UTC)}
    schedule = copy.copy(schedule)
    schedule.nowfun = lambda: clock["now"].astimezone(COPENHAGEN)
    schedule.app = celery_app
    runs = []
    last_run = clock["now"]
    while clock["now"] < end.astimezone(UTC):
        clock["now"] += datetime.timedelta(minutes=1)
        due, _next = schedule.is_due(last_run)
        if due:
            runs.append(clock["now"])
            last_run = clock["now"]
    return runs


def test_the_dates_are_the_danish_changes():
    assert (SPRING, AUTUMN) == (datetime.date(2027, 3, 28), datetime.date(2026, 10, 25))
    assert datetime.datetime(2027, 3, 28, 12, tzinfo=COPENHAGEN).utcoffset() == datetime.timedelta(hours=2)
    assert datetime.datetime(2026, 10, 25, 12, tzinfo=COPENHAGEN).utcoffset() == datetime.timedelta(hours=1)


@pytest.mark.parametrize("sunday", [SPRING, AUTUMN], ids=["march", "october"])
@pytest.mark.parametrize("name", sorted(CRONTABS))
def test_each_job_runs_as_often_as_on_any_other_day(name, sunday):
    schedule = CRONTABS[name]
    runs = simulate(schedule, sunday)
    local_days = Counter(run.astimezone(COPENHAGEN).date() for run in runs)

    if len(schedule.day_of_week) == 7:
        # Daily jobs: once on every day of the week, the Sunday of the change included.
        assert set(local_days.values()) == {1} and len(local_days) == 7, (name, local_days)
    else:
        # Weekly jobs: once in the week.
        assert sum(local_days.values()) == 1, (name, local_days)
    # And every run at the local time the schedule names (not an hour off after the change).
    for run in runs:
        local = run.astimezone(COPENHAGEN)
        assert local.hour in schedule.hour and local.minute in schedule.minute, (name, local)


def test_frequent_jobs_run_on_real_time_intervals():
    """A crontab like minute="*/15" would skip the repeated hour in October; intervals are never confused."""
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        if isinstance(entry["schedule"], crontab):
            assert entry["schedule"].hour != set(range(24)), f"{name}: use an interval for a job that runs all day"


def test_daily_jobs_avoid_the_hour_that_is_skipped_or_repeated():
    for name, schedule in CRONTABS.items():
        if schedule.hour != set(range(24)):
            assert not schedule.hour & {2}, f"{name} runs between 02:00 and 03:00"
