from celery import shared_task

from apps.privacy.services import retention_apply


@shared_task(acks_late=True)
def retention_apply_task() -> dict:
    """Nightly. Safe to run again (a redelivered task finds nothing left to remove)."""
    return retention_apply().counts
