"""The research export of a survey round (issue 18, point 6): the round's answers as anonymised microdata
for researchers who want to do more than the app does, with a data dictionary.

One line per completed response: the area, the move-in quarter, the language group, the contact group and
the answer code of each standard question. Nothing that names or reaches a person (no respondent
reference, estate, date finer than a quarter, or free text), and the lines in a random order that is not
reproducible, so the file's order says nothing about when anyone answered.

k-anonymity on the quasi-identifiers (area, move-in quarter, language group): `coarsen` makes every
combination hold at least `K` people, coarsening the whole file a step at a time — the language to
"da / other", the quarter to a half-year, then to a year, the area to "pooled" — and then suppresses the
lines still in a combination that is too small. The dictionary says which steps were taken and how many
lines were suppressed.
"""

import csv
import io
import random
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from apps.core.csv_safety import csv_safe
from apps.surveys.analysis import response_groups
from apps.surveys.models import STANDARD_CODES, Answer, Question, Response, SurveyQuestion, SurveyRound

# The smallest number of people a combination of the quasi-identifiers may hold.
K = 5
POOLED = "pooled"
DANISH, OTHER = "da", "other"
# The coarsening steps, in the order they are taken.
LANGUAGE_STEP, HALF_YEAR_STEP, YEAR_STEP, AREA_STEP = "language", "half_year", "year", "area"
STEPS = (LANGUAGE_STEP, HALF_YEAR_STEP, YEAR_STEP, AREA_STEP)
# Of the language a respondent answered in, only these are exported as they are; any other is "other".
EXPORTED_LANGUAGES = ("da", "en", "ar", "tr")


@dataclass(frozen=True)
class QuasiKey:
    """A respondent's quasi-identifiers before coarsening: area slug, move-in year and quarter, language."""

    area: str
    year: int
    quarter: int
    language: str


@dataclass
class Coarsening:
    """What `coarsen` did: each input's coarsened (area, period, language), or None where it was suppressed,
    in the input's order; the steps taken (of `STEPS`) and the number of suppressed lines."""

    keys: list[tuple[str, str, str] | None]
    steps: list[str] = field(default_factory=list)
    suppressed: int = 0


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _coarse(key: QuasiKey, level: int) -> tuple[str, str, str]:
    """The key after the first `level` steps of `STEPS`."""
    language = key.language if level < 1 else (DANISH if key.language == DANISH else OTHER)
    if level < 2:
        period = f"{key.year}Q{key.quarter}"
    elif level < 3:
        period = f"{key.year}H{1 if key.quarter <= 2 else 2}"
    else:
        period = str(key.year)
    area = key.area if level < 4 else POOLED
    return area, period, language


def coarsen(keys: list[QuasiKey], *, k: int = K) -> Coarsening:
    """Coarsen the whole file one step of `STEPS` at a time until every combination of (area, period,
    language) holds at least `k` lines; after the last step, suppress the lines in combinations still too
    small. Pure: no database, no randomness."""
    for level in range(len(STEPS) + 1):
        coarse = [_coarse(key, level) for key in keys]
        counts = Counter(coarse)
        if all(n >= k for n in counts.values()):
            return Coarsening(keys=list(coarse), steps=list(STEPS[:level]))
    kept: list[tuple[str, str, str] | None] = [key if counts[key] >= k else None for key in coarse]
    return Coarsening(keys=kept, steps=list(STEPS), suppressed=sum(1 for key in kept if key is None))


@dataclass
class ResearchExport:
    """The export's two files and the figures the dictionary and the access log need."""

    answers_csv: str
    dictionary: str
    questions: list[Question]
    rows: int
    suppressed: int
    steps: list[str]
    interview_quarter_rows: int
    by_area: dict[int, int]

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("answers.csv", self.answers_csv.encode("utf-8"))
            archive.writestr("data_dictionary.md", self.dictionary.encode("utf-8"))
        return buffer.getvalue()


def round_standard_questions(*, round: SurveyRound) -> list[Question]:
    """The standard questions asked in the round's surveys, in the standard bank's order; never free text."""
    ids = SurveyQuestion.objects.filter(survey__round=round).values("question_id")
    questions = Question.objects.filter(pk__in=ids, area__isnull=True, code__in=STANDARD_CODES).exclude(
        kind=Question.Kind.SHORT_TEXT
    )
    return sorted(questions, key=lambda q: STANDARD_CODES.index(q.code))


CSV_HEAD = ["area", "move_in_period", "language_group", "contact_group"]


def research_export(*, round: SurveyRound) -> ResearchExport:
    """The round's anonymised microdata and its data dictionary. Five queries, whatever the round's size."""
    questions = round_standard_questions(round=round)
    responses = Response.objects.filter(survey__round=round, completed_at__isnull=False)
    groups = response_groups(responses)
    rows = list(
        responses.values_list(
            "pk", "survey__area_id", "survey__area__slug", "language", "answered_on", "completed_at",
            "link__newcomer__move_in_date",
        )
    )  # fmt: skip
    allowed = {q.pk: (q.code, frozenset(q.answer_codes())) for q in questions}
    answers: dict[int, dict[str, str]] = {}
    values = Answer.objects.filter(response__in=responses, question_id__in=allowed).exclude(value="")
    for response_id, question_id, value in values.values_list("response_id", "question_id", "value"):
        code, codes = allowed[question_id]
        if value in codes:  # only the question's own answer codes, never anything typed
            answers.setdefault(response_id, {})[code] = value

    keys, interview_quarter = [], []
    for _pk, _area_id, slug, language, answered_on, completed_at, move_in in rows:
        day = move_in or answered_on or completed_at.date()
        interview_quarter.append(move_in is None)
        year, quarter = quarter_of(day)
        keys.append(QuasiKey(slug, year, quarter, language if language in EXPORTED_LANGUAGES else OTHER))
    result = coarsen(keys)

    lines = []
    by_area: dict[int, int] = Counter()
    interview_rows = 0
    for (pk, area_id, *_rest), key, by_interview in zip(rows, result.keys, interview_quarter, strict=True):
        if key is None:
            continue
        by_area[area_id] += 1
        interview_rows += by_interview
        line = [*key, groups.get(pk, "unknown")]
        line += [answers.get(pk, {}).get(q.code, "") for q in questions]
        lines.append(line)
    random.SystemRandom().shuffle(lines)

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_HEAD + [q.code for q in questions])
    for line in lines:
        writer.writerow([csv_safe(value) for value in line])
    export = ResearchExport(
        answers_csv="\ufeff" + out.getvalue(),
        dictionary="",
        questions=questions,
        rows=len(lines),
        suppressed=result.suppressed,
        steps=result.steps,
        interview_quarter_rows=interview_rows,
        by_area=dict(by_area),
    )
    export.dictionary = data_dictionary(round=round, export=export)
    return export


def _step_text(step: str) -> str:
    return {
        LANGUAGE_STEP: _("the language group was coarsened to “da” (Danish) and “other”"),
        HALF_YEAR_STEP: _("the move-in quarter was coarsened to a half-year (e.g. 2025H2)"),
        YEAR_STEP: _("the move-in half-year was coarsened to a year (e.g. 2025)"),
        AREA_STEP: _("the areas were pooled (area “pooled”)"),
    }[step]


def data_dictionary(*, round: SurveyRound, export: ResearchExport) -> str:
    """The data dictionary (Markdown): each column and its codes, the coarsening and the suppressed lines."""
    lines = [
        "# " + _("Research export: %(round)s") % {"round": round.title},
        "",
        _(
            "One line per completed response, in a random order. No names, addresses, phone numbers, "
            "respondent references, dates finer than a quarter or free-text answers. File answers.csv: "
            "UTF-8, semicolon-separated."
        ),
        "",
        "## " + _("Columns"),
        "",
        "- `area`: " + _("the area's short name (slug), or “pooled” where the areas were pooled."),
        "- `move_in_period`: "
        + _(
            "the quarter the respondent moved in (e.g. 2025Q3), or the half-year (2025H2) or year (2025) "
            "after coarsening. Where the respondent is no longer linked to a newcomer (imported answers, "
            "and answers whose link was cut for privacy), the quarter the answers were given is used instead."
        ),
        "- `language_group`: "
        + _("the language the survey was answered in: da, en, ar, tr, other; or “da” / “other” after coarsening."),
        "- `contact_group`: " + _("contact (had ambassador contact), no_contact (no ambassador contact) or unknown."),
    ]
    for question in export.questions:
        codes = ", ".join(question.answer_codes())
        lines.append(
            f"- `{question.code}`: {question.text('da')} — "
            + _("codes: %(codes)s; empty: not answered or not asked.") % {"codes": codes}
        )
    lines += ["", "## " + _("Anonymisation"), ""]
    lines.append(
        _("Every combination of area, move-in period and language group holds at least %(k)s people.") % {"k": K}
    )
    if export.steps:
        lines += ["", _("Coarsening applied, in this order:")] + [f"- {_step_text(step)}" for step in export.steps]
    else:
        lines += ["", _("No coarsening was needed.")]
    lines += [
        "",
        _("Lines: %(rows)s. Suppressed lines (still in a combination under %(k)s after all coarsening): %(n)s.")
        % {"rows": export.rows, "k": K, "n": export.suppressed},
        _("Lines whose period is the quarter of the answers, not of the move-in: %(n)s.")
        % {"n": export.interview_quarter_rows},
        "",
    ]
    return "\n".join(lines)
