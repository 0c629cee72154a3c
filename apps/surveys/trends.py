"""Issue 18, point 3: the survey rounds of a housing organisation over the years, and its areas side by side.

(a) Per standard question and round, the share answering yes (or safe) per group with its 95 % Wilson
interval, so an effect that grows or fades over the years shows, and how uncertain each year's figure is.
The rounds' answers are counted and shown as each round's own page counts and shows them
(`rounds_figures`, the round's small-number decision `RoundFigures.mask`), all rounds at once: five queries
however many rounds there are.

(b) The programme's own figures per area, as the evaluation's map of the five areas: tenancies, active
ambassadors per 100 tenancies, move-ins, the share welcomed within 14 and 30 days, folders delivered and
relationships continuing after the visit, counted as the coordinator's overview counts them
(`apps.visits.selectors.overview_compute`, `continuing_counts`) for all areas at once: four queries.

Everything shown goes through the small-number rules (`apps.core.small_numbers`): the page is for a
programme lead, who is not the coordinator of each area.
"""

import datetime
import math
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import number_format

from apps.core.policy import Perm, can
from apps.core.small_numbers import NOT_SHOWN, SMALL_NUMBER, Cell, PercentCell, Table, count_cell
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, HousingOrganisation, Tenancy
from apps.surveys.analysis import FEW_ANSWERS, GROUPS, positive_answer, whole_percent
from apps.surveys.models import CONTACT_QUESTION, Question, SurveyRound
from apps.surveys.pooled import rounds_figures
from apps.surveys.selectors import organisation_areas
from apps.visits.models import Ambassador, Visit
from apps.visits.selectors import continuing_counts

# The two-sided 95 % normal quantile.
Z_95 = 1.959963984540054
# The groups in the order the table and the chart show them.
TREND_GROUPS = (*GROUPS, "all")
# Move-ins counted when there is no round to take the period from.
DEFAULT_PERIOD_DAYS = 365


def wilson_interval(yes: int, n: int, *, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of the proportion `yes` of `n` (Wilson 1927): unlike p ± z·SE it stays
    within 0–1 and is sound for small groups and shares near 0 or 1. None when nobody answered."""
    if n <= 0:
        return None
    p = yes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class TrendPoint:
    """One group's share in one round: whole percents, None when not shown (too few answers)."""

    group: str
    n: Cell
    percent: int | None
    low: int | None
    high: int | None
    uncertain: bool  # fewer than FEW_ANSWERS answered: read as a tendency

    @property
    def shown(self) -> bool:
        return self.percent is not None


def trend_point(group: str, yes: int, n: int, *, n_cell: Cell, shown: bool) -> TrendPoint:
    """One group's share: `n_cell` and `shown` from the round's small-number decision (`RoundFigures.mask`,
    the same as the round's page), the percentage and its interval from the exact counts."""
    if not shown or n < SMALL_NUMBER:
        return TrendPoint(group, n_cell, None, None, None, uncertain=n < FEW_ANSWERS)
    low, high = wilson_interval(yes, n)
    return TrendPoint(
        group, n_cell, whole_percent(yes, n), round(100 * low), round(100 * high), uncertain=n < FEW_ANSWERS
    )


@dataclass(frozen=True)
class RoundTrend:
    round: SurveyRound
    points: list[TrendPoint]  # in TREND_GROUPS order


@dataclass(frozen=True)
class QuestionTrend:
    question: Question
    rounds: list[RoundTrend]  # oldest first


def question_trends(*, rounds: list[SurveyRound]) -> list[QuestionTrend]:
    """Per standard question with a yes (or safe) but the contact question, its share per round (oldest
    first) and group, each shown as the round's own page shows it (`rounds_figures`: five queries, however
    many rounds)."""
    rounds = sorted(rounds, key=lambda r: (r.period_start, r.pk))
    if not rounds:
        return []
    figures = rounds_figures(rounds=rounds)
    questions = {f.question.pk: f.question for r in rounds for f in figures[r.pk].pooled.values()}
    # The contact question makes the groups (100 % against 0 % by definition): nothing to follow over time.
    questions = [
        q for pk, q in sorted(questions.items()) if positive_answer(q) is not None and q.code != CONTACT_QUESTION
    ]
    trends = []
    for question in questions:
        positive = positive_answer(question)
        per_round = []
        for the_round in rounds:
            round_figures = figures[the_round.pk]
            points = []
            for group in TREND_GROUPS:
                if question.code not in round_figures.pooled:  # not asked in this round
                    points.append(trend_point(group, 0, 0, n_cell=count_cell(0, mask=True), shown=False))
                    continue
                exact = round_figures.pooled[question.code]
                mask = round_figures.mask(question.code)
                n_cell, yes_cell = mask.cell(None, group), mask.cell(None, group, positive)
                yes = exact.counts[group].get(positive, 0)
                points.append(
                    trend_point(group, yes, exact.n(group), n_cell=n_cell, shown=not (n_cell.hidden or yes_cell.hidden))
                )
            per_round.append(RoundTrend(the_round, points))
        trends.append(QuestionTrend(question, per_round))
    return trends


# --- (b) The areas side by side ------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaFigures:
    area: Area
    tenancies: int  # dwellings, not people: exact
    ambassadors: Cell
    ambassadors_per_100: str  # one decimal in the current language, "–" when the ambassadors are not shown
    move_ins: Cell
    welcomed_14: PercentCell
    welcomed_30: PercentCell
    folders: Cell
    continuing: PercentCell


def _share_cell(count: int, total: int) -> PercentCell:
    table = Table(["row"], ["yes", "rest"], [[count, total - count]])
    return table.share("row", "yes", "rest")


def trend_period(
    *, rounds: list[SurveyRound], today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The move-ins the areas' figures count: the latest round's period, or else the last 12 months."""
    if rounds:
        latest = max(rounds, key=lambda r: (r.period_start, r.pk))
        return latest.period_start, latest.period_end
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today


def areas_side_by_side(
    *, areas: list[Area], period_start: datetime.date, period_end: datetime.date, today: datetime.date | None = None
) -> list[AreaFigures]:
    """The programme's figures per area for newcomers who moved in within the period, counted as the
    coordinator's overview counts them (welcomed within N days: met at most N days after moving in, among
    those who moved in at least N days before today). Four queries, however many areas."""
    today = today or timezone.localdate()
    cut_14 = today - datetime.timedelta(days=14)
    cut_30 = today - datetime.timedelta(days=30)
    ids = [a.pk for a in areas]
    tenancies = dict(
        Tenancy.objects.filter(estate__area__in=ids)
        .values("estate__area")
        .annotate(n=Count("pk"))
        .values_list("estate__area", "n")
    )
    ambassadors = dict(
        Ambassador.objects.filter(area__in=ids, status=Ambassador.Status.ACTIVE)
        .values("area")
        .annotate(n=Count("pk"))
        .values_list("area", "n")
    )
    newcomers = {
        row["tenancy__estate__area"]: row
        for row in Newcomer.objects.filter(
            tenancy__estate__area__in=ids, move_in_date__range=(period_start, period_end)
        )
        .values("tenancy__estate__area")
        .annotate(
            total=Count("pk"),
            judged_14=Count("pk", filter=Q(move_in_date__lte=cut_14)),
            judged_30=Count("pk", filter=Q(move_in_date__lte=cut_30)),
        )
        .order_by()
    }
    visits = {
        row["area"]: row
        for row in Visit.objects.filter(area__in=ids, move_in_date__range=(period_start, period_end))
        .values("area")
        .annotate(
            met_14=Count("newcomer", distinct=True, filter=Q(move_in_date__lte=cut_14, days_to_contact__lte=14)),
            met_30=Count("newcomer", distinct=True, filter=Q(move_in_date__lte=cut_30, days_to_contact__lte=30)),
            folders=Count("newcomer", distinct=True, filter=Q(folder_delivered=True)),
            met=Count("pk", filter=Q(contact_made=True)),
            continued=continuing_counts()["continued"],
        )
        .order_by()
    }
    rows = []
    for area in areas:
        n = newcomers.get(area.pk, {"total": 0, "judged_14": 0, "judged_30": 0})
        v = visits.get(area.pk, {"met_14": 0, "met_30": 0, "folders": 0, "met": 0, "continued": 0})
        homes = tenancies.get(area.pk, 0)
        active = count_cell(ambassadors.get(area.pk, 0), mask=True)
        # In the page's language ("1,9" in Danish); rounded first: number_format cuts the other decimals off.
        per_100 = NOT_SHOWN if active.hidden or not homes else number_format(round(100 * active.value / homes, 1), 1)
        rows.append(
            AreaFigures(
                area=area,
                tenancies=homes,
                ambassadors=active,
                ambassadors_per_100=per_100,
                move_ins=count_cell(n["total"], mask=True),
                welcomed_14=_share_cell(v["met_14"], n["judged_14"]),
                welcomed_30=_share_cell(v["met_30"], n["judged_30"]),
                folders=count_cell(v["folders"], mask=True),
                continuing=_share_cell(v["continued"], v["met"]),
            )
        )
    return rows


# --- Who sees which rounds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendScope:
    organisation: HousingOrganisation
    rounds: list[SurveyRound]  # those the user may view, oldest first
    areas: list[Area]


def trend_scope_for_user(user, slug: str) -> TrendScope:
    """The organisation named in the URL (404 when unknown) with the rounds `user` may view
    (`Perm.SURVEY_ROUND_VIEW`, checked per round) and their areas — all the organisation's areas for an
    admin. 403 when the user is no admin and may view none of its rounds. Three queries and the user's
    memberships, however many rounds (each round's surveys are prefetched for the rule)."""
    organisation = get_object_or_404(HousingOrganisation, slug=slug)
    candidates = SurveyRound.objects.filter(organisation=organisation).prefetch_related("surveys")
    rounds = sorted(
        (r for r in candidates if can(user, Perm.SURVEY_ROUND_VIEW, r)), key=lambda r: (r.period_start, r.pk)
    )
    if user.is_superuser:
        areas = list(organisation_areas(organisation))
    elif rounds:
        area_ids = {s.area_id for r in rounds for s in r.surveys.all()}
        areas = list(Area.objects.filter(pk__in=area_ids).order_by("name", "pk"))
    else:
        raise PermissionDenied
    return TrendScope(organisation=organisation, rounds=rounds, areas=areas)
