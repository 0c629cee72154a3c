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
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from apps.core.csv_safety import csv_safe
from apps.core.small_numbers import Table
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
# The board's tables: respondents known to live in no estate (QR code, imported) are a row of their own;
# the parts of a group's answers to a question are "yes" (or "safe") and the rest, or just "answered".
OUTSIDE = "outside"
YES_PART, REST_PART, ANSWERED = "yes", "rest", "answered"


def whole_percent(part: int, total: int) -> int:
    """`part` of `total` in whole percent, rounded half up (1/8 = 12.5 % → 13 %)."""
    if total <= 0:
        return 0
    return int((Decimal(part) * 100 / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def p_text(p: float | None) -> str | None:
    """p as pages and reports print it, in the page's language: three decimals ("= 0,013" in Danish), or
    "< 0,001"; None when there is no test."""
    if p is None:
        return None
    if p < 0.001:
        return "< " + number_format(0.001, 3)
    return "= " + number_format(round(p, 3), 3)  # rounded first: number_format cuts the other decimals off


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
    from scipy.stats import fisher_exact  # heavy (about 2 s): imported where it is used

    return float(fisher_exact(table, alternative="two-sided").pvalue)


def _key(question: Question, value: str) -> str:
    return scale_group(value) if question.kind == Question.Kind.SCALE_1_7 else value


def positive_answer(question: Question) -> str | None:
    """The answer the 2×2 table counts against the rest: yes, or safe on the scale; none for the others."""
    if question.kind == Question.Kind.YES_NO_DONTKNOW:
        return YES
    if question.kind == Question.Kind.SCALE_1_7:
        return SAFE
    return None


def answer_labels(question: Question) -> dict[str, str]:
    """The question's percent keys as people read them (the analysis page, the round's report)."""
    if question.kind == Question.Kind.SCALE_1_7:
        return {"safe": _("Safe (1–3)"), "neutral": _("Neutral (4)"), "unsafe": _("Unsafe (5–7)")}
    if question.kind == Question.Kind.ONE_CHOICE:
        return {c["code"]: c["texts"].get("da", c["code"]) for c in question.choices}
    return {"yes": _("Yes"), "no": _("No"), "dont_know": _("Don't know")}


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
        positive = positive_answer(self.question)
        if positive is None:
            return None
        return whole_percent(self.counts[group].get(positive, 0), self.n(group))

    def parts(self, group: str) -> list[int]:
        """The group's answers as [yes (or safe), the rest]; [all of them] for a question without a yes."""
        positive = positive_answer(self.question)
        if positive is None:
            return [self.n(group)]
        yes = self.counts[group].get(positive, 0)
        return [yes, self.n(group) - yes]

    def p_value(self) -> float | None:
        positive = positive_answer(self.question)
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


def empty_counts() -> dict[str, dict[str, int]]:
    return {"all": defaultdict(int), CONTACT: defaultdict(int), NO_CONTACT: defaultdict(int)}


# What `tally_answers` can break the counts down by: the respondent's estate, or the survey answered (a round's
# area, in `rounds_figures`).
PLACES = {"estate": "response__estate_id", "survey": "response__survey_id"}


def tally_answers(
    *, responses: QuerySet[Response], questions: list[Question], by: str | None = None
) -> tuple[dict, dict[int, str]]:
    """counts[place][question pk][group][answer key] and each response's group. `place` is None, or by
    "estate" the respondent's estate (OUTSIDE when not known), or by "survey" the survey answered. Two
    queries."""
    groups = response_groups(responses)
    counts: dict = defaultdict(lambda: {q.pk: empty_counts() for q in questions})
    by_pk = {q.pk: q for q in questions}
    answers = Answer.objects.filter(response__in=responses, question__in=questions).exclude(value="")
    rows = answers.values_list("response_id", "question_id", "value", PLACES.get(by, "response_id"))
    for response_id, question_id, value, place_id in rows:
        question = by_pk[question_id]
        key = _key(question, value) if question.kind != Question.Kind.SHORT_TEXT else "text"
        place = (place_id or OUTSIDE) if by else None
        counts[place][question_id]["all"][key] += 1
        group = groups.get(response_id, UNKNOWN)
        if group in GROUPS:
            counts[place][question_id][group][key] += 1
    return counts, groups


def figures_for(
    *, responses: QuerySet[Response], questions: Iterable[Question]
) -> tuple[list[Figures], dict[str, int]]:
    """Counts per question and group for completed `responses`; and the number of respondents per group."""
    questions = list(questions)
    counts, groups = tally_answers(responses=responses, questions=questions)
    respondents = {"all": len(groups)}
    for group in GROUPS:
        respondents[group] = sum(1 for g in groups.values() if g == group)
    return [Figures(question=q, counts=counts[None][q.pk]) for q in questions], respondents


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
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in report_rows(survey_report(survey=survey)["questions"]):
        writer.writerow([csv_safe(value) for value in row])
    return out.getvalue()


CSV_COLUMNS = ["question", "group", "n", "answer", "percent", "p_value", "significant"]


def report_rows(questions: dict[str, dict]) -> Iterable[tuple]:
    """The CSV lines (`CSV_COLUMNS`) of a report's `questions`: one per question, group and answer."""
    for code, q in questions.items():
        for group in ("all", *GROUPS):
            for key, percent in q[group]["percent"].items():
                yield (code, group, q[group]["n"], key, percent, q["p_value"], q["significant"])


def survey_headlines(
    *, area: Area, estate_ids: list[int] | None, start: date, end: date, for_board: bool
) -> list[dict]:
    """The dashboards' survey section: per standard question, per group n and the share answering yes (or
    "safe" on the scale) in whole percent, p value and significance. Each group is
    ``{"n": 23, "percent": 74, "n_text": "23"}``: `n` None when it is hidden (`n_text` says how, "< 5" or
    "–"), `percent` None when hidden or when nobody answered.

    Respondents: completed responses to the area's surveys answered from `start` to `end`. With `estate_ids`,
    only respondents known to live in those estates (anonymous QR and imported answers count only for the
    whole area, `estate_ids=None`). With `for_board`, the small-number rules of every board figure apply
    (`_board_headlines`), and a row with any hidden figure has no p value.
    """
    responses = Response.objects.filter(
        survey__area=area, completed_at__isnull=False, answered_on__gte=start, answered_on__lte=end
    )
    questions = list(Question.objects.filter(area__isnull=True).order_by("pk"))
    if for_board:
        return _board_headlines(responses=responses, questions=questions, estate_ids=estate_ids)
    if estate_ids is not None:
        responses = responses.filter(estate_id__in=estate_ids)
    figures, _respondents = figures_for(responses=responses, questions=questions)
    headlines = []
    for f in figures:
        groups = {}
        for group in GROUPS:
            n = f.n(group)
            groups[group] = {"n": n, "percent": f.share_positive(group) if n else None, "n_text": str(n)}
        headlines.append(_headline(f.question, groups, p=f.p_value()))
    return headlines


def _headline(question: Question, groups: dict[str, dict], *, p: float | None) -> dict:
    language = (translation.get_language() or "da")[:2]
    return {
        "code": question.code,
        "text": question.text(language),
        **groups,
        "p_value": None if p is None else round(p, 4),
        "significant": p is not None and p < SIGNIFICANCE,
    }


def _board_headlines(*, responses: QuerySet[Response], questions: list[Question], estate_ids) -> list[dict]:
    """What a board sees of one estate (`estate_ids` of one) or of the whole area (None).

    Each group's answers to a question, over the whole area, form an estates × (yes, the rest) table with
    its totals (`apps.core.small_numbers.Table`): n is a row's total, the share needs its n, its yes and
    its rest all shown. The hidden figures are chosen once from the area's answers, so an estate's page
    and the area's annual report hide the same figures and none can be worked out from the others.
    """
    if estate_ids is not None and len(estate_ids) != 1:
        raise ValueError("a board sees the survey of one estate or of the whole area")
    row = next(iter(estate_ids)) if estate_ids is not None else None
    counts, _groups = tally_answers(responses=responses, questions=questions, by="estate")
    places = [*sorted(place for place in counts if place != OUTSIDE), OUTSIDE]
    return [_board_headline(question, counts=counts, places=places, row=row) for question in questions]


def _board_headline(question: Question, *, counts: dict, places: list, row) -> dict:
    """One question's row of `_board_headlines`; its p value only when every figure of the row is shown
    (and then from the shown figures alone)."""
    per_place = [Figures(question=question, counts=counts[place][question.pk]) for place in places]
    columns = [ANSWERED] if positive_answer(question) is None else [YES_PART, REST_PART]
    groups, parts = {}, []
    for group in GROUPS:
        table = Table(places, columns, [f.parts(group) for f in per_place])
        n, *shown = [table.cell(row), *(table.cell(row, column) for column in columns)]
        percent = None
        if len(columns) == 2 and n.value and not table.share(row, YES_PART, REST_PART).hidden:
            percent = whole_percent(shown[0].value, n.value)  # rounded half up, as the analysis
        groups[group] = {"n": n.value, "percent": percent, "n_text": n.text}
        parts.append([n, *shown])
    hidden = any(cell.hidden for cells in parts for cell in cells)
    p = None if hidden or len(columns) < 2 else fisher_p([[yes.value, rest.value] for _n, yes, rest in parts])
    return _headline(question, groups, p=p)
