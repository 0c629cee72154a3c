"""Celery tasks of the ambassador corps: thin and idempotent, started by beat (see CELERY_BEAT_SCHEDULE)."""

# --- Recognition (issue 17 point 5) ------------------------------------------------------------------------

from celery import shared_task

from apps.corps.services import thank_yous_send


@shared_task
def recognition_send_thank_yous() -> int:
    """Daily: thank-yous for visit milestones and anniversaries. Safe to run twice or on two workers at once:
    one ThankYou row per ambassador and milestone, and keyed messages."""
    return thank_yous_send()
