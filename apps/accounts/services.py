"""Writes for accounts: users, memberships and one-time sign-in links."""

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import LoginLink, Membership, User
from apps.accounts.selectors import user_by_identifier
from apps.core.services import message_queue
from apps.organisation.models import Area, Estate


def user_create(
    *,
    email: str | None,
    full_name: str,
    phone: str = "",
    language: str = "da",
    password: str | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    return User.objects.create_user(
        email=email or None,
        password=password,
        full_name=full_name,
        phone=phone,
        language=language,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )


def membership_grant(*, user: User, area: Area, role: str, estates: Iterable[Estate] = ()) -> Membership:
    """Give a user a role in an area (idempotent). Board members must be limited to estates of the area."""
    estates = list(estates)
    if role == Membership.Role.BOARD:
        if not estates:
            raise ValidationError(_("A board member must be linked to at least one estate."))
        if any(estate.area_id != area.pk for estate in estates):
            raise ValidationError(_("A board member's estates must belong to the area."))
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(user=user, area=area, role=role)
        if role == Membership.Role.BOARD:
            membership.estates.set(estates)
    return membership


@transaction.atomic
def ambassador_invite(*, area: Area, full_name: str, email: str = "", phone: str = "", language: str = "da") -> User:
    """A coordinator invites an ambassador: create (or reuse) the user, grant the role, send a sign-in link."""
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None and phone:
        user = User.objects.filter(phone=phone).first()
    if user is None:
        user = user_create(email=email or None, full_name=full_name, phone=phone, language=language)
    membership_grant(user=user, area=area, role=Membership.Role.AMBASSADOR)
    login_link_send(user=user, purpose="invite")
    return user


def login_link_create(*, user: User, channel: str) -> tuple[LoginLink, str]:
    """Create a single-use link and return it with its token; only the token's hash is stored."""
    token = secrets.token_urlsafe(32)
    link = LoginLink.objects.create(
        user=user,
        token_hash=LoginLink.hash_token(token),
        channel=channel,
        expires_at=timezone.now() + timedelta(minutes=settings.LOGIN_LINK_MINUTES),
    )
    return link, token


def login_link_send(*, user: User, purpose: str = "login") -> LoginLink | None:
    """Send a sign-in link by SMS when the user has a phone number, otherwise by e-mail.

    Returns None for an inactive user, so the caller can answer the same either way (no enumeration).
    """
    if not user.is_active:
        return None
    channel = LoginLink.Channel.SMS if user.phone else LoginLink.Channel.EMAIL
    with transaction.atomic():
        link, token = login_link_create(user=user, channel=channel)
        url = settings.SITE_URL + reverse("accounts:link_login", args=[token])
        with translation.override(user.language):
            if purpose == "invite":
                subject = _("You are invited as a naboambassadør")
                body = _(
                    "Hello %(name)s. You are now a naboambassadør. Sign in here (the link works once, "
                    "for %(minutes)s minutes): %(url)s"
                ) % {"name": user.get_short_name(), "minutes": settings.LOGIN_LINK_MINUTES, "url": url}
            else:
                subject = _("Your sign-in link")
                body = _("Sign in to Naboambassadør (the link works once, for %(minutes)s minutes): %(url)s") % {
                    "minutes": settings.LOGIN_LINK_MINUTES,
                    "url": url,
                }
        message_queue(
            channel=channel,
            to_user=user,
            subject=subject,
            body=body,
            # One message per link: a new link is a new message, the same link is never sent twice.
            idempotency_key=f"login-link:{link.pk}",
            sensitive=True,
        )
    return link


def login_link_request(*, email: str | None = None, phone: str | None = None) -> LoginLink | None:
    """Someone asked for a link for this e-mail or number: send one if it is a member's, else nothing."""
    user = user_by_identifier(email=email, phone=phone)
    if user is None or not user.memberships.exists():
        return None
    return login_link_send(user=user)


def login_link_consume(*, token: str) -> User | None:
    """Use a link: valid once, before it expires. Returns the user, or None for any bad link."""
    now = timezone.now()
    token_hash = LoginLink.hash_token(token)
    # The conditional UPDATE claims the link; two taps at once cannot both sign in.
    claimed = LoginLink.objects.filter(token_hash=token_hash, used_at=None, expires_at__gt=now).update(used_at=now)
    if not claimed:
        return None
    user = LoginLink.objects.select_related("user").get(token_hash=token_hash).user
    return user if user.is_active else None


def login_links_purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete links that can no longer be used; they are only kept to reject reuse while valid."""
    deleted, _detail = LoginLink.objects.filter(expires_at__lt=timezone.now() - older_than).delete()
    return deleted


# --- Two-factor authentication (TOTP) -----------------------------------------------------------------


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Confirm a new authenticator with a first code from it (wrong codes are throttled by the device)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(code):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True
