"""The pooled analysis of a survey round, piece by piece: the Cochran–Mantel–Haenszel test against published
and hand-computed values, where it cannot be computed, the verdicts, the areas' respondents and groups,
the funnel, the rows pages may show, the query count, and the command's JSON and CSV."""

import csv
import datetime
import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from scipy.stats import chi2

from apps.newcomers.models import Newcomer
from apps.organisation.models import Tenancy
from apps.surveys.analysis import Figures
from apps.surveys.models import Answer, Question, Response, Survey
from apps.surveys.pooled import (
    AREAS_EXPLAIN,
    NO_TEST,
    NOT_SIGNIFICANT,
    SIGNIFICANT,
    TOO_FEW,
    WITHIN_AREAS,
    mantel_haenszel_p,
    round_area_rows,
    round_figures,
    survey_round_report,
    verdict,
)
from apps.surveys.selectors import survey_funnel
from apps.surveys.services import survey_questions_list
from tests.conftest import build_area

pytestmark = pytest.mark.django_db


# --- The test itself ----------------------------------------------------------------------------------------


def test_mantel_haenszel_matches_rs_penicillin_and_rabbits_example():
    # R's mantelhaen.test(Rabbits) (Agresti 1990, pp. 231–237), continuity-corrected: p = 0.047.
    rabbits = [[[0, 6], [0, 5]], [[3, 3], [0, 6]], [[6, 0], [2, 4]], [[5, 1], [6, 0]], [[2, 0], [5, 0]]]
    assert mantel_haenszel_p(rabbits) == pytest.approx(0.04747, abs=1e-5)


def test_mantel_haenszel_matches_a_hand_computed_stratum():
    # [[3, 1], [1, 3]]: n = 8, E[a] = 4·4/8 = 2, Var(a) = 4·4·4·4 / (8²·7) = 4/7; a − E = 1.
    # Corrected: (1 − ½)² / (4/7) = 0.4375; without the correction 1 / (4/7) = 1.75.
    assert mantel_haenszel_p([[[3, 1], [1, 3]]]) == pytest.approx(chi2.sf(0.4375, 1))
    assert mantel_haenszel_p([[[3, 1], [1, 3]]], correction=False) == pytest.approx(chi2.sf(1.75, 1))
    # Two equal strata add up: deviation 2, variance 8/7 → (2 − ½)² · 7/8.
    assert mantel_haenszel_p([[[3, 1], [1, 3]]] * 2) == pytest.approx(chi2.sf(1.5**2 * 7 / 8, 1))


@pytest.mark.parametrize(
    "tables",
    [
        [],  # no areas
        [[[4, 2], [0, 0]], [[0, 0], [3, 3]]],  # contact in one area, no contact in the other: never together
        [[[4, 0], [5, 0]]],  # everybody answered yes
        [[[1, 0], [0, 0]]],  # one respondent
    ],
)
def test_mantel_haenszel_gives_none_when_no_area_holds_both_groups_and_both_answers(tables):
    assert mantel_haenszel_p(tables) is None


# --- Verdicts -----------------------------------------------------------------------------------------------


def _figures(question: Question, contact: tuple[int, int], no_contact: tuple[int, int]) -> Figures:
    def counts(yes: int, no: int) -> Counter:
        return Counter({"yes": yes, "no": no})

    return Figures(
        question=question,
        counts={
            "all": counts(*contact) + counts(*no_contact),
            "contact": counts(*contact),
            "no_contact": counts(*no_contact),
        },
    )


@pytest.mark.parametrize(
    ("contact", "no_contact", "cmh_p", "expected"),
    [
        ((27, 3), (10, 20), 0.001, SIGNIFICANT),
        ((27, 3), (10, 20), 0.4, AREAS_EXPLAIN),
        ((27, 3), (10, 20), None, AREAS_EXPLAIN),
        ((20, 10), (17, 13), 0.03, WITHIN_AREAS),
        ((20, 10), (17, 13), 0.6, NOT_SIGNIFICANT),
        ((19, 0), (0, 30), 0.001, TOO_FEW),  # 19 with contact: under 20
        ((30, 0), (0, 0), None, TOO_FEW),  # nobody without contact
    ],
)
def test_verdict_says_what_the_pooled_and_the_stratified_test_allow(contact, no_contact, cmh_p, expected):
    question = Question.objects.get(code="happy_living_here")
    assert verdict(_figures(question, contact, no_contact), cmh_p=cmh_p) == expected


def test_a_question_without_a_yes_has_no_test():
    question = Question(code="own", kind=Question.Kind.ONE_CHOICE)
    assert verdict(_figures(question, (20, 20), (20, 20)), cmh_p=None) == NO_TEST


# --- The report ---------------------------------------------------------------------------------------------


def _answer(survey: Survey, rows: list[tuple[str, str]], *, count: int = 1) -> None:
    """`count` imported respondents of `survey` per (ambassador_contact, happy_living_here) pair in `rows`."""
    questions = {q.code: q for q in survey_questions_list(survey)}
    now = timezone.now()
    responses = Response.objects.bulk_create(
        [
            Response(survey=survey, source=Response.Source.IMPORT, completed_at=now, answered_on=now.date())
            for _row in rows
            for _ in range(count)
        ]
    )
    answers = []
    for response, (contact, happy) in zip(responses, [row for row in rows for _ in range(count)], strict=True):
        answers.append(Answer(response=response, question=questions["ambassador_contact"], value=contact))
        answers.append(Answer(response=response, question=questions["happy_living_here"], value=happy))
    Answer.objects.bulk_create(answers)


def _surveys(survey_round) -> dict[str, Survey]:
    return {s.area.slug: s for s in survey_round.surveys.select_related("area")}


@pytest.fixture
def two_area_round(area, other_area, make_round):
    return make_round([area, other_area])


def test_each_area_has_its_respondents_and_groups_and_they_add_up_to_the_pool(two_area_round):
    surveys = _surveys(two_area_round)
    _answer(surveys["north"], [("yes", "yes"), ("yes", "no"), ("no", "no"), ("dont_know", "yes")])
    _answer(surveys["south"], [("no", "yes"), ("no", "no")])

    report = survey_round_report(round=two_area_round)

    assert report["round"] == two_area_round.pk
    assert report["areas"]["north"]["respondents"] == 4
    assert report["areas"]["north"]["groups"] == {"contact": 2, "no_contact": 1}
    assert report["areas"]["south"]["groups"] == {"contact": 0, "no_contact": 2}
    assert report["respondents"] == 6 and report["groups"] == {"contact": 2, "no_contact": 3}
    happy = report["questions"]["happy_living_here"]
    assert happy["all"]["n"] == 6 and happy["contact"]["n"] == 2 and happy["no_contact"]["n"] == 3
    assert report["areas"]["south"]["questions"]["happy_living_here"]["no_contact"]["percent"]["yes"] == 50


def test_a_difference_made_by_the_areas_is_not_taken_for_the_visits(two_area_round):
    surveys = _surveys(two_area_round)
    # North: most met an ambassador, and 80 % are happy with or without; south: few met one, 20 % happy.
    _answer(surveys["north"], [("yes", "yes")] * 4 + [("yes", "no")], count=6)
    _answer(surveys["north"], [("no", "yes")] * 4 + [("no", "no")])
    _answer(surveys["south"], [("yes", "yes")] + [("yes", "no")] * 4)
    _answer(surveys["south"], [("no", "yes")] + [("no", "no")] * 4, count=6)

    happy = survey_round_report(round=two_area_round)["questions"]["happy_living_here"]

    assert (happy["contact"]["percent"]["yes"], happy["no_contact"]["percent"]["yes"]) == (71, 29)  # 25/35, 10/35
    assert happy["significant"] is True
    assert happy["cmh_p_value"] == 1.0  # within each area, no difference at all
    assert happy["verdict"] == AREAS_EXPLAIN


def test_cmh_is_none_when_no_area_has_both_groups(two_area_round):
    surveys = _surveys(two_area_round)
    _answer(surveys["north"], [("yes", "yes"), ("yes", "no")], count=12)
    _answer(surveys["south"], [("no", "yes"), ("no", "no")], count=12)

    happy = survey_round_report(round=two_area_round)["questions"]["happy_living_here"]

    assert happy["p_value"] == 1.0
    assert happy["cmh_p_value"] is None


def test_a_survey_outside_the_round_is_not_counted(two_area_round, make_survey, area):
    _answer(make_survey(area=area), [("yes", "yes")] * 3)

    assert survey_round_report(round=two_area_round)["respondents"] == 0


# --- The funnel ---------------------------------------------------------------------------------------------


def test_the_pooled_funnel_is_the_sum_of_the_areas_funnels(two_area_round, make_invitation, today):
    surveys = _surveys(two_area_round)
    for index, (slug, count) in enumerate([("north", 3), ("south", 2)]):
        tenancies = list(Tenancy.objects.filter(estate__area__slug=slug))
        for n in range(count):
            newcomer = Newcomer.objects.create(
                tenancy=tenancies[n % len(tenancies)],
                move_in_date=today - datetime.timedelta(days=10 + n),
                name=f"N {slug} {n}",
                phone=f"+4561{index}{n:05d}",
            )
            invitation, _token = make_invitation(surveys[slug], newcomer)
            if n == 0:
                invitation.answered_at = timezone.now()
                invitation.save(update_fields=["answered_at"])
        Newcomer.objects.create(tenancy=tenancies[0], move_in_date=today - datetime.timedelta(days=40), name="No phone")

    _answer(surveys["north"], [("yes", "yes")] * 3)  # an interview firm's answers: not in the steps

    funnel = survey_round_report(round=two_area_round)["funnel"]

    for slug in ("north", "south"):
        one_area = survey_funnel(survey=surveys[slug])
        assert funnel["areas"][slug] == {
            **dict(one_area.steps),
            "response_rate": one_area.response_rate,
            "other_channels": one_area.other_channels,
        }
    assert funnel["areas"]["north"]["in_period"] == 4 and funnel["areas"]["north"]["with_contact"] == 3
    north, south = funnel["areas"]["north"], funnel["areas"]["south"]
    steps = ["in_period", "with_contact", "invited", "reached", "answered"]
    assert {step: funnel["pooled"][step] for step in steps} == {step: north[step] + south[step] for step in steps}
    assert funnel["pooled"]["answered"] == 2 and funnel["pooled"]["response_rate"] == 40  # 2 of 5
    assert funnel["pooled"]["other_channels"] == {"import": 3} and funnel["areas"]["south"]["other_channels"] == {}


# --- Rows for pages: the small-number rules -----------------------------------------------------------------


def test_area_rows_hide_small_groups_and_what_the_pool_would_give_away(two_area_round):
    surveys = _surveys(two_area_round)
    _answer(surveys["north"], [("yes", "yes"), ("no", "no")], count=8)
    _answer(surveys["south"], [("yes", "yes")], count=6)
    _answer(surveys["south"], [("no", "no")], count=3)  # 3 without contact in the south

    figures = round_figures(round=two_area_round)
    masked = {row.area: row for row in round_area_rows(figures, "happy_living_here", mask=True)}
    exact = {row.area: row for row in round_area_rows(figures, "happy_living_here", mask=False)}

    assert masked["south"].n["no_contact"].hidden and masked["south"].n["no_contact"].text == "< 5"
    assert masked["south"].share["no_contact"].percent is None
    # North's 8 without contact is shown, but then the pool's 11 would give the south's 3 away: one hidden.
    # The pool's 11 is shown, so north's 8 would give the south's 3 away (11 − 8): north's is hidden too.
    assert masked["north"].n["no_contact"].hidden and masked["north"].n["no_contact"].text == "–"
    assert masked[None].n["no_contact"].value == 11 and masked[None].share["no_contact"].percent == 0
    assert masked["south"].n["contact"].value == 6 and masked["south"].share["contact"].percent == 100
    assert exact["south"].n["no_contact"].value == 3 and exact["south"].share["no_contact"].percent == 0
    assert exact[None].n["no_contact"].value == 11


def test_a_question_without_a_yes_has_no_area_rows(two_area_round):
    figures = round_figures(round=two_area_round)
    figures.pooled["happy_living_here"].question.kind = Question.Kind.ONE_CHOICE
    assert round_area_rows(figures, "happy_living_here", mask=True) == []


# --- Queries ------------------------------------------------------------------------------------------------


def _queries(survey_round) -> int:
    with CaptureQueriesContext(connection) as queries:
        survey_round_report(round=survey_round)
    return len(queries)


def test_the_report_costs_the_same_queries_for_two_areas_and_five(organisation, make_round, django_assert_num_queries):
    areas = [build_area(organisation, f"area-{n}", [f"7{n}0"]) for n in range(5)]
    small, large = make_round(areas[:2], title="Small"), make_round(areas, title="Large")
    for survey_round in (small, large):
        for survey in survey_round.surveys.all():
            _answer(survey, [("yes", "yes"), ("no", "no")], count=3)

    expected = _queries(small)
    with django_assert_num_queries(expected):
        report = survey_round_report(round=large)
    assert len(report["areas"]) == 5 and expected == 8


# --- The command --------------------------------------------------------------------------------------------


def test_command_prints_the_report_as_json(two_area_round):
    _answer(_surveys(two_area_round)["north"], [("yes", "yes"), ("no", "no")], count=3)
    out = io.StringIO()

    call_command("survey_round_report", "--round", str(two_area_round.pk), "--format", "json", stdout=out)

    printed = json.loads(out.getvalue())
    assert printed == json.loads(json.dumps(survey_round_report(round=two_area_round)))
    happy = printed["questions"]["happy_living_here"]
    assert set(happy) >= {"all", "contact", "no_contact", "p_value", "significant", "cmh_p_value", "conclusion"}
    assert set(printed) == {"round", "respondents", "groups", "questions", "areas", "funnel"}
    assert set(printed["funnel"]) == {"pooled", "areas"}


def test_command_prints_pooled_and_area_lines_as_csv(two_area_round):
    _answer(_surveys(two_area_round)["north"], [("yes", "yes"), ("no", "no")], count=3)
    out = io.StringIO()

    call_command("survey_round_report", "--round", str(two_area_round.pk), "--format", "csv", stdout=out)

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == [
        "area",
        "question",
        "group",
        "n",
        "answer",
        "percent",
        "p_value",
        "significant",
        "cmh_p_value",
    ]
    pooled = [r for r in rows if r["area"] == "" and r["question"] == "happy_living_here" and r["group"] == "contact"]
    assert {r["answer"]: r["percent"] for r in pooled} == {"yes": "100", "no": "0", "dont_know": "0"}
    assert {r["area"] for r in rows} == {"", "north", "south"}
    assert all(r["cmh_p_value"] == "" for r in rows if r["area"])


def test_command_refuses_an_unknown_round():
    with pytest.raises(CommandError, match="No survey round"):
        call_command("survey_round_report", "--round", "999999")
