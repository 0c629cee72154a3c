"""The pooled analysis of a survey round: the answers of all the round's areas counted together, as the
evaluation pooled five areas because each alone had too few answers (705 newcomers → 292 with a phone →
78 interviews).

Per question, the one-area analysis (`apps.surveys.analysis`: groups, whole percents, Fisher's exact test)
over the pooled answers, and the Cochran–Mantel–Haenszel test of "yes (or safe) vs the rest" × contact group
stratified by area: where the areas differ both in how many newcomers the ambassadors reached and in how
the newcomers answer, the pooled table can show a difference that is the areas', not the contact's; the
stratified test compares contact and no contact within each area only. A plain-language verdict says which.

Per area, the respondents and groups (exact, for the command line and the round's coordinators) and
`round_area_rows`: the same figures through the small-number rules (`apps.surveys.round_mask`), for pages
shown to others.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext as _

from apps.core.csv_safety import csv_safe
from apps.core.small_numbers import Cell, PercentCell, count_cell
from apps.surveys.analysis import (
    CSV_COLUMNS,
    FEW_ANSWERS,
    GROUPS,
    SIGNIFICANCE,
    Figures,
    empty_counts,
    positive_answer,
    report_rows,
    tally_answers,
    whole_percent,
)
from apps.surveys.models import Question, Response, Survey, SurveyRound
from apps.surveys.round_mask import QuestionMask
from apps.surveys.selectors import funnel_steps, response_rate

# The verdicts of `verdict`, each with its sentence in `conclusion`.
SIGNIFICANT, AREAS_EXPLAIN, WITHIN_AREAS, NOT_SIGNIFICANT, TOO_FEW, NO_TEST = (
    "significant",
    "areas_explain",
    "within_areas",
    "not_significant",
    "too_few",
    "no_test",
)


def mantel_haenszel_p(tables: list[list[list[int]]], *, correction: bool = True) -> float | None:
    """The Cochran–Mantel–Haenszel test of no association in 2×2 tables [[a, b], [c, d]], one per stratum:
    χ² = (|Σ (a − E[a])| − ½)² / Σ Var(a) with one degree of freedom, E[a] = (a+b)(a+c)/n and
    Var(a) = (a+b)(c+d)(a+c)(b+d) / (n²(n−1)); the ½ is the continuity correction, left out when
    |Σ (a − E[a])| < ½ (as R's `mantelhaen.test`, whose default it is). A stratum with one group or one
    answer only has no variance and adds nothing; None when no stratum has any (no test possible)."""
    deviation = variance = 0.0
    for (a, b), (c, d) in tables:
        n = a + b + c + d
        if n < 2:
            continue
        deviation += a - (a + b) * (a + c) / n
        variance += (a + b) * (c + d) * (a + c) * (b + d) / (n * n * (n - 1))
    if variance <= 0:
        return None
    from scipy.stats import chi2  # heavy (about 2 s): imported where it is used

    yates = 0.5 if correction and abs(deviation) >= 0.5 else 0.0
    return float(chi2.sf((abs(deviation) - yates) ** 2 / variance, df=1))


@dataclass
class RoundFigures:
    """A round's counts: pooled, and per area (by slug, areas by name), each a `Figures` per question."""

    round: SurveyRound
    surveys: list[Survey]
    pooled: dict[str, Figures]
    by_area: dict[str, dict[str, Figures]]
    respondents: dict[str, int]
    area_respondents: dict[str, dict[str, int]]
    _masks: dict[str, QuestionMask] = field(default_factory=dict, repr=False)

    def mask(self, code: str) -> QuestionMask:
        """Question `code`'s figures as they may be shown to others, decided once per page or export."""
        if code not in self._masks:
            self._masks[code] = QuestionMask(self, code)
        return self._masks[code]

    def cmh_p(self, code: str) -> float | None:
        """The stratified test's p value of question `code`; None without a yes to count or any stratum
        holding both groups and both answers."""
        if positive_answer(self.pooled[code].question) is None:
            return None
        return mantel_haenszel_p([[area[code].parts(group) for group in GROUPS] for area in self.by_area.values()])


def round_figures(*, round: SurveyRound) -> RoundFigures:
    """Count the completed answers of the round's surveys, pooled and per area (`rounds_figures`)."""
    return rounds_figures(rounds=[round])[round.pk]


def rounds_figures(*, rounds: list[SurveyRound]) -> dict[int, RoundFigures]:
    """Each round's figures (by pk): the completed answers of its surveys, pooled and per area. Five queries,
    however many rounds and areas: the surveys, the questions, the groups, the answers and each response's
    survey."""
    surveys = list(Survey.objects.filter(round__in=rounds).select_related("area").order_by("area__name", "pk"))
    # The questions a round's surveys share: the standard bank, the same in every area.
    asked = (
        Question.objects.filter(area__isnull=True, surveys__round__in=rounds)
        .exclude(kind=Question.Kind.SHORT_TEXT)
        .annotate(round_id=F("surveys__round_id"))
        .distinct()
        .order_by("pk")
    )
    questions_of: dict[int, list[Question]] = defaultdict(list)
    for question in asked:
        questions_of[question.round_id].append(question)
    questions = list({q.pk: q for qs in questions_of.values() for q in qs}.values())
    responses = Response.objects.filter(survey__round__in=rounds, completed_at__isnull=False)
    counts, groups = tally_answers(responses=responses, questions=questions, by="survey")
    respondents_of: dict[int, dict[str, int]] = defaultdict(lambda: {"all": 0, **dict.fromkeys(GROUPS, 0)})
    for pk, survey_id in responses.values_list("pk", "survey_id"):
        respondents_of[survey_id]["all"] += 1
        if groups.get(pk) in GROUPS:
            respondents_of[survey_id][groups[pk]] += 1
    result = {}
    for the_round in rounds:
        own = [s for s in surveys if s.round_id == the_round.pk]
        asked_here = questions_of.get(the_round.pk, [])
        by_area = {
            s.area.slug: {q.code: Figures(question=q, counts=counts[s.pk][q.pk]) for q in asked_here} for s in own
        }
        pooled = {}
        for q in asked_here:
            total = empty_counts()
            for s in own:
                for group, keys in counts[s.pk][q.pk].items():
                    for key, n in keys.items():
                        total[group][key] += n
            pooled[q.code] = Figures(question=q, counts=total)
        area_respondents = {s.area.slug: dict(respondents_of[s.pk]) for s in own}
        respondents = {key: sum(figures[key] for figures in area_respondents.values()) for key in ("all", *GROUPS)}
        result[the_round.pk] = RoundFigures(
            round=the_round,
            surveys=own,
            pooled=pooled,
            by_area=by_area,
            respondents=respondents,
            area_respondents=area_respondents,
        )
    return result


def verdict(figures: Figures, *, cmh_p: float | None) -> str:
    """What can be concluded from one question's pooled figures and its stratified test."""
    if positive_answer(figures.question) is None:
        return NO_TEST
    p = figures.p_value()
    if p is None or min(figures.n(group) for group in GROUPS) < FEW_ANSWERS:
        return TOO_FEW
    within = cmh_p is not None and cmh_p < SIGNIFICANCE
    if p < SIGNIFICANCE:
        return SIGNIFICANT if within else AREAS_EXPLAIN
    return WITHIN_AREAS if within else NOT_SIGNIFICANT


def conclusion(verdict: str) -> str:
    """The verdict in plain language: what can and what cannot be concluded."""
    return {
        SIGNIFICANT: _(
            "Those who met an ambassador answered differently from those who did not, also when each area is "
            "compared within itself: the difference is unlikely to be chance or a difference between the areas. "
            "It does not prove that the visit caused it."
        ),
        AREAS_EXPLAIN: _(
            "Counted together, those who met an ambassador answered differently, but not once the areas are "
            "accounted for: the difference may come from differences between the areas rather than from the "
            "visits."
        ),
        WITHIN_AREAS: _(
            "Counted together the difference is not significant, but compared within each area it is: the areas "
            "differ so much that pooling hides it. Look at the areas one by one before concluding."
        ),
        NOT_SIGNIFICANT: _(
            "No significant difference between those who met an ambassador and those who did not. This does not "
            "show that the visits make no difference: the groups may be too small to show one."
        ),
        TOO_FEW: _(
            "Too few answers in one of the groups to conclude anything: fewer than %(n)s in a group, or nobody "
            "in one of them."
        )
        % {"n": FEW_ANSWERS},
        NO_TEST: _("This question has no yes or no to compare, so there is no test of a difference."),
    }[verdict]


def _four_places(p: float | None) -> float | None:
    """A p value as the reports print it (a function of its own: `survey_round_report` takes `round`)."""
    return None if p is None else round(p, 4)


def survey_round_report(*, round: SurveyRound) -> dict:
    """The round's analysis in the shape `survey_round_report --format json` prints: that of `survey_report`
    (pooled) plus per question `cmh_p_value`, `verdict` and `conclusion`; per area (by slug) its
    respondents, groups and questions (exact counts, as `survey_report`); the funnel per area and pooled."""
    figures = round_figures(round=round)
    questions = {}
    for code, pooled in figures.pooled.items():
        cmh = figures.cmh_p(code)
        the_verdict = verdict(pooled, cmh_p=cmh)
        questions[code] = {
            **pooled.as_report(),
            "cmh_p_value": _four_places(cmh),
            "verdict": the_verdict,
            "conclusion": conclusion(the_verdict),
        }
    areas = {
        slug: {
            "respondents": figures.area_respondents[slug]["all"],
            "groups": {group: figures.area_respondents[slug][group] for group in GROUPS},
            "questions": {code: f.as_report() for code, f in by_question.items()},
        }
        for slug, by_question in figures.by_area.items()
    }
    return {
        "round": figures.round.pk,
        "respondents": figures.respondents["all"],
        "groups": {group: figures.respondents[group] for group in GROUPS},
        "questions": questions,
        "areas": areas,
        "funnel": round_funnel(surveys=figures.surveys),
    }


def round_funnel(*, surveys: list[Survey]) -> dict:
    """The one-area funnel's steps per area (by slug) and summed over the areas, each with its response
    rate (answered of those with a phone or e-mail, the evaluation's 78 of 292) and the completed answers
    that came by other channels (`other_channels`: the QR code, an interview firm's import), which the
    steps do not count. Three queries."""
    funnels = funnel_steps(surveys=surveys)
    areas = {s.area.slug: funnels[s.pk] for s in surveys}
    pooled_steps: dict[str, int] = defaultdict(int)
    pooled_other: dict[str, int] = defaultdict(int)
    for steps, other in areas.values():
        for key, count in steps:
            pooled_steps[key] += count
        for source, count in other.items():
            pooled_other[source] += count

    def shape(steps: list[tuple[str, int]], other: dict[str, int]) -> dict:
        return {**dict(steps), "response_rate": response_rate(steps), "other_channels": dict(sorted(other.items()))}

    return {
        "pooled": shape(list(pooled_steps.items()), pooled_other),
        "areas": {slug: shape(steps, other) for slug, (steps, other) in areas.items()},
    }


def survey_round_report_csv(*, round: SurveyRound) -> str:
    """The round's analysis as CSV: `survey_report`'s lines with an `area` column first (empty on the pooled
    lines, the area's slug on its own) and `cmh_p_value` last (on the pooled lines only); every cell made
    safe for spreadsheets."""
    report = survey_round_report(round=round)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["area", *CSV_COLUMNS, "cmh_p_value"])
    for row in report_rows(report["questions"]):
        writer.writerow([csv_safe(v) for v in ("", *row, report["questions"][row[0]]["cmh_p_value"])])
    for slug, area in report["areas"].items():
        for row in report_rows(area["questions"]):
            writer.writerow([csv_safe(v) for v in (slug, *row, "")])
    return out.getvalue()


@dataclass(frozen=True)
class AreaRow:
    """One area's (or, `area` None, the pooled) figures of a question for a page: per group the number who
    answered and the share answering yes (or safe)."""

    area: str | None
    n: dict[str, Cell]
    share: dict[str, PercentCell]


def round_area_rows(figures: RoundFigures, code: str, *, mask: bool) -> list[AreaRow]:
    """Question `code`'s rows per area and then pooled, for pages; none for a question without a yes.
    With `mask` (shown to anyone but a coordinator allowed to see every area of the round exactly) from the
    question's one suppression decision (`RoundFigures.mask`), so a figure hidden in one area's row cannot be
    worked out from the pooled row and the others, nor from the lines of everyone. A share is shown when its
    n and its yes are: the decision has then made sure the rest (n minus yes) gives nobody away."""
    positive = positive_answer(figures.pooled[code].question)
    if positive is None:
        return []
    slugs = list(figures.by_area)
    rows = []
    for row in [*slugs, None]:
        n, share = {}, {}
        for group in GROUPS:
            yes, rest = (figures.pooled if row is None else figures.by_area[row])[code].parts(group)
            if mask:
                n[group] = figures.mask(code).cell(row, group)
                hidden = n[group].hidden or figures.mask(code).cell(row, group, positive).hidden
            else:
                n[group], hidden = count_cell(yes + rest, mask=False), False
            # Rounded half up, as the analysis; None (shown "–") when hidden or nobody answered.
            percent = None if hidden or not yes + rest else whole_percent(yes, yes + rest)
            share[group] = PercentCell(percent, n[group], hidden=hidden)
        rows.append(AreaRow(area=row, n=n, share=share))
    return rows
