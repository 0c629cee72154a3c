from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from apps.core.policy import two_factor_required

# What an unconfirmed coordinator may still reach: the two-factor pages themselves, signing out,
# the language switch and the health check. Static files never reach Django's URL resolver here.
EXEMPT_VIEWS = frozenset(
    {
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:logout",
        "set_language",
        "core:healthz",
    }
)


class TwoFactorRequiredMiddleware:
    """A coordinator's or admin's session reaches nothing else until it has confirmed a TOTP code.

    Whatever way they signed in (password, one-time link, the admin's login page), the next request goes
    to the code page, or to setting up an authenticator app if they have none yet.
    Sits after django_otp's OTPMiddleware, which gives `request.user.is_verified()`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if not two_factor_required(user) or user.is_verified():
            return None
        if request.resolver_match and request.resolver_match.view_name in EXEMPT_VIEWS:
            return None
        step = "accounts:two_factor_verify" if user_has_device(user) else "accounts:two_factor_setup"
        target = f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
