from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

TOUCHED_KEY = "_touched"


class SessionRefreshMiddleware:
    """Sessions expire after inactivity without a database write on every page.

    SESSION_SAVE_EVERY_REQUEST would cost an UPDATE and a COMMIT per request (a third of "My visits");
    saving at most every SESSION_REFRESH_SECONDS keeps the same inactivity expiry, give or take that
    window. Sits after SessionMiddleware, so its response step runs before the session is saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(timezone.now().timestamp())  # the app's one clock, as the session's expiry uses
            if now - session.get(TOUCHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[TOUCHED_KEY] = now  # marks the session modified: saved with a fresh expiry
        return response
