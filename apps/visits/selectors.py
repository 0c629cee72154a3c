"""Reads for visits: the ambassador's "My visits", the coordinator's lists and the overview figures.

Every function runs a fixed number of queries whatever the amount of data: related rows are joined or
prefetched and figures are aggregated in the database (tests/visits/test_selectors.py counts them).
"""

import datetime
import uuid
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import Membership
from apps.core.policy import Perm, ensure
from apps.newcomers.models import LATE_LIST_DAYS, Newcomer, NewcomerCorrection
from apps.organisation.models import Area, Estate
from apps.organisation.selectors import get_in_area
from apps.visits.models import (
    Activity,
    Ambassador,
    Attempt,
    LaterContact,
    Referral,
    SupportConversation,
    Training,
    Visit,
)

# What a visit page needs to show the address: newcomer → tenancy → entrance → estate, in one join.
VISIT_RELATED = ("area", "newcomer__tenancy__entrance__estate", "ambassador__user")
# "My visits" shows the address and the newcomer; fewer joins keep the ambassador's page quick.
MY_VISITS_RELATED = ("newcomer__tenancy__entrance__estate",)
# One visit for its ambassador: the policy also reads its area and ambassador.
MY_VISIT_RELATED = ("area", "newcomer__tenancy__entrance__estate", "ambassador")


def month_start(day: datetime.date) -> datetime.datetime:
    """Midnight (local time) on the first day of the day's month, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day.replace(day=1), datetime.time.min))


def contact_grace_cutoff() -> datetime.datetime:
    """Visits closed before this moment no longer show the newcomer to the ambassador."""
    return timezone.now() - datetime.timedelta(days=settings.VISIT_CONTACT_GRACE_DAYS)


def count_subquery(queryset: QuerySet) -> Subquery:
    """A correlated `SELECT COUNT(*)` subquery (no GROUP BY): each one is an index range scan, never a
    join over all the visits an ambassador has done over the years."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1],
        output_field=IntegerField(),
    )


# --- The ambassador -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyVisits:
    """An ambassador's visits: open ones by due date, and those closed within the grace period.

    After `VISIT_CONTACT_GRACE_DAYS` a closed visit leaves the list, and with it the newcomer's name and
    phone number. Visits of newcomers who asked not to be contacted are never listed.
    """

    open: list[Visit]
    recently_closed: list[Visit]
    today: datetime.date

    @property
    def overdue_count(self) -> int:
        return sum(1 for visit in self.open if visit.is_overdue(self.today))


def _ambassador_visits(user) -> QuerySet[Visit]:
    """The visits this user may see as an ambassador: held by them, open, or closed within the grace period."""
    return (
        Visit.objects.filter(ambassador__user=user, newcomer__do_not_contact=False)
        .exclude(ambassador__status=Ambassador.Status.LEFT)
        .filter(Q(status=Visit.Status.OPEN) | Q(status=Visit.Status.CLOSED, closed_at__gte=contact_grace_cutoff()))
    )


def my_visits(*, ambassador_user, today: datetime.date | None = None) -> MyVisits:
    """One query: the visits with address, entrance, estate and the number of attempts so far."""
    today = today or timezone.localdate()
    visits = list(
        _ambassador_visits(ambassador_user)
        .select_related(*MY_VISITS_RELATED)
        .annotate(attempt_count=count_subquery(Attempt.objects.filter(visit=OuterRef("pk"))))
        .order_by("due_date", "pk")
    )
    return MyVisits(
        open=[visit for visit in visits if visit.is_open],
        recently_closed=sorted(
            (visit for visit in visits if visit.is_closed), key=lambda visit: visit.closed_at, reverse=True
        ),
        today=today,
    )


def visit_for_ambassador(user, pk: int) -> Visit:
    """The visit named in an ambassador's URL: 404 unless they hold it (open, or closed within the grace
    period); 403 if they no longer are an ambassador there."""
    visit = get_object_or_404(
        _ambassador_visits(user)
        .select_related(*MY_VISIT_RELATED)
        .prefetch_related(
            Prefetch(
                "attempts",
                queryset=Attempt.objects.select_related("ambassador", "recorded_by").order_by("recorded_at", "pk"),
            ),
            Prefetch("referrals", queryset=Referral.objects.select_related("activity")),
        ),
        pk=pk,
    )
    ensure(user, Perm.VISIT_VIEW_OWN, visit)
    return visit


def attempt_key_used(*, user, client_key: uuid.UUID) -> bool:
    """Has this user's phone already sent the outcome with this key? (Served by attempt_unique_client_key.)"""
    return Attempt.objects.filter(recorded_by=user, client_key=client_key).exists()


def ambassador_profiles(user) -> list[Ambassador]:
    """The user's own ambassador profiles (one per area), for the profile page."""
    return list(
        Ambassador.objects.filter(user=user)
        .exclude(status=Ambassador.Status.LEFT)
        .select_related("area", "home_tenancy__entrance")
        .order_by("area__name")
    )


# How long after the visit an ambassador can note that the newcomer contacted them again.
MET_NEWCOMERS_DAYS = 365


def _met_visits(user) -> QuerySet[Visit]:
    """Visits this user closed having met the newcomer within the last year: the ones a later contact can
    be noted on. Same rules as "My visits": held by them, not left, never a newcomer who asked not to be
    contacted. (After the grace period the pages show only the address and the date, never the name.)"""
    since = timezone.now() - datetime.timedelta(days=MET_NEWCOMERS_DAYS)
    return (
        Visit.objects.filter(ambassador__user=user, newcomer__do_not_contact=False)
        .exclude(ambassador__status=Ambassador.Status.LEFT)
        .filter(status=Visit.Status.CLOSED, contact_made=True, closed_at__gte=since)
    )


def met_newcomers(*, ambassador_user) -> list[Visit]:
    """ "Newcomers you have met": the visits of `_met_visits`, most recent first, each with its number of
    later contacts and the latest one this user may still undo (`undoable_contact`). Two queries."""
    visits = list(
        _met_visits(ambassador_user)
        .select_related("newcomer__tenancy__entrance")
        .annotate(later_contact_count=count_subquery(LaterContact.objects.filter(visit=OuterRef("pk"))))
        .order_by("-closed_at", "-pk")
    )
    undoable = later_contacts_undoable(user=ambassador_user, visits=visits)
    for visit in visits:
        visit.undoable_contact = undoable.get(visit.pk)
    return visits


def later_contacts_undoable(*, user, visits: list[Visit]) -> dict[int, LaterContact]:
    """visit id → the user's latest contact on it that is still within the undo time."""
    since = timezone.now() - datetime.timedelta(minutes=settings.LATER_CONTACT_UNDO_MINUTES)
    found: dict[int, LaterContact] = {}
    for contact in LaterContact.objects.filter(
        visit__in=[visit.pk for visit in visits], recorded_by=user, recorded_at__gte=since
    ).order_by("-recorded_at", "-pk"):
        found.setdefault(contact.visit_id, contact)
    return found


def met_visit_for_ambassador(user, pk: int) -> Visit:
    """A visit named in the URL to note a later contact on: 404 unless the user met the newcomer on it
    within the last year (another ambassador's visit is simply not found)."""
    visit = get_object_or_404(_met_visits(user).select_related("area", "ambassador"), pk=pk)
    ensure(user, Perm.VISIT_RECORD, visit)
    return visit


def later_contact_for_ambassador(user, pk: int) -> LaterContact:
    """A later contact named in an undo URL: 404 unless this user recorded it on a visit they still hold."""
    return get_object_or_404(
        LaterContact.objects.filter(visit__in=_met_visits(user), recorded_by=user).select_related("visit"), pk=pk
    )


# --- The coordinator ----------------------------------------------------------------------------------


def visit_for_coordinator(user, pk: int, *, area: Area) -> Visit:
    """A visit named in the URL of `area`: 404 if missing, 403 unless the user manages it there."""
    return get_in_area(
        user,
        Perm.VISIT_MANAGE,
        Visit.objects.select_related(*VISIT_RELATED).prefetch_related(
            Prefetch("attempts", queryset=Attempt.objects.select_related("ambassador__user", "recorded_by")),
            Prefetch("referrals", queryset=Referral.objects.select_related("activity")),
        ),
        area=area,
        pk=pk,
    )


def newcomer_for_coordinator(user, pk: int, *, area: Area) -> Newcomer:
    """A newcomer named in the URL of `area`, to correct: 404 if missing, 403 unless the user is a
    coordinator of its area (and it is not anonymised), or when it lives in another area."""
    return get_in_area(
        user,
        Perm.NEWCOMER_CORRECT,
        Newcomer.objects.select_related("tenancy__entrance", "tenancy__estate__area").prefetch_related(
            Prefetch("corrections", queryset=NewcomerCorrection.objects.select_related("by"))
        ),
        area=area,
        area_of=lambda newcomer: newcomer.tenancy.estate.area_id,
        pk=pk,
    )


def ambassador_for_coordinator(user, pk: int, *, area: Area) -> Ambassador:
    """An ambassador named in the URL of `area`, with `board_member` (see `ambassador_has_dual_role`)."""
    return get_in_area(
        user,
        Perm.AMBASSADOR_MANAGE,
        Ambassador.objects.select_related("area", "user", "home_tenancy__entrance__estate")
        .prefetch_related("covered_estates", "covered_entrances", "trainings")
        .annotate(board_member=_board_member(area=area)),
        area=area,
        pk=pk,
    )


def _board_member(*, area: Area) -> Exists:
    """The ambassador (the outer row) also has the board role in `area`."""
    return Exists(Membership.objects.filter(user=OuterRef("user"), area=area, role=Membership.Role.BOARD))


def support_conversations_of(*, ambassador: Ambassador) -> QuerySet[SupportConversation]:
    """One ambassador's support conversations, newest first (for the coordinators of their area)."""
    return SupportConversation.objects.filter(ambassador=ambassador).select_related("recorded_by")


def support_conversation_for_coordinator(user, pk: int, *, area: Area, ambassador: Ambassador) -> SupportConversation:
    """A support conversation named in the URL of `area` and of `ambassador`: 404 if missing or another
    ambassador's, 403 unless the user is a coordinator of the ambassador's area (which must be `area`)."""
    return get_in_area(
        user,
        Perm.SUPPORT_CONVERSATION_MANAGE,
        SupportConversation.objects.select_related("ambassador__area", "recorded_by").filter(ambassador=ambassador),
        area=area,
        area_of=lambda conversation: conversation.ambassador.area_id,
        pk=pk,
    )


def support_is_due(*, ambassador: Ambassador, last: datetime.date | None, today: datetime.date) -> bool:
    """An ambassador (not one who left) whose last support conversation, or start if they have had none,
    is SUPPORT_CONVERSATION_DUE_MONTHS or longer ago is due one."""
    cutoff = today - relativedelta(months=settings.SUPPORT_CONVERSATION_DUE_MONTHS)
    return ambassador.status != Ambassador.Status.LEFT and (last or ambassador.started_on) <= cutoff


def ambassadors_for_list(*, area: Area, today: datetime.date) -> list[Ambassador]:
    """`ambassadors_with_load` with the day of each one's last support conversation (`last_support`) and
    whether one is due (`support_due`, see `support_is_due`)."""
    last = SupportConversation.objects.filter(ambassador=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    ambassadors = list(ambassadors_with_load(area=area, today=today).annotate(last_support=Subquery(last)))
    for ambassador in ambassadors:
        ambassador.support_due = support_is_due(ambassador=ambassador, last=ambassador.last_support, today=today)
    return ambassadors


def activity_for_coordinator(user, pk: int, *, area: Area) -> Activity:
    return get_in_area(user, Perm.ACTIVITY_MANAGE, Activity.objects.select_related("area"), area=area, pk=pk)


def referral_for_coordinator(user, pk: int, *, area: Area) -> Referral:
    return get_in_area(
        user,
        Perm.REFERRAL_MANAGE,
        Referral.objects.select_related("visit__area", "activity"),
        area=area,
        area_of=lambda referral: referral.visit.area_id,
        pk=pk,
    )


def ambassadors_with_load(*, area: Area, today: datetime.date | None = None) -> QuerySet[Ambassador]:
    """The area's ambassadors with their open visits, overdue visits, visits assigned this calendar month
    and whether they also sit on a tenant board in the area (the profile flag or a board membership).

    The counts are correlated subqueries served by the visit indexes, so the cost grows with the number
    of ambassadors, not with the visits they have done over the years.
    """
    today = today or timezone.localdate()
    held = Visit.objects.filter(ambassador=OuterRef("pk"))
    return (
        Ambassador.objects.filter(area=area)
        .select_related("user", "home_tenancy__entrance")
        .annotate(
            open_visits=count_subquery(held.filter(status=Visit.Status.OPEN)),
            overdue_visits=count_subquery(held.filter(status=Visit.Status.OPEN, due_date__lt=today)),
            assigned_this_month=count_subquery(held.filter(assigned_at__gte=month_start(today))),
            board_member=_board_member(area=area),
        )
        .order_by("status", "user__full_name", "pk")
    )


def ambassador_has_dual_role(ambassador: Ambassador) -> bool:
    """Shown to coordinators: an ambassador who also sits on a tenant board (needs `ambassadors_with_load`)."""
    return ambassador.sits_on_board or getattr(ambassador, "board_member", False)


VISIT_STATES = ("waiting", "assigned", "open", "closed", *Visit.CloseReason.values)


def visits_for_area(
    *,
    area: Area,
    estate: Estate | None = None,
    state: str | None = None,
    overdue: bool = False,
    moved_in_from: datetime.date | None = None,
    moved_in_to: datetime.date | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Visit]:
    """The coordinator's visit list; also the list behind each figure of the overview.

    `state` is "waiting" (nobody holds it), "assigned", "open" (either), "closed", or a close reason.
    """
    today = today or timezone.localdate()
    visits = Visit.objects.filter(area=area).select_related(*VISIT_RELATED)
    if estate is not None:
        visits = visits.filter(estate=estate)
    if state == "waiting":
        visits = visits.waiting()
    elif state == "assigned":
        visits = visits.open().filter(ambassador__isnull=False)
    elif state == "open":
        visits = visits.open()
    elif state == "closed":
        visits = visits.closed()
    elif state in Visit.CloseReason.values:
        visits = visits.closed().filter(close_reason=state)
    if overdue:
        visits = visits.overdue(today)
    if moved_in_from:
        visits = visits.filter(move_in_date__gte=moved_in_from)
    if moved_in_to:
        visits = visits.filter(move_in_date__lte=moved_in_to)
    return visits.order_by("status", "due_date", "pk")


def newcomers_for_area(
    *,
    area: Area,
    estate: Estate | None = None,
    moved_in_from: datetime.date | None = None,
    moved_in_to: datetime.date | None = None,
    visited_within: int | None = None,
    visited: bool | None = None,
) -> QuerySet[Newcomer]:
    """Newcomers behind the overview's figures: moved in within the period, optionally only those met
    (`visited=True`) or not met (`visited=False`) within `visited_within` days of moving in."""
    newcomers = Newcomer.objects.in_area(area).select_related("tenancy__entrance__estate")
    if estate is not None:
        newcomers = newcomers.filter(tenancy__estate=estate)
    if moved_in_from:
        newcomers = newcomers.filter(move_in_date__gte=moved_in_from)
    if moved_in_to:
        newcomers = newcomers.filter(move_in_date__lte=moved_in_to)
    if visited is not None:
        met = Visit.objects.filter(newcomer=OuterRef("pk"), days_to_contact__isnull=False)
        if visited_within is not None:
            met = met.filter(days_to_contact__lte=visited_within)
        newcomers = newcomers.filter(Exists(met) if visited else ~Exists(met))
    return newcomers.order_by("-move_in_date", "pk")


def newcomers_waiting(*, area: Area) -> QuerySet[Newcomer]:
    """Newcomers of the area who should get a visit and have nobody on it: no visit yet, or an open visit
    nobody holds (returned after a language barrier). Never those who asked not to be contacted, and
    never those whose visit has closed (met, declined, moved away …)."""
    settled = Visit.objects.filter(newcomer=OuterRef("pk")).filter(
        Q(status=Visit.Status.CLOSED) | Q(ambassador__isnull=False)
    )
    return (
        Newcomer.objects.in_area(area)
        .contactable()
        .exclude(Exists(settled))
        .select_related("tenancy__entrance__estate")
        .order_by("move_in_date", "pk")
    )


def referrals_for_area(
    *, area: Area, status: str | None = None, activity: Activity | None = None
) -> QuerySet[Referral]:
    referrals = Referral.objects.filter(visit__area=area).select_related(
        "activity", "visit__newcomer__tenancy__entrance", "visit__ambassador__user", "followed_up_by"
    )
    if status:
        referrals = referrals.filter(status=status)
    if activity is not None:
        referrals = referrals.filter(activity=activity)
    return referrals.order_by("status", "-created_at", "pk")


def activities_for_area(*, area: Area, active_only: bool = False) -> QuerySet[Activity]:
    activities = Activity.objects.filter(area=area)
    if active_only:
        activities = activities.filter(is_active=True)
    return activities.order_by("name", "pk")


def continuing_counts() -> dict[str, Count]:
    """Aggregates over visits: "continued", the visits where the newcomer was met and contacted their
    ambassador again afterwards, and "topic:<topic>", those who did about that topic. Read through EXISTS
    per visit, so a newcomer who called five times counts once and no join multiplies the visit rows; the
    overview here and the dashboards count the same way."""
    later = LaterContact.objects.filter(visit=OuterRef("pk"))
    return {
        "continued": Count("pk", filter=Q(Exists(later), contact_made=True)),
        **{
            f"topic:{topic}": Count("pk", filter=Q(Exists(later.filter(topic=topic)), contact_made=True))
            for topic in LaterContact.Topic.values
        },
    }


# --- The overview ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """`count` of `total` newcomers; `total` counts only those who moved in long enough ago to be judged."""

    count: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.total) if self.total else None


@dataclass(frozen=True)
class MonthFigures:
    month: datetime.date  # the first day of the month
    newcomers: int
    visited_within_14: Share
    visited_within_30: Share


@dataclass(frozen=True)
class StateCount:
    state: str  # a value `visits_for_area(state=…)` takes
    label: str
    count: int


@dataclass(frozen=True)
class Overview:
    area: Area
    estate: Estate | None
    period_start: datetime.date
    period_end: datetime.date
    today: datetime.date
    months: list[MonthFigures]
    newcomers: int
    visited_within_14: Share
    visited_within_30: Share
    visits_by_state: list[StateCount]
    overdue: int  # open visits past their due date now, whatever the period
    workload: list[Ambassador]  # from ambassadors_with_load
    median_days_to_contact: float | None
    contacts: int  # the n behind the median
    late_lists: int  # newcomers of the period who came on a list more than LATE_LIST_DAYS after moving in
    late_lists_median_days: float | None  # how late their lists came (median days after the move-in)
    referrals: int
    referrals_to_follow_up: int
    # Relationships continuing after the visit: of the newcomers met, how many contacted their ambassador
    # again (any time since), and how many did about each topic (one newcomer may count under several).
    continuing: Share
    continuing_by_topic: list[StateCount]
    computed_at: datetime.datetime
    late_list_days: int = LATE_LIST_DAYS


def _median_from_histogram(histogram: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, how many) sorted by value."""
    n = sum(count for _value, count in histogram)
    if not n:
        return None
    middle = [(n - 1) // 2, n // 2]  # the two middle positions (equal when n is odd)
    found: list[int] = []
    seen = 0
    for value, count in histogram:
        while len(found) < 2 and middle[len(found)] < seen + count:
            found.append(value)
        seen += count
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


def overview(
    *,
    area: Area,
    period_start: datetime.date,
    period_end: datetime.date,
    estate: Estate | None = None,
    today: datetime.date | None = None,
) -> Overview:
    """The overview's figures, kept `VISIT_OVERVIEW_CACHE_SECONDS` (0: always computed) per area, estate,
    period, day and language (the figures carry translated labels): coordinators reload dashboards often and several look at the same area, while the
    figures move slowly. `Overview.computed_at` says how fresh they are; the lists behind them are live."""
    today = today or timezone.localdate()
    seconds = settings.VISIT_OVERVIEW_CACHE_SECONDS
    if not seconds:
        return overview_compute(area=area, period_start=period_start, period_end=period_end, estate=estate, today=today)
    key = f"visits:overview:{area.pk}:{estate.pk if estate else '-'}:{period_start}:{period_end}:{today}:{translation.get_language()}"
    figures = cache.get(key)
    if figures is None:
        figures = overview_compute(
            area=area, period_start=period_start, period_end=period_end, estate=estate, today=today
        )
        cache.set(key, figures, seconds)
    return figures


def overview_compute(
    *,
    area: Area,
    period_start: datetime.date,
    period_end: datetime.date,
    estate: Estate | None = None,
    today: datetime.date | None = None,
) -> Overview:
    """The coordinator's figures for newcomers who moved in within the period (both days included).

    Seven queries, each an aggregate in the database; only the first and the fifth (late lists) read
    newcomers (through their tenancies), the others read the visit table by its (area, move-in date) index. "Visited within N
    days" means an ambassador met the newcomer (not only left the folder) at most N days after the
    move-in; it is counted only among those who moved in at least N days before today, so recent
    move-ins do not pull the share down.
    """
    today = today or timezone.localdate()
    cut_14 = today - datetime.timedelta(days=14)
    cut_30 = today - datetime.timedelta(days=30)
    newcomers = Newcomer.objects.in_area(area).filter(move_in_date__range=(period_start, period_end))
    visits = Visit.objects.filter(area=area, move_in_date__range=(period_start, period_end))
    overdue_visits = Visit.objects.overdue(today).filter(area=area)
    if estate is not None:
        newcomers = newcomers.filter(tenancy__estate=estate)
        visits = visits.filter(estate=estate)
        overdue_visits = overdue_visits.filter(estate=estate)

    # 1. Newcomers per month, and how many of them moved in long enough ago to be judged at 14/30 days.
    per_month = {
        row["month"]: row
        for row in newcomers.annotate(month=TruncMonth("move_in_date"))
        .values("month")
        .annotate(
            total=Count("pk"),
            judged_14=Count("pk", filter=Q(move_in_date__lte=cut_14)),
            judged_30=Count("pk", filter=Q(move_in_date__lte=cut_30)),
        )
        .order_by()
    }

    # 2. Per month: newcomers met within 14/30 days, and the visits by state.
    closed = Q(status=Visit.Status.CLOSED)
    states = {
        "waiting": Q(status=Visit.Status.OPEN, ambassador__isnull=True),
        "assigned": Q(status=Visit.Status.OPEN, ambassador__isnull=False),
        **{reason: closed & Q(close_reason=reason) for reason in Visit.CloseReason.values},
    }
    visit_months = {
        row["month"]: row
        for row in visits.annotate(month=TruncMonth("move_in_date"))
        .values("month")
        .annotate(
            met_14=Count("newcomer", distinct=True, filter=Q(move_in_date__lte=cut_14, days_to_contact__lte=14)),
            met_30=Count("newcomer", distinct=True, filter=Q(move_in_date__lte=cut_30, days_to_contact__lte=30)),
            met=Count("pk", filter=Q(contact_made=True)),
            **continuing_counts(),
            **{state: Count("pk", filter=condition) for state, condition in states.items()},
        )
        .order_by()
    }
    empty = dict.fromkeys(["met_14", "met_30", *states], 0)
    months = [
        MonthFigures(
            month=month,
            newcomers=row["total"],
            visited_within_14=Share(visit_months.get(month, empty)["met_14"], row["judged_14"]),
            visited_within_30=Share(visit_months.get(month, empty)["met_30"], row["judged_30"]),
        )
        for month, row in sorted(per_month.items())
    ]
    labels = {"waiting": _("Waiting for an ambassador"), "assigned": _("Assigned, not yet done")}
    labels.update({reason: str(label) for reason, label in Visit.CloseReason.choices})
    visits_by_state = [
        StateCount(state, labels[state], sum(row[state] for row in visit_months.values())) for state in states
    ]

    # 3. Overdue now.
    overdue_count = overdue_visits.count()

    # 4. Median days from move-in to first contact, from a histogram (at most a few hundred rows).
    histogram = list(
        visits.filter(days_to_contact__isnull=False)
        .values_list("days_to_contact")
        .annotate(n=Count("pk"))
        .order_by("days_to_contact")
    )

    # 5. Lists that came late: (move-in, listed) pairs, a few per list day, counted in Python so the
    # date arithmetic is the same on PostgreSQL and SQLite.
    late_by: dict[int, int] = {}
    for moved_in, listed_on, n in (
        newcomers.filter(listed_on__gt=F("move_in_date"))
        .values_list("move_in_date", "listed_on")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        days = (listed_on - moved_in).days
        if days > LATE_LIST_DAYS:
            late_by[days] = late_by.get(days, 0) + n
    late_histogram = sorted(late_by.items())

    # 6. Referrals made on these visits.
    referral_counts = Referral.objects.filter(visit__in=visits).aggregate(
        total=Count("pk"), new=Count("pk", filter=Q(status=Referral.Status.NEW))
    )

    # 7. Workload and capacity per ambassador (area-wide: ambassadors cover estates, not periods).
    workload = list(ambassadors_with_load(area=area, today=today).exclude(status=Ambassador.Status.LEFT))

    return Overview(
        area=area,
        estate=estate,
        period_start=period_start,
        period_end=period_end,
        today=today,
        months=months,
        newcomers=sum(month.newcomers for month in months),
        visited_within_14=Share(
            sum(m.visited_within_14.count for m in months), sum(m.visited_within_14.total for m in months)
        ),
        visited_within_30=Share(
            sum(m.visited_within_30.count for m in months), sum(m.visited_within_30.total for m in months)
        ),
        visits_by_state=visits_by_state,
        overdue=overdue_count,
        workload=workload,
        median_days_to_contact=_median_from_histogram(histogram),
        contacts=sum(count for _days, count in histogram),
        late_lists=sum(late_by.values()),
        late_lists_median_days=_median_from_histogram(late_histogram),
        referrals=referral_counts["total"],
        referrals_to_follow_up=referral_counts["new"],
        continuing=Share(
            sum(row["continued"] for row in visit_months.values()), sum(row["met"] for row in visit_months.values())
        ),
        continuing_by_topic=[
            StateCount(topic, str(label), sum(row[f"topic:{topic}"] for row in visit_months.values()))
            for topic, label in LaterContact.Topic.choices
        ],
        computed_at=timezone.now(),
    )


# --- The ambassador corps: training (issue 17) ---------------------------------------------------------


def ambassador_trainings(*, ambassador: Ambassador, today: datetime.date) -> QuerySet[Training]:
    """The sessions an ambassador attended (held by `today`), newest first, for their own profile page."""
    return ambassador.trainings.filter(held_on__lte=today).order_by("-held_on", "title")
