"""The contact-versus-no-contact analysis, as the evaluation reports it: per question, n per group, the
distribution in whole percent (rounded half up, unanswered excluded), and a two-sided Fisher's exact test on
"yes (or safe) vs the rest" × group, significant when p < 0.05.

Groups: a respondent linked to a newcomer is in the contact group when the newcomer's visit record shows
contact or a delivered folder; a respondent without a newcomer (QR code, imported) by their own
`ambassador_contact` answer (yes → contact, no → no contact; don't know or unanswered → in "all" only).
Once a response's group is settled it is stored on the response and the link is gone.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import translation
from scipy.stats import fisher_exact

from apps.core.csv_safety import csv_safe
from apps.organisation.models import Area
from apps.surveys.models import (
    CONTACT_QUESTION,
    NEUTRAL,
    NO,
    SAFE,
    UNSAFE,
    YES,
    Answer,
    Question,
    Response,
    Survey,
)
from apps.visits.models import Visit

CONTACT, NO_CONTACT, UNKNOWN = Response.Group.CONTACT, Response.Group.NO_CONTACT, Response.Group.UNKNOWN
GROUPS = (CONTACT.value, NO_CONTACT.value)
SIGNIFICANCE = 0.05
# Below this many answers in a group the page says the figures are uncertain.
FEW_ANSWERS = 20
# The board never sees a figure drawn from fewer people than this.
BOARD_MIN_N = 5


def whole_percent(part: int, total: int) -> int:
    """`part` of `total` in whole percent, rounded half up (1/8 = 12.5 % → 13 %)."""
    if total <= 0:
        return 0
    return int((Decimal(part) * 100 / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def scale_group(value: str) -> str:
    """1–3 feels safe, 4 neutral, 5–7 unsafe (the evaluation's grouping of the 1–7 scale)."""
    number = int(value)
    if number <= 3:
        return SAFE
    return NEUTRAL if number == 4 else UNSAFE


def fisher_p(table: list[list[int]]) -> float | None:
    """Two-sided Fisher's exact test on a 2×2 table; None when a row or a column is empty (no test)."""
    (a, b), (c, d) = table
    if a + b == 0 or c + d == 0 or a + c == 0 or b + d == 0:
        return None
    return float(fisher_exact(table, alternative="two-sided").pvalue)


def _key(question: Question, value: str) -> str:
    return scale_group(value) if question.kind == Question.Kind.SCALE_1_7 else value


def _positive(question: Question) -> str | None:
    """The answer the 2×2 table counts against the rest: yes, or safe on the scale; none for the others."""
    if question.kind == Question.Kind.YES_NO_DONTKNOW:
        return YES
    if question.kind == Question.Kind.SCALE_1_7:
        return SAFE
    return None


@dataclass
class Figures:
    """One question's counts: per group (all, contact, no_contact) the count of each percent key."""

    question: Question
    counts: dict[str, dict[str, int]]

    def n(self, group: str) -> int:
        return sum(self.counts[group].values())

    def percent(self, group: str) -> dict[str, int]:
        total = self.n(group)
        return {key: whole_percent(self.counts[group].get(key, 0), total) for key in self.question.percent_keys()}

    def share_positive(self, group: str) -> int | None:
        positive = _positive(self.question)
        if positive is None:
            return None
        return whole_percent(self.counts[group].get(positive, 0), self.n(group))

    def small_answer_count(self, group: str) -> bool:
        """Whether the group's "yes" (or "safe") or the rest are 1–4 people: a board never sees that."""
        positive = _positive(self.question)
        if positive is None:
            return False
        yes = self.counts[group].get(positive, 0)
        return any(0 < count < BOARD_MIN_N for count in (yes, self.n(group) - yes))

    def p_value(self) -> float | None:
        positive = _positive(self.question)
        if positive is None:
            return None
        table = [[self.counts[g].get(positive, 0), self.n(g) - self.counts[g].get(positive, 0)] for g in GROUPS]
        return fisher_p(table)

    def as_report(self) -> dict:
        p = self.p_value()
        result = {group: {"n": self.n(group), "percent": self.percent(group)} for group in ("all", *GROUPS)}
        result["p_value"] = None if p is None else round(p, 4)
        result["significant"] = p is not None and p < SIGNIFICANCE
        return result


def response_groups(responses: QuerySet[Response]) -> dict[int, str]:
    """Each response's group: the settled one, else from the linked newcomer's visits, else from the
    respondent's own `ambassador_contact` answer. One query."""
    contact_visit = Visit.objects.filter(newcomer_id=OuterRef("link__newcomer_id")).filter(
        Q(contact_made=True) | Q(folder_delivered=True)
    )
    own_answer = Answer.objects.filter(response=OuterRef("pk"), question__code=CONTACT_QUESTION).values("value")[:1]
    rows = responses.annotate(visit_contact=Exists(contact_visit), contact_answer=Subquery(own_answer)).values_list(
        "pk", "group", "link__newcomer_id", "visit_contact", "contact_answer"
    )
    return {
        pk: group or _live_group(newcomer_id, visit_contact, answer)
        for pk, group, newcomer_id, visit_contact, answer in rows
    }


def _live_group(newcomer_id: int | None, visit_contact: bool, answer: str | None) -> str:
    if newcomer_id is not None:
        return CONTACT if visit_contact else NO_CONTACT
    if answer == YES:
        return CONTACT
    if answer == NO:
        return NO_CONTACT
    return UNKNOWN


def figures_for(
    *, responses: QuerySet[Response], questions: Iterable[Question]
) -> tuple[list[Figures], dict[str, int]]:
    """Counts per question and group for completed `responses`; and the number of respondents per group."""
    questions = list(questions)
    groups = response_groups(responses)
    counts = {
        q.pk: {"all": defaultdict(int), CONTACT: defaultdict(int), NO_CONTACT: defaultdict(int)} for q in questions
    }
    by_pk = {q.pk: q for q in questions}
    answers = Answer.objects.filter(response__in=responses, question__in=questions).exclude(value="")
    for response_id, question_id, value in answers.values_list("response_id", "question_id", "value"):
        question = by_pk[question_id]
        key = _key(question, value) if question.kind != Question.Kind.SHORT_TEXT else "text"
        counts[question_id]["all"][key] += 1
        group = groups.get(response_id, UNKNOWN)
        if group in GROUPS:
            counts[question_id][group][key] += 1
    respondents = {"all": len(groups)}
    for group in GROUPS:
        respondents[group] = sum(1 for g in groups.values() if g == group)
    return [Figures(question=q, counts=counts[q.pk]) for q in questions], respondents


def completed_responses(*, survey: Survey) -> QuerySet[Response]:
    return Response.objects.filter(survey=survey, completed_at__isnull=False)


def survey_questions(*, survey: Survey) -> list[Question]:
    return [sq.question for sq in survey.survey_questions.select_related("question").order_by("position", "pk")]


def survey_report(*, survey: Survey) -> dict:
    """The analysis in the shape `survey_report --format json` prints."""
    figures, respondents = figures_for(
        responses=completed_responses(survey=survey), questions=survey_questions(survey=survey)
    )
    return {
        "survey": survey.pk,
        "respondents": respondents["all"],
        "groups": {group: respondents[group] for group in GROUPS},
        "questions": {f.question.code: f.as_report() for f in figures if f.question.kind != Question.Kind.SHORT_TEXT},
    }


def survey_report_csv(*, survey: Survey) -> str:
    """The analysis as CSV, one line per question, group and answer; every cell made safe for spreadsheets."""
    report = survey_report(survey=survey)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["question", "group", "n", "answer", "percent", "p_value", "significant"])
    for code, q in report["questions"].items():
        for group in ("all", *GROUPS):
            for key, percent in q[group]["percent"].items():
                row = (code, group, q[group]["n"], key, percent, q["p_value"], q["significant"])
                writer.writerow([csv_safe(value) for value in row])
    return out.getvalue()


def survey_headlines(
    *, area: Area, estate_ids: list[int] | None, start: date, end: date, for_board: bool
) -> list[dict]:
    """The dashboards' survey section: per standard question, per group n and the share answering yes (or
    "safe" on the scale) in whole percent, p value and significance.

    Respondents: completed responses to the area's surveys answered from `start` to `end`. With `estate_ids`,
    only respondents known to live in those estates (anonymous QR and imported answers count only for the
    whole area, `estate_ids=None`). With `for_board`, a group under 5 answers shows neither n nor share
    (None; the page shows "< 5"), and then no p value either.
    """
    responses = Response.objects.filter(
        survey__area=area, completed_at__isnull=False, answered_on__gte=start, answered_on__lte=end
    )
    if estate_ids is not None:
        responses = responses.filter(estate_id__in=estate_ids)
    questions = Question.objects.filter(area__isnull=True).order_by("pk")
    figures, _respondents = figures_for(responses=responses, questions=questions)
    language = (translation.get_language() or "da")[:2]
    headlines = []
    for f in figures:
        row = {"code": f.question.code, "text": f.question.text(language)}
        hidden = False
        for group in GROUPS:
            n = f.n(group)
            if for_board and n < BOARD_MIN_N:
                row[group] = {"n": None, "percent": None}
                hidden = True
            elif for_board and f.small_answer_count(group):
                # The share and n give the answers' count: "yes" or "not yes" by 1–4 people stays hidden.
                row[group] = {"n": n, "percent": None}
                hidden = True
            else:
                row[group] = {"n": n, "percent": f.share_positive(group) if n else None}
        p = None if hidden else f.p_value()
        row["p_value"] = None if p is None else round(p, 4)
        row["significant"] = p is not None and p < SIGNIFICANCE
        headlines.append(row)
    return headlines
