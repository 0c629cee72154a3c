from base64 import b32encode
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from apps.accounts.forms import AmbassadorInviteForm, LoginLinkRequestForm, TwoFactorCodeForm
from apps.accounts.models import Membership
from apps.accounts.selectors import login_link_is_usable, memberships_in_area, user_by_identifier
from apps.accounts.services import (
    ambassador_invite,
    login_link_consume,
    login_link_send,
    totp_device_confirm,
    totp_device_for_setup,
)
from apps.core.policy import Perm, get_for_user, two_factor_required
from apps.core.qr import qr_svg
from apps.core.throttle import throttle_allows
from apps.organisation.models import Area


def link_request(request: HttpRequest) -> HttpResponse:
    """Ask for a one-time sign-in link by e-mail or mobile number."""
    form = LoginLinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        key = identifier.get("email") or identifier.get("phone")
        # Same answer whether or not the person exists: nobody can probe who is registered.
        if throttle_allows(f"login-link:{key}", limit=5, window_seconds=3600):
            user = user_by_identifier(**identifier)
            if user is not None and user.memberships.exists():
                login_link_send(user=user)
        return redirect("accounts:link_sent")
    return render(request, "accounts/link_request.html", {"form": form})


def link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/link_sent.html", {"minutes": settings.LOGIN_LINK_MINUTES})


@never_cache  # the address is the key: a shared phone's history or a proxy must not keep the page
def link_login(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST uses the link, because SMS and mail apps open links to preview them."""
    if request.method == "POST":
        user = login_link_consume(token=token)
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            # Ambassadors stay signed in on their own phone.
            request.session.set_expiry(settings.LOGIN_LINK_SESSION_DAYS * 24 * 3600)
            return redirect("core:home")
    elif login_link_is_usable(token=token):
        return render(request, "accounts/link_login.html")
    return render(request, "accounts/link_invalid.html", status=400)


@login_required
def people(request: HttpRequest, area_slug: str) -> HttpResponse:
    area = get_for_user(request.user, Perm.AREA_MANAGE, Area, slug=area_slug)
    form = AmbassadorInviteForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            user = ambassador_invite(area=area, **form.cleaned_data)
            messages.success(
                request, _("%(name)s is invited. A sign-in link is on its way.") % {"name": user.full_name}
            )
            return redirect("accounts:people", area_slug=area.slug)
        status = 400
    else:
        status = 200
    context = {"area": area, "memberships": memberships_in_area(area=area), "form": form}
    return render(request, "accounts/people.html", context, status=status)


@login_required
@require_POST
def resend_link(request: HttpRequest, area_slug: str, membership_id: int) -> HttpResponse:
    membership = get_for_user(
        request.user,
        Perm.MEMBERSHIP_MANAGE,
        Membership.objects.select_related("user", "area"),
        pk=membership_id,
        area__slug=area_slug,
    )
    if login_link_send(user=membership.user) is None:
        messages.error(request, _("%(name)s's account is closed.") % {"name": membership.user.full_name})
    else:
        messages.success(request, _("A new sign-in link is sent to %(name)s.") % {"name": membership.user.full_name})
    return redirect("accounts:people", area_slug=area_slug)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in of a coordinator or admin: scan the QR code, type the first code."""
    if not two_factor_required(request.user):
        return redirect("core:home")
    if user_has_device(request.user):
        return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': _next_url(request)})}")
    device = totp_device_for_setup(user=request.user)
    form = TwoFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and totp_device_confirm(device=device, code=form.cleaned_data["code"]):
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is set up."))
            return redirect(_next_url(request))
        if not form.errors:
            form.add_error("code", _("That code is not right. Check the time on your phone and try the newest code."))
        status = 400
    context = {
        "form": form,
        "secret": b32encode(device.bin_key).decode(),
        "qr_svg": qr_svg(device.config_url),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=status)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Each new session of a coordinator or admin: the current code from their authenticator app."""
    if not two_factor_required(request.user) or request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': _next_url(request)})}")
    form = TwoFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        device = match_token(request.user, form.cleaned_data["code"]) if form.is_valid() else None
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        if not form.errors:
            form.add_error("code", _("That code is not right. Wait for the next code and try again."))
        status = 400
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}, status=status)
