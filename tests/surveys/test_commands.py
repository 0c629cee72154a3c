"""The command line: importing an interview firm's answers and printing the analysis."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.surveys.models import Response, Survey

pytestmark = pytest.mark.django_db

GOOD = (
    "respondent_ref;language;interview_date;ambassador_contact;happy_living_here;safety_scale;received_folder;looked_at_folder\n"
    "R1;da;2026-05-02;ja;Ja;2;ja;nej\n"
    "R2;ar;03-05-2026;nej;ved ikke;6;nej;\n"
    "R3;tr;;yes;no;;dont_know;\n"
)


def _run(tmp_path, text: str, *args) -> dict:
    path = tmp_path / "firm.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_survey_responses", str(path), *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_import_prints_the_documented_json_and_accepts_danish_values(tmp_path, survey):
    result = _run(tmp_path, GOOD, "--survey", str(survey.pk))

    assert result == {"survey": survey.pk, "rows": 3, "imported": 3, "errors": []}
    r1 = Response.objects.get(respondent_ref="R1")
    assert dict(r1.answers.values_list("question__code", "value")) == {
        "ambassador_contact": "yes",
        "happy_living_here": "yes",
        "safety_scale": "2",
        "received_folder": "yes",
        "looked_at_folder": "no",
    }
    assert r1.source == Response.Source.IMPORT and r1.completed_at and str(r1.answered_on) == "2026-05-02"
    assert Response.objects.get(respondent_ref="R2").group == Response.Group.NO_CONTACT
    assert Response.objects.get(respondent_ref="R1").group == Response.Group.CONTACT


def test_bad_lines_are_reported_and_the_valid_ones_imported(tmp_path, survey):
    text = (
        "respondent_ref,language,interview_date,happy_living_here,safety_scale,received_folder,looked_at_folder,shoe_size\n"
        "A1,da,2026-05-02,ja,3,ja,ja,42\n"  # fine (the unknown column is ignored)
        "A2,da,2026-05-02,perhaps,3,,,\n"  # wrong value
        "A3,da,2026-05-02,ja,9,,,\n"  # out of range
        "A1,da,2026-05-02,nej,1,,,\n"  # duplicate ref in the file
        "A4,xx,31.02.2026,ja,1,nej,ja,\n"  # unknown language, no such date, a question not asked
        ",da,2026-05-02,ja,1,,,\n"  # no ref
        "A5,en,2026-05-02,no,7,,,\n"  # fine
    )

    result = _run(tmp_path, text, "--survey", str(survey.pk))

    assert result["rows"] == 7
    assert result["imported"] == 2
    assert sorted(Response.objects.values_list("respondent_ref", flat=True)) == ["A1", "A5"]
    errors = {(e["line"], e["column"]) for e in result["errors"]}
    assert errors == {
        (1, "shoe_size"),
        (3, "happy_living_here"),
        (4, "safety_scale"),
        (5, "respondent_ref"),
        (6, "language"),
        (6, "interview_date"),
        (6, "looked_at_folder"),
        (7, "respondent_ref"),
    }
    assert all(set(e) == {"line", "column", "message"} and e["message"] for e in result["errors"])
    assert Response.objects.get(respondent_ref="A1").answers.get(question__code="happy_living_here").value == "yes"


def test_reimporting_a_respondent_updates_instead_of_duplicating(tmp_path, survey):
    _run(tmp_path, GOOD, "--survey", str(survey.pk))

    result = _run(
        tmp_path,
        "respondent_ref;language;ambassador_contact;happy_living_here\nR1;da;nej;nej\n",
        "--survey",
        str(survey.pk),
    )

    assert result["imported"] == 1
    assert Response.objects.count() == 3
    r1 = Response.objects.get(respondent_ref="R1")
    assert dict(r1.answers.values_list("question__code", "value")) == {
        "ambassador_contact": "no",
        "happy_living_here": "no",
    }
    assert r1.group == Response.Group.NO_CONTACT


def test_import_into_a_new_survey_of_an_area(tmp_path, area):
    result = _run(tmp_path, GOOD, "--new-survey", "Firmaets interviews", "--area", area.slug)

    survey = Survey.objects.get(title="Firmaets interviews")
    assert survey.area == area and result["survey"] == survey.pk and result["imported"] == 3
    assert survey.survey_questions.count() == 9


def test_import_refuses_a_file_without_respondent_ref(tmp_path, survey):
    path = tmp_path / "bad.csv"
    path.write_text("name;happy_living_here\nA;ja\n")

    with pytest.raises(CommandError) as refused:
        call_command("import_survey_responses", str(path), "--survey", str(survey.pk))
    assert refused.value.returncode == 2
    assert not Response.objects.exists()


def test_import_needs_an_area_for_a_new_survey(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(GOOD)

    with pytest.raises(CommandError):
        call_command("import_survey_responses", str(path), "--new-survey", "X")


def test_survey_report_prints_the_documented_json(tmp_path, survey):
    _run(tmp_path, GOOD, "--survey", str(survey.pk))
    out = io.StringIO()

    call_command("survey_report", "--survey", str(survey.pk), "--format", "json", stdout=out)

    report = json.loads(out.getvalue())
    assert set(report) == {"survey", "respondents", "groups", "questions"}
    assert report["survey"] == survey.pk and report["respondents"] == 3
    assert report["groups"] == {"contact": 2, "no_contact": 1}
    safety = report["questions"]["safety_scale"]
    assert set(safety) == {"all", "contact", "no_contact", "p_value", "significant"}
    assert safety["all"] == {"n": 2, "percent": {"safe": 50, "neutral": 0, "unsafe": 50}}
    assert report["questions"]["happy_living_here"]["contact"]["percent"] == {"yes": 50, "no": 50, "dont_know": 0}


def test_survey_report_prints_csv(tmp_path, survey):
    _run(tmp_path, GOOD, "--survey", str(survey.pk))
    out = io.StringIO()

    call_command("survey_report", "--survey", str(survey.pk), "--format", "csv", stdout=out)

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    row = next(r for r in rows if r["question"] == "happy_living_here" and r["group"] == "all" and r["answer"] == "yes")
    assert row["n"] == "3" and row["percent"] == "33"
