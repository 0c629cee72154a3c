from celery import shared_task

from apps.newcomers.services import import_run_execute


@shared_task(acks_late=True)
def newcomer_import_execute(run_id: int) -> None:
    """Thin: the service claims the run, so a task delivered twice imports once."""
    import_run_execute(run_id=run_id)
