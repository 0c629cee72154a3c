"""Survey rounds across areas: making a round with each area's survey, and importing a firm's file with an
area column into the round (the command line)."""

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.organisation.models import Estate, HousingOrganisation
from apps.surveys.models import STANDARD_CODES, Response, Survey, SurveyRound
from apps.surveys.selectors import organisation_areas, round_surveys
from apps.surveys.services import survey_round_add_area, survey_round_create
from tests.conftest import build_area

pytestmark = pytest.mark.django_db

PERIOD = {"period_start": datetime.date(2025, 7, 1), "period_end": datetime.date(2025, 12, 31)}

ROUND_FILE = (
    "respondent_ref;area;language;interview_date;ambassador_contact;happy_living_here\n"
    "R1;north;da;2026-05-02;ja;ja\n"
    "R2;south;da;2026-05-02;nej;nej\n"
    "R3;north;ar;2026-05-03;nej;ved ikke\n"
)


@pytest.fixture
def foreign_area(db):
    """An area of another housing organisation only."""
    return build_area(HousingOrganisation.objects.create(name="Andet Boligselskab", slug="andet"), "west", ["301"])


@pytest.fixture
def make_round(organisation):
    def make(*, areas=(), title="Runde 2025") -> SurveyRound:
        return survey_round_create(organisation=organisation, title=title, areas=list(areas), by=None, **PERIOD)

    return make


def _import(tmp_path, text: str, *args) -> dict:
    path = tmp_path / "firm.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_survey_responses", str(path), *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _refs_by_area(survey_round: SurveyRound) -> dict[str, list[str]]:
    return {
        survey.area.slug: sorted(survey.responses.values_list("respondent_ref", flat=True))
        for survey in round_surveys(survey_round)
    }


# --- Making a round ---------------------------------------------------------------------------------------


def test_a_round_makes_one_survey_per_area_with_the_standard_questions(make_round, area, other_area):
    survey_round = make_round(areas=[area, other_area])

    surveys = list(round_surveys(survey_round))
    assert [s.area for s in surveys] == [area, other_area]
    for survey in surveys:
        assert (survey.period_start, survey.period_end) == (PERIOD["period_start"], PERIOD["period_end"])
        assert survey.title == "Runde 2025" and survey.opens_on == survey.closes_on
        codes = list(survey.survey_questions.order_by("position").values_list("question__code", flat=True))
        assert codes == list(STANDARD_CODES)


def test_an_area_outside_the_organisation_is_refused_and_nothing_is_made(make_round, area, foreign_area):
    with pytest.raises(ValidationError) as refused:
        make_round(areas=[area, foreign_area])

    assert "Area west" in " ".join(refused.value.messages)
    assert not SurveyRound.objects.exists()
    assert not Survey.objects.exists()


def test_an_area_shared_with_another_organisation_may_be_in_its_round(make_round, organisation, foreign_area):
    Estate.objects.create(organisation=organisation, area=foreign_area, number="999", name="Shared")

    survey_round = make_round(areas=[foreign_area])

    assert list(organisation_areas(organisation).filter(pk=foreign_area.pk)) == [foreign_area]
    assert round_surveys(survey_round).get().area == foreign_area


def test_adding_an_area_twice_gives_the_existing_survey(make_round, area):
    survey_round = make_round(areas=[area])

    again = survey_round_add_area(round=survey_round, area=area, by=None)

    assert again == round_surveys(survey_round).get()
    assert Survey.objects.count() == 1


def test_only_someone_managing_every_area_makes_a_round(
    organisation, area, other_area, coordinator, other_coordinator, ambassador
):
    for outsider in (other_coordinator, ambassador):
        with pytest.raises(PermissionDenied):
            survey_round_create(organisation=organisation, title="R", areas=[area], by=outsider, **PERIOD)
    with pytest.raises(PermissionDenied):
        survey_round_create(organisation=organisation, title="R", areas=[area, other_area], by=coordinator, **PERIOD)
    assert not SurveyRound.objects.exists() and not Survey.objects.exists()

    survey_round = survey_round_create(organisation=organisation, title="R", areas=[area], by=coordinator, **PERIOD)

    assert survey_round.created_by == coordinator and round_surveys(survey_round).get().area == area


# --- Importing a firm's file into a round -----------------------------------------------------------------


def test_a_new_round_import_puts_each_line_in_its_areas_survey(tmp_path, organisation, area, other_area):
    result = _import(tmp_path, ROUND_FILE, "--new-round", "Interviews 2026", "--organisation", organisation.slug)

    survey_round = SurveyRound.objects.get(title="Interviews 2026")
    assert survey_round.organisation == organisation
    assert _refs_by_area(survey_round) == {"north": ["R1", "R3"], "south": ["R2"]}
    surveys = {s.area.slug: s.pk for s in round_surveys(survey_round)}
    assert result == {
        "survey": None,
        "round": {"id": survey_round.pk, "title": "Interviews 2026"},
        "rows": 3,
        "imported": 3,
        "errors": [],
        "areas": {
            "north": {"survey": surveys["north"], "imported": 2},
            "south": {"survey": surveys["south"], "imported": 1},
        },
    }
    r3 = Response.objects.get(respondent_ref="R3")
    assert dict(r3.answers.values_list("question__code", "value")) == {
        "ambassador_contact": "no",
        "happy_living_here": "dont_know",
    }
    assert r3.group == Response.Group.NO_CONTACT


def test_a_new_round_takes_the_given_move_in_period(tmp_path, organisation, area):
    _import(
        tmp_path,
        ROUND_FILE,
        "--new-round",
        "R",
        "--organisation",
        organisation.slug,
        "--period-start",
        "2025-07-01",
        "--period-end",
        "2025-12-31",
    )

    survey_round = SurveyRound.objects.get()
    assert (survey_round.period_start, survey_round.period_end) == (PERIOD["period_start"], PERIOD["period_end"])
    assert round_surveys(survey_round).get().period_start == PERIOD["period_start"]


def test_a_line_naming_a_foreign_or_unknown_area_is_a_line_error(tmp_path, make_round, area, foreign_area):
    survey_round = make_round()
    text = (
        "respondent_ref,area,ambassador_contact\n"
        "A1,north,ja\n"
        "A2,west,ja\n"  # another organisation's area
        "A3,nowhere,nej\n"  # no such area
        "A4,,nej\n"  # no area
        "A5,NORTH,nej\n"
    )

    result = _import(tmp_path, text, "--round", str(survey_round.pk))

    assert (result["rows"], result["imported"]) == (5, 2)
    assert {(e["line"], e["column"]) for e in result["errors"]} == {(3, "area"), (4, "area"), (5, "area")}
    assert all(set(e) == {"line", "column", "message"} and e["message"] for e in result["errors"])
    assert _refs_by_area(survey_round) == {"north": ["A1", "A5"]}
    assert not Survey.objects.filter(area=foreign_area).exists()


def test_a_line_with_errors_makes_no_survey_for_its_area(tmp_path, make_round, area, other_area):
    survey_round = make_round(areas=[area])

    result = _import(
        tmp_path, "respondent_ref;area;happy_living_here\nB1;south;perhaps\n", "--round", str(survey_round.pk)
    )

    assert result["imported"] == 0 and result["errors"][0]["column"] == "happy_living_here"
    assert [s.area for s in round_surveys(survey_round)] == [area]


def test_reimporting_into_a_round_updates_instead_of_duplicating(tmp_path, make_round, area, other_area):
    survey_round = make_round(areas=[area])
    _import(tmp_path, ROUND_FILE, "--round", str(survey_round.pk))

    result = _import(
        tmp_path, "respondent_ref;area;ambassador_contact\nR1;north;nej\n", "--round", str(survey_round.pk)
    )

    assert result["imported"] == 1
    assert Response.objects.count() == 3
    assert _refs_by_area(survey_round) == {"north": ["R1", "R3"], "south": ["R2"]}
    r1 = Response.objects.get(respondent_ref="R1")
    assert dict(r1.answers.values_list("question__code", "value")) == {"ambassador_contact": "no"}
    assert r1.group == Response.Group.NO_CONTACT


def test_a_file_without_an_area_column_is_refused_and_no_round_is_left(tmp_path, organisation, area):
    path = tmp_path / "firm.csv"
    path.write_text("respondent_ref;ambassador_contact\nR1;ja\n")

    with pytest.raises(CommandError) as refused:
        call_command("import_survey_responses", str(path), "--new-round", "R", "--organisation", organisation.slug)

    assert refused.value.returncode == 2
    assert not SurveyRound.objects.exists() and not Response.objects.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--new-round", "R"],  # no organisation
        ["--new-round", "R", "--organisation", "nobody"],
        ["--round", "999999"],
        ["--new-round", "R", "--organisation", "test", "--period-start", "2025-07-01"],
        ["--new-round", "R", "--organisation", "test", "--period-start", "2025-12-31", "--period-end", "2025-07-01"],
        ["--survey", "1", "--organisation", "test"],
    ],
)
def test_wrong_round_arguments_are_refused_like_the_one_area_ones(tmp_path, organisation, area, args):
    path = tmp_path / "firm.csv"
    path.write_text(ROUND_FILE)

    with pytest.raises(CommandError) as refused:
        call_command("import_survey_responses", str(path), *args)

    assert refused.value.returncode == 1
    assert not SurveyRound.objects.exists() and not Response.objects.exists()


# --- Admin ------------------------------------------------------------------------------------------------


def test_the_admin_shows_rounds_and_their_areas_surveys_read_only(client, make_user, make_round, area, other_area):
    survey_round = make_round(areas=[area, other_area])
    client.force_login(make_user(is_superuser=True, is_staff=True))

    listing = client.get("/admin/surveys/surveyround/")
    page = client.get(f"/admin/surveys/surveyround/{survey_round.pk}/change/")

    assert listing.status_code == 200 and b"Runde 2025" in listing.content
    assert page.status_code == 200
    assert b"Area north" in page.content and b"Area south" in page.content
    assert b'name="surveys-0-title"' not in page.content and b'name="title"' not in page.content  # shown only
    assert client.get("/admin/surveys/surveyround/add/").status_code == 403
