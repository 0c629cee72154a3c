import datetime

from celery import shared_task
from django.utils import timezone

from apps.core import jobs
from apps.core.models import Message
from apps.core.services import (
    message_claim,
    message_error_is_permanent,
    message_mark_expired,
    message_mark_failed,
    message_mark_sent,
    message_send,
)

# A pause up to this long is waited by the task's own retry; a longer one is a row the minute sweep picks
# up (no ETA task outlives the broker's visibility timeout, CELERY_VISIBILITY_TIMEOUT).
RETRY_COUNTDOWN_MAX = datetime.timedelta(minutes=5)


@shared_task(bind=True, acks_late=True, max_retries=None)
def message_deliver(self, message_id: int) -> str:
    if not message_claim(message_id=message_id):
        return "skipped"  # already sent, being sent, given up, or not due yet
    message = Message.objects.get(pk=message_id)
    if message.is_expired:
        message_mark_expired(message=message)
        return "expired"
    try:
        gateway_id = message_send(message=message)
    except Exception as exc:  # any backend failure: SMTP, gateway, network
        gave_up = message_mark_failed(
            message=message, error=f"{type(exc).__name__}: {exc}", permanent=message_error_is_permanent(exc)
        )
        if gave_up:
            return "failed"
        pause = message.next_attempt_at - timezone.now()
        if self.request.is_eager or pause > RETRY_COUNTDOWN_MAX:
            # Eagerly (embedded default) nothing may wait in the caller; the sweep picks it up when due.
            return "waiting"
        raise self.retry(exc=exc, countdown=max(1, round(pause.total_seconds()))) from exc
    message_mark_sent(message=message, gateway_id=gateway_id)
    return "sent"


@shared_task
def jobs_resume_lost() -> int:
    """Beat's one safety net: background jobs of every kind and outbox messages whose task was lost, or
    whose next try is due, are queued again (each is claimed first, so one that is in fact alive is done
    once)."""
    return jobs.jobs_resume_lost()
