"""Importing answers collected by an outside interview firm: a CSV with `respondent_ref, language,
interview_date` and one column per question code.

Values as on the answering pages (yes / no / dont_know, 1–7, a choice code, free text), and the Danish
ja / nej / ved ikke; an empty cell is "not answered". Each line stands alone: a line with a problem is
reported (line, column, message) and not imported, every other line is. An unknown column is reported
once, on the header line, and ignored. The same respondent_ref imported again replaces that
respondent's answers instead of adding a second respondent.

A round across areas (`survey_round_import_rows`) reads the same file with one more column, `area` (the
area's short name): each line goes into that area's survey of the round, made when the first line names the
area. A line naming an unknown area, or one outside the round's organisation, is a line error like any other.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.organisation.models import Area
from apps.surveys.models import (
    DONT_KNOW,
    NO,
    SURVEY_LANGUAGES,
    YES,
    Answer,
    Question,
    Response,
    Survey,
    SurveyRound,
)
from apps.surveys.selectors import organisation_areas, round_surveys
from apps.surveys.services import (
    answer_clean,
    is_asked,
    response_settle,
    survey_questions_list,
    survey_round_add_area,
)

FIXED_COLUMNS = ("respondent_ref", "language", "interview_date")
AREA_COLUMN = "area"
DANISH_VALUES = {"ja": YES, "nej": NO, "ved ikke": DONT_KNOW, "ved_ikke": DONT_KNOW, "vedikke": DONT_KNOW}
ENGLISH_VALUES = {"yes": YES, "no": NO, "dont_know": DONT_KNOW, "don't know": DONT_KNOW, "dont know": DONT_KNOW}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")
REF_MAX = Response._meta.get_field("respondent_ref").max_length


class ImportFileRefused(Exception):
    """The file as a whole cannot be read (empty, too large, no respondent_ref column, not text)."""


@dataclass
class ImportResult:
    survey: int
    rows: int = 0
    imported: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"survey": self.survey, "rows": self.rows, "imported": self.imported, "errors": self.errors}


@dataclass
class RoundImportResult:
    """As ImportResult, for a round: `survey` is None, and `areas` counts the lines imported per area."""

    round: SurveyRound
    rows: int = 0
    imported: int = 0
    errors: list[dict] = field(default_factory=list)
    # {slug: {"survey": id, "imported": n}} for the areas a valid line went into, by slug.
    areas: dict[str, dict] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "survey": None,
            "round": {"id": self.round.pk, "title": self.round.title},
            "rows": self.rows,
            "imported": self.imported,
            "errors": self.errors,
            "areas": dict(sorted(self.areas.items())),
        }


def _decode(data: bytes) -> str:
    if not data.strip():
        raise ImportFileRefused(_("The file is empty."))
    if len(data) > settings.SURVEY_IMPORT_MAX_BYTES:
        raise ImportFileRefused(_("The file is too large."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileRefused(_("The file is not a CSV text file."))  # pragma: no cover (cp1252 decodes most bytes)


def _delimiter(header_line: str) -> str:
    # Danish Excel writes semicolons; the firm's own tools usually commas.
    return max((";", ",", "\t"), key=header_line.count)


def _header(value: str) -> str:
    return value.strip().lower().replace(" ", "_")


def _value(question: Question, raw: str) -> str:
    text = " ".join(raw.split())
    if question.kind == Question.Kind.YES_NO_DONTKNOW:
        lowered = text.lower()
        text = DANISH_VALUES.get(lowered) or ENGLISH_VALUES.get(lowered) or lowered
    return answer_clean(question=question, value=text)


def _date(raw: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _reader(data: bytes, *, with_area: bool = False):
    """The header (normalised names) and a csv reader positioned on the first line after it."""
    text = _decode(data)
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0] if lines else ""))
    headers = [_header(h) for h in next(reader, [])]
    if "respondent_ref" not in headers:
        raise ImportFileRefused(_("The file has no respondent_ref column."))
    if with_area and AREA_COLUMN not in headers:
        raise ImportFileRefused(_("The file has no area column (the short name of each line's area)."))
    return headers, reader


def _unknown_columns(headers: list[str], known: set[str]) -> list[dict]:
    return [
        {"line": 1, "column": name or str(index + 1), "message": _("Unknown column; it was not imported.")}
        for index, name in enumerate(headers)
        if name not in known
    ]


def _records(reader):
    """(line number, cells by column) of the lines that are not blank."""
    for record in reader:
        if any(cell.strip() for cell in record):
            yield reader.line_num, record


def _cells(headers: list[str], record: list[str]) -> dict[str, str]:
    return {name: (record[i] if i < len(record) else "") for i, name in enumerate(headers)}


def survey_import_rows(*, survey: Survey, data: bytes, today: datetime.date | None = None) -> ImportResult:
    """Read the file and import every valid line; see the module's docstring. Raises ImportFileRefused."""
    today = today or timezone.localdate()
    headers, reader = _reader(data)
    questions = {q.code: q for q in survey_questions_list(survey)}
    result = ImportResult(survey=survey.pk)
    result.errors.extend(_unknown_columns(headers, {*FIXED_COLUMNS, *questions}))
    seen: dict[str, int] = {}
    for line, record in _records(reader):
        result.rows += 1
        errors = _import_line(
            survey=lambda: survey,
            questions=questions,
            cells=_cells(headers, record),
            line=line,
            seen=seen,
            today=today,
        )
        if errors:
            result.errors.extend(errors)
        else:
            result.imported += 1
    return result


def survey_round_import_rows(
    *, round: SurveyRound, data: bytes, today: datetime.date | None = None
) -> RoundImportResult:
    """Read a file with an `area` column and import every valid line into its area's survey of the round,
    making the area's survey when it has none yet; see the module's docstring. Raises ImportFileRefused."""
    today = today or timezone.localdate()
    headers, reader = _reader(data, with_area=True)
    areas = {area.slug.lower(): area for area in organisation_areas(round.organisation)}
    surveys = {survey.area_id: survey for survey in round_surveys(round)}
    standard = list(Question.objects.filter(area__isnull=True).order_by("pk"))
    # A column is known when a survey of the round asks it, or is a standard question (a new area's survey).
    asked_in_round = {q.code for q in standard}
    for survey in surveys.values():
        asked_in_round.update(q.code for q in survey_questions_list(survey))
    known = {*FIXED_COLUMNS, AREA_COLUMN, *asked_in_round}
    result = RoundImportResult(round=round)
    result.errors.extend(_unknown_columns(headers, known))
    questions_of: dict[int, dict[str, Question]] = {}  # by area id
    seen: dict[str, int] = {}
    for line, record in _records(reader):
        result.rows += 1
        cells = _cells(headers, record)
        area = _round_area(cells.get(AREA_COLUMN, ""), areas=areas, line=line, result=result)
        if area is None:
            continue
        if area.pk not in questions_of:
            # An area without a survey in the round yet: its survey will have the standard questions.
            asked = survey_questions_list(surveys[area.pk]) if area.pk in surveys else standard
            questions_of[area.pk] = {q.code: q for q in asked}

        def survey_of(area: Area = area) -> Survey:
            if area.pk not in surveys:
                surveys[area.pk] = survey_round_add_area(round=round, area=area, by=None)
            return surveys[area.pk]

        questions = questions_of[area.pk]
        errors = _import_line(
            survey=survey_of,
            questions=questions,
            cells=cells,
            line=line,
            seen=seen,
            today=today,
            not_asked=asked_in_round - set(questions),
        )
        if errors:
            result.errors.extend(errors)
            continue
        result.imported += 1
        counts = result.areas.setdefault(area.slug, {"survey": surveys[area.pk].pk, "imported": 0})
        counts["imported"] += 1
    return result


def _round_area(raw: str, *, areas: dict[str, Area], line: int, result: RoundImportResult) -> Area | None:
    slug = raw.strip().lower()  # short names are compared as the firm may have typed them
    message = None
    if not slug:
        message = _("The area is missing.")
    elif slug not in areas:
        message = _("Not an area of %(organisation)s; use the short name of one of its areas.") % {
            "organisation": result.round.organisation.name
        }
    if message:
        result.errors.append({"line": line, "column": AREA_COLUMN, "message": message})
        return None
    return areas[slug]


def _import_line(*, survey, questions, cells, line, seen, today, not_asked=frozenset()) -> list[dict]:
    """Check one line and save it when it has no error. `survey` gives the survey to save into (called only
    then, so a round's area gets its survey from its first good line); `not_asked` are the columns of
    questions the round's other surveys ask but this one does not."""
    errors = []

    def error(column: str, message: str) -> None:
        errors.append({"line": line, "column": column, "message": message})

    ref = cells.get("respondent_ref", "").strip()
    if not ref:
        error("respondent_ref", _("The respondent reference is missing."))
    elif len(ref) > REF_MAX:
        error("respondent_ref", _("The respondent reference is too long."))
    elif ref in seen:
        error("respondent_ref", _("The same respondent is on line %(line)s too.") % {"line": seen[ref]})
    else:
        seen[ref] = line
    language = (cells.get("language", "").strip().lower() or "da")[:2]
    if language not in SURVEY_LANGUAGES:
        error("language", _("Unknown language; use da, en, ar or tr."))
    interviewed = today
    if cells.get("interview_date", "").strip():
        interviewed = _date(cells["interview_date"])
        if interviewed is None:
            error("interview_date", _("Not a date; write it as 2026-05-31 or 31-05-2026."))
        elif interviewed > today:
            error("interview_date", _("The interview date is in the future."))
    answers = _answers(questions=questions, cells=cells, not_asked=not_asked, error=error)
    if errors:
        return errors
    _save(survey=survey(), ref=ref, language=language, interviewed=interviewed, questions=questions, answers=answers)
    return []


def _answers(*, questions, cells, not_asked, error) -> dict[str, str]:
    answers: dict[str, str] = {}
    for code, question in questions.items():
        raw = cells.get(code, "")
        if not raw.strip():
            continue
        try:
            answers[code] = _value(question, raw)
        except ValidationError as exc:
            error(code, " ".join(exc.messages))
    for code in list(answers):
        if not is_asked(questions[code], answers):
            error(code, _("This question is not asked after the earlier answer."))
    for code in sorted(not_asked):
        if cells.get(code, "").strip():
            error(code, _("The survey of this area does not ask this question."))
    return answers


@transaction.atomic
def _save(*, survey, ref, language, interviewed, questions, answers) -> Response:
    at = timezone.make_aware(datetime.datetime.combine(interviewed, datetime.time(12, 0)))
    response, _created = Response.objects.select_for_update().get_or_create(
        survey=survey,
        respondent_ref=ref,
        defaults={"source": Response.Source.IMPORT, "language": language, "started_at": at},
    )
    response.answers.all().delete()
    Answer.objects.bulk_create([Answer(response=response, question=questions[c], value=v) for c, v in answers.items()])
    response.language = language
    response.completed_at = at
    response.answered_on = interviewed
    response.group = ""  # re-imported: the group follows the new contact answer
    response.group_settled_at = None
    response.save(update_fields=["language", "completed_at", "answered_on", "group", "group_settled_at"])
    response_settle(response=response)
    return response
