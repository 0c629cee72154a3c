"""A survey round's pooled results for pages and downloads that people other than the round's coordinators
may see (a programme lead): the same figures as `survey_round_report`, but every count and percentage of an
area, and of the pooled round, through the small-number rules (`apps.core.small_numbers`).

Per question, the areas × groups × answers counts are decided together (`apps.surveys.round_mask`), so a
figure hidden in one area's line cannot be worked out from the pooled line and the other areas', nor from
everyone's line and the other group's. A percentage is shown only when its count and its base are both
shown.
"""

import csv
import io
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from apps.core.csv_safety import csv_safe
from apps.core.policy import Perm, can
from apps.core.small_numbers import NOT_SHOWN, Cell
from apps.surveys.analysis import CSV_COLUMNS, GROUPS, SIGNIFICANCE, whole_percent
from apps.surveys.models import Survey, SurveyRound
from apps.surveys.pooled import RoundFigures, _four_places, round_figures
from apps.surveys.round_mask import funnel_masked

ALL_GROUPS = ("all", *GROUPS)


def rounds_for_user(*, user) -> list[SurveyRound]:
    """The rounds `user` may view: the rule of `Perm.SURVEY_ROUND_VIEW` asked of every round, each with its
    surveys (the areas the rule compares) prefetched, so the list costs the same few queries however many
    rounds and areas there are. The rule is the one answer (the programme lead's role extends it there);
    no queryset here repeats it. Rounds are few (one per organisation and year), so asking each is cheap."""
    if not getattr(user, "is_authenticated", False):
        return []
    rounds = SurveyRound.objects.select_related("organisation").prefetch_related(
        Prefetch("surveys", queryset=Survey.objects.select_related("area").order_by("area__name"))
    )
    return [r for r in rounds if can(user, Perm.SURVEY_ROUND_VIEW, r)]


def round_queryset() -> QuerySet[SurveyRound]:
    """Rounds with what the view rule reads (their surveys) loaded at once."""
    return SurveyRound.objects.select_related("organisation").prefetch_related("surveys")


@dataclass(frozen=True)
class MaskedLine:
    """One group's answers to one question in one area (`area` None: the whole round) as they may be shown:
    the number who answered and the percentage per answer (None when hidden or nobody answered)."""

    area: str | None
    group: str
    n: Cell
    percent: dict[str, int | None]

    @property
    def complete(self) -> bool:
        """Every figure shown: the line can be drawn as a bar."""
        return not self.n.hidden and bool(self.n.value) and all(p is not None for p in self.percent.values())


def masked_lines(figures: RoundFigures, code: str) -> dict[tuple[str | None, str], MaskedLine]:
    """Question `code`'s lines by (area slug or None, group), from the question's one suppression decision
    (`RoundFigures.mask`): a percentage is shown when its count and its base are. Per area contact and no
    contact; everyone for the round only (`QuestionMask`)."""
    mask = figures.mask(code)
    lines = {}
    for row, group in mask.lines():
        base = mask.cell(row, group)
        percent = {}
        for key in mask.keys:
            cell = mask.cell(row, group, key)
            percent[key] = None if base.hidden or cell.hidden else whole_percent(cell.value, base.value)
        lines[(row, group)] = MaskedLine(area=row, group=group, n=base, percent=percent)
    return lines


def survey_round_report_csv_masked(*, round: SurveyRound) -> str:
    """`survey_round_report_csv`'s lines (an `area` column first, empty on the pooled lines; `cmh_p_value`
    last, on the pooled lines; an area's lines for contact and no contact, everyone for the round only: see
    `round_mask`) with every n and percentage through the small-number rules: "< 5" for a count
    of 1–4, "–" for a figure that would give a hidden one away. An area's own test (p value, significant) is
    left empty where one of its figures for the question is hidden: a p value of a few answers could tell
    the counts behind it. The pooled lines keep their tests, as the page does."""
    figures = round_figures(round=round)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["area", *CSV_COLUMNS, "cmh_p_value"])
    lines = {code: masked_lines(figures, code) for code in figures.pooled}
    for area in [None, *figures.by_area]:
        for code, pooled in figures.pooled.items():
            own = [lines[code][(area, group)] for group in ALL_GROUPS if (area, group) in lines[code]]
            if area is None:
                p, cmh = pooled.p_value(), _four_places(figures.cmh_p(code))
            else:
                p, cmh = figures.by_area[area][code].p_value(), ""
            # The pooled tests are kept (the page shows them too); an area's only where all its figures are.
            test_shown = area is None or all(not line.n.hidden and None not in line.percent.values() for line in own)
            p_text = _four_places(p) if test_shown else ""
            significant = (p is not None and p < SIGNIFICANCE) if test_shown else ""
            for line in own:
                for key, percent in line.percent.items():
                    shown_percent = NOT_SHOWN if percent is None else percent
                    row = (area or "", code, line.group, line.n.text, key, shown_percent, p_text, significant, cmh)
                    writer.writerow([csv_safe(v) for v in row])
    return out.getvalue()


def funnel_cells(funnel: dict) -> dict:
    """`round_funnel`'s steps as they may be shown (`round_mask.funnel_masked`): {"pooled": cells,
    "areas": {slug: cells}}, counts of 1–4 as "< 5", a step that would give an area's away as "–", the rate
    only when those answered and those with a phone or e-mail are both shown."""
    return funnel_masked(funnel)
