from base64 import b32encode
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.models import Device

from apps.accounts.forms import AmbassadorInviteForm, LoginLinkRequestForm, TwoFactorCodeForm
from apps.accounts.models import Membership, MembershipInvitation
from apps.accounts.selectors import (
    login_link_is_usable,
    membership_invitations_pending,
    people_in_area,
)
from apps.accounts.services import (
    ambassador_invite,
    login_link_consume,
    login_link_send,
    membership_invitation_accept,
    membership_invitation_decline,
    membership_invitation_send,
    totp_device_confirm,
    totp_device_for_setup,
)
from apps.accounts.tasks import login_link_request_send
from apps.core.policy import Perm, get_for_user, two_factor_required
from apps.core.qr import qr_svg
from apps.core.throttle import client_address, throttle_allows
from apps.organisation.selectors import area_for_user

# Link requests per hour. Per identifier: nobody's phone is flooded. Per address: one visitor cannot
# send SMS to many numbers; high enough for a housing area's shared connection.
LINK_REQUESTS_PER_IDENTIFIER = 5
LINK_REQUESTS_PER_ADDRESS = 20


def link_request(request: HttpRequest) -> HttpResponse:
    """Ask for a one-time sign-in link by e-mail or mobile number.

    The same answer after the same work whether or not the person exists: the request never looks
    anyone up (its timing told who is registered); a task does the lookup and the sending.
    """
    form = LoginLinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        key = identifier.get("email") or identifier.get("phone")
        if throttle_allows(
            f"login-link-address:{client_address(request)}", limit=LINK_REQUESTS_PER_ADDRESS, window_seconds=3600
        ) and throttle_allows(f"login-link:{key}", limit=LINK_REQUESTS_PER_IDENTIFIER, window_seconds=3600):
            # The identifier stays out of the broker's task listings and events (kwargsrepr).
            login_link_request_send.apply_async_on_commit(kwargs=identifier, kwargsrepr="{identifier}")
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
            if two_factor_required(user):
                # Coordinators and admins: the idle limit of a password sign-in (SESSION_COOKIE_AGE).
                request.session.set_expiry(None)
            else:
                # Ambassadors, board members and interviewers stay signed in on their own phone.
                request.session.set_expiry(settings.LOGIN_LINK_SESSION_DAYS * 24 * 3600)
            return redirect("access:home")
    elif login_link_is_usable(token=token):
        return render(request, "accounts/link_login.html")
    return render(request, "accounts/link_invalid.html", status=400)


@login_required
def people(request: HttpRequest, area_slug: str) -> HttpResponse:
    area = area_for_user(request.user, area_slug)
    form = AmbassadorInviteForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            ambassador_invite(area=area, by=request.user, **form.cleaned_data)
            # The name as typed: whether the address was new or someone's elsewhere, the answer is the same.
            name = form.cleaned_data["full_name"]
            messages.success(request, _("%(name)s is invited. A sign-in link is on its way.") % {"name": name})
            return redirect("accounts:people", area_slug=area.slug)
        status = 400
    else:
        status = 200
    context = {"area": area, "people": people_in_area(area=area), "form": form}
    return render(request, "accounts/people.html", context, status=status)


@login_required
@require_POST
def resend_link(request: HttpRequest, area_slug: str, membership_id: int) -> HttpResponse:
    # Only an ambassador's membership in this area (the page offers no other); anything else is not found.
    membership = get_for_user(
        request.user,
        Perm.MEMBERSHIP_MANAGE,
        Membership.objects.select_related("user", "area"),
        pk=membership_id,
        area__slug=area_slug,
        role=Membership.Role.AMBASSADOR,
    )
    if login_link_send(user=membership.user, area=membership.area) is None:
        messages.error(request, _("%(name)s's account is closed.") % {"name": membership.user.full_name})
    else:
        messages.success(request, _("A new sign-in link is sent to %(name)s.") % {"name": membership.user.full_name})
    return redirect("accounts:people", area_slug=area_slug)


@login_required
@require_POST
def resend_invitation(request: HttpRequest, area_slug: str, invitation_id: int) -> HttpResponse:
    """The same button for a person who has not yet answered an invitation: they are asked again."""
    invitation = get_for_user(
        request.user,
        Perm.MEMBERSHIP_MANAGE,
        MembershipInvitation.objects.select_related("user", "area"),
        pk=invitation_id,
        area__slug=area_slug,
    )
    membership_invitation_send(invitation=invitation)
    messages.success(request, _("A new sign-in link is sent to %(name)s.") % {"name": invitation.full_name})
    return redirect("accounts:people", area_slug=area_slug)


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """The signed-in person's invitations to other areas, to accept or decline."""
    pending = membership_invitations_pending(user=request.user).order_by("area__name")
    return render(request, "accounts/invitations.html", {"invitations": pending})


@login_required
@require_POST
def invitation_answer(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    invitation = get_for_user(
        request.user, Perm.MEMBERSHIP_INVITATION_ANSWER, MembershipInvitation.objects.select_related("area"), pk=pk
    )
    area_name = invitation.area.name
    if answer == "accept":
        if membership_invitation_accept(invitation=invitation) is None:
            messages.error(request, _("This invitation has lapsed. Ask the coordinator to invite you again."))
            return redirect("accounts:invitations")
        messages.success(request, _("Welcome to %(area)s.") % {"area": area_name})
        return redirect("access:home")
    membership_invitation_decline(invitation=invitation)
    messages.success(request, _("You said no to %(area)s. Nothing has changed.") % {"area": area_name})
    return redirect("access:home")


def _two_factor_passed(request: HttpRequest, device: Device) -> None:
    """The session is fully signed in from here: give it a new key (one seen before the code, say on a
    shared computer, is worth nothing after it), a new CSRF token, and the staff idle limit, whatever way
    the session began (an ambassador's long link session, then made coordinator, keeps it no longer)."""
    request.session.cycle_key()
    rotate_token(request)
    otp_login(request, device)
    request.session.set_expiry(None)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in of a coordinator or admin: scan the QR code, type the first code."""
    if not two_factor_required(request.user):
        return redirect("access:home")
    if user_has_device(request.user):
        return redirect(f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': _next_url(request)})}")
    device = totp_device_for_setup(user=request.user)
    form = TwoFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and totp_device_confirm(device=device, code=form.cleaned_data["code"]):
            device.refresh_from_db()
            _two_factor_passed(request, device)
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
            _two_factor_passed(request, device)
            return redirect(_next_url(request))
        if not form.errors:
            form.add_error("code", _("That code is not right. Wait for the next code and try again."))
        status = 400
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}, status=status)


class SignOutView(auth_views.LogoutView):
    """Signing out also empties what the site kept in this browser: the offline copies of the ambassador's
    visits, the outcomes waiting to be sent and the service worker (static/js/offline.js clears them too,
    for browsers that ignore the header)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
