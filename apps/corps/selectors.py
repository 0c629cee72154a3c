"""Reads about the ambassador corps: the pages of recruitment, training, recognition and the corps' health."""

import datetime
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.policy import Perm
from apps.corps import recognition
from apps.corps.models import Candidate, Onboarding, RecognitionSettings, ThankYou
from apps.dashboards.periods import add_months, month_last_day
from apps.meetings.models import Invitation
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Estate
from apps.organisation.selectors import get_in_area
from apps.privacy.services import months_before
from apps.visits.models import Ambassador, AmbassadorStatusChange, Attempt, Training, TrainingTopic, language_name

# ---------------------------------------------------------------------------------------------------------
# Health: the coordinator's view of the corps at a glance (corps:health)
# ---------------------------------------------------------------------------------------------------------

# How far back the figures reach: active ambassadors per month, intake and departures per quarter, and the
# newcomers whose languages are compared with the corps'.
HEALTH_MONTHS = 24
HEALTH_QUARTERS = 8
LANGUAGE_DAYS = 365
# An active ambassador with no attempt recorded on any of the last IDLE_DAYS days (and active for at least
# that long, so a newcomer to the corps or someone back from a pause is not listed) is shown as idle.
IDLE_DAYS = 60

Status = Ambassador.Status


@dataclass(frozen=True)
class Step:
    """One dated step of an ambassador's history."""

    on: datetime.date
    status: str
    reason: str = ""


def _status_on(steps: list[Step], day: datetime.date) -> str | None:
    """The status the history gives for `day` (None before the first step)."""
    status = None
    for step in steps:
        if step.on > day:
            break
        status = step.status
    return status


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_label(start: datetime.date) -> str:
    """ "Q1 2026" / "1. kvt. 2026", as the dashboards name quarters."""
    return pgettext("quarter of a year", "Q%(number)s %(year)s") % {
        "number": (start.month - 1) // 3 + 1,
        "year": start.year,
    }


@dataclass(frozen=True)
class Corps:
    """An area's ambassadors as the health page reads them: the profiles' current figures and each one's
    history (two queries, whatever the number of ambassadors and changes)."""

    profiles: list[dict]
    histories: dict[int, list[Step]]

    @property
    def active(self) -> list[dict]:
        return [p for p in self.profiles if p["status"] == Status.ACTIVE]


def corps_read(*, area: Area) -> Corps:
    """The profiles and their histories. An ambassador without history rows (made before the history
    existed, or written directly) is active from `started_on` and in their status from `status_since`."""
    profiles = list(
        Ambassador.objects.filter(area=area).values(
            "pk", "status", "status_since", "started_on", "languages", "visits_per_month"
        )
    )
    histories: dict[int, list[Step]] = defaultdict(list)
    changes = AmbassadorStatusChange.objects.filter(ambassador__area=area).order_by("on", "pk")
    for ambassador_id, on, status, reason in changes.values_list("ambassador_id", "on", "status", "reason"):
        histories[ambassador_id].append(Step(on, status, reason))
    for profile in profiles:
        if profile["pk"] not in histories:
            steps = [Step(profile["started_on"], Status.ACTIVE)]
            if profile["status"] != Status.ACTIVE:
                steps.append(Step(profile["status_since"], profile["status"]))
            histories[profile["pk"]] = sorted(steps, key=lambda step: step.on)
    return Corps(profiles=profiles, histories=dict(histories))


@dataclass(frozen=True)
class MonthCount:
    month: datetime.date  # the first day of the month
    day: datetime.date  # the day counted: the month's last, or today in this month
    active: int

    @property
    def label(self) -> str:
        return formats.date_format(self.month, "N Y")


def active_by_month(*, corps: Corps, today: datetime.date, months: int = HEALTH_MONTHS) -> list[MonthCount]:
    """Active ambassadors at the end of each of the last `months` months (this month: today), oldest first."""
    rows = []
    for back in range(months - 1, -1, -1):
        month = add_months(today, -back)
        day = min(month_last_day(month), today)
        active = sum(1 for steps in corps.histories.values() if _status_on(steps, day) == Status.ACTIVE)
        rows.append(MonthCount(month=month, day=day, active=active))
    return rows


@dataclass(frozen=True)
class QuarterFlow:
    start: datetime.date
    intake: int
    departures: int

    @property
    def label(self) -> str:
        return quarter_label(self.start)


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    label: str
    count: int


@dataclass(frozen=True)
class Flows:
    quarters: list[QuarterFlow]
    reasons: list[ReasonCount]  # departures in those quarters by reason, most first

    @property
    def intake(self) -> int:
        return sum(q.intake for q in self.quarters)

    @property
    def departures(self) -> int:
        return sum(q.departures for q in self.quarters)


def flows_by_quarter(*, corps: Corps, today: datetime.date, quarters: int = HEALTH_QUARTERS) -> Flows:
    """Intake (the day an ambassador first became active; a return from a pause or a comeback is not intake)
    and departures (every step to left, with its reason) per quarter, this quarter and the ones before."""
    starts = [add_months(quarter_start(today), -3 * back) for back in range(quarters - 1, -1, -1)]
    first, end = starts[0], today
    intake: Counter = Counter()
    departures: Counter = Counter()
    reasons: Counter = Counter()
    for steps in corps.histories.values():
        joined = next((step.on for step in steps if step.status == Status.ACTIVE), None)
        if joined and first <= joined <= end:
            intake[quarter_start(joined)] += 1
        for step in steps:
            if step.status == Status.LEFT and first <= step.on <= end:
                departures[quarter_start(step.on)] += 1
                reasons[step.reason] += 1
    labels = dict(Ambassador.LeftReason.choices)
    order = list(labels) + [""]
    return Flows(
        quarters=[QuarterFlow(start=s, intake=intake[s], departures=departures[s]) for s in starts],
        reasons=[
            ReasonCount(reason=r, label=str(labels.get(r, _("Not recorded"))), count=n)
            for r, n in sorted(reasons.items(), key=lambda item: (-item[1], order.index(item[0])))
        ],
    )


@dataclass(frozen=True)
class LanguageRow:
    code: str
    name: str
    newcomers: int
    ambassadors: int

    @property
    def lacking(self) -> bool:
        """Newcomers spoke it, and no active ambassador does."""
        return self.newcomers > 0 and self.ambassadors == 0


@dataclass(frozen=True)
class Languages:
    rows: list[LanguageRow]
    unknown: int  # newcomers of the year whose language is not known
    since: datetime.date

    @property
    def lacking(self) -> list[LanguageRow]:
        return [row for row in self.rows if row.lacking]


def languages_covered(*, area: Area, corps: Corps, today: datetime.date) -> Languages:
    """Per language: newcomers who moved in over the last year, and active ambassadors who speak it. The
    languages newcomers spoke come first (most newcomers first), then those only ambassadors speak."""
    since = today - datetime.timedelta(days=LANGUAGE_DAYS)
    counts = dict(
        Newcomer.objects.in_area(area)
        .filter(move_in_date__gt=since, move_in_date__lte=today)
        .order_by()
        .values("language")
        .annotate(n=Count("pk"))
        .values_list("language", "n")
    )
    unknown = counts.pop("", 0)
    speakers: Counter = Counter(code for profile in corps.active for code in set(profile["languages"]))
    rows = [
        LanguageRow(code=code, name=language_name(code), newcomers=counts.get(code, 0), ambassadors=speakers[code])
        for code in set(counts) | set(speakers)
    ]
    rows.sort(key=lambda row: (-row.newcomers, -row.ambassadors, row.name))
    return Languages(rows=rows, unknown=unknown, since=since)


def estates_without_ambassador(*, area: Area, today: datetime.date) -> QuerySet[Estate]:
    """The area's estates no active ambassador lives in or covers (the estate itself, or one of its
    entrances), with their newcomers of the last year, so the coordinator sees where recruiting matters."""
    active = Ambassador.objects.active().filter(area=area)
    estate = OuterRef("pk")
    since = today - datetime.timedelta(days=LANGUAGE_DAYS)
    return (
        Estate.objects.filter(area=area)
        .filter(
            ~Exists(active.filter(home_tenancy__estate=estate)),
            ~Exists(active.filter(covered_estates=estate)),
            ~Exists(active.filter(covered_entrances__estate=estate)),
        )
        .annotate(
            newcomers_last_year=Count(
                "tenancies__newcomers",
                filter=Q(tenancies__newcomers__move_in_date__gt=since, tenancies__newcomers__move_in_date__lte=today),
            )
        )
        .order_by("number")
    )


def idle_ambassadors(*, area: Area, today: datetime.date) -> QuerySet[Ambassador]:
    """Active ambassadors, active for at least IDLE_DAYS days, who recorded no attempt at a visit on any of
    the last IDLE_DAYS days (an attempt on the day IDLE_DAYS ago no longer counts). An attempt counts on the
    day of the visit (`Attempt.day`), whoever entered it; longest idle first."""
    cutoff = today - datetime.timedelta(days=IDLE_DAYS)
    return (
        Ambassador.objects.active()
        .filter(area=area, status_since__lte=cutoff)
        .annotate(last_attempt=Max(Coalesce("attempts__visited_on", TruncDate("attempts__recorded_at"))))
        .filter(Q(last_attempt__isnull=True) | Q(last_attempt__lte=cutoff))
        .select_related("user")
        .order_by(F("last_attempt").asc(nulls_first=True), "user__full_name")
    )


@dataclass(frozen=True)
class Capacity:
    """Next quarter's expected move-ins (as many as in the same months last year) against the visits the
    active ambassadors want to make in three months."""

    quarter: datetime.date  # the first day of next quarter
    compared_from: datetime.date
    compared_to: datetime.date
    expected: int
    capacity: int
    active: int
    average_per_month: float

    @property
    def label(self) -> str:
        return quarter_label(self.quarter)

    @property
    def shortfall(self) -> int:
        return max(self.expected - self.capacity, 0)

    @property
    def ambassadors_needed(self) -> int:
        """More ambassadors, at today's average number of visits a month, to close the gap."""
        if not self.shortfall:
            return 0
        return math.ceil(self.shortfall / (3 * self.average_per_month))


def capacity_next_quarter(*, area: Area, corps: Corps, today: datetime.date) -> Capacity:
    quarter = add_months(quarter_start(today), 3)
    compared_from = quarter.replace(year=quarter.year - 1)
    compared_to = month_last_day(add_months(compared_from, 2))
    expected = (
        Newcomer.objects.in_area(area).filter(move_in_date__gte=compared_from, move_in_date__lte=compared_to).count()
    )
    wanted = [profile["visits_per_month"] for profile in corps.active]
    default = Ambassador._meta.get_field("visits_per_month").default
    return Capacity(
        quarter=quarter,
        compared_from=compared_from,
        compared_to=compared_to,
        expected=expected,
        capacity=3 * sum(wanted),
        active=len(wanted),
        # With no active ambassador, a new one is reckoned at the profile's default.
        average_per_month=(sum(wanted) / len(wanted) if wanted and sum(wanted) else default),
    )


@dataclass(frozen=True)
class Health:
    months: list[MonthCount]
    flows: Flows
    languages: Languages
    estates: list[Estate]
    idle: list[Ambassador]
    capacity: Capacity
    idle_days: int = IDLE_DAYS


def corps_health(*, area: Area, today: datetime.date) -> Health:
    """Every figure of the health page, in a fixed number of queries."""
    corps = corps_read(area=area)
    return Health(
        months=active_by_month(corps=corps, today=today),
        flows=flows_by_quarter(corps=corps, today=today),
        languages=languages_covered(area=area, corps=corps, today=today),
        estates=list(estates_without_ambassador(area=area, today=today)),
        idle=list(idle_ambassadors(area=area, today=today)),
        capacity=capacity_next_quarter(area=area, corps=corps, today=today),
    )


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


# --- Training -------------------------------------------------------------------------------------------


def training_ambassadors(*, area: Area) -> QuerySet[Ambassador]:
    """The ambassadors training is about: accepted, trained, active and paused (not those who left)."""
    return (
        Ambassador.objects.filter(area=area)
        .exclude(status=Ambassador.Status.LEFT)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def training_topics_of(*, area: Area) -> QuerySet[TrainingTopic]:
    return TrainingTopic.objects.filter(area=area).order_by("name")


def trainings_of(*, area: Area) -> QuerySet[Training]:
    """The area's sessions, newest first, each with its topic and `attendee_count`."""
    # An explicit order: Meta.ordering is not applied to a query with an aggregate.
    return (
        Training.objects.filter(area=area)
        .select_related("topic")
        .annotate(attendee_count=Count("ambassadors"))
        .order_by("-held_on", "title")
    )


def training_for_coordinator(user, pk: int, *, area: Area) -> Training:
    """A session named in the URL of `area`: 404 if missing, 403 unless the user coordinates its area
    (which must be `area`)."""
    return get_in_area(user, Perm.TRAINING_MANAGE, Training.objects.select_related("topic", "area"), area=area, pk=pk)


def training_topic_for_coordinator(user, pk: int, *, area: Area) -> TrainingTopic:
    return get_in_area(user, Perm.TRAINING_MANAGE, TrainingTopic.objects.select_related("area"), area=area, pk=pk)


def training_refresh_due_on(*, topic: TrainingTopic, last: datetime.date | None) -> datetime.date | None:
    """The day a topic is due again after a session on `last`: the refresh period later (None: never)."""
    if last is None or topic.refresh_months is None:
        return None
    return last + relativedelta(months=topic.refresh_months)


@dataclass(frozen=True)
class TrainingState:
    """One ambassador and one topic: the last session of it they attended (held by `today`), and whether
    they lack it or are due a refresher (from the refresh date on)."""

    topic: TrainingTopic
    last: datetime.date | None
    due_on: datetime.date | None
    today: datetime.date

    @property
    def missing(self) -> bool:
        return self.last is None

    @property
    def refresh_due(self) -> bool:
        return self.due_on is not None and self.due_on <= self.today


@dataclass
class AmbassadorTraining:
    ambassador: Ambassador
    states: list[TrainingState]  # in the order of the topics


@dataclass
class TopicTraining:
    topic: TrainingTopic
    missing: list[Ambassador] = field(default_factory=list)
    refresh: list[Ambassador] = field(default_factory=list)


@dataclass
class TrainingOverview:
    topics: list[TrainingTopic]
    rows: list[AmbassadorTraining]  # the matrix: one row per ambassador, one state per topic
    by_topic: list[TopicTraining]  # who lacks each topic, whose training of it should be refreshed


def trainings_last_attended(
    *, ambassadors: Iterable[Ambassador], topics: Iterable[TrainingTopic], today: datetime.date
) -> dict[tuple[int, int], datetime.date]:
    """(ambassador id, topic id) → the day of the last session of the topic they attended, held by `today`
    (a planned session is not yet had). One query, whatever the number of ambassadors and sessions."""
    rows = (
        Training.ambassadors.through.objects.filter(
            ambassador_id__in=[a.pk for a in ambassadors],
            training__topic_id__in=[t.pk for t in topics],
            training__held_on__lte=today,
        )
        .values("ambassador_id", "training__topic_id")
        .annotate(last=Max("training__held_on"))
        .order_by()
    )
    return {(row["ambassador_id"], row["training__topic_id"]): row["last"] for row in rows}


def training_overview(
    *, ambassadors: Sequence[Ambassador], topics: Sequence[TrainingTopic], today: datetime.date
) -> TrainingOverview:
    """Who has had which topic, who lacks it and whose training of it should be refreshed."""
    ambassadors, topics = list(ambassadors), list(topics)
    last = trainings_last_attended(ambassadors=ambassadors, topics=topics, today=today)
    by_topic = {topic.pk: TopicTraining(topic=topic) for topic in topics}
    rows = []
    for ambassador in ambassadors:
        states = []
        for topic in topics:
            when = last.get((ambassador.pk, topic.pk))
            state = TrainingState(
                topic=topic, last=when, due_on=training_refresh_due_on(topic=topic, last=when), today=today
            )
            if state.missing:
                by_topic[topic.pk].missing.append(ambassador)
            elif state.refresh_due:
                by_topic[topic.pk].refresh.append(ambassador)
            states.append(state)
        rows.append(AmbassadorTraining(ambassador=ambassador, states=states))
    return TrainingOverview(topics=topics, rows=rows, by_topic=list(by_topic.values()))


def trainings_missing(
    *, ambassadors: Sequence[Ambassador], topics: Sequence[TrainingTopic], today: datetime.date
) -> list[TopicTraining]:
    """Per topic: the ambassadors who have not had it yet, and those whose last session of it is at least
    the topic's refresh period ago."""
    return training_overview(ambassadors=ambassadors, topics=topics, today=today).by_topic


def ambassador_required_trainings_done(ambassador: Ambassador, *, today: datetime.date | None = None) -> bool:
    """Has the ambassador attended a session (held by today) of every topic of their area that is required
    for new ambassadors? Once is enough here: a refresher that is due does not undo "trained"."""
    today = today or timezone.localdate()
    attended = Training.objects.filter(topic=OuterRef("pk"), ambassadors=ambassador, held_on__lte=today)
    lacking = TrainingTopic.objects.filter(area_id=ambassador.area_id, required=True).filter(~Exists(attended))
    return not lacking.exists()


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
