import pytest
from django.db import transaction

from apps.core.models import Message
from apps.core.services import message_queue
from apps.core.sms import SmsGatewayError
from apps.core.tasks import message_deliver, messages_deliver_pending

pytestmark = pytest.mark.django_db(transaction=True)


class FailingSmsBackend:
    def send(self, *, to: str, body: str, reference: str) -> None:
        raise SmsGatewayError("gateway down")


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
    settings.MESSAGE_MAX_ATTEMPTS = 2
    message = _queue(ambassador)
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert message.attempts == 1
    assert "gateway down" in message.last_error

    message_deliver.delay(message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 2


def test_sweep_delivers_pending_messages_whose_task_was_lost(ambassador, sms_outbox, settings):
    settings.SMS_BACKEND = "tests.core.test_outbox.FailingSmsBackend"
    _queue(ambassador)
    Message.objects.update(created_at=Message.objects.get().created_at - __import__("datetime").timedelta(minutes=5))
    settings.SMS_BACKEND = "apps.core.sms.LocmemSmsBackend"

    assert messages_deliver_pending.delay().get() == 1
    assert Message.objects.get().status == Message.Status.SENT
    assert len(sms_outbox) == 1


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
    messages_deliver_pending.delay()
    assert Message.objects.get(pk=message.pk).status == Message.Status.SENT
    assert len(sms_outbox) == 1


def test_secret_body_is_blanked_once_sent(ambassador, sms_outbox):
    with transaction.atomic():
        message_queue(
            channel="sms", to_user=ambassador, subject="", body="link: /secret/", idempotency_key="k", sensitive=True
        )
    assert "/secret/" in sms_outbox[0]["body"]
    assert "/secret/" not in Message.objects.get().body
