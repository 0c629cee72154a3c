from celery import shared_task

from apps.dashboards.services import annual_report_render


@shared_task(acks_late=True)
def annual_report_make(report_id: int) -> None:
    """Thin: the service claims the report, so a task delivered twice renders once."""
    annual_report_render(report_id=report_id)
