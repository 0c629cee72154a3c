"""One lifecycle for background jobs (an import, an annual report, a print batch, a personal folder).

A job kind subclasses `Job` and writes only its work. The lifecycle is the same for every kind:

- **claim, then work**: `job_claim` moves the row from queued to running with one conditional UPDATE,
  so of two workers handed the same job only one does it;
- **stale**: a running job whose `claimed_at` is older than its kind's `stale_after()` lost its worker
  and may be claimed again (a long job moves `claimed_at` on as it goes, with `job_heartbeat`);
- **retry**: `job_run_with_retries` retries a failed attempt with growing pauses and, after the last,
  marks the job failed with the reason;
- **sweep**: `jobs_lost` finds the jobs of every registered kind whose task is gone, and beat's
  `apps.core.tasks.jobs_resume_lost` queues them again (claiming makes a duplicate task do nothing).

`core` names no job kind: each app registers its kinds with `job_kind_register` in its `ready()`. The
outbox's messages ride the same sweep with their own `lost` query (`apps.core.services.messages_lost`:
the same stale rule, plus a pending message's next try time), registered by core itself.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Pauses between tries grow: 30 s, 60 s, 120 s …
RETRY_FIRST_PAUSE_SECONDS = 30


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A unit of background work with a status, its tries, and what went wrong."""

    Status = JobStatus

    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # What went wrong, for the coordinator; never a figure, a name or a line of a file.
    error = models.TextField(_("error"), blank=True)
    # When a worker last claimed the job (or, while it runs, last said it is alive).
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def stale_after(cls) -> datetime.timedelta:
        """A running job silent for longer than this lost its worker."""
        raise NotImplementedError

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}

    def progress(self) -> tuple[int, int] | None:
        """(done, total) for kinds that count their steps; None when there is nothing to count."""
        return None

    @property
    def percent(self) -> int:
        counted = self.progress()
        if not counted or not counted[1]:
            return 0
        return min(100, counted[0] * 100 // counted[1])


def _stale_cutoff(model: type[Job], now: datetime.datetime) -> datetime.datetime:
    return now - model.stale_after()


def job_claim(*, model: type[Job], pk: int, reset: dict[str, Any] | None = None) -> bool:
    """Move a queued (or stale running) job to running, counting the attempt; False: someone else has it.

    `reset` are the kind's fields a fresh attempt starts from (its progress)."""
    now = timezone.now()
    return bool(
        model.objects.filter(pk=pk)
        .filter(Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, claimed_at__lt=_stale_cutoff(model, now)))
        .update(status=JobStatus.RUNNING, claimed_at=now, attempts=F("attempts") + 1, **(reset or {}))
    )


def job_heartbeat(*, model: type[Job], pk: int, **values: Any) -> None:
    """A running job says it is alive (and writes its progress), so it is not taken as lost."""
    model.objects.filter(pk=pk, status=JobStatus.RUNNING).update(claimed_at=timezone.now(), **values)


def _touch(model: type[Job], values: dict[str, Any]) -> dict[str, Any]:
    # update() skips auto_now: kinds that keep updated_at get it written here.
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        values.setdefault("updated_at", timezone.now())
    return values


def job_done(*, model: type[Job], pk: int, **values: Any) -> int:
    """Mark a running job done (with the kind's results in `values`); returns 1 if it was still running."""
    values = _touch(model, {"status": JobStatus.DONE, "finished_at": timezone.now(), "error": "", **values})
    return model.objects.filter(pk=pk, status=JobStatus.RUNNING).update(**values)


def job_fail(*, model: type[Job], pk: int, message: str, **values: Any) -> None:
    """Give up: the job is failed with the reason (a done job stays done)."""
    values = _touch(
        model, {"status": JobStatus.FAILED, "error": message[:1000], "finished_at": timezone.now(), **values}
    )
    model.objects.filter(pk=pk).exclude(status=JobStatus.DONE).update(**values)


def job_retry_later(*, model: type[Job], pk: int, message: str) -> None:
    """A failed attempt that will be tried again: back in the queue, the reason kept for the page."""
    values = _touch(model, {"status": JobStatus.QUEUED, "error": message[:1000], "claimed_at": timezone.now()})
    model.objects.filter(pk=pk, status=JobStatus.RUNNING).update(**values)


def job_retry_pause(retries: int) -> int:
    return RETRY_FIRST_PAUSE_SECONDS * 2**retries


def job_failure_reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def job_run_with_retries(*, task, model: type[Job], pk: int, work: Callable[[], object]) -> None:
    """Run one try of a job inside a bound Celery task; on an error retry after a growing pause, and
    after the task's last try mark the job failed with the reason.

    Run eagerly (no broker: development and tests) the next try runs at once instead, as eager Celery
    would only raise Retry into the caller."""
    try:
        work()
    except Exception as error:
        reason = job_failure_reason(error)
        if task.request.retries >= task.max_retries:
            job_fail(model=model, pk=pk, message=reason)
            return
        job_retry_later(model=model, pk=pk, message=reason)
        if task.request.is_eager:
            task.apply(args=(pk,), retries=task.request.retries + 1)
            return
        raise task.retry(exc=error, countdown=job_retry_pause(task.request.retries)) from error


# --- The kinds and the sweep -------------------------------------------------------------------------


@dataclass(frozen=True)
class JobKind:
    model: type[models.Model]
    task: Any  # the Celery task that takes the job's id
    # The kind's own query for its lost rows, when it is not a `Job` (the outbox's messages).
    lost: Callable[..., list[int]] | None = None

    def lost_ids(self, now: datetime.datetime | None) -> list[int]:
        return self.lost(now=now) if self.lost else jobs_lost(model=self.model, now=now)


JOB_KINDS: dict[str, JobKind] = {}


def job_kind_register(*, model: type[models.Model], task, lost: Callable[..., list[int]] | None = None) -> None:
    """Called from an app's ready(): beat's sweep then re-queues this kind's lost jobs with `task`.

    A `Job` subclass needs no `lost`; another model passes the query of its lost rows (taking `now`)."""
    JOB_KINDS[model._meta.label] = JobKind(model=model, task=task, lost=lost)


def jobs_lost(*, model: type[Job], now: datetime.datetime | None = None) -> list[int]:
    """Jobs whose task is gone (a worker killed, the broker restarted without its queue): queued with
    no sign of life for longer than the kind's stale time, or running and silent that long."""
    cutoff = _stale_cutoff(model, now or timezone.now())
    return list(
        model.objects.annotate(last_seen=Coalesce("claimed_at", "created_at"))
        .filter(Q(status=JobStatus.QUEUED, last_seen__lt=cutoff) | Q(status=JobStatus.RUNNING, claimed_at__lt=cutoff))
        .values_list("pk", flat=True)
    )


def jobs_resume_lost(*, now: datetime.datetime | None = None) -> int:
    """Queue every kind's lost jobs again; returns how many."""
    count = 0
    for kind in JOB_KINDS.values():
        for pk in kind.lost_ids(now):
            kind.task.delay_on_commit(pk)  # from a beat task: at once; inside a transaction: after it
            count += 1
    return count
