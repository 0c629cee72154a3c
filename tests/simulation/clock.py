"""A clock the whole process reads: `django.utils.timezone.now` returns the simulated moment.

The app takes every moment from `timezone.now()` / `timezone.localdate()` (and `auto_now` fields call it
too), so moving this clock moves the app. Fields declared `default=timezone.now` captured the function
itself when the models were imported; the clock swaps those defaults for the same stretch of time.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

from django.apps import apps
from django.utils import timezone

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class SimClock:
    def __init__(self, start: datetime.datetime):
        self.now = start.astimezone(datetime.UTC)

    def local(self) -> datetime.datetime:
        return self.now.astimezone(COPENHAGEN)

    def today(self) -> datetime.date:
        return self.local().date()

    def set(self, moment: datetime.datetime) -> None:
        moment = moment.astimezone(datetime.UTC)
        assert moment >= self.now, f"time runs forward only: {moment} < {self.now}"
        self.now = moment

    def __call__(self) -> datetime.datetime:
        return self.now


def at_local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware moment at a Copenhagen wall-clock time (the first one, in October's repeated hour)."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), COPENHAGEN)


@contextmanager
def sim_clock(start: datetime.datetime) -> Iterator[SimClock]:
    clock = SimClock(start)
    real_now = timezone.now
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if getattr(field, "default", None) is real_now
    ]
    # Field._get_default is a cached_property: drop what it cached, or a model saved before (or after) the
    # simulation keeps the clock it first saw.
    for field in fields:
        field.default = clock
        field.__dict__.pop("_get_default", None)
    try:
        with mock.patch("django.utils.timezone.now", clock):
            yield clock
    finally:
        for field in fields:
            field.default = real_now
            field.__dict__.pop("_get_default", None)
