"""Celery tasks for visits: thin, idempotent, started by beat (see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from apps.visits.services import visits_remind_due_soon as remind_due_soon
from apps.visits.services import visits_send_ambassador_digests, visits_send_overdue_lists


@shared_task
def visits_remind_due_soon() -> int:
    """Daily: "your visit is due in two days". Safe to run twice: each message has an idempotency key."""
    return remind_due_soon()


@shared_task
def visits_send_weekly_digests() -> dict[str, int]:
    """Weekly: the ambassadors' digests and the coordinators' overdue lists, keyed on the ISO week."""
    return {"digests": visits_send_ambassador_digests(), "overdue_lists": visits_send_overdue_lists()}
