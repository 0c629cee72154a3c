"""The survey section, rendered from the shape `survey_headlines` returns (a small fake list here: the
survey app is merged separately and wired in apps/dashboards/survey.py)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from apps.dashboards.survey import survey_rows

HEADLINES = [
    {
        "code": "welcome",
        "text": "Do you feel welcome in your area?",
        "contact": {"n": 23, "percent": 74, "n_text": "23"},
        "no_contact": {"n": 11, "percent": 45, "n_text": "11"},
        "p_value": 0.1312,
        "significant": False,
    },
    {
        "code": "activities",
        "text": "Have you taken part in common activities?",
        "contact": {"n": 23, "percent": 31, "n_text": "23"},
        "no_contact": {"n": None, "percent": None, "n_text": "< 5"},  # under 5 answers on a board page
        "p_value": None,
        "significant": False,
    },
    {
        "code": "safe",
        "text": "How safe do you feel?",
        "contact": {"n": 40, "percent": 80, "n_text": "40"},
        "no_contact": {"n": 30, "percent": 50, "n_text": "30"},
        "p_value": 0.012,
        "significant": True,
    },
]


@pytest.fixture
def html():
    with translation.override("en"):
        return render_to_string("dashboards/includes/survey.html", {"survey": survey_rows(HEADLINES)})


def test_each_question_shows_both_groups_with_their_n(html):
    assert "Do you feel welcome in your area?" in html
    assert "74\u00a0%" in html and "(n = 23)" in html
    assert "45\u00a0%" in html and "(n = 11)" in html


def test_a_group_under_five_answers_shows_as_small(html):
    row = html[html.index("Have you taken part") :]
    row = row[: row.index("</tr>")]
    assert "&lt; 5" in row
    assert "31\u00a0%" in row


def test_significance_is_said_in_words_with_the_p_value(html):
    safe = html[html.index("How safe") :]
    assert "significant" in safe[: safe.index("</tr>")] and "p = 0.012" in safe
    welcome = html[html.index("Do you feel welcome") :]
    assert "not significant" in welcome[: welcome.index("</tr>")]


def test_no_answers_says_so():
    with translation.override("en"):
        html = render_to_string("dashboards/includes/survey.html", {"survey": []})
    assert "No survey answers from this period yet." in html


# --- With the survey app: real answers on the board's page --------------------------------------------


@pytest.fixture
def answered_survey(area, estate):
    """Six respondents in the board's estate who had contact, two who had not (all said yes to being happy)."""
    import datetime

    from django.utils import timezone

    from apps.surveys.services import standard_bank_ensure, survey_create
    from tests.surveys.test_analysis import _respond

    standard_bank_ensure()
    today = timezone.localdate()
    survey = survey_create(
        area=area,
        by=None,
        title="Tilflytterundersøgelse",
        period_start=today - datetime.timedelta(days=200),
        period_end=today,
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30),
    )
    for contact in ["yes"] * 6 + ["no"] * 2:
        _respond(survey, {"ambassador_contact": contact, "happy_living_here": "yes"}, estate=estate)
    return survey


def test_the_board_page_shows_the_surveys_headlines_with_small_groups_hidden(
    client, board_member, estate, answered_survey
):
    client.force_login(board_member)
    with translation.override("en"):
        response = client.get(reverse("dashboards:board_estate", args=[estate.pk]))
    rows = {row["code"]: row for row in response.context["survey"]}
    happy = rows["happy_living_here"]
    assert happy["contact"] == {"n": 6, "percent": 100, "n_text": "6"}
    assert happy["no_contact"]["n"] is None  # two people: "< 5" on a board page
    page = response.content.decode()
    assert happy["text"] in page and "&lt; 5" in page


def test_the_coordinator_sees_the_same_headlines_exactly(client, coordinator, area, answered_survey):
    client.force_login(coordinator)
    response = client.get(reverse("dashboards:area", args=[area.slug]))
    happy = next(row for row in response.context["survey"] if row["code"] == "happy_living_here")
    assert happy["contact"]["n"] == 6 and happy["no_contact"]["n"] == 2
