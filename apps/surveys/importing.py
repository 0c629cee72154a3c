"""Importing answers collected by an outside interview firm: a CSV with `respondent_ref, language,
interview_date` and one column per question code.

Values as on the answering pages (yes / no / dont_know, 1–7, a choice code, free text), and the Danish
ja / nej / ved ikke; an empty cell is "not answered". Each line stands alone: a line with a problem is
reported (line, column, message) and not imported, every other line is. An unknown column is reported
once, on the header line, and ignored. The same respondent_ref imported again replaces that
respondent's answers instead of adding a second respondent.
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

from apps.surveys.models import DONT_KNOW, NO, SURVEY_LANGUAGES, YES, Answer, Question, Response, Survey
from apps.surveys.services import answer_clean, is_asked, response_settle, survey_questions_list

FIXED_COLUMNS = ("respondent_ref", "language", "interview_date")
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


def survey_import_rows(*, survey: Survey, data: bytes, today: datetime.date | None = None) -> ImportResult:
    """Read the file and import every valid line; see the module's docstring. Raises ImportFileRefused."""
    today = today or timezone.localdate()
    text = _decode(data)
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines[0] if lines else ""))
    headers = [_header(h) for h in next(reader, [])]
    if "respondent_ref" not in headers:
        raise ImportFileRefused(_("The file has no respondent_ref column."))
    questions = {q.code: q for q in survey_questions_list(survey)}
    result = ImportResult(survey=survey.pk)
    for index, name in enumerate(headers):
        if name not in FIXED_COLUMNS and name not in questions:
            result.errors.append(
                {"line": 1, "column": name or str(index + 1), "message": _("Unknown column; it was not imported.")}
            )
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        result.rows += 1
        errors = _import_line(
            survey=survey, questions=questions, headers=headers, record=record, line=line, seen=seen, today=today
        )
        if errors:
            result.errors.extend(errors)
        else:
            result.imported += 1
    return result


def _import_line(*, survey, questions, headers, record, line, seen, today) -> list[dict]:
    cells = {name: (record[i] if i < len(record) else "") for i, name in enumerate(headers)}
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
    if errors:
        return errors
    _save(survey=survey, ref=ref, language=language, interviewed=interviewed, questions=questions, answers=answers)
    return []


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
