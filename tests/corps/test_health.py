"""The corps' health (corps:health): each figure on small hand-made data, other areas never counted, and a
page that only the area's coordinators open, in a fixed number of queries."""

import datetime
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.corps.selectors import (
    active_by_month,
    capacity_next_quarter,
    corps_health,
    corps_read,
    estates_without_ambassador,
    flows_by_quarter,
    idle_ambassadors,
    languages_covered,
)
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Entrance, Estate, Tenancy
from apps.visits.models import Ambassador, AmbassadorStatusChange, Attempt, Visit

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
Status = Ambassador.Status


def _history(ambassador: Ambassador, *steps: tuple) -> Ambassador:
    """Dated steps (day, status[, reason]); the profile ends in the last one."""
    for on, status, *reason in steps:
        AmbassadorStatusChange.objects.create(ambassador=ambassador, status=status, on=on, reason=(reason or [""])[0])
    on, status, *_ = steps[-1]
    Ambassador.objects.filter(pk=ambassador.pk).update(status=status, status_since=on)
    ambassador.refresh_from_db()
    return ambassador


@pytest.fixture
def make_ambassador(make_user, area):
    """An ambassador of `area` (or `in_area`) with a profile; keyword arguments go to the profile."""
    counter = iter(range(1, 10_000))

    def make(*, name: str | None = None, in_area=None, **profile) -> Ambassador:
        n = next(counter)
        user = make_user(full_name=name or f"Ambassador {n}", phone=f"+45319{n:05d}")
        membership_grant(user=user, area=in_area or area, role=Membership.Role.AMBASSADOR)
        m2m = {key: profile.pop(key) for key in ("covered_estates", "covered_entrances") if key in profile}
        profile.setdefault("languages", ["da"])
        ambassador = Ambassador.objects.create(user=user, area=in_area or area, **profile)
        for key, values in m2m.items():
            getattr(ambassador, key).set(values)
        return ambassador

    return make


def _newcomer(tenancy: Tenancy, on: date, language: str = "da") -> Newcomer:
    return Newcomer.objects.create(tenancy=tenancy, move_in_date=on, language=language)


@pytest.fixture
def other_area_ambassador_profile(make_ambassador, other_area):
    """Active all along in the other area, speaking Urdu, covering its only estate: never counted here."""
    ambassador = make_ambassador(in_area=other_area, languages=["ur"], visits_per_month=20, started_on=date(2024, 1, 1))
    ambassador.covered_estates.set(other_area.estates.all())
    return _history(ambassador, (date(2024, 1, 1), Status.ACTIVE))


def test_active_ambassadors_per_month_follow_the_history(area, make_ambassador, other_area_ambassador_profile):
    paused_and_left = _history(
        make_ambassador(),
        (date(2025, 1, 10), Status.ACTIVE),
        (date(2025, 6, 5), Status.PAUSED),
        (date(2025, 9, 1), Status.ACTIVE),
        (date(2026, 3, 20), Status.LEFT, Ambassador.LeftReason.MOVED),
    )
    # No history rows: active from the day they started.
    make_ambassador(started_on=date(2025, 3, 1), status_since=date(2025, 3, 1))
    assert paused_and_left.status == Status.LEFT

    months = {row.month: row.active for row in active_by_month(corps=corps_read(area=area), today=TODAY)}

    assert len(months) == 24 and min(months) == date(2024, 7, 1) and max(months) == date(2026, 6, 1)
    assert months[date(2024, 12, 1)] == 0
    assert months[date(2025, 1, 1)] == 1
    assert months[date(2025, 3, 1)] == 2
    assert months[date(2025, 6, 1)] == 1  # paused on 5 June
    assert months[date(2025, 9, 1)] == 2  # back on 1 September
    assert months[date(2026, 2, 1)] == 2
    assert months[date(2026, 3, 1)] == 1  # left on 20 March
    assert months[date(2026, 6, 1)] == 1


def test_intake_counts_the_first_activation_and_departures_keep_their_reason(
    area,
    make_ambassador,
    other_area_ambassador_profile,
):
    _history(
        make_ambassador(),
        (date(2025, 1, 5), Status.ACCEPTED),
        (date(2025, 1, 10), Status.ACTIVE),
        (date(2025, 6, 5), Status.PAUSED),
        (date(2025, 9, 1), Status.ACTIVE),  # a return, not intake
        (date(2026, 3, 20), Status.LEFT, Ambassador.LeftReason.MOVED),
    )
    _history(make_ambassador(), (date(2025, 2, 1), Status.ACTIVE), (date(2026, 2, 1), Status.LEFT, "no_time"))
    # Without history: left on the day of their status, reason unknown.
    make_ambassador(started_on=date(2024, 1, 1), status=Status.LEFT, status_since=date(2026, 4, 2))
    # Before the eight quarters: neither intake nor departure.
    _history(make_ambassador(), (date(2023, 1, 1), Status.ACTIVE), (date(2024, 5, 1), Status.LEFT, "health"))

    flows = flows_by_quarter(corps=corps_read(area=area), today=TODAY)

    by_quarter = {row.start: (row.intake, row.departures) for row in flows.quarters}
    assert list(by_quarter) == [
        date(2024, 7, 1),
        date(2024, 10, 1),
        date(2025, 1, 1),
        date(2025, 4, 1),
        date(2025, 7, 1),
        date(2025, 10, 1),
        date(2026, 1, 1),
        date(2026, 4, 1),
    ]
    assert by_quarter[date(2025, 1, 1)] == (2, 0)
    assert by_quarter[date(2025, 7, 1)] == (0, 0)
    assert by_quarter[date(2026, 1, 1)] == (0, 2)
    assert by_quarter[date(2026, 4, 1)] == (0, 1)
    assert (flows.intake, flows.departures) == (2, 3)
    assert {row.reason: row.count for row in flows.reasons} == {"moved": 1, "no_time": 1, "": 1}


def test_a_newcomers_language_no_active_ambassador_speaks_is_listed(
    area,
    other_area,
    make_ambassador,
    other_area_ambassador_profile,
):
    tenancy = Tenancy.objects.filter(estate__area=area).first()
    homes = iter(Tenancy.objects.filter(estate__area=area).exclude(pk=tenancy.pk))
    for language in ("fa", "fa", "ar", ""):
        _newcomer(next(homes), TODAY - datetime.timedelta(days=30), language)
    _newcomer(tenancy, TODAY - datetime.timedelta(days=400), "so")  # more than a year ago
    _newcomer(Tenancy.objects.filter(estate__area=other_area).first(), TODAY, "ur")  # another area
    make_ambassador(languages=["ar", "da"])
    make_ambassador(languages=["fa"], status=Status.PAUSED)

    languages = languages_covered(area=area, corps=corps_read(area=area), today=TODAY)

    rows = {row.code: (row.newcomers, row.ambassadors) for row in languages.rows}
    assert rows == {"fa": (2, 0), "ar": (1, 1), "da": (0, 1)}
    assert [row.code for row in languages.lacking] == ["fa"]
    assert languages.unknown == 1


def test_an_estate_covered_only_through_an_entrance_is_not_listed(
    area,
    organisation,
    make_ambassador,
    other_area_ambassador_profile,
):
    e101, e102 = area.estates.get(number="101"), area.estates.get(number="102")
    e103 = Estate.objects.create(organisation=organisation, area=area, number="103", name="Estate 103")
    e104 = Estate.objects.create(organisation=organisation, area=area, number="104", name="Estate 104")
    make_ambassador(home_tenancy=e101.tenancies.first())
    make_ambassador(covered_entrances=[e102.entrances.first()])
    make_ambassador(covered_estates=[e104])
    make_ambassador(covered_estates=[e103], status=Status.PAUSED)  # a paused ambassador covers nothing

    assert list(estates_without_ambassador(area=area, today=TODAY)) == [e103]


def _attempt(ambassador: Ambassador, *, visited_on: date | None = None, recorded_days_ago: int = 0) -> Attempt:
    tenancy = Tenancy.objects.create(
        estate=ambassador.area.estates.first(),
        entrance=Entrance.objects.filter(estate__area=ambassador.area).first(),
        number=f"A-{Attempt.objects.count()}",
    )
    newcomer = _newcomer(tenancy, timezone.localdate() - datetime.timedelta(days=120))
    visit = Visit.objects.create(
        area=ambassador.area,
        estate=tenancy.estate,
        move_in_date=newcomer.move_in_date,
        newcomer=newcomer,
        ambassador=ambassador,
        due_date=newcomer.move_in_date,
    )
    return Attempt.objects.create(
        visit=visit,
        ambassador=ambassador,
        recorded_by=ambassador.user,
        recorded_at=timezone.now() - datetime.timedelta(days=recorded_days_ago),
        outcome=Attempt.Outcome.NOT_HOME_FOLDER_LEFT,
        visited_on=visited_on,
    )


def test_ambassadors_without_an_attempt_for_60_days_are_listed(area, make_ambassador, other_area_ambassador_profile):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=200)
    sixty = make_ambassador(name="Sixty days ago", status_since=long_ago)
    _attempt(sixty, visited_on=today - datetime.timedelta(days=60), recorded_days_ago=1)  # entered late
    fifty_nine = make_ambassador(name="Fifty-nine days ago", status_since=long_ago)
    _attempt(fifty_nine, recorded_days_ago=59)
    never = make_ambassador(name="Never", status_since=long_ago)
    make_ambassador(name="New in the corps", status_since=today - datetime.timedelta(days=59))
    make_ambassador(name="Paused", status=Status.PAUSED, status_since=long_ago)
    _attempt(other_area_ambassador_profile, visited_on=today - datetime.timedelta(days=300))

    idle = list(idle_ambassadors(area=area, today=today))

    assert idle == [never, sixty]
    assert idle[1].last_attempt == today - datetime.timedelta(days=60)


def test_expected_move_ins_come_from_the_same_months_last_year_against_capacity(
    area,
    other_area,
    make_ambassador,
    other_area_ambassador_profile,
):
    home = Tenancy.objects.filter(estate__area=area).first()
    for on in (date(2025, 7, 1), date(2025, 8, 10), date(2025, 8, 11), date(2025, 9, 2), date(2025, 9, 30)):
        _newcomer(home, on)
    _newcomer(home, date(2025, 6, 30))  # the quarter before
    _newcomer(home, date(2025, 10, 1))  # the quarter after
    for tenancy in Tenancy.objects.filter(estate__area=other_area):
        _newcomer(tenancy, date(2025, 8, 1))
    make_ambassador(visits_per_month=1)
    make_ambassador(visits_per_month=10, status=Status.PAUSED)

    capacity = capacity_next_quarter(area=area, corps=corps_read(area=area), today=TODAY)

    assert (capacity.quarter, capacity.compared_from, capacity.compared_to) == (
        date(2026, 7, 1),
        date(2025, 7, 1),
        date(2025, 9, 30),
    )
    assert (capacity.expected, capacity.capacity, capacity.shortfall) == (5, 3, 2)
    assert capacity.ambassadors_needed == 1  # one more at 1 visit a month makes 3 in a quarter


def test_enough_capacity_needs_no_recruiting(area, make_ambassador):
    _newcomer(Tenancy.objects.filter(estate__area=area).first(), date(2025, 8, 1))
    make_ambassador(visits_per_month=1)

    capacity = capacity_next_quarter(area=area, corps=corps_read(area=area), today=TODAY)

    assert (capacity.expected, capacity.capacity, capacity.shortfall, capacity.ambassadors_needed) == (1, 3, 0, 0)


def test_the_coordinator_is_told_to_recruit_when_capacity_falls_short(client, area, coordinator, make_ambassador):
    today = timezone.localdate()
    homes = iter(Tenancy.objects.filter(estate__area=area))
    last_year = capacity_next_quarter(area=area, corps=corps_read(area=area), today=today).compared_from
    for _ in range(4):
        _newcomer(next(homes), last_year, "fa")
    make_ambassador(visits_per_month=1, languages=["ar"])
    client.force_login(coordinator)

    response = client.get(reverse("corps:health", args=[area.slug]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'text-danger-emphasis recruit-advice">' in page
    assert 'id="chart-active-title"' in page and 'id="flows-table"' in page


def test_another_areas_coordinator_and_the_areas_ambassador_cannot_open_the_page(
    client, area, other_coordinator, ambassador, make_user
):
    for user, status in ((other_coordinator, 403), (ambassador, 403), (make_user(), 403)):
        client.force_login(user)
        assert client.get(reverse("corps:health", args=[area.slug])).status_code == status
    assert client.get(reverse("corps:health", args=["nowhere"])).status_code == 404


def _corps_of(area, make_ambassador, count: int) -> None:
    homes = list(Tenancy.objects.filter(estate__area=area))
    for n in range(count):
        ambassador = _history(
            make_ambassador(languages=["da", "ar"][: 1 + n % 2], covered_estates=[homes[n % len(homes)].estate]),
            (date(2025, 1, 1) + datetime.timedelta(days=9 * n), Status.ACTIVE),
            (date(2025, 6, 1) + datetime.timedelta(days=9 * n), Status.PAUSED),
            (date(2025, 8, 1) + datetime.timedelta(days=9 * n), Status.ACTIVE),
        )
        _attempt(ambassador, recorded_days_ago=70 + n)
        _newcomer(
            homes[n % len(homes)], timezone.localdate() - datetime.timedelta(days=20 + n), ["so", "fa", "ar"][n % 3]
        )


@pytest.mark.parametrize("count", [2, 12])
def test_the_page_runs_the_same_number_of_queries_however_big_the_corps(
    client,
    area,
    coordinator,
    make_ambassador,
    django_assert_num_queries,
    count,
):
    _corps_of(area, make_ambassador, count)
    client.force_login(coordinator)
    client.get(reverse("corps:health", args=[area.slug]))  # the first page after sign-in saves the session
    # session, user, the session's two-factor device, memberships (+ their estates), area; then the six
    # figures: profiles, histories, newcomers by language, estates without an ambassador, idle ambassadors,
    # expected move-ins
    with django_assert_num_queries(12):
        response = client.get(reverse("corps:health", args=[area.slug]))
    assert response.status_code == 200
    assert len(response.context["h"].idle) == count  # all of them: their attempts were 70 days ago or more


def test_health_figures_are_read_in_six_queries(area, make_ambassador, django_assert_num_queries):
    _corps_of(area, make_ambassador, 5)
    with django_assert_num_queries(6):
        corps_health(area=area, today=timezone.localdate())


def test_the_demo_corps_has_a_history_that_ends_in_each_profiles_status(settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo")
    area = Area.objects.get(slug="demo")

    for ambassador in Ambassador.objects.filter(area=area).prefetch_related("status_changes"):
        last = list(ambassador.status_changes.all())[-1]
        assert (last.status, last.on) == (ambassador.status, ambassador.status_since), ambassador

    health = corps_health(area=area, today=timezone.localdate())
    assert health.flows.intake > 0 and health.flows.departures > 0
    assert all(row.reason for row in health.flows.reasons)
    assert health.months[-1].active == Ambassador.objects.filter(area=area, status=Status.ACTIVE).count()
