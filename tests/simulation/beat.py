"""Beat, driven by the simulated clock: the real `settings.CELERY_BEAT_SCHEDULE`, each entry's real task
run by name through Celery (eagerly, in this process).

Crontab entries fire when celery's own `is_due` says so, at their local Copenhagen times, the
daylight-saving Sundays included. Interval entries (the outbox and job sweeps every minute or five, the
meeting reminders and the series' invitations every quarter of an hour, the pending-import clean-up) are coarsened to once every four
hours: a year at their real pace would take hours. Nothing they do depends on the finer pace except how
soon a retry happens: the meeting reminders' windows are 12 hours (two days before) and 07–12 (the
morning of the day), which a four-hour step from midnight always hits (08 or 09 local). Inside `fine()` (the gateway outage and the killed worker) they run
at their real intervals, so the retry pauses are the real ones.
"""

import copy
import datetime
import importlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from celery.schedules import crontab
from django.conf import settings

from naboambassador.celery import app as celery_app
from tests.simulation.clock import COPENHAGEN, SimClock

COARSE = datetime.timedelta(hours=4)


class Beat:
    def __init__(self, clock: SimClock):
        self.clock = clock
        self.fine_mode = False
        self.entries = {}
        self.last_run: dict[str, datetime.datetime] = {}
        self.runs: dict[str, list[datetime.datetime]] = defaultdict(list)
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
            # Importing the module registers the task, as a worker's autodiscovery does.
            importlib.import_module(entry["task"].rpartition(".")[0])
            schedule = entry["schedule"]
            if isinstance(schedule, crontab):
                schedule = copy.copy(schedule)
                schedule.nowfun = lambda: clock.now.astimezone(COPENHAGEN)
                schedule.app = celery_app
            self.entries[name] = (entry, schedule)
            self.last_run[name] = clock.now

    def _next_due(self, name: str) -> datetime.datetime:
        _entry, schedule = self.entries[name]
        last = self.last_run[name]
        if isinstance(schedule, crontab):
            return self.clock.now + schedule.remaining_estimate(last.astimezone(COPENHAGEN))
        every = datetime.timedelta(seconds=float(schedule))
        return last + (every if self.fine_mode else max(every, COARSE))

    def _run(self, name: str) -> None:
        entry, _schedule = self.entries[name]
        task = celery_app.tasks[entry["task"]]
        task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {})).get()
        self.last_run[name] = self.clock.now
        self.runs[name].append(self.clock.local())

    def advance_to(self, moment: datetime.datetime) -> None:
        """Move the clock to `moment`, running every entry that falls due on the way, in time order."""
        moment = moment.astimezone(datetime.UTC)
        while True:
            due_at, name = min((self._next_due(name), name) for name in self.entries)
            if due_at > moment:
                break
            self.clock.set(max(due_at, self.clock.now))
            _entry, schedule = self.entries[name]
            if isinstance(schedule, crontab) and not schedule.is_due(self.last_run[name].astimezone(COPENHAGEN))[0]:
                # The estimate landed a moment early (rounding): ask again a minute later, as beat would.
                self.clock.set(self.clock.now + datetime.timedelta(minutes=1))
                continue
            self._run(name)
        self.clock.set(moment)

    def advance(self, **delta) -> None:
        self.advance_to(self.clock.now + datetime.timedelta(**delta))

    @contextmanager
    def fine(self) -> Iterator[None]:
        """Interval entries at their real intervals for a while."""
        self.fine_mode = True
        try:
            yield
        finally:
            self.fine_mode = False

    def daily_runs(self, name: str) -> dict[datetime.date, int]:
        counts: dict[datetime.date, int] = defaultdict(int)
        for moment in self.runs[name]:
            counts[moment.date()] += 1
        return counts
