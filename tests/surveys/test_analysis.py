"""The analysis against hand-computed values: rounding half up, Fisher's exact test, the groups."""

import datetime
from fractions import Fraction

import pytest
from django.utils import timezone

from apps.surveys.analysis import fisher_p, scale_group, survey_headlines, survey_report, whole_percent
from apps.surveys.models import Answer, Response, ResponseLink
from apps.surveys.services import response_complete, survey_questions_list
from apps.visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("part", "total", "expected"),
    [
        (1, 8, 13),
        (3, 8, 38),
        (5, 8, 63),
        (1, 3, 33),
        (2, 3, 67),
        (1, 200, 1),
        (1, 400, 0),
        (0, 7, 0),
        (7, 7, 100),
        (0, 0, 0),
    ],
)
def test_whole_percent_rounds_half_up(part, total, expected):
    assert whole_percent(part, total) == expected


def test_fisher_matches_the_hand_computed_hypergeometric_sum():
    # [[3, 1], [1, 3]]: P(a=k) = C(4,k)² / 70 → 1, 16, 36, 16, 1 (/70); two-sided sums those ≤ 16/70 = 34/70.
    assert fisher_p([[3, 1], [1, 3]]) == pytest.approx(float(Fraction(34, 70)))
    # A perfect split of 5 and 5: only the two extreme tables, 2 / C(10, 5) = 2/252.
    assert fisher_p([[5, 0], [0, 5]]) == pytest.approx(2 / 252)
    # R: fisher.test(matrix(c(8, 1, 2, 5), 2))$p.value = 0.03497
    assert fisher_p([[8, 2], [1, 5]]) == pytest.approx(0.034965, abs=1e-6)


def test_fisher_gives_no_p_when_a_group_is_empty():
    assert fisher_p([[0, 0], [3, 4]]) is None
    assert fisher_p([[3, 0], [4, 0]]) is None


@pytest.mark.parametrize(
    ("value", "group"), [("1", "safe"), ("3", "safe"), ("4", "neutral"), ("5", "unsafe"), ("7", "unsafe")]
)
def test_scale_is_grouped_safe_neutral_unsafe(value, group):
    assert scale_group(value) == group


def _respond(survey, answers: dict[str, str], *, newcomer=None, answered_on=None, estate=None):
    """A completed response, linked to `newcomer` when given (as through a personal link)."""
    response = Response.objects.create(survey=survey, source="personal_link" if newcomer else "qr")
    questions = {q.code: q for q in survey_questions_list(survey)}
    Answer.objects.bulk_create([Answer(response=response, question=questions[c], value=v) for c, v in answers.items()])
    if newcomer is not None:
        ResponseLink.objects.create(response=response, newcomer=newcomer)
    response_complete(response=response, questions=list(questions.values()), now=timezone.now())
    if answered_on or estate:
        Response.objects.filter(pk=response.pk).update(answered_on=answered_on or response.answered_on, estate=estate)
    return response


def test_report_counts_groups_percentages_and_fisher(survey):
    # Contact: 8 yes, 2 no on happy_living_here; no contact: 1 yes, 5 no → the R example above.
    for value in ["yes"] * 8 + ["no"] * 2:
        _respond(survey, {"ambassador_contact": "yes", "happy_living_here": value})
    for value in ["yes"] * 1 + ["no"] * 5:
        _respond(survey, {"ambassador_contact": "no", "happy_living_here": value})
    _respond(survey, {"ambassador_contact": "dont_know", "happy_living_here": "yes"})  # in "all" only
    _respond(survey, {"ambassador_contact": "yes"})  # happy_living_here unanswered: excluded from its n

    report = survey_report(survey=survey)

    assert report["survey"] == survey.pk
    assert report["respondents"] == 18
    assert report["groups"] == {"contact": 11, "no_contact": 6}
    happy = report["questions"]["happy_living_here"]
    assert happy["all"] == {"n": 17, "percent": {"yes": 59, "no": 41, "dont_know": 0}}  # 10/17 = 58.8
    assert happy["contact"] == {"n": 10, "percent": {"yes": 80, "no": 20, "dont_know": 0}}
    assert happy["no_contact"] == {"n": 6, "percent": {"yes": 17, "no": 83, "dont_know": 0}}
    assert happy["p_value"] == pytest.approx(0.035, abs=1e-4)
    assert happy["significant"] is True
    assert set(report["questions"]) == {q.code for q in survey_questions_list(survey)}


def test_safety_scale_percentages_use_safe_neutral_unsafe(survey):
    for value in ["1", "2", "3", "4", "5", "6", "7", "3"]:
        _respond(survey, {"ambassador_contact": "yes", "safety_scale": value})

    safety = survey_report(survey=survey)["questions"]["safety_scale"]

    # 4 of 8 safe = 50; 1/8 = 12.5 → 13; 3/8 = 37.5 → 38 (rounded half up; they may add up to 101).
    assert safety["contact"] == {"n": 8, "percent": {"safe": 50, "neutral": 13, "unsafe": 38}}
    assert safety["p_value"] is None and safety["significant"] is False  # no one without contact


def test_a_linked_respondent_is_grouped_by_the_visit_record_not_their_answer(survey, newcomer, ambassador):
    Visit.objects.create(
        area=survey.area,
        estate=newcomer.tenancy.estate,
        move_in_date=newcomer.move_in_date,
        newcomer=newcomer,
        due_date=newcomer.move_in_date,
        status="closed",
        closed_at=timezone.now(),
        close_reason="folder_left",
        folder_delivered=True,
    )
    _respond(survey, {"ambassador_contact": "no", "happy_living_here": "yes"}, newcomer=newcomer)

    assert survey_report(survey=survey)["groups"] == {"contact": 1, "no_contact": 0}


def test_headlines_hide_small_groups_from_boards_and_keep_anonymous_answers_to_the_area(survey, estate, today):
    for _ in range(6):
        _respond(survey, {"ambassador_contact": "yes", "happy_living_here": "yes"}, estate=estate)
    for _ in range(3):
        _respond(survey, {"ambassador_contact": "no", "happy_living_here": "no"}, estate=estate)
    _respond(survey, {"ambassador_contact": "no", "happy_living_here": "yes"})  # QR: no estate
    start, end = today - datetime.timedelta(days=30), today

    board = survey_headlines(area=survey.area, estate_ids=[estate.pk], start=start, end=end, for_board=True)
    happy = next(row for row in board if row["code"] == "happy_living_here")
    assert happy["contact"] == {"n": 6, "percent": 100, "n_text": "6"}
    assert happy["no_contact"] == {"n": None, "percent": None, "n_text": "< 5"}
    assert happy["p_value"] is None and happy["significant"] is False

    coordinator_view = survey_headlines(area=survey.area, estate_ids=None, start=start, end=end, for_board=False)
    happy = next(row for row in coordinator_view if row["code"] == "happy_living_here")
    assert happy["no_contact"] == {"n": 4, "percent": 25, "n_text": "4"}
    assert happy["p_value"] == pytest.approx(0.0333, abs=1e-4)  # [[6,0],[1,3]]: 1/30
    assert [row["code"] for row in coordinator_view][:2] == ["ambassador_contact", "happy_living_here"]


def test_headlines_count_answers_by_date(survey, today):
    _respond(
        survey,
        {"ambassador_contact": "yes", "happy_living_here": "yes"},
        answered_on=today - datetime.timedelta(days=90),
    )

    rows = survey_headlines(
        area=survey.area, estate_ids=None, start=today - datetime.timedelta(days=30), end=today, for_board=False
    )

    assert next(r for r in rows if r["code"] == "happy_living_here")["contact"]["n"] == 0
