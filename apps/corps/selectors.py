"""Reads of the ambassador corps, one block per part."""

# --- Recognition (issue 17 point 5) ------------------------------------------------------------------------

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate

from apps.core.policy import Perm
from apps.corps import recognition
from apps.corps.models import RecognitionSettings, ThankYou
from apps.meetings.models import Invitation
from apps.organisation.models import Area
from apps.organisation.selectors import get_in_area
from apps.visits.models import Ambassador, AmbassadorStatusChange, Attempt


def recognition_settings_for(*, area: Area) -> RecognitionSettings:
    """The area's settings; an unsaved default (thank-yous on) when the coordinator never changed them."""
    return RecognitionSettings.objects.filter(area=area).first() or RecognitionSettings(area=area)


def visits_made(*, ambassadors: list[Ambassador], cutoff: datetime.date | None = None) -> dict[int, tuple[int, int]]:
    """Visits each ambassador went to, over all time, and of those, how many before `cutoff`: {id: (all,
    before)}. "Visits made" counts a visit the ambassador recorded an attempt on, met or not at home (the
    folder went in the mailbox), a visit tried twice once; the definition of payroll's monthly count
    (apps.hours.selectors.visits_made). A visit's day is the day it was made (`visited_on`), else recorded.
    One query, grouped by ambassador."""
    counts = {"made": Count("visit", distinct=True)}
    if cutoff is not None:
        counts["before"] = Count("visit", distinct=True, filter=Q(day__lt=cutoff))
    rows = (
        Attempt.objects.filter(ambassador__in=[a.pk for a in ambassadors])
        .annotate(day=Coalesce("visited_on", TruncDate("recorded_at")))
        .values("ambassador_id")
        .annotate(**counts)
    )
    return {row["ambassador_id"]: (row["made"], row.get("before", 0)) for row in rows}


def meetings_attended(*, ambassadors: list[Ambassador]) -> dict[int, int]:
    """Network meetings each ambassador came to, as the coordinator took attendance. One query."""
    rows = (
        Invitation.objects.filter(ambassador__in=[a.pk for a in ambassadors], attended=True)
        .values("ambassador_id")
        .annotate(n=Count("pk"))
    )
    return {row["ambassador_id"]: row["n"] for row in rows}


def status_histories(*, ambassadors: list[Ambassador]) -> dict[int, list[recognition.Change]]:
    """Each ambassador's dated statuses (see `recognition.status_history` for those without rows). One query."""
    rows = AmbassadorStatusChange.objects.filter(ambassador__in=[a.pk for a in ambassadors]).values_list(
        "ambassador_id", "status", "on"
    )
    found: dict[int, list[recognition.Change]] = defaultdict(list)
    for ambassador_id, status, on in rows.order_by("on", "pk"):
        found[ambassador_id].append((status, on))
    return {a.pk: recognition.status_history(a, found.get(a.pk, [])) for a in ambassadors}


@dataclass
class RecognitionRow:
    ambassador: Ambassador
    visits_made: int
    months_active: int
    meetings_attended: int
    next_visit_milestone: int | None  # None: past the last one, left, or no milestones set
    next_anniversary: datetime.date | None
    next_anniversary_years: int | None
    thank_yous: list[ThankYou] = field(default_factory=list)

    @property
    def visits_to_go(self) -> int | None:
        return None if self.next_visit_milestone is None else self.next_visit_milestone - self.visits_made


def recognition_rows(*, area: Area, today: datetime.date, settings: RecognitionSettings) -> list[RecognitionRow]:
    """The area's ambassadors with their figures, next milestones and the thank-yous sent; a fixed number of
    queries whatever the number of ambassadors (ambassadors, visits, meetings, histories, thank-yous)."""
    ambassadors = list(Ambassador.objects.filter(area=area).select_related("user").order_by("user__full_name", "pk"))
    made = visits_made(ambassadors=ambassadors)
    came = meetings_attended(ambassadors=ambassadors)
    histories = status_histories(ambassadors=ambassadors)
    sent: dict[int, list[ThankYou]] = defaultdict(list)
    for thank_you in ThankYou.objects.filter(ambassador__in=[a.pk for a in ambassadors]).select_related("message"):
        sent[thank_you.ambassador_id].append(thank_you)
    rows = []
    for ambassador in ambassadors:
        visits = made.get(ambassador.pk, (0, 0))[0]
        still_here = ambassador.status != Ambassador.Status.LEFT
        years = recognition.full_years(ambassador.started_on, today) + 1
        rows.append(
            RecognitionRow(
                ambassador=ambassador,
                visits_made=visits,
                months_active=recognition.months_from_days(
                    recognition.active_days(histories[ambassador.pk], today=today)
                ),
                meetings_attended=came.get(ambassador.pk, 0),
                next_visit_milestone=recognition.next_visit_milestone(milestones=settings.milestones, now=visits)
                if still_here
                else None,
                next_anniversary=recognition.anniversary(ambassador.started_on, years)
                if still_here and settings.anniversaries
                else None,
                next_anniversary_years=years,
                thank_yous=sent[ambassador.pk],
            )
        )
    return rows


def ambassador_for_recognition(user, pk: int, *, area: Area) -> Ambassador:
    """An ambassador named in the URL of `area`, for the area's coordinators only (404 if missing, 403 for
    anyone else or through another area)."""
    return get_in_area(
        user, Perm.RECOGNITION_MANAGE, Ambassador.objects.select_related("area", "user"), area=area, pk=pk
    )


@dataclass(frozen=True)
class Certificate:
    area: Area
    name: str
    started_on: datetime.date
    ended_on: datetime.date  # the day they left, or today
    has_left: bool
    visits_made: int
    meetings_attended: int
    trainings: list[str]
    signed_by: str
    signed_on: datetime.date


def certificate_for(*, ambassador: Ambassador, signed_by, today: datetime.date) -> Certificate:
    """What the certificate (reference letter) says about one ambassador."""
    has_left = ambassador.status == Ambassador.Status.LEFT
    return Certificate(
        area=ambassador.area,
        name=ambassador.user.full_name,
        started_on=ambassador.started_on,
        ended_on=ambassador.status_since if has_left else today,
        has_left=has_left,
        visits_made=visits_made(ambassadors=[ambassador]).get(ambassador.pk, (0, 0))[0],
        meetings_attended=meetings_attended(ambassadors=[ambassador]).get(ambassador.pk, 0),
        trainings=list(ambassador.trainings.order_by("held_on", "title").values_list("title", flat=True)),
        signed_by=signed_by.full_name,
        signed_on=today,
    )
