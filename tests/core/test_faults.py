"""What a real deployment survives: a worker killed mid-run, Redis restarted, the database connection
dropped mid-import. Real worker processes, a Redis server of the test's own, the real database; only the
SMS gateway is a fake (it is outside the building), and it records every request it gets.
"""

import psycopg
import pytest
from django.db import DatabaseError, connection

from apps.core.models import Message
from apps.newcomers.importing import mapping_propose, newcomers_import, table_open
from apps.newcomers.models import ImportRun, Newcomer
from apps.newcomers.services import import_run_confirm, import_run_create
from apps.visits.services import visits_assign
from tests.faults import FakeSmsGateway, RedisServer, WorkerProcess, app_env, run_python, wait_for
from tests.newcomers import HEADER, csv_bytes, line
from tests.visits.conftest import assignment_backdate

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REMIND = "from apps.visits.tasks import visits_remind_due_soon; visits_remind_due_soon.delay()"
# What beat runs every minute, here at once; the workers take a message as lost after two seconds.
SWEEP = "from apps.core.tasks import jobs_resume_lost; jobs_resume_lost.delay()"
STALE = {"MESSAGE_STALE_SECONDS": "2"}


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def gateway():
    fake = FakeSmsGateway(delay=0.4)
    yield fake
    fake.close()


@pytest.fixture
def workers(tmp_path):
    started: list[WorkerProcess] = []

    def start(env) -> WorkerProcess:
        worker = WorkerProcess(env, tmp_path / f"worker-{len(started)}.log")
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


def _all_sent(count: int, prefix: str = ""):
    def check() -> bool:
        return Message.objects.filter(status=Message.Status.SENT, idempotency_key__startswith=prefix).count() == count

    return check


REMINDERS = "visit-due:"  # the reminders' idempotency keys (the assignments sent their own messages before)


@pytest.fixture
def visits_due_soon(area, coordinator, make_ambassador, make_newcomer):
    """Six ambassadors (with phones: reminders go by SMS), each with a visit due tomorrow."""
    for i in range(6):
        ambassador = make_ambassador(name=f"Ambassador {i}")
        newcomer = make_newcomer(days_ago=13)
        [visit] = visits_assign(area=area, assignments=[(newcomer.pk, ambassador.pk)], by=coordinator)
        # Confirmed days ago: a visit assigned today is never due as soon as tomorrow (VISIT_MIN_DAYS_TO_DUE).
        assignment_backdate(visit, days_ago=5)


def test_a_worker_killed_during_a_reminder_run_leaves_every_reminder_sent(
    visits_due_soon, redis_server, gateway, workers
):
    env = app_env(broker_url=redis_server.url, gateway=gateway, **STALE)
    first = workers(env)
    run_python(env, REMIND)
    assert wait_for(lambda: len(gateway.received) >= 2, timeout=60), "the first worker sent nothing"

    first.kill()  # in the middle: some reminders sent, one in the gateway's hands, the rest queued
    sent_before = len(gateway.received)
    assert Message.objects.filter(idempotency_key__startswith=REMINDERS).count() == 6 and sent_before < 6
    workers(env)
    run_python(env, "import time; time.sleep(2.5)\n" + REMIND + "\n" + SWEEP)  # beat's next runs

    reminders = Message.objects.filter(idempotency_key__startswith=REMINDERS)
    assert wait_for(_all_sent(6, REMINDERS), timeout=90), list(reminders.values_list("status", flat=True))
    references = gateway.references()
    assert set(references) == set(reminders.values_list("idempotency_key", flat=True))
    # Each reminder reached the gateway once. The one in flight when the worker died may have been
    # handed over again: with the same reference, which the gateway uses to drop the duplicate.
    assert len(references) - len(set(references)) <= 1


def test_redis_restarted_during_work_loses_no_message(ambassador, redis_server, gateway, workers):
    env = app_env(broker_url=redis_server.url, gateway=gateway, **STALE)
    queue = (
        "from django.db import transaction\n"
        "from apps.accounts.models import User\n"
        "from apps.core.services import message_queue\n"
        f"user = User.objects.get(pk={ambassador.pk})\n"
        "for i in range({first}, {last}):\n"
        "    with transaction.atomic():\n"
        "        message_queue(channel='sms', to_user=user, subject='', body=f'Besked {{i}}', idempotency_key=f'r:{{i}}')\n"
    )
    # Three messages wait in Redis for a worker ...
    run_python(env, queue.format(first=0, last=3))
    # ... and Redis restarts without them (no persistence).
    redis_server.stop()
    # While it is down, two more are queued: their tasks cannot be sent, the rows are kept.
    run_python(env, queue.format(first=3, last=5))
    redis_server.start()

    workers(env)
    run_python(env, "import time; time.sleep(2.5)\n" + SWEEP)  # beat's next run, once the messages are due

    assert wait_for(_all_sent(5, "r:"), timeout=90), list(Message.objects.values_list("status", flat=True))
    assert sorted(gateway.references()) == [f"r:{i}" for i in range(5)]


# --- The database connection dropped during an import -----------------------------------------------


def _drop_connection_at_first_progress():
    """A progress callback that kills the importing connection from outside, as a network failure does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    settings = connection.settings_dict
    dsn = f"host={settings['HOST']} port={settings['PORT'] or 5432} user={settings['USER']} dbname={settings['NAME']}"

    def progress(rows: int) -> None:
        with psycopg.connect(dsn, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])

    return progress


ROWS = [HEADER] + [line(number=f"101-{i:04d}", name=f"Person {i}", phone=f"+4522{i:06d}") for i in range(1, 3001)]


def test_an_import_whose_connection_drops_is_not_applied_and_can_run_again(organisation, area, estate):
    if connection.vendor != "postgresql":
        pytest.skip("drops a PostgreSQL connection")
    table = table_open(data=csv_bytes(ROWS), filename="liste.csv")
    mapping = mapping_propose(headers=table.headers, organisation=organisation)
    options = {"table": table, "mapping": mapping, "organisation": organisation, "area": area, "create_estates": True}

    # The fast path's COPY runs on the driver's own cursor: its errors arrive unwrapped.
    with pytest.raises((DatabaseError, psycopg.Error)):
        newcomers_import(**options, progress=_drop_connection_at_first_progress(), chunk_size=500)
    connection.close()

    assert Newcomer.objects.count() == 0  # nothing half-done
    outcome = newcomers_import(**options)
    assert outcome.created == 3000 and Newcomer.objects.count() == 3000


def test_an_import_run_whose_connection_drops_ends_failed_and_clean(
    monkeypatch, organisation, area, estate, coordinator
):
    if connection.vendor != "postgresql":
        pytest.skip("drops a PostgreSQL connection")
    data = csv_bytes(ROWS)
    run = import_run_create(organisation=organisation, area=area, user=coordinator, filename="liste.csv", data=data)
    mapping = mapping_propose(headers=run.headers, organisation=organisation)
    monkeypatch.setattr(
        "apps.newcomers.services._progress_writer", lambda run_id: (_drop_connection_at_first_progress(), lambda: None)
    )

    # Confirming queues the import (run at once here: tasks are eager), which loses its connection.
    import_run_confirm(run=run, mapping=mapping, create_estates=True)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED and Newcomer.objects.count() == 0
    # The coordinator uploads the same file again, and it imports.
    monkeypatch.undo()
    again = import_run_create(organisation=organisation, area=area, user=coordinator, filename="liste.csv", data=data)
    import_run_confirm(run=again, mapping=mapping, create_estates=True)
    again.refresh_from_db()
    assert again.status == ImportRun.Status.DONE and Newcomer.objects.count() == 3000
