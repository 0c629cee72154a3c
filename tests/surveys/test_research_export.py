"""The research export of a survey round (issue 18, point 6): the k-anonymity coarsening as a pure function,
the files it writes (no identifiers, no free text), the command, and the download with its access log entry."""

import csv
import io
import random
import zipfile
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership
from apps.audit.models import AccessLogEntry
from apps.newcomers.models import Newcomer
from apps.organisation.models import Tenancy
from apps.surveys.models import Answer, Question, Response, ResponseLink, Survey, SurveyQuestion
from apps.surveys.research import (
    AREA_STEP,
    HALF_YEAR_STEP,
    LANGUAGE_STEP,
    STEPS,
    YEAR_STEP,
    QuasiKey,
    coarsen,
    research_export,
)
from tests.conftest import build_area
from tests.surveys.conftest import FULL_ANSWERS, import_answers

pytestmark = pytest.mark.django_db


# --- The coarsening, a pure function -------------------------------------------------------------------------


def _keys(spec: list[tuple[str, int, int, str, int]]) -> list[QuasiKey]:
    return [QuasiKey(a, y, q, lang) for a, y, q, lang, n in spec for _ in range(n)]


def _all_at_least(result, k=5) -> bool:
    return all(n >= k for n in Counter(key for key in result.keys if key is not None).values())


def test_large_enough_combinations_are_exported_as_they_are():
    result = coarsen(_keys([("north", 2025, 3, "da", 5), ("south", 2025, 4, "ar", 6)]))
    assert result.steps == [] and result.suppressed == 0
    assert Counter(result.keys) == {("north", "2025Q3", "da"): 5, ("south", "2025Q4", "ar"): 6}


def test_language_is_coarsened_first_to_danish_or_other():
    result = coarsen(_keys([("north", 2025, 3, "da", 5), ("north", 2025, 3, "ar", 3), ("north", 2025, 3, "tr", 2)]))
    assert result.steps == [LANGUAGE_STEP]
    assert Counter(result.keys) == {("north", "2025Q3", "da"): 5, ("north", "2025Q3", "other"): 5}


def test_then_the_quarter_becomes_a_half_year_then_a_year():
    half = coarsen(_keys([("north", 2025, 3, "da", 3), ("north", 2025, 4, "da", 2)]))
    assert half.steps == [LANGUAGE_STEP, HALF_YEAR_STEP]
    assert Counter(half.keys) == {("north", "2025H2", "da"): 5}
    year = coarsen(_keys([("north", 2025, 1, "da", 3), ("north", 2025, 4, "da", 2), ("north", 2025, 4, "ar", 5)]))
    assert year.steps == [LANGUAGE_STEP, HALF_YEAR_STEP, YEAR_STEP]
    assert Counter(year.keys) == {("north", "2025", "da"): 5, ("north", "2025", "other"): 5}


def test_then_the_areas_are_pooled():
    result = coarsen(_keys([("north", 2025, 1, "da", 3), ("south", 2025, 2, "da", 2), ("east", 2025, 4, "da", 4)]))
    assert result.steps == list(STEPS) and result.steps[-1] == AREA_STEP
    assert result.suppressed == 0
    assert Counter(result.keys) == {("pooled", "2025", "da"): 9}


def test_rows_still_too_few_after_all_coarsening_are_suppressed_and_counted():
    result = coarsen(_keys([("north", 2024, 1, "da", 6), ("north", 2025, 1, "da", 2), ("south", 2026, 1, "ar", 1)]))
    assert result.steps == list(STEPS)
    assert result.suppressed == 3
    assert Counter(result.keys) == {("pooled", "2024", "da"): 6, None: 3}


def test_fewer_than_five_respondents_in_all_means_nothing_is_exported():
    result = coarsen(_keys([("north", 2025, 1, "da", 4)]))
    assert result.suppressed == 4 and set(result.keys) == {None}


@pytest.mark.parametrize("seed", range(20))
def test_every_combination_holds_at_least_five_after_coarsening(seed):
    rng = random.Random(seed)
    keys = [
        QuasiKey(rng.choice("abcdef"), rng.choice([2024, 2025]), rng.randint(1, 4), rng.choice(["da", "ar", "en"]))
        for _ in range(rng.randint(0, 120))
    ]
    result = coarsen(keys)
    assert len(result.keys) == len(keys)
    assert _all_at_least(result)
    assert result.suppressed == sum(1 for key in result.keys if key is None)


def test_coarsening_keeps_the_input_order_so_each_line_keeps_its_answers():
    keys = _keys([("north", 2025, 3, "da", 5), ("south", 2025, 3, "da", 5)])
    result = coarsen(keys)
    assert [key[0] for key in result.keys] == [key.area for key in keys]


# --- The export from the database ----------------------------------------------------------------------------

SECRET_TEXT = "Naboen i nr. 7 larmer hver nat"


@pytest.fixture
def research_round(area, other_area, make_round, coordinator):
    """A round of two areas: north with 6 imported respondents (refs SECRETREF…) and 5 invited newcomers still
    linked to their answers (names and phones on file), south with 2 imported; north asks its own free-text
    question too."""
    survey_round = make_round([area, other_area])
    north = Survey.objects.get(round=survey_round, area=area)
    south = Survey.objects.get(round=survey_round, area=other_area)
    import_answers(north, [FULL_ANSWERS] * 3 + [{**FULL_ANSWERS, "ambassador_contact": "no"}] * 3, prefix="SECRETREF")
    import_answers(south, [FULL_ANSWERS] * 2, prefix="SOUTHREF")
    text_question = Question.objects.create(
        code="north_remarks", kind=Question.Kind.SHORT_TEXT, texts={"da": "Andet?"}, area=area
    )
    SurveyQuestion.objects.create(survey=north, question=text_question, position=99)
    tenancy = Tenancy.objects.filter(estate__area=area).first()
    for i in range(5):
        newcomer = Newcomer.objects.create(
            tenancy=tenancy, move_in_date=date(2025, 8, 1) + timedelta(days=i), name=f"Hemmelig Person {i}",
            phone=f"+4561999{i:03d}", language="ar",
        )  # fmt: skip
        response = Response.objects.create(
            survey=north, source=Response.Source.PERSONAL_LINK, language="ar", completed_at=timezone.now(),
            answered_on=timezone.localdate(),
        )  # fmt: skip
        ResponseLink.objects.create(response=response, newcomer=newcomer)
        Answer.objects.create(response=response, question=text_question, value=SECRET_TEXT)
        happy = Question.objects.get(code="happy_living_here")
        Answer.objects.create(response=response, question=happy, value="no")
    # An unfinished response is no respondent.
    Response.objects.create(survey=north, source=Response.Source.QR, language="da")
    return survey_round


def _rows(export) -> list[dict]:
    return list(csv.DictReader(io.StringIO(export.answers_csv.lstrip("\ufeff")), delimiter=";"))


def test_the_export_holds_no_identifier_and_no_free_text(research_round):
    export = research_export(round=research_round)
    text = export.answers_csv + export.dictionary
    for secret in ["SECRETREF", "SOUTHREF", "Hemmelig", "+4561999", "61999", SECRET_TEXT, "north_remarks"]:
        assert secret not in text
    assert list(_rows(export)[0]) == [
        "area", "move_in_period", "language_group", "contact_group", *[q.code for q in export.questions]
    ]  # fmt: skip
    assert all(q.kind != Question.Kind.SHORT_TEXT for q in export.questions)


def test_every_combination_in_the_file_holds_five_and_the_dictionary_counts_the_suppressed(research_round):
    export = research_export(round=research_round)
    rows = _rows(export)
    combos = Counter((r["area"], r["move_in_period"], r["language_group"]) for r in rows)
    assert all(n >= 5 for n in combos.values())
    # 13 respondents: the linked newcomers moved in in 2025Q3 in Arabic, the imported answered now in Danish.
    assert export.rows + export.suppressed == 13
    assert len(rows) == export.rows
    assert f"{export.suppressed}." in export.dictionary


def test_linked_respondents_get_their_move_in_quarter_and_imported_the_interview_quarter(area, make_round):
    survey_round = make_round([area])
    north = Survey.objects.get(round=survey_round)
    import_answers(north, [FULL_ANSWERS] * 5, prefix="R")
    tenancy = Tenancy.objects.filter(estate__area=area).first()
    for i in range(5):
        newcomer = Newcomer.objects.create(tenancy=tenancy, move_in_date=date(2025, 8, 1) + timedelta(days=i))
        response = Response.objects.create(
            survey=north, source=Response.Source.PERSONAL_LINK, language="da", completed_at=timezone.now()
        )
        ResponseLink.objects.create(response=response, newcomer=newcomer)
    export = research_export(round=survey_round)
    today = timezone.localdate()
    periods = Counter(r["move_in_period"] for r in _rows(export))
    assert periods == {"2025Q3": 5, f"{today.year}Q{(today.month - 1) // 3 + 1}": 5}
    assert export.steps == [] and export.interview_quarter_rows == 5


def test_answers_are_only_answer_codes_and_the_groups_are_kept(research_round):
    export = research_export(round=research_round)
    for row in _rows(export):
        assert row["contact_group"] in {"contact", "no_contact", "unknown"}
        for q in export.questions:
            assert row[q.code] in {"", *q.answer_codes()}


def test_the_export_costs_the_same_queries_however_many_areas(
    research_round, organisation, make_round, django_assert_num_queries
):
    one_area = make_round([build_area(organisation, "solo", ["301"])], title="One area")
    import_answers(Survey.objects.get(round=one_area), [FULL_ANSWERS] * 5, prefix="S")
    for survey_round in (one_area, research_round):
        with django_assert_num_queries(4):
            research_export(round=survey_round)


def test_the_command_writes_both_files(research_round, tmp_path):
    out = io.StringIO()
    call_command("survey_round_export", "--round", str(research_round.pk), "--out", str(tmp_path), stdout=out)
    answers = (tmp_path / "answers.csv").read_text(encoding="utf-8")
    assert answers.startswith("\ufeffarea;move_in_period;language_group;contact_group;")
    assert "SECRETREF" not in answers
    assert (tmp_path / "data_dictionary.md").exists()


# --- The download -------------------------------------------------------------------------------------------


def test_a_coordinator_of_every_area_downloads_the_zip_and_the_export_is_logged(
    research_round, client, coordinator, area, other_area
):
    Membership.objects.get_or_create(user=coordinator, area=other_area, role=Membership.Role.COORDINATOR)
    client.force_login(coordinator)
    before = AccessLogEntry.objects.count()
    response = client.get(reverse("surveys:round_research_export", args=[research_round.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["answers.csv", "data_dictionary.md"]
        assert "SECRETREF" not in archive.read("answers.csv").decode()
    entries = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.EXPORT)
    assert AccessLogEntry.objects.count() > before
    assert sum(e.subject_count for e in entries) == research_export(round=research_round).rows


def test_a_coordinator_of_one_area_only_is_refused_and_nothing_is_logged(research_round, client, other_coordinator):
    client.force_login(other_coordinator)
    response = client.get(reverse("surveys:round_research_export", args=[research_round.pk]))
    assert response.status_code == 403
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.EXPORT).exists()
