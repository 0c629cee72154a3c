"""Writes for accounts: users, memberships, invitations to an area and one-time sign-in links."""

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.identifiers import email_normalise
from apps.accounts.models import LoginLink, Membership, MembershipInvitation, ProgrammeLead, User
from apps.accounts.selectors import user_by_identifier, user_may_get_sign_in_link
from apps.core.services import channel_for_ambassador, in_recipients_language, message_queue
from apps.core.throttle import throttle_allows
from apps.organisation.models import Area, Estate, HousingOrganisation

# One person is asked to join other areas at most this often a day, so invitations cannot be used to pester.
INVITATION_MESSAGES_PER_DAY = 3


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


def _user_with_contact(*, email: str, phone: str) -> User | None:
    """The person who already holds this e-mail address or, failing that, this mobile number."""
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None and phone:
        user = User.objects.filter(phone=phone).first()
    return user


@transaction.atomic
def ambassador_invite(
    *, area: Area, full_name: str, email: str = "", phone: str = "", language: str = "da", by: User | None = None
) -> User:
    """A coordinator invites an ambassador by name and e-mail or mobile number.

    A new person gets an account, the role and a sign-in link. Someone who already has a role in the
    area gets the ambassador role too and a sign-in link. Anyone else who already has an account (an
    ambassador, coordinator or admin of another area) is only asked: a pending invitation is recorded
    and they accept or decline it themselves. The people page answers with what the coordinator typed,
    whichever of these happened; the account asked is returned for a caller that follows the person up
    (an accepted candidate in apps.corps gets their profile once the person has the role).
    """
    email = email.lower()
    user = _user_with_contact(email=email, phone=phone)
    if user is None:
        user = user_create(email=email or None, full_name=full_name, phone=phone, language=language)
    elif not Membership.objects.filter(user=user, area=area).exists():
        membership_invitation_create(
            user=user, area=area, role=Membership.Role.AMBASSADOR, full_name=full_name, email=email, phone=phone, by=by
        )
        return user
    membership_grant(user=user, area=area, role=Membership.Role.AMBASSADOR)
    login_link_send(user=user, purpose="invite", area=area)
    return user


# --- Invitations that wait for the person's consent -------------------------------------------------


def membership_invitation_create(
    *, user: User, area: Area, role: str, full_name: str, email: str, phone: str, by: User | None
) -> MembershipInvitation:
    """Record (or renew) a pending invitation for an existing person and ask them; grants nothing."""
    invitation, _created = MembershipInvitation.objects.update_or_create(
        user=user,
        area=area,
        role=role,
        defaults={
            "full_name": full_name,
            "email": email,
            "phone": phone,
            "invited_by": by,
            "invited_at": timezone.now(),
        },
    )
    membership_invitation_send(invitation=invitation)
    return invitation


def membership_invitation_send(*, invitation: MembershipInvitation) -> None:
    """Ask the person, through the outbox, to sign in and accept or decline. The message holds no sign-in link.

    At most INVITATION_MESSAGES_PER_DAY requests reach one person a day, however many coordinators ask.
    """
    user = invitation.user
    if not user.is_active:
        return
    if not throttle_allows(
        f"membership-invitation:{user.pk}", limit=INVITATION_MESSAGES_PER_DAY, window_seconds=24 * 3600
    ):
        return
    now = timezone.now()
    MembershipInvitation.objects.filter(pk=invitation.pk).update(sent_at=now)
    url = settings.SITE_URL + reverse("accounts:invitations")
    with in_recipients_language(user):
        subject = _("An invitation to %(area)s") % {"area": invitation.area.name}
        body = _(
            "Hello %(name)s. The coordinator of %(area)s asks you to be a naboambassadør in the area. "
            "Nothing changes unless you say yes. Sign in to Naboambassadør to accept or decline: %(url)s"
        ) % {"name": user.get_short_name(), "area": invitation.area.name, "url": url}
    message_queue(
        channel=channel_for_ambassador(user),
        to_user=user,
        subject=subject,
        body=body,
        # Each request is its own message; asking again (a renewed invitation) is a new one.
        idempotency_key=f"membership-invitation:{invitation.pk}:{now.isoformat()}",
        area=invitation.area,
    )


@transaction.atomic
def membership_invitation_accept(*, invitation: MembershipInvitation) -> Membership | None:
    """The person says yes: the role becomes theirs and the invitation is done. None if it is gone or lapsed."""
    invitation = MembershipInvitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if invitation is None or invitation.expires_at <= timezone.now():
        return None
    membership = membership_grant(user=invitation.user, area=invitation.area, role=invitation.role)
    invitation.delete()
    return membership


def membership_invitation_decline(*, invitation: MembershipInvitation) -> None:
    """The person says no: nothing of the invitation is kept."""
    MembershipInvitation.objects.filter(pk=invitation.pk).delete()


def membership_invitations_purge() -> int:
    """Invitations nobody answered in time go, with the details the coordinator typed."""
    cutoff = timezone.now() - timedelta(days=MembershipInvitation.INVITATION_DAYS)
    deleted, _detail = MembershipInvitation.objects.filter(invited_at__lt=cutoff).delete()
    return deleted


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


def login_link_send(*, user: User, purpose: str = "login", area: Area | None = None) -> LoginLink | None:
    """Send a sign-in link by SMS when the user has a phone number, otherwise by e-mail.

    `area` is the area whose coordinator sends it (an invitation, a new link from the people page), so
    they see it if it cannot be delivered; a link the person asks for themselves belongs to no area.

    Returns None for an inactive user, so the caller can answer the same either way (no enumeration).
    """
    if not user.is_active:
        return None
    channel = LoginLink.Channel.SMS if user.phone else LoginLink.Channel.EMAIL
    with transaction.atomic():
        link, token = login_link_create(user=user, channel=channel)
        url = settings.SITE_URL + reverse("accounts:link_login", args=[token])
        with in_recipients_language(user):
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
            area=area,
            # A link that expired is never sent late (the sweep fails it instead).
            expires_at=link.expires_at,
        )
    return link


def login_link_request(*, email: str | None = None, phone: str | None = None) -> LoginLink | None:
    """Someone asked for a link for this e-mail or number: send one if it is a member's, else nothing."""
    user = user_by_identifier(email=email, phone=phone)
    if user is None or not user_may_get_sign_in_link(user=user):
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


# --- Issue 18: the programme lead (evaluator) ---


@transaction.atomic
def programme_lead_grant(
    *, organisation: HousingOrganisation, email: str, full_name: str = "", language: str = "da"
) -> tuple[ProgrammeLead, bool]:
    """An administrator makes someone programme lead of a housing organisation (idempotent).

    Only administrators grant it (the Django admin, `manage.py grant_programme_lead`), so there is no user
    to ask the policy about. The account is created if the address is new; either way a one-time sign-in
    link is sent (after the commit), and the person sets up two-factor on first sign-in. Returns the role
    and whether the account was created.
    """
    email = email_normalise(email)
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = user_create(email=email, full_name=full_name or email.split("@")[0], language=language)
    role, _new = ProgrammeLead.objects.get_or_create(user=user, organisation=organisation)
    login_link_send(user=user)
    return role, created
