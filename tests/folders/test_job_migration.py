"""The move of print batches and personal folders onto the one job lifecycle keeps every row's data:
fields are renamed, not dropped, and a delivery's old "ready" is the job's "done" (and back)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.folders.models import Delivery, PrintBatch

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _row(table: str, pk: int, columns: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()


def test_delivery_and_batch_rows_keep_their_data_across_the_job_migration(version, week_visits, coordinator):
    made = timezone.now()
    visit = week_visits[0]
    delivery = Delivery.objects.create(
        newcomer=visit.newcomer, visit=visit, version=version, language="da", status="done", finished_at=made
    )
    failed = Delivery.objects.create(
        newcomer=visit.newcomer, visit=visit, version=version, language="da", status="failed", error="disk full"
    )
    batch = PrintBatch.objects.create(
        area=visit.area, version=version, due_until=visit.due_date, status="failed", error="no fonts", attempts=4
    )

    _migrate([("folders", "0001_initial")])
    assert _row("folders_delivery", delivery.pk, "status, made_at") == ("ready", made)
    assert _row("folders_delivery", failed.pk, "status, failure_message") == ("failed", "disk full")
    assert _row("folders_printbatch", batch.pk, "failure_message, attempts") == ("no fonts", 4)

    _migrate([("folders", "0002_printbatch_delivery_job")])
    delivery.refresh_from_db()
    failed.refresh_from_db()
    batch.refresh_from_db()
    assert (delivery.status, delivery.finished_at) == (Delivery.Status.DONE, made)
    assert (failed.status, failed.error) == (Delivery.Status.FAILED, "disk full")
    assert (batch.error, batch.attempts, batch.claimed_at) == ("no fonts", 4, batch.updated_at)
