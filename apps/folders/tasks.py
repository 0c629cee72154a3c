"""Thin tasks: they take ids, call a service, and own the retries.

A PDF job that fails is retried with growing pauses (30 s, 60 s, 120 s …); after the last try the
failure is written on the job, where the coordinator's page shows it.
"""

from celery import shared_task

from apps.folders.services import (
    batch_fail,
    batch_make,
    batch_retry_later,
    delivery_fail,
    delivery_render,
    folder_jobs_lost,
    folder_pdfs_purge,
)

MAX_RETRIES = 3


def _backoff(retries: int) -> int:
    return 30 * 2**retries


def _retry(task, error: Exception, *args) -> None:
    """Queue the next try after a pause. Run eagerly (no broker: development and tests) the next try
    runs at once instead, as eager Celery would only raise Retry into the caller."""
    if task.request.is_eager:
        task.apply(args=args, retries=task.request.retries + 1)
        return
    raise task.retry(exc=error, countdown=_backoff(task.request.retries))


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def folder_delivery_render(self, delivery_id: int) -> None:
    try:
        delivery_render(delivery_id=delivery_id)
    except Exception as error:
        if self.request.retries < self.max_retries:
            _retry(self, error, delivery_id)
            return
        delivery_fail(delivery_id=delivery_id, message=_reason(error))


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def folder_batch_make(self, batch_id: int) -> None:
    try:
        batch_make(batch_id=batch_id)
    except Exception as error:
        if self.request.retries < self.max_retries:
            batch_retry_later(batch_id=batch_id, message=_reason(error))
            _retry(self, error, batch_id)
            return
        batch_fail(batch_id=batch_id, message=_reason(error))


@shared_task
def folder_pdfs_purge_old() -> int:
    return folder_pdfs_purge()


@shared_task
def folder_jobs_resume() -> int:
    """Beat's safety net for PDF jobs whose task was lost: queue them again (the job is claimed first)."""
    batches, deliveries = folder_jobs_lost()
    for batch_id in batches:
        folder_batch_make.delay(batch_id)
    for delivery_id in deliveries:
        folder_delivery_render.delay(delivery_id)
    return len(batches) + len(deliveries)
