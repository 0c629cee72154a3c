"""Shared writes: the messaging outbox."""

import datetime
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation

from apps.core.models import Message
from apps.core.sms import SmsRefused, get_sms_backend

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
    area=None,
    expires_at: datetime.datetime | None = None,
) -> Message | None:
    """Queue an e-mail or SMS to a user or a newcomer; at most one message per idempotency key.

    Returns the (new or earlier) message, or None when there is nowhere to send it or the newcomer
    asked not to be contacted: the outbox is the one gate every reminder and invitation passes.
    `area` is the area the message is about (its coordinators see it if it cannot be delivered);
    `expires_at` is when the message is worth nothing any more (a sign-in link): it is never sent later.
    """
    address = message_address(channel=channel, to_user=to_user, to_newcomer=to_newcomer)
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
            "area": area,
            "expires_at": expires_at,
        },
    )
    if created:
        from apps.core.tasks import message_deliver

        # robust: a broker that is down must not undo the user's action; the beat sweep sends it later.
        transaction.on_commit(lambda: message_deliver.delay(message.pk), robust=True)
    return message


def message_address(*, channel: str, to_user=None, to_newcomer=None) -> str:
    """The address a message on `channel` goes to, or "" when the outbox would send nothing (no address,
    or the newcomer asked not to be contacted). The one gate `message_queue` and the counts share."""
    recipient = to_user or to_newcomer
    if recipient is None:
        raise ValueError("A message needs a user or a newcomer.")
    if to_newcomer is not None and to_newcomer.do_not_contact:
        return ""
    return recipient.email if channel == Message.Channel.EMAIL else recipient.phone


def message_channel_counts(
    *, users: Iterable[tuple[str, object]] = (), newcomers: Iterable[tuple[str, object]] = ()
) -> dict[str, int]:
    """How many messages each channel would carry for (channel, user) and (channel, newcomer) pairs, by
    the outbox's own gate: what a confirmation page says before a send to many."""
    counts = {channel: 0 for channel in Message.Channel.values}
    for channel, user in users:
        counts[channel] += bool(message_address(channel=channel, to_user=user))
    for channel, newcomer in newcomers:
        counts[channel] += bool(message_address(channel=channel, to_newcomer=newcomer))
    return counts


def channel_for_ambassador(user) -> str:
    """Ambassadors live on their phones: SMS when they have a number, else e-mail."""
    return Message.Channel.SMS if user.phone else Message.Channel.EMAIL


def in_recipients_language(user) -> translation.override:
    """Write a message to `user` in their language, its dates and times included (`formats` follows the
    active language: English "22/11/2026 17:00", Danish "22.11.2026 17:00"). A language the site does not
    speak (say "ar" typed in the admin, or "en-gb") would give Danish words with Arabic or American dates,
    so it falls back to the site's language, or its base language."""
    code = (user.language or "").lower()
    spoken = dict(settings.LANGUAGES)
    if code not in spoken:
        code = code.split("-")[0] if code.split("-")[0] in spoken else settings.LANGUAGE_CODE
    return translation.override(code)


def channel_for_coordinator(user) -> str:
    """Coordinators work at a desk: e-mail when they have an address, else SMS."""
    return Message.Channel.EMAIL if user.email else Message.Channel.SMS


def message_send(*, message: Message) -> str:
    """Hand one message to its channel's backend; returns the gateway's id of an SMS (or "").

    Raises on failure so the task can retry; `message_error_is_permanent` tells which errors never heal."""
    if message.channel == Message.Channel.EMAIL:
        EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.address],
            headers={"X-Naboambassador-Id": message.idempotency_key},
        ).send(fail_silently=False)
        return ""
    return get_sms_backend().send(to=message.address, body=message.body, reference=message.idempotency_key) or ""


def message_error_is_permanent(error: Exception) -> bool:
    """The gateway refused the number, or the mail server every recipient: trying again changes nothing."""
    return isinstance(error, SmsRefused | smtplib.SMTPRecipientsRefused)


# Pauses after the 1st, 2nd, 3rd and 4th failed try; every later try waits the last.
RETRY_PAUSES = tuple(datetime.timedelta(minutes=minutes) for minutes in (1, 5, 15, 60))


def message_retry_pause(attempts: int) -> datetime.timedelta:
    """How long to wait after `attempts` failed tries (1 → 1 minute, 2 → 5, 3 → 15, then hourly)."""
    return RETRY_PAUSES[min(max(attempts, 1), len(RETRY_PAUSES)) - 1]


def message_give_up_at(message: Message) -> datetime.datetime:
    return message.queued_at + datetime.timedelta(hours=settings.MESSAGE_GIVE_UP_HOURS)


def _claimable(now: datetime.datetime) -> Q:
    """Pending and due, or 'sending' and silent longer than the stale time (its worker died)."""
    return Q(status=Message.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Message.Status.SENDING, sending_since__lt=now - Message.stale_after()
    )


def message_claim(*, message_id: int) -> bool:
    """Take a due message for sending. Only one caller ever gets True for the same attempt; a task that
    arrives before the message's next_attempt_at does nothing (the sweep or the retry comes back)."""
    now = timezone.now()
    return bool(
        Message.objects.filter(_claimable(now), id=message_id).update(
            status=Message.Status.SENDING, sending_since=now, attempts=F("attempts") + 1
        )
    )


# Pending messages due for longer than this (or than the stale time, if shorter) have no task on its way
# (the task queued on commit, or the retry's countdown, would have claimed them): the sweep queues them.
SWEEP_GRACE = datetime.timedelta(minutes=1)
SWEEP_BATCH = 500


def messages_lost(*, now: datetime.datetime | None = None) -> list[int]:
    """Messages whose task is gone, oldest first and at most SWEEP_BATCH: pending and due for longer
    than SWEEP_GRACE, or 'sending' and silent longer than Message.stale_after(). The same rule as the
    other background jobs (apps.core.jobs), which re-queues them."""
    now = now or timezone.now()
    stale = Message.stale_after()
    return list(
        Message.objects.filter(
            Q(status=Message.Status.PENDING, next_attempt_at__lt=now - min(SWEEP_GRACE, stale))
            | Q(status=Message.Status.SENDING, sending_since__lt=now - stale)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


REDACTED = "[…]"


def message_mark_sent(*, message: Message, gateway_id: str = "") -> None:
    message.status = Message.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.gateway_id = gateway_id[:64]
    if message.sensitive:
        message.body = REDACTED
    message.save(update_fields=["status", "sent_at", "last_error", "body", "gateway_id"])


def _fail(message: Message, reason: str) -> None:
    # sending_since stays: it is when the last try began (the banner counts the last hour's failures).
    message.status = Message.Status.FAILED
    message.last_error = reason[:500]
    message.save(update_fields=["status", "last_error"])


def message_mark_failed(*, message: Message, error: str, permanent: bool = False) -> bool:
    """Record a failed try: back to pending until its next_attempt_at, or failed for good when the error
    is permanent or the next try would fall after the give-up time. Returns True when it gave up."""
    # The kind of error only ("SmsGatewayError: …" → "SmsGatewayError"): its text may name the recipient.
    logger.warning("message %s attempt %s failed: %s", message.pk, message.attempts, error.partition(":")[0])
    next_attempt_at = timezone.now() + message_retry_pause(message.attempts)
    if permanent:
        _fail(message, f"refused: {error}")
        return True
    if next_attempt_at > message_give_up_at(message):
        _fail(message, f"gave up after {message.attempts} attempts: {error}")
        return True
    message.status = Message.Status.PENDING
    message.last_error = error[:500]
    message.next_attempt_at = next_attempt_at
    message.save(update_fields=["status", "last_error", "next_attempt_at"])
    return False


EXPIRED_REASON = "the link expired before it could be sent"


def message_mark_expired(*, message: Message) -> None:
    """A claimed message whose content expired (a sign-in link) is failed instead of sent late; its secret
    is blanked, as nobody will ever send it."""
    if message.sensitive:
        message.body = REDACTED
        message.save(update_fields=["body"])
    _fail(message, EXPIRED_REASON)


def message_retry(*, message: Message) -> bool:
    """A coordinator asks for a new try of a failed (or long-waiting) message: pending again at once, with
    a fresh give-up window. Returns False when it was no longer failed or pending (someone was faster)."""
    now = timezone.now()
    changed = Message.objects.filter(pk=message.pk, status__in=[Message.Status.FAILED, Message.Status.PENDING]).update(
        status=Message.Status.PENDING, queued_at=now, next_attempt_at=now, last_error=""
    )
    if changed:
        from apps.core.tasks import message_deliver

        transaction.on_commit(lambda: message_deliver.delay(message.pk), robust=True)
    return bool(changed)


# The banner on coordinators' pages: this many failed tries of one channel within the last hour.
FAILING_CHANNEL_TRIES = 3
FAILING_CHANNELS_CACHE_SECONDS = 60


def channels_failing(*, now: datetime.datetime | None = None) -> list[str]:
    """The channels (e-mail, SMS) whose sending failed at least FAILING_CHANNEL_TRIES times in the last
    hour: one aggregate query, cached for a minute, as every coordinator page asks."""
    cached = cache.get("outbox:channels-failing")
    if cached is not None:
        return cached
    since = (now or timezone.now()) - datetime.timedelta(hours=1)
    rows = (
        Message.objects.filter(status__in=[Message.Status.PENDING, Message.Status.FAILED], sending_since__gte=since)
        .exclude(last_error="")
        .values("channel")
        .annotate(tries=Count("pk"))
    )
    failing = sorted(row["channel"] for row in rows if row["tries"] >= FAILING_CHANNEL_TRIES)
    cache.set("outbox:channels-failing", failing, FAILING_CHANNELS_CACHE_SECONDS)
    return failing


# GatewayAPI's delivery report statuses (apps.core.webhooks): confirmed, given up by the network, or on
# the way (BUFFERED, ENROUTE, SCHEDULED, ACCEPTED, UNKNOWN: the message stays "sent").
DELIVERED_STATUSES = frozenset({"DELIVERED"})
UNDELIVERED_STATUSES = frozenset({"UNDELIVERABLE", "REJECTED", "EXPIRED", "SKIPPED", "DELETED"})


def message_delivery_report(*, gateway_id: str, userref: str, status: str) -> bool:
    """Apply the gateway's report on one SMS, found by the gateway's id (or our reference). A sent message
    becomes delivered, or failed with "not delivered: <status>"; nothing else changes, so the same report
    twice, or a report on a message we do not know, does nothing. Returns True when it changed a row."""
    status = status.upper()
    if status in DELIVERED_STATUSES:
        values = {"status": Message.Status.DELIVERED}
    elif status in UNDELIVERED_STATUSES:
        values = {"status": Message.Status.FAILED, "last_error": f"not delivered: {status}"}
    else:
        return False
    messages = Message.objects.filter(channel=Message.Channel.SMS, status=Message.Status.SENT)
    if gateway_id:
        messages = messages.filter(gateway_id=gateway_id)
    elif userref:
        messages = messages.filter(idempotency_key=userref)
    else:
        return False
    return bool(messages.update(**values))
