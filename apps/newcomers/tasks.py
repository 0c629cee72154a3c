from celery import shared_task

from apps.newcomers.services import import_run_execute, import_runs_delete_pending


@shared_task(acks_late=True)
def newcomer_import_execute(run_id: int) -> None:
    """Thin: the service claims the run, so a task delivered twice imports once."""
    import_run_execute(run_id=run_id)


@shared_task
def newcomer_imports_delete_pending() -> None:
    """Beat: uploads never confirmed are deleted with their file (safe to run twice: a delete)."""
    import_runs_delete_pending()
