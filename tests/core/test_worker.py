"""A real Celery worker consuming from Redis: the queueing itself is the behaviour under test."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from apps.core.models import Message
from apps.core.services import message_queue
from naboambassador.celery import app as celery_app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker():
    if not celery_app.conf.broker_url or not celery_app.conf.broker_url.startswith("redis://"):
        pytest.fail("CELERY_BROKER_URL must point at Redis for the worker tests (make test sets it)")
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING"):
        yield
    celery_app.conf.task_always_eager = True


def _wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_worker_delivers_a_queued_message_once_through_redis(real_worker, ambassador, sms_outbox):
    for _ in range(3):
        with transaction.atomic():
            message_queue(channel="sms", to_user=ambassador, subject="", body="Velkommen", idempotency_key="welcome:1")

    assert _wait_for(lambda: Message.objects.filter(status=Message.Status.SENT).exists())
    time.sleep(0.5)  # give a duplicate, if any, the chance to show up
    assert len(sms_outbox) == 1
    assert sms_outbox[0]["to"] == ambassador.phone
