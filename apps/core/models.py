import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Message(models.Model):
    """One e-mail or SMS in the outbox.

    The idempotency key is unique, so queueing the same reminder twice finds the first row instead of
    making a second; delivery claims the row with a conditional UPDATE so two workers never both send it.
    A failed try waits until `next_attempt_at` (1, 5, 15, 60 minutes, then hourly) and the message is
    given up MESSAGE_GIVE_UP_HOURS after `queued_at`; the one sweep of apps.core.jobs picks up the rest.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")  # handed to the mail server or the SMS gateway
        DELIVERED = "delivered", _("Delivered")  # the SMS gateway confirmed it reached the phone
        FAILED = "failed", _("Failed")

    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    to_newcomer = models.ForeignKey(
        "newcomers.Newcomer", on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    # The address is copied when queued: the message goes where it was meant to, even if the profile changes.
    address = models.CharField(_("address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    # A body that holds a secret (a sign-in link) is blanked once sent, so nobody reads it back later.
    sensitive = models.BooleanField(_("holds a secret"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The area the message is about, so its coordinators see it when it cannot be delivered.
    area = models.ForeignKey(
        "organisation.Area", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    # Start of the give-up window: when queued, and again when a coordinator asks for a new try.
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # A message worth nothing after this moment (a sign-in link) is never sent later: it fails instead.
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # The gateway's id of the SMS, which its delivery reports name.
    gateway_id = models.CharField(_("gateway id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_user__isnull=False) | Q(to_newcomer__isnull=False), name="message_has_recipient"
            ),
        ]
        indexes = [
            # The sweep: pending messages whose next try is due, sending ones gone silent.
            models.Index(fields=["status", "next_attempt_at"], name="message_due_idx"),
            # The undelivered page and the banner: an area's (or a channel's) failed messages.
            models.Index(fields=["area", "status"], name="message_area_status_idx"),
            # Delivery reports name the gateway's id.
            models.Index(fields=["gateway_id"], name="message_gateway_id_idx", condition=~Q(gateway_id="")),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address}: {self.subject or self.body[:40]}"

    @classmethod
    def stale_after(cls) -> datetime.timedelta:
        """A message 'sending' this long lost its worker (a send times out far sooner): MESSAGE_STALE_SECONDS."""
        return datetime.timedelta(seconds=settings.MESSAGE_STALE_SECONDS)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
