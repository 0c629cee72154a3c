from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import Membership
from apps.organisation.models import Area, Estate


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
