from celery import shared_task
from django.conf import settings
from django.utils import timezone

from apps.core import jobs
from apps.core.models import Message
from apps.core.services import (
    message_claim,
    message_mark_failed,
    message_mark_sent,
    message_send,
    messages_release_stuck,
)


@shared_task(bind=True, acks_late=True, max_retries=None)
def message_deliver(self, message_id: int) -> str:
    if not message_claim(message_id=message_id):
        return "skipped"  # already sent, being sent, or given up
    message = Message.objects.get(pk=message_id)
    try:
        message_send(message=message)
    except Exception as exc:  # any backend failure: SMTP, gateway, network
        final = message.attempts >= settings.MESSAGE_MAX_ATTEMPTS
        message_mark_failed(message=message, error=f"{type(exc).__name__}: {exc}", final=final)
        if final or self.request.is_eager:
            # Eagerly (embedded default) nothing waits between tries; the beat sweep picks it up.
            return "failed"
        raise self.retry(exc=exc, countdown=60 * message.attempts) from exc
    message_mark_sent(message=message)
    return "sent"


@shared_task
def messages_deliver_pending(*, min_age_seconds: int = 60, stuck_after_minutes: int = 10) -> int:
    """Beat's safety net: queue every pending message whose task was lost (a worker killed, the broker
    restarted without its data, Redis down when the message was queued), and free stuck ones."""
    messages_release_stuck(older_than_minutes=stuck_after_minutes)
    # Skip the newest minute: those were just queued by on_commit and are on their way.
    cutoff = timezone.now() - timezone.timedelta(seconds=min_age_seconds)
    ids = list(
        Message.objects.filter(status=Message.Status.PENDING, created_at__lt=cutoff).values_list("id", flat=True)[:500]
    )
    for message_id in ids:
        message_deliver.delay(message_id)
    return len(ids)


@shared_task
def jobs_resume_lost() -> int:
    """Beat's safety net for background jobs of every kind whose task was lost: queue them again (each
    job is claimed first, so a job that is in fact alive is done once)."""
    return jobs.jobs_resume_lost()
