from celery import shared_task

from apps.accounts.services import login_links_purge, membership_invitations_purge


@shared_task
def login_links_purge_expired() -> int:
    return login_links_purge()


@shared_task
def membership_invitations_purge_expired() -> int:
    return membership_invitations_purge()
