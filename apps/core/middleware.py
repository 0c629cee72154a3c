from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
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


# What is worth compressing: markup, text, JSON, SVG. PDFs, photos and spreadsheets are compressed already.
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")


class PageGZipMiddleware(GZipMiddleware):
    """Pages and other text answers gzip-compressed for browsers that accept it (static files never get
    here: WhiteNoise, above, serves its own .br/.gz). A page of visits shrinks to about a quarter.

    BREACH (guessing a secret in a compressed page from its length, with guesses reflected into the
    same page) is why Django does not compress by default. What keeps it out of reach here: the CSRF
    token in every page is masked afresh per response; the session cookie is SameSite=Lax, so another
    site cannot make the many signed-in requests the attack needs; and Django pads each gzip answer with
    0–100 random bytes (Heal the BREACH), blurring the lengths it would read.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)
