import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from apps.core.models import Message
from apps.core.services import message_queue
from apps.core.sms import SmsGatewayError, SmsRefused
from apps.core.tasks import jobs_resume_lost, message_deliver

pytestmark = pytest.mark.django_db(transaction=True)


class FailingSmsBackend:
    def send(self, *, to: str, body: str, reference: str) -> None:
        raise SmsGatewayError("gateway down")


class RefusingSmsBackend:
    def send(self, *, to: str, body: str, reference: str) -> None:
        raise SmsRefused("invalid number")


def _due_now(message):
    """Move the message's next try (and its whole history) into the past, as time passing would."""
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=2))


def _queue(user, key="reminder:1", channel="sms"):
    with transaction.atomic():
        return message_queue(channel=channel, to_user=user, subject="Hej", body="Husk mødet", idempotency_key=key)


def test_same_idempotency_key_is_sent_once_however_often_it_is_queued(ambassador, sms_outbox):
    for _ in range(3):
        _queue(ambassador)
    message_deliver.delay(Message.objects.get().pk)  # a duplicate task, as after a worker restart

    assert Message.objects.count() == 1
    assert len(sms_outbox) == 1
    assert Message.objects.get().status == Message.Status.SENT


def test_email_goes_through_django_mail(coordinator, mailoutbox):
    _queue(coordinator, channel="email")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [coordinator.email]


def test_message_is_sent_only_after_the_transaction_commits(ambassador, sms_outbox):
    with transaction.atomic():
        message_queue(channel="sms", to_user=ambassador, subject="", body="x", idempotency_key="k")
        assert sms_outbox == []
    assert len(sms_outbox) == 1


def test_rolled_back_message_is_never_sent(ambassador, sms_outbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        message_queue(channel="sms", to_user=ambassador, subject="", body="x", idempotency_key="k")
        raise RuntimeError
    assert sms_outbox == []
    assert not Message.objects.exists()


def test_newcomer_who_opted_out_gets_nothing(newcomer, sms_outbox):
    newcomer.do_not_contact = True
    newcomer.save(update_fields=["do_not_contact"])
    assert message_queue(channel="sms", to_newcomer=newcomer, subject="", body="x", idempotency_key="k") is None
    assert not Message.objects.exists()


def test_recipient_without_address_for_the_channel_is_skipped(coordinator):
    assert message_queue(channel="sms", to_user=coordinator, subject="", body="x", idempotency_key="k") is None


def test_failed_delivery_stays_pending_with_the_error_then_gives_up(ambassador, settings):
    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    message = _queue(ambassador)
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert message.attempts == 1
    assert "gateway down" in message.last_error

    # Queued 24 hours ago: the next pause would end after the give-up time.
    Message.objects.filter(pk=message.pk).update(queued_at=timezone.now() - datetime.timedelta(hours=24))
    _due_now(message)
    message_deliver.delay(message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 2
    assert message.last_error == "gave up after 2 attempts: SmsGatewayError: gateway down"


def test_the_pause_after_each_failed_try_grows_1_5_15_60_then_hourly(ambassador, settings):
    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    message = _queue(ambassador)
    pauses = []
    for _ in range(6):
        message.refresh_from_db()
        pauses.append(round((message.next_attempt_at - timezone.now()).total_seconds() / 60))
        _due_now(message)
        message_deliver.delay(message.pk)
    assert pauses == [1, 5, 15, 60, 60, 60]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.PENDING, 7)


def test_a_task_that_comes_before_the_next_try_is_due_does_nothing(ambassador, settings):
    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    message = _queue(ambassador)
    assert message_deliver.delay(message.pk).get() == "skipped"
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_number_the_gateway_refuses_fails_at_once(ambassador, settings):
    settings.SMS_BACKEND = "tests.core.test_outbox.RefusingSmsBackend"
    message = _queue(ambassador)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.FAILED, 1)
    assert message.last_error == "refused: SmsRefused: invalid number"


def test_an_expired_sign_in_link_is_never_sent_late(ambassador, sms_outbox, settings):
    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    with transaction.atomic():
        message = message_queue(
            channel="sms",
            to_user=ambassador,
            subject="",
            body="link: /secret/",
            idempotency_key="login-link:1",
            sensitive=True,
            expires_at=timezone.now() + datetime.timedelta(minutes=15),
        )
    settings.SMS_BACKEND = "apps.core.sms.LocmemSmsBackend"
    Message.objects.filter(pk=message.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    _due_now(message)

    jobs_resume_lost.delay()

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.last_error == "the link expired before it could be sent"
    assert "/secret/" not in message.body
    assert sms_outbox == []


def test_sweep_delivers_pending_messages_whose_task_was_lost(ambassador, sms_outbox, settings):
    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    message = _queue(ambassador)
    settings.SMS_BACKEND = "apps.core.sms.LocmemSmsBackend"

    assert jobs_resume_lost.delay().get() == 0  # its next try is not due yet
    _due_now(message)
    assert jobs_resume_lost.delay().get() == 1
    assert Message.objects.get().status == Message.Status.SENT
    assert len(sms_outbox) == 1


def test_sweep_leaves_a_message_just_due_to_the_task_on_its_way(ambassador, settings):
    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    message = _queue(ambassador)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=10))
    assert jobs_resume_lost.delay().get() == 0


def test_sweep_releases_messages_stuck_in_sending(ambassador, sms_outbox):
    from datetime import timedelta

    from django.utils import timezone

    message = _queue(ambassador, key="stuck")
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENDING,
        sending_since=timezone.now() - timedelta(hours=1),
        created_at=timezone.now() - timedelta(hours=1),
        sent_at=None,
    )
    sms_outbox.clear()
    jobs_resume_lost.delay()
    assert Message.objects.get(pk=message.pk).status == Message.Status.SENT
    assert len(sms_outbox) == 1


def test_secret_body_is_blanked_once_sent(ambassador, sms_outbox):
    with transaction.atomic():
        message_queue(
            channel="sms", to_user=ambassador, subject="", body="link: /secret/", idempotency_key="k", sensitive=True
        )
    assert "/secret/" in sms_outbox[0]["body"]
    assert "/secret/" not in Message.objects.get().body


# Killing the mutants that survived bench/mutation (bench/mutation/README.md): each changes what happens.


def test_an_email_the_mail_server_refuses_stays_pending_with_the_error(coordinator, settings):
    import socket

    with socket.socket() as probe:  # a port nothing listens on: the SMTP connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5

    message = _queue(coordinator, channel="email")

    message.refresh_from_db()
    assert message.status == Message.Status.PENDING  # not "sent": the failure is not swallowed
    assert message.attempts == 1
    assert message.last_error.startswith("ConnectionRefusedError")


def test_a_message_sent_after_a_failed_try_keeps_no_error(ambassador, sms_outbox, settings):
    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    message = _queue(ambassador)
    message.refresh_from_db()
    assert "gateway down" in message.last_error

    settings.SMS_BACKEND = "apps.core.sms.LocmemSmsBackend"
    _due_now(message)
    message_deliver.delay(message.pk)

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.last_error == ""
    assert len(sms_outbox) == 1


def test_a_failed_try_is_logged_by_message_and_attempt_without_the_text(ambassador, settings, caplog):
    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    with caplog.at_level("WARNING", logger="apps.core.services"):
        message = _queue(ambassador)

    assert [record.getMessage() for record in caplog.records if record.name == "apps.core.services"] == [
        f"message {message.pk} attempt 1 failed: SmsGatewayError"  # the kind of error, never its text
    ]
    assert "Husk mødet" not in caplog.text and ambassador.phone not in caplog.text
    assert "gateway down" not in caplog.text


def test_a_worker_asks_celery_to_retry_a_failed_try(ambassador, settings):
    """Called as a worker calls it (not eagerly), a failed try that is not the last raises for Celery's
    retry; called directly, Celery's retry raises the original error. Eagerly it returns "failed" instead."""
    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    # Written straight into the outbox, so nothing delivers it before the call below.
    message = Message.objects.create(
        channel="sms", to_user=ambassador, address=ambassador.phone, body="x", idempotency_key="retry"
    )

    with pytest.raises(SmsGatewayError):
        message_deliver(message.pk)

    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert message.attempts == 1


def test_a_worker_waits_longer_after_each_failed_try(ambassador, settings):
    """As a worker runs it (not eagerly), the retry is scheduled 60 s after the first failed try, 300 s after
    the second: the countdown is the message's next_attempt_at."""
    from celery.exceptions import Retry

    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    waits = []
    for attempts_before in (0, 1):
        message = Message.objects.create(
            channel="sms",
            to_user=ambassador,
            address=ambassador.phone,
            body="x",
            idempotency_key=f"wait-{attempts_before}",
            attempts=attempts_before,
        )
        message_deliver.push_request(
            id=f"wait-{attempts_before}", args=[message.pk], kwargs={}, retries=0, is_eager=False, called_directly=False
        )
        try:
            with pytest.raises(Retry) as retry:
                message_deliver.run(message.pk)
        finally:
            message_deliver.pop_request()
        waits.append(retry.value.when)
    assert waits == [60, 300]


def test_a_worker_leaves_an_hour_long_pause_to_the_sweep(ambassador, settings):
    """No ETA task outlives the broker's visibility timeout: after the fourth failed try the task ends and
    the minute sweep queues the message when it is due."""
    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    message = Message.objects.create(
        channel="sms", to_user=ambassador, address=ambassador.phone, body="x", idempotency_key="long", attempts=3
    )
    message_deliver.push_request(id="long", args=[message.pk], kwargs={}, retries=0, is_eager=False)
    try:
        assert message_deliver.run(message.pk) == "waiting"
    finally:
        message_deliver.pop_request()
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert 59 <= (message.next_attempt_at - timezone.now()).total_seconds() / 60 <= 60
