"""The figures: what each one counts, that an estate's and the area's agree, and that the number of
queries does not grow with the data."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.dashboards.display import dashboard_for
from apps.dashboards.periods import period_from_key
from apps.dashboards.selectors import area_counts, area_counts_compute, figures_for
from apps.visits.models import Activity, Ambassador

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def year(today):
    """This calendar year so far, as a period of whole months up to this month."""
    return period_from_key(f"{today.year}-01:{today:%Y-%m}", today=today)


def _days_ago(today, n):
    return today - datetime.timedelta(days=n)


def test_newcomers_shares_outcomes_and_folders_of_an_estate(make_visit, estate, estate_102, today):
    period = period_from_key("last12", today=today)
    old = _days_ago(today, 60)
    make_visit(estate=estate, moved_in=old, outcome="contact", days=10)  # within 14 and 30
    make_visit(estate=estate, moved_in=old, outcome="contact", days=20)  # within 30 only
    make_visit(estate=estate, moved_in=old, outcome="folder_left")  # folder, not met
    make_visit(estate=estate, moved_in=old, outcome="declined")
    make_visit(estate=estate, moved_in=_days_ago(today, 3), outcome=None)  # too recent to judge
    make_visit(estate=estate_102, moved_in=old, outcome="contact", days=2)
    make_visit(estate=estate, moved_in=_days_ago(today, 400), outcome="contact")  # before the period

    counts = area_counts_compute(area=estate.area, period=period)
    mine = figures_for(counts, estate_ids={estate.pk}, months=period.months)
    assert mine.newcomers == 5
    assert (mine.within_14.count, mine.within_14.total) == (1, 4)
    assert (mine.within_30.count, mine.within_30.total) == (2, 4)
    assert dict(mine.outcomes) == {
        "open": 1,
        "contact": 2,
        "folder_left": 1,
        "not_home_limit": 0,
        "declined": 1,
        "moved_away": 0,
    }
    assert mine.visits == 5
    assert mine.folders == 3
    whole = figures_for(counts, estate_ids=None, months=period.months)
    assert whole.newcomers == 6 and whole.within_14.count == 2 and whole.folders == 4


def test_newcomers_are_counted_per_month_of_moving_in(make_visit, estate, today, year):
    first_of_month = today.replace(day=1)
    make_visit(estate=estate, moved_in=first_of_month)
    make_visit(estate=estate, moved_in=first_of_month)
    counts = area_counts_compute(area=estate.area, period=year)
    figures = figures_for(counts, estate_ids={estate.pk}, months=year.months)
    assert [m.newcomers for m in figures.months][-1] == 2
    assert sum(m.newcomers for m in figures.months) == 2
    assert len(figures.months) == today.month


def test_ambassadors_active_in_the_area_and_living_in_the_estate(
    make_ambassador, make_visit, estate, estate_102, other_area, today
):
    period = period_from_key("last12", today=today)
    at_home = make_ambassador(home=estate)
    make_ambassador(home=estate_102)
    make_ambassador(home=None)
    make_ambassador(home=estate, status=Ambassador.Status.PAUSED)
    make_ambassador(home=other_area.estates.get())  # lives outside the area's estates
    make_visit(estate=estate, moved_in=_days_ago(today, 40), ambassador=at_home)
    make_visit(estate=estate, moved_in=_days_ago(today, 50), ambassador=at_home)

    counts = area_counts_compute(area=estate.area, period=period)
    mine = figures_for(counts, estate_ids={estate.pk}, months=period.months)
    assert mine.active_ambassadors == 4
    assert mine.ambassadors_living_here == 1
    assert mine.visiting_ambassadors == 1
    assert figures_for(counts, estate_ids=None, months=period.months).ambassadors_living_here == 2


def test_meetings_held_and_attendance_are_the_whole_areas(make_ambassador, make_held_meeting, estate, today):
    period = period_from_key("last12", today=today)
    people = [make_ambassador(home=estate) for _ in range(3)]
    make_held_meeting(days_ago=20, came=people[:2], missed=people[2:])
    make_held_meeting(days_ago=50, came=people[:1], missed=people[1:])
    make_held_meeting(days_ago=-5, came=[])  # not held yet

    figures = figures_for(
        area_counts_compute(area=estate.area, period=period), estate_ids={estate.pk}, months=period.months
    )
    assert figures.meetings_held == 2
    assert figures.meeting_attendances == 3
    assert (figures.meeting_attendance.count, figures.meeting_attendance.total) == (3, 6)
    assert figures.meeting_attendees == 2


def test_interests_by_activity(make_visit, estate, estate_102, today):
    period = period_from_key("last12", today=today)
    madklub = Activity.objects.create(area=estate.area, name="Madklub")
    fitness = Activity.objects.create(area=estate.area, name="Fitness")
    make_visit(estate=estate, moved_in=_days_ago(today, 30), interests=[madklub, fitness])
    make_visit(estate=estate, moved_in=_days_ago(today, 31), interests=[madklub])
    make_visit(estate=estate_102, moved_in=_days_ago(today, 31), interests=[fitness])

    counts = area_counts_compute(area=estate.area, period=period)
    assert figures_for(counts, estate_ids={estate.pk}, months=period.months).interests == [
        ("Madklub", 2),
        ("Fitness", 1),
    ]
    assert figures_for(counts, estate_ids=None, months=period.months).interests == [("Fitness", 2), ("Madklub", 2)]


def test_last_year_compares_the_same_months_of_the_same_estate(make_visit, estate, estate_102, today):
    period = period_from_key("last12", today=today)
    make_visit(estate=estate, moved_in=_days_ago(today, 400))
    make_visit(estate=estate_102, moved_in=_days_ago(today, 400))
    d = dashboard_for(area=estate.area, period=period, estate_ids={estate.pk}, scope="", mask=False, with_area=True)
    newcomers = d.headline[0]
    assert (newcomers.now.value, newcomers.then.value, newcomers.area.value) == (0, 1, 0)


def _history(make_visit, make_ambassador, make_held_meeting, estate, estate_102, today, size):
    activity = Activity.objects.create(area=estate.area, name=f"Aktivitet {size}")
    people = [make_ambassador(home=estate) for _ in range(size)]
    for i in range(size * 5):
        make_visit(
            estate=estate if i % 2 else estate_102,
            moved_in=_days_ago(today, 10 + i * 7),
            outcome=["contact", "folder_left", None, "declined"][i % 4],
            ambassador=people[i % size],
            interests=[activity] if i % 3 == 0 else [],
        )
    make_held_meeting(days_ago=30 + size, came=people)


@pytest.mark.parametrize("size", [1, 6])
def test_counting_takes_six_queries_whatever_the_data(
    django_assert_num_queries, make_visit, make_ambassador, make_held_meeting, estate, estate_102, today, size
):
    _history(make_visit, make_ambassador, make_held_meeting, estate, estate_102, today, size)
    period = period_from_key("last12", today=today)
    with django_assert_num_queries(6):
        area_counts_compute(area=estate.area, period=period)


def test_counts_are_cached_per_area_period_and_day(settings, django_assert_num_queries, make_visit, estate, today):
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    period = period_from_key("last12", today=today)
    make_visit(estate=estate, moved_in=_days_ago(today, 20))
    first = area_counts(area=estate.area, period=period)
    make_visit(estate=estate, moved_in=_days_ago(today, 21))
    with django_assert_num_queries(0):
        again = area_counts(area=estate.area, period=period)
    assert again.computed_at == first.computed_at
    assert (
        area_counts(area=estate.area, period=period, today=today + datetime.timedelta(days=1)).computed_at
        != first.computed_at
    )


def test_late_lists_are_counted_apart_and_do_not_change_the_shares(make_visit, estate, estate_102, today):
    period = period_from_key("last12", today=today)
    moved_in = _days_ago(today, 60)
    on_time = make_visit(estate=estate, moved_in=moved_in, outcome="contact", days=10)
    week_late = make_visit(estate=estate, moved_in=moved_in, outcome="contact", days=10)
    late = make_visit(estate=estate, moved_in=moved_in, outcome="contact", days=30)
    elsewhere = make_visit(estate=estate_102, moved_in=moved_in, outcome=None)
    for visit, days in ((on_time, 0), (week_late, 7), (late, 8), (elsewhere, 23)):
        visit.newcomer.listed_on = moved_in + datetime.timedelta(days=days)
        visit.newcomer.save(update_fields=["listed_on"])

    counts = area_counts_compute(area=estate.area, period=period, today=today)
    mine = figures_for(counts, estate_ids={estate.pk}, months=period.months)
    whole = figures_for(counts, estate_ids=None, months=period.months)

    assert (mine.late_lists, whole.late_lists) == (1, 2)
    assert (mine.within_14.count, mine.within_14.total) == (2, 3)  # still from the move-in
