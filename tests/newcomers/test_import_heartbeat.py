"""A long import says it is alive: its progress writer moves claimed_at on, so the sweep of lost jobs
(apps.core.jobs) never takes a running import for lost and claims it a second time."""

import datetime

import pytest
from django.utils import timezone

from apps.core.jobs import job_claim, jobs_lost
from apps.newcomers.models import ImportRun
from apps.newcomers.services import PROGRESS_EVERY, _progress_writer

# The writer's second connection sees only committed rows.
pytestmark = pytest.mark.django_db(transaction=True)


def test_an_import_that_runs_longer_than_its_stale_time_is_not_claimed_twice(organisation, area, coordinator):
    run = ImportRun.objects.create(organisation=organisation, area=area, uploaded_by=coordinator, filename="a.csv")
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.QUEUED)
    assert job_claim(model=ImportRun, pk=run.pk)
    # An hour and more into the import…
    ImportRun.objects.filter(pk=run.pk).update(claimed_at=timezone.now() - ImportRun.stale_after() * 2)

    progress, close = _progress_writer(run_id=run.pk)
    try:
        progress(PROGRESS_EVERY)
    finally:
        close()

    run.refresh_from_db()
    assert run.processed_rows == PROGRESS_EVERY
    assert timezone.now() - run.claimed_at < datetime.timedelta(minutes=1)
    assert jobs_lost(model=ImportRun) == []
    assert not job_claim(model=ImportRun, pk=run.pk)
