"""Celery tasks for meetings: thin and idempotent, started by beat (see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from apps.meetings.services import meeting_reminders_send, meeting_series_invitations_send, meeting_series_plan_all


@shared_task
def meetings_plan_series() -> int:
    """Daily: every running series planned MEETING_SERIES_PLAN_MONTHS ahead. Safe to run twice or on two
    workers at once: each series row is locked and each date is unique per series."""
    return meeting_series_plan_all()


@shared_task
def meetings_send_reminders() -> int:
    """Every 15 minutes: the series' invitations whose time has come, then the two-days-before and
    morning-of reminders. Safe to run twice: one invitation per meeting and ambassador, keyed messages."""
    return meeting_series_invitations_send() + meeting_reminders_send()
