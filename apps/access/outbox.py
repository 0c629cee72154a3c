"""The coordinator's view of the outbox: an area's messages that could not be delivered, a new try, or the
same text by the other channel. On the top floor because the rules name people (an opted-out newcomer, an
anonymised one, a closed account) and the accounts app's sign-in links; the outbox itself is in core."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Message
from apps.core.services import REDACTED, message_queue, message_retry
from apps.organisation.models import Area

# Listed while still waiting this long after being queued: the coordinator may want to act.
LONG_PENDING = datetime.timedelta(hours=1)
# The page shows what went wrong lately, not the whole history.
LISTED_DAYS = 14
LISTED_AT_MOST = 200
# Sign-in links carry this idempotency key prefix (apps.accounts.services.login_link_send).
SIGN_IN_LINK = "login-link:"


def undelivered_in_area(*, area: Area, now: datetime.datetime | None = None) -> QuerySet[Message]:
    """The area's failed messages, and those still waiting: after a failed try (so the page shows what the
    outage banner speaks of) or an hour after being queued, newest first."""
    now = now or timezone.now()
    return (
        Message.objects.filter(area=area, queued_at__gte=now - datetime.timedelta(days=LISTED_DAYS))
        .filter(
            Q(status=Message.Status.FAILED)
            | (
                Q(status=Message.Status.PENDING, attempts__gte=1)
                & (~Q(last_error="") | Q(queued_at__lt=now - LONG_PENDING))
            )
        )
        .select_related("to_user", "to_newcomer")
        .order_by("-queued_at", "-pk")[:LISTED_AT_MOST]
    )


def undelivered_message_in_area(*, area: Area, pk: int) -> Message:
    """One message of the page, refused (404) when it is another area's or was delivered after all."""
    message = (
        Message.objects.filter(area=area, pk=pk, status__in=[Message.Status.FAILED, Message.Status.PENDING])
        .select_related("to_user", "to_newcomer")
        .first()
    )
    if message is None:
        raise Http404
    return message


def mask_address(address: str) -> str:
    """Enough to recognise it, not to copy it: +45 •••• 78 01, a•••@example.dk."""
    if "@" in address:
        name, _at, domain = address.partition("@")
        return f"{name[:1]}•••@{domain}"
    return f"{address[:3]} •••• {address[-4:-2]} {address[-2:]}" if len(address) > 6 else "••••"


def _refusal(message: Message) -> str | None:
    """Why nothing may be sent again for this message, or None."""
    newcomer, user = message.to_newcomer, message.to_user
    if newcomer is not None and newcomer.anonymised_at is not None:
        return _("The newcomer's personal data has been removed.")
    if newcomer is not None and newcomer.do_not_contact:
        return _("The newcomer asked not to be contacted.")
    if user is not None and not user.is_active:
        return _("The account is closed.")
    if message.idempotency_key.startswith(SIGN_IN_LINK) and (message.is_expired or message.body == REDACTED):
        return _("The link expired; send a new one from the people page.")
    if message.body == REDACTED:
        return _("The text of the message is no longer kept.")
    return None


def undelivered_retry(*, message: Message) -> None:
    """Try the message again now, with a fresh give-up window. Raises ValidationError with the reason."""
    if reason := _refusal(message):
        raise ValidationError(reason)
    if not message_retry(message=message):
        raise ValidationError(_("The message is no longer waiting."))


def other_channel(message: Message) -> str:
    return Message.Channel.EMAIL if message.channel == Message.Channel.SMS else Message.Channel.SMS


@transaction.atomic
def undelivered_send_by_other_channel(*, message: Message) -> Message:
    """Queue the same text by the other channel, to the recipient's current address. Raises
    ValidationError with the reason when that is refused or they have no such address."""
    if reason := _refusal(message):
        raise ValidationError(reason)
    channel = other_channel(message)
    recipient = message.to_user or message.to_newcomer
    if not (recipient.email if channel == Message.Channel.EMAIL else recipient.phone):
        raise ValidationError(
            _("There is no e-mail address to send to.")
            if channel == Message.Channel.EMAIL
            else _("There is no mobile number to send to.")
        )
    sent = message_queue(
        channel=channel,
        subject=message.subject,
        body=message.body,
        # Once per message and channel: a second click finds the first.
        idempotency_key=f"other-channel:{message.pk}:{channel}",
        to_user=message.to_user,
        to_newcomer=message.to_newcomer,
        sensitive=message.sensitive,
        area=message.area,
        expires_at=message.expires_at,
    )
    if sent is None:  # message_queue's own gate (opted out since, no address)
        raise ValidationError(_("The message cannot be sent to this person."))
    return sent
