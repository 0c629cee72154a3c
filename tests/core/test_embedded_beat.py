"""The embedded default (eager Celery, no beat process) runs beat's schedule in a thread of its own, so a
message that failed is tried again after its pause there too."""

import datetime
import time

import pytest
from django.db import transaction
from django.utils import timezone

from apps.core.embedded_beat import EmbeddedBeat, embedded_beat_wanted
from apps.core.models import Message
from apps.core.services import message_queue

pytestmark = pytest.mark.django_db(transaction=True)  # the thread has a connection of its own

SWEEP = {"jobs-resume-lost": {"task": "apps.core.tasks.jobs_resume_lost", "schedule": 0.2}}


def _wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_a_failed_message_is_sent_by_the_embedded_beat_once_its_pause_is_over(ambassador, sms_outbox, settings):
    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    with transaction.atomic():
        message = message_queue(channel="sms", to_user=ambassador, subject="", body="Hej", idempotency_key="k")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.PENDING, 1)
    settings.SMS_BACKEND = "apps.core.sms.LocmemSmsBackend"  # the gateway is back

    beat = EmbeddedBeat(SWEEP, tick=0.05).start()
    try:
        time.sleep(0.5)  # several sweeps: the pause is not over, nothing is sent
        assert sms_outbox == []
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=2))
        assert _wait_for(lambda: Message.objects.get(pk=message.pk).status == Message.Status.SENT)
    finally:
        beat.stop()
    assert len(sms_outbox) == 1
    assert Message.objects.get(pk=message.pk).attempts == 2


def test_a_failing_entry_is_logged_and_the_thread_goes_on(caplog):
    beat = EmbeddedBeat(
        {
            "broken": {"task": "apps.core.tasks.message_deliver", "schedule": 0.1},  # no id: a TypeError
            "sweep": {"task": "apps.core.tasks.jobs_resume_lost", "schedule": 0.1},
        },
        tick=0.05,
    )
    beat.start()
    try:
        assert _wait_for(lambda: caplog.text.count("embedded beat: broken failed") >= 2)
    finally:
        beat.stop()
    assert not beat._thread.is_alive()


def test_a_daily_entry_is_not_run_when_the_beat_starts():
    beat = EmbeddedBeat({"daily": {"task": "apps.core.tasks.jobs_resume_lost", "schedule": 24 * 3600.0}})
    assert beat.run_due() == []


def test_never_started_under_pytest(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert not embedded_beat_wanted()
