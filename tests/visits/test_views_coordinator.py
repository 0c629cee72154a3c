"""The coordinator's pages: ambassadors, assignment, visits, activities, referrals and the overview."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.newcomers.models import Newcomer
from apps.visits import services
from apps.visits.models import Activity, Ambassador, Attempt, Referral, Visit
from apps.visits.services import visit_record_attempt, visits_assign
from tests.visits.conftest import assignment_backdate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def carla(client, coordinator):
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    return client


@pytest.fixture
def otto(client, other_coordinator):
    client.cookies["django_language"] = "en"
    client.force_login(other_coordinator)
    return client


# --- Ambassadors ------------------------------------------------------------------------------------


def test_ambassador_list_shows_status_workload_and_dual_role(
    carla, area, estate, visit, ambassador, ambassador_profile
):
    membership_grant(user=ambassador, area=area, role=Membership.Role.BOARD, estates=[estate])
    page = carla.get(reverse("visits:ambassador_list", args=[area.slug])).content.decode()
    assert "Ali Ambassador" in page
    assert "Also on a tenant board" in page
    assert "1 / 4" in page  # assigned this month / wants


def test_ambassador_without_profile_can_be_started(carla, area, ambassador):
    page = carla.get(reverse("visits:ambassador_list", args=[area.slug])).content.decode()
    assert "Ambassadors without a profile" in page
    response = carla.post(reverse("visits:ambassador_list", args=[area.slug]), {"user": ambassador.pk})
    profile = Ambassador.objects.get(user=ambassador, area=area)
    assert response["Location"] == reverse("visits:ambassador_edit", args=[area.slug, profile.pk])


def test_coordinator_edits_a_profile_and_the_status_is_dated(carla, area, ambassador_profile):
    estate_102 = area.estates.get(number="102")
    home = estate_102.tenancies.order_by("number").last()
    response = carla.post(
        reverse("visits:ambassador_edit", args=[area.slug, ambassador_profile.pk]),
        {
            "home_estate": estate_102.pk,
            "home_tenancy_number": home.number,
            "status": "paused",
            "status_since": "2026-01-05",
            "started_on": "2025-03-01",
            "recruited_via": "information_meeting",
            "languages": ["da", "so"],
            "visits_per_month": 2,
            "covered_estates": [estate_102.pk],
            "strengths": "Cooks for everyone",
            "sits_on_board": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    ambassador_profile.refresh_from_db()
    assert ambassador_profile.home_tenancy == home
    assert ambassador_profile.status == Ambassador.Status.PAUSED
    assert ambassador_profile.status_since == datetime.date(2026, 1, 5)
    assert ambassador_profile.languages == ["da", "so"]
    assert list(ambassador_profile.covered_estates.all()) == [estate_102]
    assert ambassador_profile.sits_on_board


def _profile_post(carla, area, profile, **changes):
    data = {
        "status": profile.status,
        "status_since": "2026-01-05",
        "started_on": "2025-03-01",
        "recruited_via": "other",
        "visits_per_month": 4,
        **changes,
    }
    return carla.post(reverse("visits:ambassador_edit", args=[area.slug, profile.pk]), data)


def test_leaving_needs_a_reason_and_nothing_changes_without_one(carla, area, ambassador_profile):
    response = _profile_post(carla, area, ambassador_profile, status="left")

    assert response.status_code == 400
    assert "Say why the ambassador leaves." in response.content.decode()
    ambassador_profile.refresh_from_db()
    assert ambassador_profile.status == Ambassador.Status.ACTIVE
    assert not ambassador_profile.status_changes.exists()


def test_each_status_change_is_dated_in_the_history_with_the_reason_for_leaving(
    carla, coordinator, area, ambassador_profile
):
    _profile_post(carla, area, ambassador_profile, status="paused", status_since="2026-02-01")
    ambassador_profile.refresh_from_db()
    response = _profile_post(
        carla, area, ambassador_profile, status="left", status_since="2026-03-01", left_reason="moved"
    )

    assert response.status_code == 302, response.content.decode()
    history = [(c.status, c.on, c.reason, c.by) for c in ambassador_profile.status_changes.all()]
    assert history == [
        ("paused", datetime.date(2026, 2, 1), "", coordinator),
        ("left", datetime.date(2026, 3, 1), "moved", coordinator),
    ]


def test_a_reason_is_refused_for_anything_but_leaving(coordinator, ambassador_profile):
    with pytest.raises(ValidationError):
        services.ambassador_set_status(
            ambassador=ambassador_profile, status=Ambassador.Status.PAUSED, by=coordinator, reason="moved"
        )
    ambassador_profile.refresh_from_db()
    assert ambassador_profile.status == Ambassador.Status.ACTIVE and not ambassador_profile.status_changes.exists()


def test_unknown_home_tenancy_is_refused(carla, area, ambassador_profile):
    response = carla.post(
        reverse("visits:ambassador_edit", args=[area.slug, ambassador_profile.pk]),
        {
            "home_estate": area.estates.first().pk,
            "home_tenancy_number": "nope",
            "status": "active",
            "status_since": "2026-01-05",
            "started_on": "2025-03-01",
            "recruited_via": "other",
            "visits_per_month": 4,
        },
    )
    assert response.status_code == 400
    assert "There is no tenancy with this number" in response.content.decode()


def test_other_areas_coordinator_cannot_edit_through_their_own_area(otto, other_area, ambassador_profile):
    response = otto.get(reverse("visits:ambassador_edit", args=[other_area.slug, ambassador_profile.pk]))
    assert response.status_code == 403


# --- Assignment -------------------------------------------------------------------------------------


def test_propose_shows_each_newcomer_with_the_best_ambassador_and_why(
    carla, area, newcomer, ambassador_profile, other_ambassador_profile
):
    page = carla.get(reverse("visits:assign", args=[area.slug])).content.decode()
    assert "1 newcomer is waiting" in page
    page = carla.get(reverse("visits:assign", args=[area.slug]), {"propose": 1}).content.decode()
    assert "Amina Newcomer" in page
    assert "Speaks Arabic." in page
    assert f'<option value="{ambassador_profile.pk}" selected>' in page


def test_confirm_all_assigns_the_chosen_ambassadors(
    carla, area, make_newcomer, ambassador_profile, other_ambassador_profile
):
    first, second, third = make_newcomer(), make_newcomer(), make_newcomer()
    response = carla.post(
        reverse("visits:assign", args=[area.slug]),
        {
            "newcomer": [first.pk, second.pk, third.pk],
            f"ambassador_{first.pk}": ambassador_profile.pk,
            f"ambassador_{second.pk}": other_ambassador_profile.pk,
            f"ambassador_{third.pk}": "",  # not now
        },
    )
    assert response.status_code == 302
    assert Visit.objects.get(newcomer=first).ambassador == ambassador_profile
    assert Visit.objects.get(newcomer=second).ambassador == other_ambassador_profile
    assert not Visit.objects.filter(newcomer=third).exists()
    assert "2 visits are assigned." in carla.get(response["Location"]).content.decode()


def test_forged_ambassador_in_confirmation_is_refused(
    carla, area, newcomer, ambassador_profile, make_ambassador, other_area
):
    foreign = make_ambassador(in_area=other_area)
    response = carla.post(
        reverse("visits:assign", args=[area.slug]), {"newcomer": [newcomer.pk], f"ambassador_{newcomer.pk}": foreign.pk}
    )
    assert response.status_code == 400
    assert not Visit.objects.exists()


def test_another_areas_newcomer_is_not_assigned(
    carla, area, other_area, ambassador_profile, make_newcomer, make_tenancy
):
    foreign = make_newcomer(tenancy=other_area.estates.first().tenancies.first())
    carla.post(
        reverse("visits:assign", args=[area.slug]),
        {"newcomer": [foreign.pk], f"ambassador_{foreign.pk}": ambassador_profile.pk},
    )
    assert not Visit.objects.exists()


# --- Visits -----------------------------------------------------------------------------------------


def test_visit_list_filters_overdue_and_shows_the_staff_request(
    carla, area, visit, ambassador, make_newcomer, ambassador_profile, coordinator
):
    late = make_newcomer(days_ago=40, name="Late Newcomer")
    [late_visit] = visits_assign(area=area, assignments=[(late.pk, ambassador_profile.pk)], by=coordinator)
    assignment_backdate(late_visit, days_ago=40)
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_TALKED, staff_request="A bigger flat")
    page = carla.get(
        reverse("visits:visit_list", args=[area.slug]), {"state": "open", "overdue": "on"}
    ).content.decode()
    assert "Late Newcomer" in page and "Amina Newcomer" not in page
    page = carla.get(reverse("visits:visit_list", args=[area.slug]), {"state": "contact"}).content.decode()
    assert "Amina Newcomer" in page and "A bigger flat" in page


def test_reassign_gives_the_visit_to_another_ambassador(carla, area, visit, other_ambassador_profile):
    url = reverse("visits:reassign", args=[area.slug, visit.pk])
    assert carla.get(url).status_code == 200
    response = carla.post(url, {"ambassador": other_ambassador_profile.pk})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.ambassador == other_ambassador_profile


def test_reassign_to_own_household_is_refused(carla, area, visit, newcomer, other_ambassador_profile):
    other_ambassador_profile.home_tenancy = newcomer.tenancy
    other_ambassador_profile.save(update_fields=["home_tenancy"])
    response = carla.post(
        reverse("visits:reassign", args=[area.slug, visit.pk]), {"ambassador": other_ambassador_profile.pk}
    )
    assert response.status_code == 400
    assert "never assigned to their own household" in response.content.decode()
    visit.refresh_from_db()
    assert visit.ambassador.user.full_name == "Ali Ambassador"


def test_other_areas_coordinator_cannot_reassign_through_their_own_area(otto, other_area, visit):
    assert otto.get(reverse("visits:reassign", args=[other_area.slug, visit.pk])).status_code == 403


# --- Activities and referrals -----------------------------------------------------------------------


def test_coordinator_adds_and_edits_an_activity(carla, area):
    response = carla.post(
        reverse("visits:activity_new", args=[area.slug]),
        {
            "name": "Lektiecafé",
            "schedule": "Onsdage 15–17",
            "place": "Beboerhuset",
            "languages": ["da", "ar"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(area=area)
    assert activity.languages == ["da", "ar"]
    response = carla.post(
        reverse("visits:activity_edit", args=[area.slug, activity.pk]), {"name": "Lektiecafé", "languages": ["da"]}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert not activity.is_active and activity.languages == ["da"]
    assert "Lektiecafé" in carla.get(reverse("visits:activity_list", args=[area.slug])).content.decode()


def test_referral_is_listed_and_marked_followed_up(carla, area, visit, ambassador, activity, coordinator):
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_TALKED, interests=[activity])
    referral = Referral.objects.get()
    page = carla.get(reverse("visits:referral_list", args=[area.slug])).content.decode()
    assert "Madklub" in page and "Amina Newcomer" in page
    response = carla.post(reverse("visits:referral_follow_up", args=[area.slug, referral.pk]))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.FOLLOWED_UP and referral.followed_up_by == coordinator
    assert "Madklub" not in carla.get(reverse("visits:referral_list", args=[area.slug])).content.decode()


def test_other_areas_coordinator_cannot_follow_up_through_their_own_area(otto, other_area, visit, ambassador, activity):
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_TALKED, interests=[activity])
    referral = Referral.objects.get()
    response = otto.post(reverse("visits:referral_follow_up", args=[other_area.slug, referral.pk]))
    assert response.status_code == 403
    assert Referral.objects.get().status == Referral.Status.NEW


# --- Overview -------------------------------------------------------------------------------------


def test_overview_shows_the_figures_with_links_to_the_lists(carla, area, visit, ambassador):
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_TALKED)
    response = carla.get(reverse("visits:overview", args=[area.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Visited within 14 days" in page
    assert reverse("visits:newcomer_list", args=[area.slug]) + "?estate=&amp;period_start=" in page
    assert "state=contact" in page
    assert "Ali Ambassador" in page  # workload


def test_overview_rejects_a_period_that_ends_before_it_starts(carla, area):
    response = carla.get(
        reverse("visits:overview", args=[area.slug]), {"period_start": "2026-05-01", "period_end": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "The period must start before it ends." in response.content.decode()


def test_newcomer_list_behind_visited_within_14_days(carla, area, visit, ambassador, make_newcomer):
    make_newcomer(name="Unvisited Newcomer", days_ago=20)
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_TALKED)
    start = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    end = timezone.localdate().isoformat()
    page = carla.get(
        reverse("visits:newcomer_list", args=[area.slug]),
        {"period_start": start, "period_end": end, "visited": "1", "within": "14"},
    ).content.decode()
    assert "Amina Newcomer" in page and "Unvisited Newcomer" not in page


def _many_visits(area, coordinator, make_ambassador, make_newcomer, count):
    ambassadors = [make_ambassador(visits_per_month=50) for _ in range(2)]
    newcomers = [make_newcomer(days_ago=3 + i) for i in range(count)]
    visits = visits_assign(
        area=area, assignments=[(n.pk, ambassadors[i % 2].pk) for i, n in enumerate(newcomers)], by=coordinator
    )
    for visit in visits[: count // 2]:
        visit_record_attempt(visit=visit, by=visit.ambassador.user, outcome=Attempt.Outcome.MET_TALKED)


@pytest.mark.parametrize("count", [2, 12])
def test_overview_runs_the_same_number_of_queries_however_much_data(
    carla, area, coordinator, make_ambassador, make_newcomer, django_assert_num_queries, count
):
    _many_visits(area, coordinator, make_ambassador, make_newcomer, count)
    # session, user, area, memberships (+ estates), the seven overview aggregates, the estate choices;
    # then the session is saved (the first page after sign-in refreshes it: savepoint, update, release)
    # (+1: the session's confirmed two-factor device) (+1: the outbox banner's count, then cached a minute)
    # (+1: the late lists on the overview)
    with django_assert_num_queries(18):
        response = carla.get(reverse("visits:overview", args=[area.slug]))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 12])
def test_visit_list_runs_the_same_number_of_queries_however_much_data(
    carla, area, coordinator, make_ambassador, make_newcomer, django_assert_num_queries, count
):
    _many_visits(area, coordinator, make_ambassador, make_newcomer, count)
    # session, user, memberships (+ estates), area, count, the page of visits, estate and ambassador
    # choices; the access log's entry and its people; then the session is saved
    # (+1: the session's confirmed two-factor device) (+1: the outbox banner's count, then cached a minute)
    with django_assert_num_queries(16):
        response = carla.get(reverse("visits:visit_list", args=[area.slug]))
    assert response.content.decode().count("Reassign") >= 1


def test_coordinator_pages_have_no_inline_script_style_or_handlers(carla, area, visit, activity):
    for name in (
        "overview",
        "assign",
        "visit_list",
        "ambassador_list",
        "activity_list",
        "activity_new",
        "referral_list",
        "newcomer_list",
    ):
        page = carla.get(reverse(f"visits:{name}", args=[area.slug])).content.decode()
        assert "<script>" not in page and "style=" not in page and "onclick" not in page, name


def test_late_lists_are_shown_apart_on_the_overview_and_the_rows(
    carla, area, other_area, make_newcomer, ambassador_profile, coordinator
):
    today = timezone.localdate()
    late = make_newcomer(days_ago=23, listed_on=today, name="Late Listed")
    make_newcomer(days_ago=20, name="Listed In Time")
    visits_assign(area=area, assignments=[(late.pk, ambassador_profile.pk)], by=coordinator)
    # Another area's late list is not this area's figure.
    elsewhere = other_area.estates.get().tenancies.first()
    Newcomer.objects.create(tenancy=elsewhere, move_in_date=today - datetime.timedelta(days=40), listed_on=today)

    page = carla.get(reverse("visits:overview", args=[area.slug])).content.decode()
    assert "1 newcomer came on a list more than 7 days after moving in (23 days late)." in page
    for name in ("visit_list", "newcomer_list"):
        page = carla.get(reverse(f"visits:{name}", args=[area.slug])).content.decode()
        assert page.count("list arrived 23 days after move-in") == 1, name
