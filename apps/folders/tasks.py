"""Thin tasks: they take ids, call a service, and own the retries.

A PDF job that fails is retried with growing pauses (30 s, 60 s, 120 s …); after the last try the
failure is written on the job, where the coordinator's page shows it (apps.core.jobs).
"""

from celery import shared_task

from apps.core.jobs import job_run_with_retries
from apps.folders.models import Delivery, PrintBatch
from apps.folders.services import batch_make, delivery_render, folder_pdfs_purge

MAX_RETRIES = 3


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def folder_delivery_render(self, delivery_id: int) -> None:
    job_run_with_retries(
        task=self, model=Delivery, pk=delivery_id, work=lambda: delivery_render(delivery_id=delivery_id)
    )


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def folder_batch_make(self, batch_id: int) -> None:
    job_run_with_retries(task=self, model=PrintBatch, pk=batch_id, work=lambda: batch_make(batch_id=batch_id))


@shared_task
def folder_pdfs_purge_old() -> int:
    return folder_pdfs_purge()
