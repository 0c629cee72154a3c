"""Reads for the ambassador corps' pages."""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils import timezone

from apps.core.policy import Perm
from apps.corps.models import Candidate, Onboarding
from apps.organisation.models import Area
from apps.organisation.selectors import get_in_area
from apps.privacy.services import months_before
from apps.visits.models import Ambassador, AmbassadorStatusChange

# --- Recruitment and onboarding (issue 17, points 1 and 2) ----------------------------------------------

# The board's "left" column shows departures of this many months.
LEFT_SHOWN_MONTHS = 12


def area_for_join(slug: str, *, today: datetime.date | None = None) -> Area:
    """The area of a public recruitment page: 404 when there is none or its programme has closed."""
    today = today or timezone.localdate()
    area = Area.objects.filter(slug=slug).first()
    if area is None or (area.closed_on is not None and area.closed_on <= today):
        raise Http404
    return area


def candidate_for_coordinator(user, pk: int, *, area: Area) -> Candidate:
    """A candidate named in the URL of `area`: 404 if missing, 403 unless a coordinator of its area, which
    must be `area`."""
    return get_in_area(
        user,
        Perm.CANDIDATE_MANAGE,
        Candidate.objects.select_related("area", "entrance", "created_by", "ambassador__user", "user"),
        area=area,
        pk=pk,
    )


@dataclass
class Column:
    key: str
    label: str
    candidates: list[Candidate] = field(default_factory=list)
    ambassadors: list[Ambassador] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.candidates) + len(self.ambassadors)


def recruitment_board(*, area: Area, today: datetime.date | None = None) -> tuple[list[Column], list[Candidate]]:
    """The board's columns (interested, intro talk, accepted, trained, active, paused, left) and the
    candidates who did not continue. Two queries whatever the number of people."""
    today = today or timezone.localdate()
    Stage, Status = Candidate.Stage, Ambassador.Status
    columns = {
        Stage.INTERESTED: Column(Stage.INTERESTED, Stage.INTERESTED.label),
        Stage.INTRO_TALK: Column(Stage.INTRO_TALK, Stage.INTRO_TALK.label),
        **{status: Column(status, status.label) for status in Status},
    }
    stopped = []
    candidates = (
        Candidate.objects.filter(area=area)
        .exclude(stage=Stage.ACCEPTED, ambassador__isnull=False)  # they are on the board as ambassadors
        .order_by("interested_on", "pk")
    )
    for candidate in candidates:
        if candidate.stage == Stage.NOT_CONTINUING:
            stopped.append(candidate)
        else:  # interested, intro talk, or accepted and waiting for the person to say yes
            columns[candidate.stage].candidates.append(candidate)
    left_since = months_before(today, LEFT_SHOWN_MONTHS)
    reason = AmbassadorStatusChange.objects.filter(ambassador=OuterRef("pk"), status=Status.LEFT).order_by("-on", "-pk")
    ambassadors = (
        Ambassador.objects.filter(area=area)
        .exclude(status=Status.LEFT, status_since__lt=left_since)
        .select_related("user", "onboarding")
        .annotate(left_reason=Subquery(reason.values("reason")[:1]))
        .order_by("status_since", "user__full_name")
    )
    reasons = dict(Ambassador.LeftReason.choices)
    for ambassador in ambassadors:
        ambassador.left_reason_label = (
            reasons.get(ambassador.left_reason, "") if ambassador.status == Status.LEFT else ""
        )
        columns[ambassador.status].ambassadors.append(ambassador)
    return list(columns.values()), stopped


def onboarding_for_ambassador(*, ambassador: Ambassador) -> Onboarding | None:
    return (
        Onboarding.objects.filter(ambassador=ambassador)
        .select_related("mentor__user", "first_visit_with__user")
        .first()
    )


def first_steps_for_user(*, user) -> list[Onboarding]:
    """The signed-in ambassador's own first steps, while they are accepted or trained (not yet active)."""
    return list(
        Onboarding.objects.filter(
            ambassador__user=user, ambassador__status__in=[Ambassador.Status.ACCEPTED, Ambassador.Status.TRAINED]
        ).select_related("ambassador__area", "mentor__user")
    )
