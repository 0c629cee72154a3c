"""What the ambassador and the coordinator see, and that it costs the same number of queries at any size."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone, translation

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.visits.models import Ambassador, Attempt, Referral, Visit
from apps.visits.selectors import (
    _median_from_histogram,
    ambassadors_with_load,
    my_visits,
    overview,
    visit_for_ambassador,
    visits_for_area,
)
from apps.visits.services import visit_record_attempt, visits_assign
from tests.visits.conftest import assignment_backdate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Outcome = Attempt.Outcome


def _assign(area, coordinator, ambassador, newcomers) -> list[Visit]:
    return visits_assign(area=area, assignments=[(n.pk, ambassador.pk) for n in newcomers], by=coordinator)


def _close(visit: Visit, *, days_ago: float) -> None:
    Visit.objects.filter(pk=visit.pk).update(
        status=Visit.Status.CLOSED,
        close_reason=Visit.CloseReason.CONTACT,
        contact_made=True,
        closed_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_my_visits_lists_open_visits_by_due_date(area, coordinator, ambassador_profile, make_newcomer):
    late, early = make_newcomer(days_ago=2), make_newcomer(days_ago=9)
    _assign(area, coordinator, ambassador_profile, [late, early])

    mine = my_visits(ambassador_user=ambassador_profile.user)

    assert [v.newcomer for v in mine.open] == [early, late]
    first = mine.open[0]
    assert first.newcomer.name == early.name and first.newcomer.phone == early.phone
    assert first.newcomer.tenancy.address and first.newcomer.tenancy.entrance.estate
    assert first.attempt_count == 0


def test_my_visits_shows_only_the_ambassadors_own_visits(
    area, coordinator, ambassador_profile, other_ambassador_profile, make_newcomer
):
    _assign(area, coordinator, other_ambassador_profile, [make_newcomer()])

    assert my_visits(ambassador_user=ambassador_profile.user).open == []


def test_another_ambassadors_visit_is_not_found(visit, other_ambassador_profile):
    with pytest.raises(Http404):
        visit_for_ambassador(other_ambassador_profile.user, visit.pk)


def test_closed_visit_keeps_name_and_phone_during_the_grace_period(visit, ambassador, settings):
    settings.VISIT_CONTACT_GRACE_DAYS = 7
    _close(visit, days_ago=6.9)

    mine = my_visits(ambassador_user=ambassador)

    assert mine.open == []
    assert [v.newcomer.name for v in mine.recently_closed] == ["Amina Newcomer"]
    assert visit_for_ambassador(ambassador, visit.pk).newcomer.phone == "+4561111111"


def test_ambassador_no_longer_sees_name_or_phone_of_a_closed_visit_after_the_grace_period(visit, ambassador, settings):
    settings.VISIT_CONTACT_GRACE_DAYS = 7
    _close(visit, days_ago=7.1)

    mine = my_visits(ambassador_user=ambassador)

    assert mine.open == [] and mine.recently_closed == []
    with pytest.raises(Http404):
        visit_for_ambassador(ambassador, visit.pk)


def test_visits_of_newcomers_who_asked_not_to_be_contacted_are_not_listed(visit, newcomer, ambassador):
    newcomer.do_not_contact = True
    newcomer.save()

    assert my_visits(ambassador_user=ambassador).open == []


def test_ambassador_who_left_sees_no_visits(visit, ambassador_profile, ambassador):
    Ambassador.objects.filter(pk=ambassador_profile.pk).update(status=Ambassador.Status.LEFT)

    assert my_visits(ambassador_user=ambassador).open == []


def _grow(area, coordinator, ambassador, make_newcomer, make_ambassador, activity, *, size: int) -> None:
    """`size` open visits with an attempt, `size` visits closed recently and long ago, and another
    ambassador's visits, with referrals: everything my_visits and the overview look at."""
    other = make_ambassador(visits_per_month=100)
    ambassador.visits_per_month = 100
    ambassador.save()
    for days_ago in range(size):
        open_visit, recent, old = _assign(
            area, coordinator, ambassador, [make_newcomer(days_ago=days_ago), make_newcomer(), make_newcomer()]
        )
        visit_record_attempt(visit=open_visit, by=ambassador.user, outcome=Outcome.NOT_HOME_NOTHING_LEFT)
        visit_record_attempt(visit=recent, by=ambassador.user, outcome=Outcome.MET_TALKED, interests=[activity])
        _close(old, days_ago=40)
        _assign(area, coordinator, other, [make_newcomer(days_ago=days_ago + 20)])


@pytest.mark.parametrize("size", [1, 6])
def test_my_visits_takes_one_query_at_any_size(
    size, area, coordinator, ambassador_profile, make_newcomer, make_ambassador, activity, django_assert_num_queries
):
    _grow(area, coordinator, ambassador_profile, make_newcomer, make_ambassador, activity, size=size)

    with django_assert_num_queries(1):
        mine = my_visits(ambassador_user=ambassador_profile.user)
        for visit in mine.open + mine.recently_closed:  # everything the page shows
            str(visit.newcomer.tenancy.address), visit.newcomer.tenancy.entrance.estate.name, visit.attempt_count

    assert (len(mine.open), len(mine.recently_closed)) == (size, size)


@pytest.mark.parametrize("size", [1, 6])
def test_overview_takes_seven_queries_at_any_size(
    size, area, coordinator, ambassador_profile, make_newcomer, make_ambassador, activity, django_assert_num_queries
):
    _grow(area, coordinator, ambassador_profile, make_newcomer, make_ambassador, activity, size=size)
    today = timezone.localdate()

    with django_assert_num_queries(7):
        figures = overview(area=area, period_start=today - datetime.timedelta(days=365), period_end=today)
        for ambassador in figures.workload:
            str(ambassador), ambassador.open_visits, ambassador.assigned_this_month

    assert figures.newcomers == 4 * size
    assert figures.referrals == size


def test_overview_figures(area, coordinator, ambassador_profile, make_newcomer, estate, activity):
    """Four newcomers moved in 40 days ago: one met on day 10, one met on day 20, one declined, one waiting;
    and one who moved in 5 days ago, too recent to count for "within 14 days"."""
    today = timezone.localdate()
    ambassador_profile.visits_per_month = 10
    ambassador_profile.save()
    met_10, met_20, declined, waiting = (make_newcomer(days_ago=40) for _ in range(4))
    recent = make_newcomer(days_ago=5)
    visits = _assign(area, coordinator, ambassador_profile, [met_10, met_20, declined, waiting, recent])
    Visit.objects.filter(pk=visits[0].pk).update(
        status="closed", close_reason="contact", closed_at=timezone.now(), contact_made=True, days_to_contact=10
    )
    Visit.objects.filter(pk=visits[1].pk).update(
        status="closed", close_reason="contact", closed_at=timezone.now(), contact_made=True, days_to_contact=20
    )
    Visit.objects.filter(pk=visits[2].pk).update(status="closed", close_reason="declined", closed_at=timezone.now())
    Visit.objects.filter(pk=visits[3].pk).update(ambassador=None)
    assignment_backdate(visits[3], days_ago=40)  # confirmed on the move-in day, due 26 days ago
    Referral.objects.create(visit=visits[0], activity=activity)

    figures = overview(area=area, period_start=today - datetime.timedelta(days=60), period_end=today)

    assert figures.newcomers == 5
    assert (figures.visited_within_14.count, figures.visited_within_14.total) == (1, 4)
    assert (figures.visited_within_30.count, figures.visited_within_30.total) == (2, 4)
    assert figures.visited_within_30.percent == 50
    states = {row.state: row.count for row in figures.visits_by_state}
    assert states == {
        "waiting": 1,
        "assigned": 1,
        "contact": 2,
        "folder_left": 0,
        "not_home_limit": 0,
        "declined": 1,
        "moved_away": 0,
    }
    assert figures.overdue == 1  # the waiting one, due 26 days ago
    assert figures.median_days_to_contact == 15
    assert figures.contacts == 2
    assert (figures.referrals, figures.referrals_to_follow_up) == (1, 1)
    [load] = figures.workload
    assert (load.open_visits, load.overdue_visits, load.assigned_this_month) == (1, 0, 4)
    # Each figure has its list behind it.
    assert visits_for_area(area=area, state="waiting").get() == visits[3]
    assert visits_for_area(area=area, overdue=True).get() == visits[3]


def test_overview_filters_by_estate_and_period(area, coordinator, ambassador_profile, make_newcomer, make_tenancy):
    today = timezone.localdate()
    other_estate = area.estates.get(number="102")
    make_newcomer(days_ago=3)  # estate 101
    make_newcomer(days_ago=3, tenancy=make_tenancy(estate=other_estate))
    make_newcomer(days_ago=100)

    figures = overview(
        area=area, period_start=today - datetime.timedelta(days=30), period_end=today, estate=other_estate
    )

    assert figures.newcomers == 1


def test_ambassador_who_also_sits_on_the_board_shows_a_dual_role(area, ambassador_profile, board_member):
    membership_grant(
        user=ambassador_profile.user, area=area, role=Membership.Role.BOARD, estates=[area.estates.first()]
    )

    [load] = ambassadors_with_load(area=area)
    assert load.board_member


@pytest.mark.parametrize(
    ("values", "median"), [([], None), ([3], 3), ([1, 5], 3), ([1, 2, 2, 9], 2), ([4, 4, 4, 10, 30], 4)]
)
def test_median_from_a_histogram(values, median):
    histogram = sorted({v: values.count(v) for v in values}.items())
    assert _median_from_histogram(histogram) == median


def test_overview_is_computed_once_while_cached(area, coordinator, ambassador_profile, make_newcomer, settings):
    settings.VISIT_OVERVIEW_CACHE_SECONDS = 60
    today = timezone.localdate()
    period = {"period_start": today - datetime.timedelta(days=30), "period_end": today}
    make_newcomer()
    first = overview(area=area, **period)

    make_newcomer()
    again = overview(area=area, **period)
    other_estate = overview(area=area, estate=area.estates.get(number="102"), **period)

    assert first.newcomers == again.newcomers == 1
    assert again.computed_at == first.computed_at
    assert other_estate.computed_at > first.computed_at


def test_overview_cache_keeps_each_languages_labels(area, make_newcomer, settings):
    settings.VISIT_OVERVIEW_CACHE_SECONDS = 60
    today = timezone.localdate()
    period = {"period_start": today - datetime.timedelta(days=30), "period_end": today}
    make_newcomer()

    with translation.override("da"):
        danish = {state.label for state in overview(area=area, **period).visits_by_state}
    with translation.override("en"):
        english = {state.label for state in overview(area=area, **period).visits_by_state}
    with translation.override("da"):
        danish_again = {state.label for state in overview(area=area, **period).visits_by_state}

    assert "Venter på en naboambassadør" in danish
    assert "Waiting for an ambassador" in english
    assert "Waiting for an ambassador" not in danish_again
