"""Shared writes: the messaging outbox."""

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from apps.core.models import Message
from apps.core.sms import get_sms_backend

logger = logging.getLogger(__name__)


def message_queue(
    *,
    channel: str,
    subject: str,
    body: str,
    idempotency_key: str,
    to_user=None,
    to_newcomer=None,
    sensitive: bool = False,
) -> Message | None:
    """Queue an e-mail or SMS to a user or a newcomer; at most one message per idempotency key.

    Returns the (new or earlier) message, or None when there is nowhere to send it or the newcomer
    asked not to be contacted: the outbox is the one gate every reminder and invitation passes.
    """
    recipient = to_user or to_newcomer
    if recipient is None:
        raise ValueError("A message needs a user or a newcomer.")
    if to_newcomer is not None and to_newcomer.do_not_contact:
        return None
    address = recipient.email if channel == Message.Channel.EMAIL else recipient.phone
    if not address:
        return None
    message, created = Message.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "channel": channel,
            "to_user": to_user,
            "to_newcomer": to_newcomer,
            "address": address,
            "subject": subject,
            "body": body,
            "sensitive": sensitive,
        },
    )
    if created:
        from apps.core.tasks import message_deliver

        # robust: a broker that is down must not undo the user's action; the beat sweep sends it later.
        transaction.on_commit(lambda: message_deliver.delay(message.pk), robust=True)
    return message


def channel_for_ambassador(user) -> str:
    """Ambassadors live on their phones: SMS when they have a number, else e-mail."""
    return Message.Channel.SMS if user.phone else Message.Channel.EMAIL


def channel_for_coordinator(user) -> str:
    """Coordinators work at a desk: e-mail when they have an address, else SMS."""
    return Message.Channel.EMAIL if user.email else Message.Channel.SMS


def message_send(*, message: Message) -> None:
    """Hand one message to its channel's backend. Raises on failure so the task can retry."""
    if message.channel == Message.Channel.EMAIL:
        EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.address],
            headers={"X-Naboambassador-Id": message.idempotency_key},
        ).send(fail_silently=False)
    else:
        get_sms_backend().send(to=message.address, body=message.body, reference=message.idempotency_key)


def message_claim(*, message_id: int) -> bool:
    """Take a pending message for sending. Only one caller ever gets True for the same attempt."""
    from django.db.models import F

    return bool(
        Message.objects.filter(id=message_id, status=Message.Status.PENDING).update(
            status=Message.Status.SENDING, sending_since=timezone.now(), attempts=F("attempts") + 1
        )
    )


REDACTED = "[…]"


def message_mark_sent(*, message: Message) -> None:
    message.status = Message.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    if message.sensitive:
        message.body = REDACTED
    message.save(update_fields=["status", "sent_at", "last_error", "body"])


def message_mark_failed(*, message: Message, error: str, final: bool) -> None:
    """Record a failed attempt: back to pending for a retry, or failed for good."""
    message.status = Message.Status.FAILED if final else Message.Status.PENDING
    message.last_error = error[:500]
    message.sending_since = None
    message.save(update_fields=["status", "last_error", "sending_since"])
    logger.warning("message %s attempt %s failed: %s", message.pk, message.attempts, type(error).__name__)


def messages_release_stuck(*, older_than_minutes: int = 10) -> int:
    """Messages left 'sending' by a worker that died go back to pending."""
    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    return Message.objects.filter(status=Message.Status.SENDING, sending_since__lt=cutoff).update(
        status=Message.Status.PENDING, sending_since=None
    )
