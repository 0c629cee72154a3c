"""Celery tasks for meetings: thin and idempotent, started by beat (see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from apps.meetings.services import meeting_reminders_send


@shared_task
def meetings_send_reminders() -> int:
    """Every 15 minutes: the two-days-before and morning-of reminders. Safe to run twice: keyed messages."""
    return meeting_reminders_send()
