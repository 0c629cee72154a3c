"""The dashboards' figures: counted once per area and period, then summed for any set of its estates.

`area_counts` runs six aggregate queries whatever the amount of data — newcomers, visits, the
ambassadors who visited, interests, ambassadors by home and network meetings — each grouped by estate
and, where it matters, by move-in month. An estate's figures, several estates' and the whole area's
are then sums over those small rows in Python (`figures_for`), so the board page (estate + area, this
period and last year) costs two computations, and those are cached (`DASHBOARD_CACHE_SECONDS`).

Which newcomers: those who moved in during the period. "Welcomed within N days" means an ambassador
met them (not only left the folder) at most N days after moving in; it is counted only among those who
moved in at least N days before today (as on the coordinator's overview in apps.visits).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.small_numbers import Share
from apps.dashboards.periods import Period
from apps.meetings.models import NetworkMeeting
from apps.newcomers.models import LATE_LIST_DAYS, Newcomer
from apps.organisation.models import Area
from apps.visits.models import Ambassador, LaterContact, Referral, Visit
from apps.visits.selectors import continuing_counts

# Visits by outcome, in the order the dashboards list them: still open, then the close reasons.
OUTCOMES = ("open", *Visit.CloseReason.values)


# Topics of contacts after the visit, in the order the dashboards list them.
TOPICS = tuple(LaterContact.Topic.values)


def topic_label(topic: str) -> str:
    return str(LaterContact.Topic(topic).label)


def outcome_label(outcome: str) -> str:
    if outcome == "open":
        return _("Not finished yet")
    return str(Visit.CloseReason(outcome).label)


@dataclass(frozen=True)
class AreaCounts:
    """Raw counts of one area and period, by estate (and month). Holds ids, never names of people."""

    area_id: int
    start: datetime.date
    end: datetime.date
    today: datetime.date
    computed_at: datetime.datetime
    # (estate id, first day of month) → [newcomers, judged at 14 days, judged at 30 days, came on a list
    # more than LATE_LIST_DAYS after moving in]
    newcomers: dict[tuple[int, datetime.date], list[int]]
    # (estate id, first day of month) → {"met_14", "met_30", "folders", each outcome, "continued" (newcomers
    # met who contacted their ambassador again) and "topic:<topic>" (of those, about that topic): count}
    visits: dict[tuple[int, datetime.date], dict[str, int]]
    # (estate id, ambassador pseudonym) of every ambassador holding a visit of a newcomer of the period
    visitors: frozenset[tuple[int, str]]
    # (estate id, activity name) → interests noted on visits of newcomers of the period
    interests: dict[tuple[int, str], int]
    # home estate id (None: lives outside the area's estates or unknown) → active ambassadors now
    ambassadors_by_home: dict[int | None, int]
    # The area's network meetings held in the period: meetings, attendances, attendances recorded,
    # distinct ambassadors who came
    meetings: dict[str, int] = field(default_factory=dict)


def _aware(day: datetime.date, *, end: bool = False) -> datetime.datetime:
    moment = datetime.datetime.combine(day + datetime.timedelta(days=1) if end else day, datetime.time.min)
    return timezone.make_aware(moment)


def area_counts_compute(*, area: Area, period: Period, today: datetime.date | None = None) -> AreaCounts:
    """Six queries, whatever the number of estates, months or visits."""
    today = today or timezone.localdate()
    now = timezone.now()
    cut_14 = today - datetime.timedelta(days=14)
    cut_30 = today - datetime.timedelta(days=30)
    span = (period.start, period.end)

    # 1. Newcomers per estate and month, how many of them can be judged at 14 and 30 days, and how many
    # came on a list late (their visits are due later; the shares still count from the move-in).
    late_list = Q(listed_on__gt=F("move_in_date") + datetime.timedelta(days=LATE_LIST_DAYS))
    newcomers = {
        (row["tenancy__estate"], row["month"]): [row["total"], row["judged_14"], row["judged_30"], row["late"]]
        for row in Newcomer.objects.in_area(area)
        .filter(move_in_date__range=span)
        .annotate(month=TruncMonth("move_in_date"))
        .values("tenancy__estate", "month")
        .annotate(
            total=Count("pk"),
            judged_14=Count("pk", filter=Q(move_in_date__lte=cut_14)),
            judged_30=Count("pk", filter=Q(move_in_date__lte=cut_30)),
            late=Count("pk", filter=late_list),
        )
        .order_by()
    }

    # 2. Visits per estate and month (Visit.estate and .move_in_date are copied from the newcomer, so
    # this reads the visit table by its (area, move_in_date) index and joins nothing).
    visits_in_period = Visit.objects.filter(area=area, move_in_date__range=span)
    outcome_filters = {"open": Q(status=Visit.Status.OPEN)} | {
        reason: Q(status=Visit.Status.CLOSED, close_reason=reason) for reason in Visit.CloseReason.values
    }
    visits = {
        (row.pop("estate"), row.pop("month")): row
        for row in visits_in_period.annotate(month=TruncMonth("move_in_date"))
        .values("estate", "month")
        .annotate(
            met_14=Count("newcomer", distinct=True, filter=Q(move_in_date__lte=cut_14, days_to_contact__lte=14)),
            met_30=Count("newcomer", distinct=True, filter=Q(move_in_date__lte=cut_30, days_to_contact__lte=30)),
            folders=Count("pk", filter=Q(folder_delivered=True)),
            **continuing_counts(),
            **{outcome: Count("pk", filter=condition) for outcome, condition in outcome_filters.items()},
        )
        .order_by()
    }

    # 3. Who visited: distinct (estate, ambassador) pairs — at most estates × ambassadors rows. Counted by
    # the ambassador's pseudonym, which a visit keeps when retention or an erasure removes the ambassador.
    visitors = frozenset(
        visits_in_period.filter(Q(ambassador__isnull=False) | ~Q(visitor_pseudonym=""))
        .annotate(visitor=Coalesce("ambassador__pseudonym", "visitor_pseudonym"))
        .values_list("estate", "visitor")
        .distinct()
        .order_by()
    )

    # 4. Interests in activities noted on those visits.
    interests = {
        (row["visit__estate"], row["activity__name"]): row["n"]
        for row in Referral.objects.filter(visit__area=area, visit__move_in_date__range=span)
        .values("visit__estate", "activity__name")
        .annotate(n=Count("pk"))
        .order_by()
    }

    # 5. Active ambassadors now, by the estate they live in (area-wide: they visit across estates).
    ambassadors_by_home: dict[int | None, int] = Counter()
    for row in (
        Ambassador.objects.active()
        .filter(area=area)
        .values("home_tenancy__estate", "home_tenancy__estate__area")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        home = row["home_tenancy__estate"] if row["home_tenancy__estate__area"] == area.pk else None
        ambassadors_by_home[home] += row["n"]

    # 6. Network meetings held in the period (meetings belong to the area, not to an estate).
    meetings = (
        NetworkMeeting.objects.held(now)
        .filter(area=area, starts_at__gte=_aware(period.start), starts_at__lt=_aware(period.end, end=True))
        .aggregate(
            held=Count("pk", distinct=True),
            attendances=Count("invitations", filter=Q(invitations__attended=True)),
            recorded=Count("invitations", filter=Q(invitations__attended__isnull=False)),
            attendees=Count("invitations__ambassador", distinct=True, filter=Q(invitations__attended=True)),
        )
    )
    return AreaCounts(
        area_id=area.pk,
        start=period.start,
        end=period.end,
        today=today,
        computed_at=now,
        newcomers=newcomers,
        visits=visits,
        visitors=visitors,
        interests=interests,
        ambassadors_by_home=dict(ambassadors_by_home),
        meetings=meetings,
    )


def area_counts(*, area: Area, period: Period, today: datetime.date | None = None) -> AreaCounts:
    """`area_counts_compute`, kept `DASHBOARD_CACHE_SECONDS` (0: always computed) per area, period and day.

    Boards and coordinators reload dashboards and look at the same areas; the figures move slowly, and
    a page says when they were counted. The key has the day, so "judged at 14 days" never goes stale
    overnight.
    """
    today = today or timezone.localdate()
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return area_counts_compute(area=area, period=period, today=today)
    key = f"dashboards:counts:v3:{area.pk}:{period.start}:{period.end}:{today}"
    counts = cache.get(key)
    if counts is None:
        counts = area_counts_compute(area=area, period=period, today=today)
        cache.set(key, counts, seconds)
    return counts


# --- Figures for a set of estates -----------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    month: datetime.date
    newcomers: int
    within_14: Share
    within_30: Share


@dataclass(frozen=True)
class Figures:
    """The dashboard's figures for some estates of an area (or all of them) and one period."""

    estate_ids: frozenset[int] | None  # None: the whole area
    start: datetime.date
    end: datetime.date
    computed_at: datetime.datetime
    months: list[MonthFigures]
    newcomers: int
    within_14: Share
    within_30: Share
    late_lists: int  # newcomers who came on a list more than LATE_LIST_DAYS after moving in
    outcomes: list[tuple[str, int]]  # (outcome, visits) in OUTCOMES order
    visits: int
    folders: int
    visiting_ambassadors: int
    active_ambassadors: int  # in the whole area, now
    ambassadors_living_here: int  # of those, living in these estates
    interests: list[tuple[str, int]]  # (activity, interests), most first
    meetings_held: int
    meeting_attendances: int
    meeting_attendance: Share  # attendances of the attendances recorded
    meeting_attendees: int  # distinct ambassadors who came
    # Newcomers met who contacted their ambassador again (of those met), and of them per topic.
    continuing: Share = Share(0, 0)
    continuing_topics: list[tuple[str, int]] = field(default_factory=list)  # (topic, newcomers) in TOPICS order

    @property
    def whole_area(self) -> bool:
        return self.estate_ids is None


def figures_for(
    counts: AreaCounts, *, estate_ids: frozenset[int] | set[int] | None, months: list[datetime.date]
) -> Figures:
    """Sum the area's rows for these estates (None: all). No queries."""
    estate_ids = frozenset(estate_ids) if estate_ids is not None else None

    def here(estate_id: int | None) -> bool:
        return estate_ids is None or estate_id in estate_ids

    by_month_newcomers: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (estate_id, month), row in counts.newcomers.items():
        if here(estate_id):
            totals = by_month_newcomers[month]
            for i in range(4):
                totals[i] += row[i]
    by_month_visits: dict[datetime.date, Counter] = defaultdict(Counter)
    for (estate_id, month), row in counts.visits.items():
        if here(estate_id):
            by_month_visits[month].update(row)

    month_rows = []
    for month in months:
        total, judged_14, judged_30, _late = by_month_newcomers.get(month, [0, 0, 0, 0])
        met = by_month_visits.get(month, Counter())
        month_rows.append(
            MonthFigures(
                month=month,
                newcomers=total,
                within_14=Share(met["met_14"], judged_14),
                within_30=Share(met["met_30"], judged_30),
            )
        )
    visit_totals: Counter = Counter()
    for row in by_month_visits.values():
        visit_totals.update(row)
    interests: Counter = Counter()
    for (estate_id, activity), n in counts.interests.items():
        if here(estate_id):
            interests[activity] += n
    active = sum(counts.ambassadors_by_home.values())
    living_here = sum(n for home, n in counts.ambassadors_by_home.items() if home is not None and here(home))
    meetings = counts.meetings
    return Figures(
        estate_ids=estate_ids,
        start=counts.start,
        end=counts.end,
        computed_at=counts.computed_at,
        months=month_rows,
        newcomers=sum(m.newcomers for m in month_rows),
        within_14=sum((m.within_14 for m in month_rows), Share(0, 0)),
        within_30=sum((m.within_30 for m in month_rows), Share(0, 0)),
        late_lists=sum(by_month_newcomers.get(month, [0, 0, 0, 0])[3] for month in months),
        outcomes=[(outcome, visit_totals[outcome]) for outcome in OUTCOMES],
        visits=sum(visit_totals[outcome] for outcome in OUTCOMES),
        folders=visit_totals["folders"],
        visiting_ambassadors=len({ambassador for estate_id, ambassador in counts.visitors if here(estate_id)}),
        active_ambassadors=active,
        ambassadors_living_here=living_here,
        interests=sorted(interests.items(), key=lambda item: (-item[1], item[0])),
        meetings_held=meetings.get("held", 0),
        meeting_attendances=meetings.get("attendances", 0),
        meeting_attendance=Share(meetings.get("attendances", 0), meetings.get("recorded", 0)),
        meeting_attendees=meetings.get("attendees", 0),
        continuing=Share(visit_totals["continued"], visit_totals[Visit.CloseReason.CONTACT]),
        continuing_topics=[(topic, visit_totals[f"topic:{topic}"]) for topic in TOPICS],
    )
