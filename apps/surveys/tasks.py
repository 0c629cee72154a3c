"""Celery tasks for the survey: thin and idempotent, started by beat (see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from apps.surveys.round_pdf import round_report_render
from apps.surveys.services import responses_settle_groups, survey_reminders_send


@shared_task
def surveys_send_reminders() -> int:
    """Daily: at most two reminders per unanswered invitation. Safe to run twice (claimed rows, keyed messages)."""
    return survey_reminders_send()


@shared_task
def surveys_settle_groups() -> int:
    """Nightly: fix each settled response's contact group and cut its link to the newcomer."""
    return responses_settle_groups()


# --- The round's report as a PDF (issue 18) ---


@shared_task(acks_late=True)
def round_report_make(report_id: int) -> None:
    """Thin: the service claims the report, so a task delivered twice renders once."""
    round_report_render(report_id=report_id)
