from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import LoginLink, Membership, MembershipInvitation, User
from apps.organisation.models import Area, Estate


def memberships_in_area(*, area: Area) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(area=area)
        .select_related("user")
        .prefetch_related("estates")
        .order_by("role", "user__full_name")
    )


@dataclass(frozen=True)
class PersonRow:
    """One line of an area's people page: a membership, or an invitation still waiting for its answer."""

    full_name: str
    role: str
    role_label: str
    email: str
    phone: str
    estates: tuple[Estate, ...] = ()
    # An ambassador who has not signed in yet, or a person who has not yet accepted: shown alike, so the
    # page never tells the coordinator that an address belongs to someone already known elsewhere.
    invitation_sent: bool = False
    membership_id: int | None = None
    invitation_id: int | None = None


def people_in_area(*, area: Area) -> list[PersonRow]:
    """The area's people page. A pending invitation shows only what the inviting coordinator typed."""
    rows = [
        PersonRow(
            full_name=m.user.full_name,
            role=m.role,
            role_label=m.get_role_display(),
            email=m.user.email or "",
            phone=m.user.phone,
            estates=tuple(m.estates.all()) if m.role == Membership.Role.BOARD else (),
            invitation_sent=m.role == Membership.Role.AMBASSADOR and m.user.last_login is None,
            membership_id=m.pk,
        )
        for m in memberships_in_area(area=area)
    ]
    rows += [
        PersonRow(
            full_name=invitation.full_name,
            role=invitation.role,
            role_label=invitation.get_role_display(),
            email=invitation.email,
            phone=invitation.phone,
            invitation_sent=True,
            invitation_id=invitation.pk,
        )
        for invitation in membership_invitations_pending(area=area)
    ]
    return sorted(rows, key=lambda row: (row.role, row.full_name.casefold()))


def membership_invitations_pending(
    *, area: Area | None = None, user: User | None = None
) -> QuerySet[MembershipInvitation]:
    """Invitations still open to an answer, of one area or for one person (who sees the area's name)."""
    invitations = MembershipInvitation.objects.filter(
        invited_at__gt=timezone.now() - timedelta(days=MembershipInvitation.INVITATION_DAYS)
    ).select_related("area")
    if area is not None:
        invitations = invitations.filter(area=area)
    if user is not None:
        invitations = invitations.filter(user=user)
    return invitations


def user_by_identifier(*, email: str | None = None, phone: str | None = None) -> User | None:
    if email:
        return User.objects.filter(email__iexact=email, is_active=True).first()
    if phone:
        return User.objects.filter(phone=phone, is_active=True).first()
    return None


def user_may_get_sign_in_link(*, user: User) -> bool:
    """Someone with a role somewhere (an area, or an organisation's programme lead), or with an invitation
    to answer, may ask for a sign-in link."""
    return (
        user.memberships.exists()
        or user.programme_lead_roles.exists()
        or membership_invitations_pending(user=user).exists()
    )


def login_link_is_usable(*, token: str) -> bool:
    return LoginLink.objects.filter(
        token_hash=LoginLink.hash_token(token), used_at=None, expires_at__gt=timezone.now()
    ).exists()
