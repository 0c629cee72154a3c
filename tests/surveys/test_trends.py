"""Issue 18, point 3: the organisation's survey rounds over the years and its areas side by side. The Wilson
interval against published values, the small-number rules on the points, the shares per round and group,
the areas' figures against the coordinator's overview, constant queries, and who may see the page."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.core.small_numbers import count_cell
from apps.newcomers.models import Newcomer
from apps.organisation.models import Tenancy
from apps.surveys.models import Answer, Response, Survey
from apps.surveys.pooled import round_figures
from apps.surveys.services import survey_questions_list
from apps.surveys.trends import areas_side_by_side, question_trends, trend_point, wilson_interval
from apps.visits.models import Ambassador, Visit
from apps.visits.selectors import overview_compute

pytestmark = pytest.mark.django_db


# --- The Wilson interval --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "n", "low", "high"),
    [
        (8, 10, 0.490, 0.943),  # the usual textbook example
        (81, 263, 0.2553, 0.3662),  # Newcombe (1998), Statistics in Medicine 17:857, method 3
        (0, 10, 0.0, 0.2775),  # none: the lower end at 0, not below
        (10, 10, 0.7225, 1.0),  # all: the upper end at 1, not above
    ],
)
def test_wilson_interval_matches_published_values(yes, n, low, high):
    found = wilson_interval(yes, n)
    assert found[0] == pytest.approx(low, abs=5e-4)
    assert found[1] == pytest.approx(high, abs=5e-4)


def test_wilson_interval_is_none_when_nobody_answered():
    assert wilson_interval(0, 0) is None


def test_a_point_from_fewer_than_five_answers_is_not_shown():
    point = trend_point("contact", 3, 4, n_cell=count_cell(4, mask=True), shown=True)
    assert point.percent is None and point.low is None and point.n.text == "< 5"


def test_a_point_the_rounds_decision_hides_is_not_shown():
    point = trend_point("contact", 27, 30, n_cell=count_cell(30, mask=True), shown=False)
    assert point.percent is None and point.n.text == "30"


def test_a_point_from_fewer_than_twenty_answers_is_shown_as_uncertain():
    point = trend_point("contact", 8, 15, n_cell=count_cell(15, mask=True), shown=True)
    assert point.percent == 53 and point.uncertain
    assert (point.low, point.high) == (30, 75)
    assert not trend_point("contact", 15, 30, n_cell=count_cell(30, mask=True), shown=True).uncertain


# --- The shares per round -------------------------------------------------------------------------------


def _answer(survey: Survey, *, contact_yes: int, contact_no: int, none_yes: int, none_no: int) -> None:
    """Imported respondents of `survey` answering `happy_living_here`, grouped by their own contact answer."""
    questions = {q.code: q for q in survey_questions_list(survey)}
    rows = (
        [("yes", "yes")] * contact_yes
        + [("yes", "no")] * contact_no
        + [("no", "yes")] * none_yes
        + [("no", "no")] * none_no
    )
    now = timezone.now()
    responses = Response.objects.bulk_create(
        [Response(survey=survey, source=Response.Source.IMPORT, completed_at=now, answered_on=now.date()) for _ in rows]
    )
    answers = []
    for response, (contact, happy) in zip(responses, rows, strict=True):
        answers.append(Answer(response=response, question=questions["ambassador_contact"], value=contact))
        answers.append(Answer(response=response, question=questions["happy_living_here"], value=happy))
    Answer.objects.bulk_create(answers)


def _rounds(make_round, areas, count: int, today: datetime.date):
    rounds = []
    for i in range(count):
        end = today - datetime.timedelta(days=365 * (count - 1 - i))
        survey_round = make_round(areas, title=f"Runde {i}", period_start=end - datetime.timedelta(days=300))
        type(survey_round).objects.filter(pk=survey_round.pk).update(period_end=end)
        survey_round.refresh_from_db()
        for survey in survey_round.surveys.all():
            _answer(survey, contact_yes=20 + i * 5, contact_no=10, none_yes=15, none_no=15)
        rounds.append(survey_round)
    return rounds


def test_trends_give_each_rounds_share_per_group_oldest_first(make_round, area, other_area, today):
    rounds = _rounds(make_round, [area, other_area], 2, today)
    happy = next(t for t in question_trends(rounds=list(reversed(rounds))) if t.question.code == "happy_living_here")
    assert [rt.round for rt in happy.rounds] == rounds
    first, second = ({p.group: p for p in rt.points} for rt in happy.rounds)
    # Two areas of 20 yes + 10 no with contact, then 25 + 10: 67 %, then 71 %; without contact 50 % both.
    assert (first["contact"].percent, second["contact"].percent) == (67, 71)
    assert first["no_contact"].percent == second["no_contact"].percent == 50
    assert first["all"].n.value == 120 and second["all"].n.value == 130
    low, high = wilson_interval(40, 60)
    assert (first["contact"].low, first["contact"].high) == (round(100 * low), round(100 * high))


def test_trends_take_the_same_queries_for_two_and_five_rounds(make_round, area, other_area, today):
    two = _rounds(make_round, [area, other_area], 2, today)
    with CaptureQueriesContext(connection) as few:
        question_trends(rounds=two)
    five = _rounds(make_round, [area, other_area], 5, today)
    with CaptureQueriesContext(connection) as many:
        question_trends(rounds=five)
    assert len(few) == len(many) == 5


def test_a_point_whose_yes_or_rest_is_one_to_four_is_not_shown(make_round, area, today):
    # 27 of 30 with contact: the share would say that 3 people answered no.
    survey_round = make_round([area], title="Runde", period_start=today - datetime.timedelta(days=300))
    _answer(survey_round.surveys.get(), contact_yes=27, contact_no=3, none_yes=15, none_no=15)
    happy = next(t for t in question_trends(rounds=[survey_round]) if t.question.code == "happy_living_here")
    points = {p.group: p for p in happy.rounds[0].points}
    assert points["contact"].percent is None and points["no_contact"].percent == 50


def test_a_point_is_shown_as_the_rounds_own_page_shows_it(make_round, area, other_area, today):
    # The few who did not say whether they had contact: everyone's share minus the two groups' would give
    # their answers away, so the trend hides what the round's page hides (`RoundFigures.mask`).
    survey_round = make_round([area, other_area], title="Runde", period_start=today - datetime.timedelta(days=300))
    for survey in survey_round.surveys.all():
        _answer(survey, contact_yes=20, contact_no=10, none_yes=15, none_no=15)
    north = survey_round.surveys.get(area=area)
    _unknown(north, happy="no", count=2)
    happy = next(t for t in question_trends(rounds=[survey_round]) if t.question.code == "happy_living_here")
    points = {p.group: p for p in happy.rounds[0].points}
    mask = round_figures(round=survey_round).mask("happy_living_here")
    for group in ("contact", "no_contact", "all"):
        hidden = mask.cell(None, group).hidden or mask.cell(None, group, "yes").hidden
        assert (points[group].percent is None) == hidden
    assert points["all"].percent is None or points["contact"].percent is None or points["no_contact"].percent is None


def _unknown(survey: Survey, *, happy: str, count: int) -> None:
    """Respondents who answered "don't know" to the contact question."""
    questions = {q.code: q for q in survey_questions_list(survey)}
    now = timezone.now()
    for _ in range(count):
        response = Response.objects.create(
            survey=survey, source=Response.Source.IMPORT, completed_at=now, answered_on=now.date()
        )
        Answer.objects.create(response=response, question=questions["ambassador_contact"], value="dont_know")
        Answer.objects.create(response=response, question=questions["happy_living_here"], value=happy)


# --- The areas side by side -----------------------------------------------------------------------------


@pytest.fixture
def visited(area, other_area, ambassador, today):
    """Newcomers of both areas who moved in 40–80 days ago, every other one met within 10 days."""
    profile = Ambassador.objects.get_or_create(user=ambassador, area=area)[0]
    for the_area in (area, other_area):
        tenancies = list(Tenancy.objects.filter(estate__area=the_area).order_by("pk"))
        for i in range(12):
            moved_in = today - datetime.timedelta(days=40 + i)
            newcomer = Newcomer.objects.create(
                tenancy=tenancies[i % len(tenancies)], move_in_date=moved_in - datetime.timedelta(days=i), name=f"N{i}"
            )
            met = i % 2 == 0
            Visit.objects.create(
                newcomer=newcomer,
                area=the_area,
                estate=newcomer.tenancy.estate,
                move_in_date=newcomer.move_in_date,
                ambassador=profile if the_area == area else None,
                contact_made=met,
                folder_delivered=met,
                days_to_contact=10 if met else None,
                due_date=moved_in,
            )


def test_the_areas_figures_are_the_coordinators_overviews(visited, area, other_area, today):
    start, end = today - datetime.timedelta(days=365), today
    rows = {row.area: row for row in areas_side_by_side(areas=[area, other_area], period_start=start, period_end=end)}
    for the_area in (area, other_area):
        overview = overview_compute(area=the_area, period_start=start, period_end=end, today=today)
        row = rows[the_area]
        assert row.move_ins.value == overview.newcomers == 12
        assert row.welcomed_14.percent == overview.visited_within_14.percent == 50
        assert row.welcomed_30.percent == overview.visited_within_30.percent
        assert row.folders.value == 6
        assert row.tenancies == Tenancy.objects.filter(estate__area=the_area).count()


def test_the_areas_figures_hide_small_numbers(visited, area, other_area, today):
    start, end = today - datetime.timedelta(days=365), today
    rows = {row.area: row for row in areas_side_by_side(areas=[area, other_area], period_start=start, period_end=end)}
    # One active ambassador in `area`: "< 5", and so no rate per 100 tenancies that would give it away.
    assert rows[area].ambassadors.hidden and rows[area].ambassadors_per_100 == "–"
    assert rows[other_area].ambassadors.value == 0
    # Nobody met in `other_area` contacted their ambassador again: 0 of 6 says nothing about anyone.
    assert rows[other_area].continuing.percent == 0


def test_the_areas_figures_take_the_same_queries_however_many_areas(visited, area, other_area, empty_area, today):
    start, end = today - datetime.timedelta(days=365), today
    with CaptureQueriesContext(connection) as one:
        areas_side_by_side(areas=[area], period_start=start, period_end=end)
    with CaptureQueriesContext(connection) as three:
        areas_side_by_side(areas=[area, other_area, empty_area], period_start=start, period_end=end)
    assert len(one) == len(three) == 4


# --- The page ---------------------------------------------------------------------------------------------


def _url(organisation) -> str:
    return reverse("surveys:round_trends", args=[organisation.slug])


@pytest.fixture
def both_areas_coordinator(coordinator, other_area):
    membership_grant(user=coordinator, area=other_area, role=Membership.Role.COORDINATOR)
    return coordinator


def test_a_coordinator_of_every_area_of_a_round_sees_its_trend(
    client, both_areas_coordinator, make_round, area, other_area, organisation, today
):
    rounds = _rounds(make_round, [area, other_area], 2, today)
    client.force_login(both_areas_coordinator)
    response = client.get(_url(organisation))
    assert response.status_code == 200
    assert [rt.round for rt in response.context["questions"][0]["rounds"]] == rounds
    assert {row.area for row in response.context["areas"]} == {area, other_area}
    assert b"<svg" in response.content


def test_the_page_shows_only_the_rounds_the_user_may_view(
    client, coordinator, make_round, area, other_area, organisation, today
):
    own = make_round([area], title="Kun vores")
    make_round([area, other_area], title="Begge områder")
    client.force_login(coordinator)
    response = client.get(_url(organisation))
    assert response.status_code == 200
    assert response.context["rounds"] == [own]
    assert [row.area for row in response.context["areas"]] == [area]
    assert "Begge områder" not in response.content.decode()


def test_a_colleague_of_another_area_and_an_outsider_are_refused(
    client, other_coordinator, make_user, make_round, area, organisation
):
    make_round([area])
    for user in (other_coordinator, make_user()):
        client.force_login(user)
        assert client.get(_url(organisation)).status_code == 403


def test_an_admin_sees_every_area_of_the_organisation(client, make_user, make_round, area, other_area, organisation):
    make_round([area])
    client.force_login(make_user(is_superuser=True, is_staff=True))
    response = client.get(_url(organisation))
    assert response.status_code == 200
    assert {row.area for row in response.context["areas"]} >= {area, other_area}


def test_an_unknown_organisation_is_not_found(client, make_user):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    assert client.get(reverse("surveys:round_trends", args=["nowhere"])).status_code == 404


def test_the_page_takes_the_same_queries_for_two_and_five_rounds(
    client, both_areas_coordinator, make_round, area, other_area, organisation, today, django_assert_num_queries
):
    _rounds(make_round, [area, other_area], 2, today)
    client.force_login(both_areas_coordinator)
    client.get(_url(organisation))  # the session's first request does more
    cache.clear()  # counted afresh both times (the figures are kept a few minutes: round_cache)
    with CaptureQueriesContext(connection) as two:
        assert client.get(_url(organisation)).status_code == 200
    _rounds(make_round, [area, other_area], 3, today - datetime.timedelta(days=3 * 365))
    cache.clear()
    with django_assert_num_queries(len(two)):
        assert client.get(_url(organisation)).status_code == 200


def test_the_contact_question_itself_is_no_trend(make_round, area, today):
    rounds = _rounds(make_round, [area], 2, today)
    assert "ambassador_contact" not in {t.question.code for t in question_trends(rounds=rounds)}


# --- demo18: the rate per 100 tenancies was printed "1.9" on the Danish page -------------------------------------


def test_the_rate_per_100_tenancies_is_written_in_the_pages_language(make_user, area, today):
    for _n in range(5):
        Ambassador.objects.create(user=make_user(), area=area, languages=["da"])
    homes = Tenancy.objects.filter(estate__area=area).count()
    start, end = today - datetime.timedelta(days=365), today

    with translation.override("da"):
        [row] = areas_side_by_side(areas=[area], period_start=start, period_end=end)

    assert row.ambassadors_per_100 == f"{500 / homes:.1f}".replace(".", ",")


def test_a_hidden_group_says_it_had_fewer_than_five_answers(
    client, both_areas_coordinator, make_round, area, other_area, organisation
):
    survey_round = make_round([area, other_area])
    # Two with contact, one without: both groups under five, so neither is shown, only how few they were.
    _answer(survey_round.surveys.get(area=area), contact_yes=2, contact_no=0, none_yes=1, none_no=0)
    client.force_login(both_areas_coordinator)

    page = client.get(_url(organisation)).content.decode()

    assert "(n &lt; 5)" in page
    assert "n = &lt;" not in page
