"""Beat for the embedded default (SQLite, eager Celery, `make run`): no beat process runs there, so the
serving process runs CELERY_BEAT_SCHEDULE itself in a daemon thread. Each entry's task runs with
`.apply()` (in this process) when celery's schedule object says it is due; an error is logged and the
thread goes on. Never started with a broker (production runs `celery beat`) nor under pytest.
"""

import logging
import os
import sys
import threading

from celery import current_app
from celery.schedules import maybe_schedule
from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)

# `runserver` (`make run`) starts it in the serving process by itself; another server of the embedded
# default (gunicorn without a broker) asks for it with this variable set to 1.
ENV_FLAG = "NABO_EMBEDDED_BEAT"


class EmbeddedBeat:
    def __init__(self, schedule: dict, *, tick: float = 5.0) -> None:
        self.tick = tick
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.entries = {
            name: {"task": entry["task"], "schedule": maybe_schedule(entry["schedule"], app=current_app)}
            for name, entry in schedule.items()
        }
        now = current_app.now()
        # Started now: an interval entry first runs one interval later, a daily one at its next time.
        self.last_run = dict.fromkeys(self.entries, now)

    def run_due(self) -> list[str]:
        """Run every entry that is due now; returns their names."""
        ran = []
        for name, entry in self.entries.items():
            due, _next = entry["schedule"].is_due(self.last_run[name])
            if not due:
                continue
            self.last_run[name] = current_app.now()
            ran.append(name)
            try:
                current_app.tasks[entry["task"]].apply(throw=True)
            except Exception:
                logger.exception("embedded beat: %s failed", name)
            finally:
                close_old_connections()
        return ran

    def _loop(self) -> None:
        while not self._stop.wait(self.tick):
            try:
                self.run_due()
            except Exception:  # never let one bad tick end the thread
                logger.exception("embedded beat: tick failed")

    def start(self) -> "EmbeddedBeat":
        self._thread = threading.Thread(target=self._loop, name="embedded-beat", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


def embedded_beat_wanted() -> bool:
    if not settings.CELERY_TASK_ALWAYS_EAGER or "pytest" in sys.modules:
        return False
    if len(sys.argv) > 1 and sys.argv[1] == "runserver":
        # The autoreloader serves from a child process marked RUN_MAIN; --noreload serves from this one.
        return os.environ.get("RUN_MAIN") == "true" or "--noreload" in sys.argv
    return os.environ.get(ENV_FLAG) == "1"


_started: list[EmbeddedBeat] = []


def embedded_beat_start_if_wanted() -> EmbeddedBeat | None:
    if _started or not embedded_beat_wanted():
        return None
    beat = EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE).start()
    _started.append(beat)
    logger.info("embedded beat started (%s entries)", len(beat.entries))
    return beat
