from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import LoginLink, Membership, User
from apps.organisation.models import Area


def memberships_in_area(*, area: Area) -> QuerySet[Membership]:
    return Membership.objects.filter(area=area).select_related("user").prefetch_related("estates").order_by(
        "role", "user__full_name"
    )


def user_by_identifier(*, email: str | None = None, phone: str | None = None) -> User | None:
    if email:
        return User.objects.filter(email__iexact=email, is_active=True).first()
    if phone:
        return User.objects.filter(phone=phone, is_active=True).first()
    return None


def login_link_is_usable(*, token: str) -> bool:
    return LoginLink.objects.filter(token_hash=LoginLink.hash_token(token), used_at=None, expires_at__gt=timezone.now()).exists()
