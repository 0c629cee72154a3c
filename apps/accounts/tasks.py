from celery import shared_task
from django.core.cache import cache

from apps.accounts.services import login_link_request, login_links_purge, membership_invitations_purge


@shared_task
def login_links_purge_expired() -> int:
    return login_links_purge()


@shared_task(bind=True)
def login_link_request_send(self, *, email: str | None = None, phone: str | None = None) -> None:
    """Look the asker up and send a link: in the background, so the request takes the same time for all."""
    # A task delivered again (acks_late) keeps its id: at most one SMS per request, even if it is lost.
    if not cache.add(f"login-link-request:{self.request.id}", 1, timeout=24 * 3600):
        return
    login_link_request(email=email, phone=phone)


@shared_task
def membership_invitations_purge_expired() -> int:
    return membership_invitations_purge()
