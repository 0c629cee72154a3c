from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import Membership
from apps.core.policy import Perm, get_for_user
from apps.organisation.models import Area, Estate

M = TypeVar("M", bound=Model)


def area_for_user(user, slug: str, perm: Perm = Perm.AREA_MANAGE) -> Area:
    """The area named in a URL: 404 if there is none, 403 unless the user may do `perm` there."""
    return get_for_user(user, perm, Area, slug=slug)


def get_in_area(
    user,
    perm: Perm,
    queryset: type[M] | QuerySet[M],
    *,
    area: Area,
    area_of: Callable[[M], int | None] = lambda obj: obj.area_id,
    outside: type[Exception] = PermissionDenied,
    **lookup,
) -> M:
    """The object named in an area's URL, through the policy (404 if missing, 403 if not allowed), and
    refused with `outside` when it belongs to another area, even one the user may work in: a page of one
    area never shows or changes another area's rows. `area_of` says where the object keeps its area."""
    obj = get_for_user(user, perm, queryset, **lookup)
    if area_of(obj) != area.pk:
        raise outside
    return obj


def estates_with_figures(*, estates: QuerySet[Estate] | Iterable[int]) -> QuerySet[Estate]:
    """Estates annotated with counts, in one query whatever the number of estates."""
    queryset = estates if isinstance(estates, QuerySet) else Estate.objects.filter(pk__in=list(estates))
    year_ago = timezone.localdate() - timezone.timedelta(days=365)
    return (
        queryset.select_related("organisation", "area")
        .annotate(
            entrance_count=Count("entrances", distinct=True),
            tenancy_count=Count("tenancies", distinct=True),
            newcomer_count_year=Count(
                "tenancies__newcomers", filter=Q(tenancies__newcomers__move_in_date__gte=year_ago), distinct=True
            ),
        )
        .order_by("number")
    )


def area_role_counts(*, area: Area) -> dict[str, int]:
    rows = Membership.objects.filter(area=area).values("role").annotate(n=Count("id"))
    counts = {role: 0 for role in Membership.Role.values}
    counts.update({row["role"]: row["n"] for row in rows})
    return counts
