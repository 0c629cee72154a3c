"""Reads for the newcomer survey: lists, the response-rate funnel, the interviewer's call list, the QR link
for the welcome folder and the dashboards' headlines (the analysis itself lives in `analysis`)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.accounts.models import User
from apps.core.policy import Perm
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Estate, HousingOrganisation
from apps.organisation.selectors import get_in_area
from apps.surveys.analysis import (
    survey_headlines,  # noqa: F401  (the dashboards import it from here)
    whole_percent,
)
from apps.surveys.models import Answer, CallAttempt, Invitation, Question, Response, Survey, SurveyRound
from apps.surveys.tokens import qr_url


def survey_in_area(*, user: User, area: Area, pk: int) -> Survey:
    """A survey named in the URL of `area`: 404 if missing or of another area, 403 unless the user builds
    the area's surveys."""
    return get_in_area(
        user, Perm.SURVEY_MANAGE, Survey.objects.select_related("area"), area=area, outside=Http404, pk=pk
    )


def surveys_in_area(*, area: Area) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(area=area)
        .annotate(
            invited=Count("invitations", distinct=True),
            completed=Count("responses", filter=Q(responses__completed_at__isnull=False), distinct=True),
        )
        .order_by("-opens_on", "-pk")
    )


def surveys_running_for_interviewer(*, areas: list[Area], on_date: date) -> QuerySet[Survey]:
    return Survey.objects.filter(area__in=areas).running_on(on_date).select_related("area").order_by("area__name", "pk")


def survey_folder_link(*, area: Area, on_date: date) -> str | None:
    """The absolute URL of the QR entry of the survey running in `area` on `on_date` (the latest opened,
    when two overlap), or None when none runs. For the welcome folder's back page."""
    survey = Survey.objects.filter(area=area).running_on(on_date).order_by("-opens_on", "-pk").first()
    return qr_url(survey=survey) if survey else None


def eligible_newcomers(*, survey: Survey) -> QuerySet[Newcomer]:
    """Newcomers of the survey's area and period who may be contacted and have a phone or e-mail."""
    return (
        Newcomer.objects.in_area(survey.area)
        .contactable()
        .filter(move_in_date__gte=survey.period_start, move_in_date__lte=survey.period_end)
        .exclude(phone="", email="")
    )


def newcomers_to_invite(*, survey: Survey) -> QuerySet[Newcomer]:
    """Eligible newcomers not yet invited to the survey: whom "Send invitations" invites now."""
    return eligible_newcomers(survey=survey).exclude(survey_invitations__survey=survey)


def invitation_channel(newcomer: Newcomer) -> str:
    """A personal link goes by SMS, or by e-mail to a newcomer without a phone."""
    return Invitation.Channel.SMS if newcomer.phone else Invitation.Channel.EMAIL


def area_questions(*, area: Area) -> QuerySet[Question]:
    """The questions a survey in the area may use: the standard bank, then the area's own."""
    return Question.objects.filter(Q(area__isnull=True) | Q(area=area)).order_by("area_id", "pk")


# --- Funnel -----------------------------------------------------------------------------------------------


@dataclass
class Funnel:
    steps: list[tuple[str, int]]  # (key, count) from newcomers in the period to answered
    reasons: dict[str, int]  # why invited newcomers did not answer
    dropped_at: list[tuple[Question | None, int]]  # unfinished responses by the last question answered
    other_channels: dict[str, int] = field(default_factory=dict)  # completed answers not from an invitation

    @property
    def response_rate(self) -> int | None:
        """Answered as a share of those with a phone or e-mail, in whole percent (the evaluation's 27 %)."""
        return response_rate(self.steps)


def response_rate(steps: list[tuple[str, int]]) -> int | None:
    """Answered as a share of those with a phone or e-mail, in whole percent; None when nobody had one, or
    nobody was invited (a survey whose answers all came another way, e.g. an interview firm's file: "0 %
    answered" beside its answers would be wrong)."""
    counts = dict(steps)
    if not counts["with_contact"] or not counts.get("invited"):
        return None
    return whole_percent(counts["answered"], counts["with_contact"])


FUNNEL_REASONS = (
    "refused",
    "not_moved_in",
    "moved_away",
    "wrong_number",
    "no_answer",
    "dropped_out",
    "not_reached_yet",
)


@dataclass
class _Tally:
    """One survey's steps and reasons while its invitations are counted."""

    in_period: int = 0
    with_contact: int = 0
    opted_out: int = 0
    invited: int = 0
    reached: int = 0
    answered: int = 0
    opened_only: int = 0
    reasons: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FUNNEL_REASONS, 0))
    other_channels: dict[str, int] = field(default_factory=dict)

    @property
    def steps(self) -> list[tuple[str, int]]:
        return [
            ("in_period", self.in_period),
            ("with_contact", self.with_contact),
            ("invited", self.invited),
            ("reached", self.reached),
            ("answered", self.answered),
        ]


def _funnel_tallies(surveys: list[Survey]) -> dict[int, _Tally]:
    """The steps, reasons and other channels of each of `surveys` (by pk): three queries however many
    surveys there are, so a round's funnel per area costs what one area's does."""
    tallies = {survey.pk: _Tally() for survey in surveys}
    if not surveys:
        return tallies
    # One aggregate per survey and figure, in a single query: each survey has its own area and period.
    aggregates = {}
    for survey in surveys:
        in_period = Q(
            tenancy__estate__area_id=survey.area_id,
            move_in_date__gte=survey.period_start,
            move_in_date__lte=survey.period_end,
        )
        reachable = in_period & ~Q(phone="", email="")
        aggregates[f"total_{survey.pk}"] = Count("pk", filter=in_period)
        aggregates[f"with_contact_{survey.pk}"] = Count("pk", filter=reachable)
        aggregates[f"opted_out_{survey.pk}"] = Count("pk", filter=reachable & Q(do_not_contact=True))
    newcomer_counts = Newcomer.objects.filter(tenancy__estate__area_id__in={s.area_id for s in surveys}).aggregate(
        **aggregates
    )
    max_attempts = {survey.pk: survey.max_call_attempts for survey in surveys}
    for pk, tally in tallies.items():
        tally.in_period = newcomer_counts[f"total_{pk}"]
        tally.with_contact = newcomer_counts[f"with_contact_{pk}"]
        tally.opted_out = newcomer_counts[f"opted_out_{pk}"]
    final = CallAttempt.objects.filter(invitation=OuterRef("pk"), outcome__in=CallAttempt.FINAL).order_by("-called_at")
    attempts = (
        CallAttempt.objects.filter(invitation=OuterRef("pk")).values("invitation").annotate(n=Count("pk")).values("n")
    )
    rows = (
        Invitation.objects.filter(survey__in=list(tallies))
        .annotate(
            final_outcome=Subquery(final.values("outcome")[:1]),
            attempts=Coalesce(Subquery(attempts, output_field=IntegerField()), Value(0)),
            started=Exists(Response.objects.filter(link__invitation=OuterRef("pk"))),
        )
        .values_list("survey_id", "answered_at", "opened_at", "final_outcome", "attempts", "started")
    )
    for survey_id, answered_at, opened_at, final_outcome, attempt_count, started in rows:
        tally = tallies[survey_id]
        tally.invited += 1
        if answered_at:
            tally.answered += 1
            tally.reached += 1
            continue
        if final_outcome in CallAttempt.REACHED or opened_at:
            tally.reached += 1
        if final_outcome and final_outcome != CallAttempt.Outcome.COMPLETED:
            tally.reasons[final_outcome] += 1
        elif opened_at or started:
            tally.reasons["dropped_out"] += 1
            tally.opened_only += not started
        elif attempt_count >= max_attempts[survey_id]:
            tally.reasons["no_answer"] += 1
        else:
            tally.reasons["not_reached_yet"] += 1
    other = (
        Response.objects.filter(survey__in=list(tallies), completed_at__isnull=False)
        .exclude(source__in=[Response.Source.PERSONAL_LINK, Response.Source.INTERVIEW])
        .values_list("survey_id", "source")
        .annotate(n=Count("pk"))
        .order_by("survey_id", "source")
    )
    for survey_id, source, count in other:
        tallies[survey_id].other_channels[source] = count
    return tallies


def funnel_steps(*, surveys: list[Survey]) -> dict[int, tuple[list[tuple[str, int]], dict[str, int]]]:
    """Each survey's funnel steps (newcomers in the period → with phone or e-mail → invited → reached →
    answered) and its completed answers from other channels (QR code, import), by survey pk; a constant
    number of queries."""
    return {pk: (tally.steps, tally.other_channels) for pk, tally in _funnel_tallies(surveys).items()}


def survey_funnel(*, survey: Survey) -> Funnel:
    """Newcomers in the period → with phone or e-mail → invited → reached → answered, with the reasons the
    others did not answer and where those who started stopped. A handful of aggregate queries."""
    tally = _funnel_tallies([survey])[survey.pk]
    unfinished = (
        Response.objects.filter(survey=survey, completed_at__isnull=True)
        .values("last_question")
        .annotate(n=Count("pk"))
        .order_by("-n", "last_question")
    )
    questions = {q.code: q for q in Question.objects.filter(code__in=[row["last_question"] for row in unfinished])}
    return Funnel(
        steps=tally.steps,
        reasons={"opted_out": tally.opted_out, **tally.reasons},
        # Those who opened the link and answered nothing have no response: listed without a question.
        dropped_at=[(questions.get(row["last_question"]), row["n"]) for row in unfinished]
        + ([(None, tally.opened_only)] if tally.opened_only else []),
        other_channels=tally.other_channels,
    )


# --- Call list --------------------------------------------------------------------------------------------


def call_list(*, survey: Survey) -> QuerySet[Invitation]:
    """Invited newcomers an interviewer may still call: a phone number, not opted out, not answered, not
    finished (refused, wrong number, moved …), attempts left. Fewest attempts first."""
    attempts = (
        CallAttempt.objects.filter(invitation=OuterRef("pk")).values("invitation").annotate(n=Count("pk")).values("n")
    )
    last = CallAttempt.objects.filter(invitation=OuterRef("pk")).order_by("-called_at")
    return (
        Invitation.objects.filter(survey=survey, answered_at__isnull=True, newcomer__do_not_contact=False)
        .exclude(newcomer__phone="")
        .exclude(Exists(CallAttempt.objects.filter(invitation=OuterRef("pk"), outcome__in=CallAttempt.FINAL)))
        .annotate(
            attempts=Coalesce(Subquery(attempts, output_field=IntegerField()), Value(0)),
            last_outcome=Subquery(last.values("outcome")[:1]),
            last_called_at=Subquery(last.values("called_at")[:1]),
        )
        .filter(attempts__lt=survey.max_call_attempts)
        # The interviewer sees name and phone number only: what the call needs, not the address.
        .select_related("newcomer")
        .order_by("attempts", "newcomer__move_in_date", "pk")
    )


def free_text_answers(*, survey: Survey) -> QuerySet[Answer]:
    """Short-text answers of completed responses, for the coordinator only (never boards or interviewers)."""
    return (
        Answer.objects.filter(
            response__survey=survey, response__completed_at__isnull=False, question__kind=Question.Kind.SHORT_TEXT
        )
        .exclude(value="")
        .select_related("question")
        .order_by("question_id", "pk")
    )


def invitation_states(*, survey: Survey) -> dict[str, int]:
    """How many invitations are in each state (answered, refused …, opened, reminded, sent, expired)."""
    final = CallAttempt.objects.filter(invitation=OuterRef("pk"), outcome__in=CallAttempt.FINAL).order_by("-called_at")
    order = ["answered", "opened", "reminded", "sent", "waiting", "expired", *CallAttempt.FINAL_ORDER]
    counts: dict[str, int] = dict.fromkeys(order, 0)
    for invitation in Invitation.objects.filter(survey=survey).annotate(
        final_outcome=Subquery(final.values("outcome")[:1])
    ):
        state = invitation.state(final_outcome=invitation.final_outcome or "")
        counts[state] = counts.get(state, 0) + 1
    return {state: count for state, count in counts.items() if count}


# --- Rounds across areas ----------------------------------------------------------------------------------


def organisation_areas(organisation: HousingOrganisation) -> QuerySet[Area]:
    """The areas that hold at least one estate of the organisation: the areas its rounds may cover (an area
    may group estates of several organisations, so it can be in the rounds of each)."""
    estates = Estate.objects.filter(area=OuterRef("pk"), organisation=organisation)
    return Area.objects.filter(Exists(estates)).order_by("name", "pk")


def round_surveys(round: SurveyRound) -> QuerySet[Survey]:
    """The areas' surveys of a round, by area name."""
    return Survey.objects.filter(round=round).select_related("area").order_by("area__name", "pk")
