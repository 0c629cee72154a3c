"""A worker killed in the middle of a print batch: after a restart every folder is made once, under the
right ambassador. Real worker processes on a Redis of the test's own, the real database and WeasyPrint."""

import pytest

from apps.folders.models import BatchFile, Delivery, PrintBatch
from tests.faults import RedisServer, WorkerProcess, app_env, run_python, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def test_a_worker_killed_during_a_print_batch_leaves_every_folder_made_once(
    tmp_path, redis_server, area, coordinator, version, week_visits
):
    env = app_env(broker_url=redis_server.url, FOLDER_JOB_STALE_SECONDS="2")
    first = WorkerProcess(env, tmp_path / "worker-1.log")
    second = WorkerProcess(env, tmp_path / "worker-2.log")
    try:
        first.start()
        run_python(
            env,
            "from django.db import transaction\n"
            "from apps.accounts.models import User\n"
            "from apps.folders.services import batch_create\n"
            "from apps.organisation.models import Area\n"
            "with transaction.atomic():\n"
            f"    batch_create(area=Area.objects.get(pk={area.pk}), by=User.objects.get(pk={coordinator.pk}), survey_url=None)\n",
        )
        assert wait_for(lambda: PrintBatch.objects.filter(status="running").exists(), timeout=60), (
            tmp_path / "worker-1.log"
        ).read_text()[-2000:]
        first.kill()  # in the middle: the batch says "running" and nobody is making it
        batch = PrintBatch.objects.get()
        assert batch.status == PrintBatch.Status.RUNNING

        second.start()
        # Beat's sweep, as it runs every few minutes: the silent batch is taken as lost and queued again.
        run_python(
            env,
            "import time; time.sleep(3)\nfrom apps.core.tasks import jobs_resume_lost; jobs_resume_lost.delay()",
        )
        assert wait_for(lambda: PrintBatch.objects.filter(status="done").exists(), timeout=120), (
            tmp_path / "worker-2.log"
        ).read_text()[-2000:]
    finally:
        first.kill()
        second.stop()

    batch.refresh_from_db()
    assert batch.attempts >= 2 and batch.done == batch.total == len(week_visits)
    # One file per ambassador, one delivery per visit, each under the visit's own ambassador.
    files = {file.ambassador_id: file for file in BatchFile.objects.filter(batch=batch)}
    assert set(files) == {visit.ambassador_id for visit in week_visits}
    deliveries = Delivery.objects.filter(batch_file__batch=batch)
    assert sorted(d.visit_id for d in deliveries) == sorted(visit.pk for visit in week_visits)
    for delivery in deliveries.select_related("visit", "batch_file"):
        assert delivery.newcomer_id == delivery.visit.newcomer_id
        assert delivery.batch_file.ambassador_id == delivery.visit.ambassador_id
    assert all(file.pdf and file.pdf.size > 0 for file in files.values())
