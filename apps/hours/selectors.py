"""Reads of time registration: the ambassador's own entries, the coordinator's month, the payroll lines."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import NavItem
from apps.core.policy import Perm, Role, get_for_user
from apps.dashboards.periods import month_last_day
from apps.hours.models import HourEntry, HoursSettings, Payroll
from apps.organisation.models import Area
from apps.organisation.selectors import get_in_area
from apps.visits.models import Ambassador, Attempt

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# The ambassador's list: what is still open, and enough of the past to recognise last month's.
MY_ENTRIES = 60


def month_parse(text: str) -> datetime.date:
    """The first day of the month written YYYY-MM; ValueError for anything else."""
    match = _MONTH.match((text or "").strip())
    if not match:
        raise ValueError(text)
    return datetime.date(int(match[1]), int(match[2]), 1)  # ValueError for month 13


def hours_settings_for(*, area: Area) -> HoursSettings:
    """The area's settings; an unsaved default (switched off) when the coordinator never set them."""
    return HoursSettings.objects.filter(area=area).first() or HoursSettings(area=area)


def hours_menu(memberships: list) -> list[NavItem]:
    """ "Hours" in the menu of an ambassador of an area that registers time. The memberships come with
    `area__hours_settings` loaded (apps/access/rules.py), so this asks the database nothing."""
    for membership in memberships:
        settings = getattr(membership.area, "hours_settings", None)  # None: the area never set it
        if membership.role == Role.AMBASSADOR and settings is not None and settings.enabled:
            return [NavItem(_("Hours"), reverse("hours:mine"))]
    return []


def my_hour_profiles(user) -> list[Ambassador]:
    """The user's ambassador profiles in areas that register time (not the ones they have left)."""
    return list(
        Ambassador.objects.filter(user=user, area__hours_settings__enabled=True)
        .exclude(status=Ambassador.Status.LEFT)
        .select_related("area__hours_settings")
        .order_by("area__name")
    )


def my_hour_entries(*, profiles: list[Ambassador]) -> QuerySet[HourEntry]:
    return HourEntry.objects.filter(ambassador__in=profiles).select_related("area")[:MY_ENTRIES]


def hour_entry_for_ambassador(user, pk: int) -> HourEntry:
    """One of the user's own entries: 404 for anyone else's, 403 once it is approved (locked)."""
    queryset = HourEntry.objects.filter(ambassador__user=user).select_related("area", "ambassador__area")
    return get_for_user(user, Perm.HOUR_ENTRY_EDIT_OWN, queryset, pk=pk)


def hour_entry_for_coordinator(user, pk: int, *, area: Area) -> HourEntry:
    return get_in_area(
        user,
        Perm.HOUR_ENTRY_DECIDE,
        HourEntry.objects.select_related("area", "ambassador__user"),
        area=area,
        outside=Http404,
        pk=pk,
    )


def area_month_entries(*, area: Area, month: datetime.date) -> QuerySet[HourEntry]:
    """The month's entries of the area, by ambassador and date (one query)."""
    return (
        HourEntry.objects.filter(area=area, date__gte=month, date__lte=month_last_day(month))
        .select_related("ambassador__user", "decided_by")
        .order_by("ambassador__user__full_name", "ambassador_id", "date", "pk")
    )


def area_ambassadors_with_payroll(*, area: Area) -> QuerySet[Ambassador]:
    return (
        Ambassador.objects.filter(area=area)
        .exclude(status=Ambassador.Status.LEFT)
        .select_related("user", "payroll")
        .order_by("user__full_name")
    )


@dataclass(frozen=True)
class PayrollLine:
    user_id: int
    name: str
    payroll_number: str
    hours: Decimal
    visits: int


def visits_made(*, area: Area, month: datetime.date) -> dict[int, int]:
    """Visits each ambassador of the area went to in the month (a visit tried twice counts once)."""
    day = Coalesce("visited_on", TruncDate("recorded_at"))
    rows = (
        Attempt.objects.filter(ambassador__area=area)
        .annotate(day=day)
        .filter(day__gte=month, day__lte=month_last_day(month))
        .values("ambassador_id")
        .annotate(n=Count("visit", distinct=True))
    )
    return {row["ambassador_id"]: row["n"] for row in rows}


def month_payroll(*, area: Area, month: datetime.date) -> list[PayrollLine]:
    """One line per ambassador for payroll: approved hours only, plus the visits' time where visits count.

    An ambassador without approved hours (and, where visits count, without visits) has no line."""
    settings = hours_settings_for(area=area)
    approved = Q(
        hour_entries__status=HourEntry.Status.APPROVED,
        hour_entries__date__gte=month,
        hour_entries__date__lte=month_last_day(month),
    )
    ambassadors = (
        Ambassador.objects.filter(area=area)
        .select_related("user")
        .annotate(approved_hours=Sum("hour_entries__hours", filter=approved))
        .order_by("user__full_name", "pk")
    )
    numbers = dict(Payroll.objects.filter(ambassador__area=area).values_list("ambassador_id", "number"))
    visits = visits_made(area=area, month=month)
    lines = []
    for ambassador in ambassadors:
        hours = ambassador.approved_hours or Decimal(0)
        made = visits.get(ambassador.pk, 0)
        if settings.visits_count_as_time:
            hours += Decimal(made * settings.minutes_per_visit) / 60
        if hours <= 0:
            continue
        lines.append(
            PayrollLine(
                user_id=ambassador.user_id,
                name=ambassador.user.full_name,
                payroll_number=numbers.get(ambassador.pk, ""),
                hours=hours.quantize(Decimal("0.01")),
                visits=made,
            )
        )
    return lines
