"""The survey headlines a board sees (its estate's page, the area's annual report) follow the small-number
rules of every board figure (apps/core/small_numbers.py): counts of 1–4 hidden, a share only with its base,
its yes and its rest all shown, and no figure that the area's figure minus an estate's would give away."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from apps.surveys.analysis import survey_headlines
from tests.surveys.test_analysis import _respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(today):
    return {"start": today - datetime.timedelta(days=30), "end": today}


@pytest.fixture
def estate_102(area):
    return area.estates.get(number="102")


def _happy(survey, *, estate_ids, period):
    rows = survey_headlines(area=survey.area, estate_ids=estate_ids, for_board=True, **period)
    return next(row for row in rows if row["code"] == "happy_living_here")


def test_an_estates_n_and_the_areas_never_both_show_when_the_rest_of_the_area_is_one_to_four(
    survey, estate, estate_102, period
):
    for _ in range(10):
        _respond(survey, {"ambassador_contact": "yes", "happy_living_here": "yes"}, estate=estate)
    for _ in range(3):
        _respond(survey, {"ambassador_contact": "yes", "happy_living_here": "yes"}, estate=estate_102)

    mine = _happy(survey, estate_ids=[estate.pk], period=period)["contact"]
    other = _happy(survey, estate_ids=[estate_102.pk], period=period)["contact"]
    area = _happy(survey, estate_ids=None, period=period)["contact"]

    assert other == {"n": None, "percent": None, "n_text": "< 5"}
    # Before, 10 and 13 were both shown: 13 − 10 gave away the other estate's 3.
    assert mine["n"] is None or area["n"] is None
    assert "–" in (mine["n_text"], area["n_text"])  # hidden though it is not small: not "< 5"


def test_a_share_is_hidden_when_its_rest_is_one_to_four_though_its_base_is_large(survey, estate, period):
    for value in ["yes"] * 8 + ["no"] * 2:
        _respond(survey, {"ambassador_contact": "yes", "happy_living_here": value}, estate=estate)

    happy = _happy(survey, estate_ids=[estate.pk], period=period)

    assert happy["contact"] == {"n": 10, "percent": None, "n_text": "10"}  # 80 % would say 2 said no
    assert happy["p_value"] is None and happy["significant"] is False


def test_a_share_is_shown_when_its_base_yes_and_rest_are_all_zero_or_at_least_five(survey, estate, period):
    for value in ["yes"] * 5 + ["no"] * 3:  # 3 no: hidden
        _respond(survey, {"ambassador_contact": "yes", "happy_living_here": value}, estate=estate)
    for value in ["yes"] * 7 + ["no"] * 5 + ["dont_know"] * 1:
        _respond(survey, {"ambassador_contact": "no", "happy_living_here": value}, estate=estate)

    happy = _happy(survey, estate_ids=[estate.pk], period=period)

    assert happy["no_contact"] == {"n": 13, "percent": 54, "n_text": "13"}  # 7/13 = 53.8; the rest is 6
    assert happy["contact"]["percent"] is None
    assert happy["p_value"] is None  # one group's share hidden: no test either


def test_a_group_nobody_is_in_shows_zero_not_small(survey, estate, period):
    for _ in range(6):
        _respond(survey, {"ambassador_contact": "yes", "happy_living_here": "yes"}, estate=estate)

    happy = _happy(survey, estate_ids=[estate.pk], period=period)

    assert happy["no_contact"] == {"n": 0, "percent": None, "n_text": "0"}
    assert happy["contact"] == {"n": 6, "percent": 100, "n_text": "6"}


def test_anonymous_answers_count_for_the_area_and_are_protected_there(survey, estate, period):
    for _ in range(7):
        _respond(survey, {"ambassador_contact": "yes", "happy_living_here": "yes"}, estate=estate)
    for _ in range(2):
        _respond(survey, {"ambassador_contact": "yes", "happy_living_here": "yes"})  # QR: no estate

    mine = _happy(survey, estate_ids=[estate.pk], period=period)["contact"]
    area = _happy(survey, estate_ids=None, period=period)["contact"]

    assert mine["n"] is None or area["n"] is None  # 9 − 7 would give away the two QR answers


def test_the_board_page_shows_a_hidden_n_that_is_not_small_as_a_dash(
    client, board_member, survey, estate, estate_102, period
):
    for _ in range(10):
        _respond(survey, {"ambassador_contact": "yes", "happy_living_here": "yes"}, estate=estate)
    for _ in range(3):
        _respond(survey, {"ambassador_contact": "yes", "happy_living_here": "yes"}, estate=estate_102)
    client.force_login(board_member)

    with translation.override("en"):
        response = client.get(reverse("dashboards:board_estate", args=[estate.pk]))

    happy = next(row for row in response.context["survey"] if row["code"] == "happy_living_here")
    contact = happy["groups"][0]
    assert contact == {"n": None, "text": "–", "hidden": True}
    page = response.content.decode()
    section = page[page.index(happy["text"]) :]
    assert "(n = 10)" not in section[: section.index("</tr>")]


def test_a_board_sees_one_estate_or_the_whole_area(survey, estate, estate_102, period):
    with pytest.raises(ValueError):
        survey_headlines(area=survey.area, estate_ids=[estate.pk, estate_102.pk], for_board=True, **period)
