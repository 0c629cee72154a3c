"""Reads for meetings: the area's lists, one meeting's people, the ambassador's "My meetings" and the
attendance overview.

Each function runs a fixed number of queries whatever the amount of data: counts are aggregated in the
database and related rows joined (tests/meetings/test_overview.py counts them).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.core.policy import Perm
from apps.meetings.models import ActionItem, AgendaSuggestion, Invitation, MeetingSeries, NetworkMeeting
from apps.organisation.models import Area
from apps.organisation.selectors import get_in_area
from apps.visits.models import Ambassador

Answer = Invitation.Answer


def _with_counts(meetings: QuerySet[NetworkMeeting]) -> QuerySet[NetworkMeeting]:
    """Each meeting with its invited, answer and attendance counts (one GROUP BY over its invitations)."""
    return meetings.annotate(
        invited_count=Count("invitations"),
        yes_count=Count("invitations", filter=Q(invitations__answer=Answer.YES)),
        no_count=Count("invitations", filter=Q(invitations__answer=Answer.NO)),
        maybe_count=Count("invitations", filter=Q(invitations__answer=Answer.MAYBE)),
        unanswered_count=Count("invitations", filter=Q(invitations__answer=Answer.NONE)),
        attended_count=Count("invitations", filter=Q(invitations__attended=True)),
        # Attendance was taken when any invitation has it recorded (taking it sets every invitation).
        attendance_taken_count=Count("invitations", filter=Q(invitations__attended__isnull=False)),
    )


def meeting_in_area(*, user: User, area: Area, pk: int) -> NetworkMeeting:
    """A meeting named in the URL of `area`: 404 if missing, 403 unless the user plans its meetings there."""
    return get_in_area(
        user, Perm.MEETING_MANAGE, NetworkMeeting.objects.select_related("area", "series"), area=area, pk=pk
    )


def series_in_area(*, user: User, area: Area, pk: int) -> MeetingSeries:
    """A series named in the URL of `area`: 404 if missing or another area's, 403 unless the user plans its
    meetings there. With `planned_until`."""
    return get_in_area(user, Perm.MEETING_MANAGE, _with_planned_until(MeetingSeries.objects.all()), area=area, pk=pk)


def series_of_area(*, area: Area) -> QuerySet[MeetingSeries]:
    """The area's active series with `planned_until`, the date of the last meeting planned (one query)."""
    return _with_planned_until(area.meeting_series.filter(active=True)).order_by("title", "pk")


def _with_planned_until(series: QuerySet[MeetingSeries]) -> QuerySet[MeetingSeries]:
    return series.select_related("area").annotate(planned_until=Max("meetings__series_date"))


def meetings_upcoming(*, area: Area, now: datetime.datetime | None = None) -> QuerySet[NetworkMeeting]:
    """The area's meetings not yet over (cancelled ones too, to show them as cancelled), soonest first."""
    return _with_counts(NetworkMeeting.objects.filter(area=area).upcoming(now or timezone.now()))


def meetings_past(*, area: Area, now: datetime.datetime | None = None) -> QuerySet[NetworkMeeting]:
    """The area's meetings that are over, latest first."""
    return _with_counts(NetworkMeeting.objects.filter(area=area).past(now or timezone.now()))


def meeting_invitations(*, meeting: NetworkMeeting) -> QuerySet[Invitation]:
    """Everyone invited, by name, with their answer and attendance (the detail page and the checklist)."""
    return meeting.invitations.select_related("ambassador__user").order_by("ambassador__user__full_name", "pk")


def meeting_suggestions(*, meeting: NetworkMeeting) -> QuerySet[AgendaSuggestion]:
    return meeting.suggestions.select_related("ambassador__user").order_by("created_at", "pk")


def meeting_action_items(*, meeting: NetworkMeeting) -> QuerySet[ActionItem]:
    return meeting.action_items.select_related("owner__user").order_by("done", "due_date", "pk")


@dataclass(frozen=True)
class MyMeetings:
    upcoming: list[Invitation]  # with .meeting; cancelled ones included so the ambassador sees the change
    with_minutes: list[Invitation]  # past meetings whose minutes are published


def my_meetings(*, user: User, now: datetime.datetime | None = None, past_limit: int = 10) -> MyMeetings:
    """The signed-in ambassador's invitations, in every area where they have not left. Two queries."""
    now = now or timezone.now()
    mine = (
        Invitation.objects.filter(ambassador__user=user)
        .exclude(ambassador__status=Ambassador.Status.LEFT)
        .select_related("meeting__area", "ambassador")
    )
    return MyMeetings(
        upcoming=list(mine.filter(meeting__ends_at__gte=now).order_by("meeting__starts_at", "pk")),
        with_minutes=list(
            mine.filter(meeting__ends_at__lt=now, meeting__minutes_published_at__isnull=False).order_by(
                "-meeting__starts_at", "-pk"
            )[:past_limit]
        ),
    )


def invitation_of_user(*, user: User, meeting: NetworkMeeting) -> Invitation | None:
    """The user's invitation to the meeting, if they were invited (and have not left the programme)."""
    return (
        meeting.invitations.filter(ambassador__user=user)
        .exclude(ambassador__status=Ambassador.Status.LEFT)
        .select_related("ambassador")
        .first()
    )


# --- Attendance overview ------------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class AmbassadorAttendance:
    ambassador: Ambassador
    invited: int  # held meetings in the period they were invited to and attendance was taken
    attended: int

    @property
    def rate(self) -> int | None:
        """Percent of those meetings they came to."""
        return _rate(self.attended, self.invited)


@dataclass(frozen=True)
class MeetingAttendance:
    meeting: NetworkMeeting
    invited: int
    said_yes: int
    attended: int
    taken: bool  # attendance was recorded

    @property
    def rate(self) -> int | None:
        return _rate(self.attended, self.invited) if self.taken else None


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date  # the first day of the month
    active: int


@dataclass(frozen=True)
class AttendanceOverview:
    area: Area
    period_start: datetime.date
    ambassadors: list[AmbassadorAttendance]  # every ambassador who has not left, lowest rate first
    meetings: list[MeetingAttendance]  # held meetings in the period, latest first
    missed_last_three: list[Ambassador]  # active, invited to the last three held meetings, came to none
    active_by_month: list[MonthCount]  # oldest month first


def _month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    firsts, year, month = [], today.year, today.month
    for _i in range(months):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return firsts[::-1]


def _month_end(first: datetime.date, today: datetime.date) -> datetime.date:
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return min(following - datetime.timedelta(days=1), today)


def attendance_overview(*, area: Area, now: datetime.datetime | None = None, months: int = 12) -> AttendanceOverview:
    """Attendance per ambassador and per meeting over the last `months` months, who missed the last three
    held meetings, and how many ambassadors were active at the end of each month.

    "Held" = not cancelled and started. Rates count only meetings where attendance was taken. Four queries.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    firsts = _month_starts(today, months)
    period_start = firsts[0]
    since = timezone.make_aware(datetime.datetime.combine(period_start, datetime.time.min))

    # 1. Held meetings in the period with their counts.
    held = list(
        _with_counts(
            NetworkMeeting.objects.filter(area=area, starts_at__gte=since).held(now).order_by("-starts_at", "-pk")
        )
    )
    meetings = [
        MeetingAttendance(
            meeting=meeting,
            invited=meeting.invited_count,
            said_yes=meeting.yes_count,
            attended=meeting.attended_count,
            taken=meeting.attendance_taken_count > 0,
        )
        for meeting in held
    ]

    # 2. Each ambassador's invitations to those meetings where attendance was taken, and how many they came to.
    counted = Q(
        meeting_invitations__meeting__area=area,
        meeting_invitations__meeting__status=NetworkMeeting.Status.PLANNED,
        meeting_invitations__meeting__starts_at__gte=since,
        meeting_invitations__meeting__starts_at__lte=now,
        meeting_invitations__attended__isnull=False,
    )
    ambassadors = list(
        Ambassador.objects.filter(area=area)
        .exclude(status=Ambassador.Status.LEFT)
        .select_related("user")
        .annotate(
            invited_n=Count("meeting_invitations", filter=counted),
            attended_n=Count("meeting_invitations", filter=counted & Q(meeting_invitations__attended=True)),
        )
        .order_by("user__full_name", "pk")
    )
    per_ambassador = sorted(
        (AmbassadorAttendance(ambassador=a, invited=a.invited_n, attended=a.attended_n) for a in ambassadors),
        key=lambda row: (row.rate is None, row.rate or 0),
    )

    # 3. The last three held meetings with attendance taken (any time, not just the period): who came.
    last_three = [row.meeting.pk for row in meetings if row.taken][:3]
    missed: list[Ambassador] = []
    if len(last_three) == 3:
        came: dict[int, list[bool]] = {}
        for ambassador_id, attended in Invitation.objects.filter(meeting_id__in=last_three).values_list(
            "ambassador_id", "attended"
        ):
            came.setdefault(ambassador_id, []).append(bool(attended))
        missed = [
            a
            for a in ambassadors
            if a.status == Ambassador.Status.ACTIVE and len(came.get(a.pk, [])) == 3 and not any(came[a.pk])
        ]

    # 4. Active at the end of each month, in one aggregate. The profile keeps only its start and its
    # current status with the date it began, so someone paused or gone since counts as active until then.
    ends = [_month_end(first, today) for first in firsts]
    figures = Ambassador.objects.filter(area=area).aggregate(
        **{
            f"m{i}": Count(
                "pk",
                filter=Q(started_on__lte=end) & (Q(status=Ambassador.Status.ACTIVE) | Q(status_since__gt=end)),
            )
            for i, end in enumerate(ends)
        }
    )
    active_by_month = [MonthCount(month=first, active=figures[f"m{i}"]) for i, first in enumerate(firsts)]

    return AttendanceOverview(
        area=area,
        period_start=period_start,
        ambassadors=per_ambassador,
        meetings=meetings,
        missed_last_three=missed,
        active_by_month=active_by_month,
    )


# --- Who a send would reach (the confirmation before a send to many) --------------------------------------


def invite_candidates(*, meeting: NetworkMeeting) -> QuerySet[Ambassador]:
    """The ambassadors `meeting_invite` invites by default: the area's active ones with an active account."""
    return Ambassador.objects.active().filter(area_id=meeting.area_id, user__is_active=True)


def invite_new_recipients(*, meeting: NetworkMeeting) -> list[User]:
    """Who would get an invitation message now: candidates not yet invited (the invited get none again)."""
    candidates = invite_candidates(meeting=meeting).exclude(meeting_invitations__meeting=meeting)
    return [ambassador.user for ambassador in candidates.select_related("user").order_by("pk")]


def series_meetings_after(
    *, series: MeetingSeries, ends_on: datetime.date, now: datetime.datetime | None = None
) -> QuerySet[NetworkMeeting]:
    """The series' planned, not yet started meetings after `ends_on` (by their series date, so a meeting
    moved by hand counts by the day it belongs to): the ones ending the series there cancels."""
    now = now or timezone.now()
    return series.meetings.planned().filter(series_date__gt=ends_on, starts_at__gt=now)


def cancel_recipients(*, meetings) -> list[User]:
    """Who `meeting_cancel` tells, one entry per message: everyone invited who has not left the programme."""
    invitations = (
        Invitation.objects.filter(meeting__in=meetings)
        .exclude(ambassador__status=Ambassador.Status.LEFT)
        .select_related("ambassador__user")
        .order_by("meeting_id", "pk")
    )
    return [invitation.ambassador.user for invitation in invitations]
