"""The board's and the coordinator's dashboards as pages: who sees what, small numbers, filters, and a
query count that does not grow with the data."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership
from apps.visits.models import Activity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.cookies["django_language"] = "en"


def _days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def history(make_visit, estate, estate_102):
    """Estate 101: 12 newcomers this year (3 of them in one month last year); estate 102: 7."""
    for i in range(12):
        make_visit(estate=estate, moved_in=_days_ago(40 + i), outcome="contact" if i < 9 else "declined", days=5)
    for i in range(3):
        make_visit(estate=estate, moved_in=_days_ago(400 + i), outcome="contact")
    for i in range(7):
        make_visit(estate=estate_102, moved_in=_days_ago(45 + i), outcome="folder_left")


def _figure(response, key):
    """The headline card's value, by its data-figure attribute."""
    html = response.content.decode()
    start = html.index(f'data-figure="{key}">') + len(f'data-figure="{key}">')
    return html[start : html.index("<", start)]


def test_board_home_lands_on_the_dashboard_of_the_members_estate(client, board_member, estate):
    client.force_login(board_member)
    response = client.get(reverse("access:board_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:board_estate", args=[estate.pk])


def test_board_home_without_estates_says_none_are_linked_yet(client, board_member, estate):
    # A board membership needs an estate when granted; this is what is left when its estates are gone.
    Membership.objects.get(user=board_member).estates.clear()
    client.force_login(board_member)

    response = client.get(reverse("access:board_home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "No estates are linked to your board membership yet." in page
    assert "<table" not in page


def test_board_sees_its_estate_with_small_numbers_hidden(client, board_member, estate, history):
    client.force_login(board_member)
    response = client.get(reverse("dashboards:board_estate", args=[estate.pk]))
    assert response.status_code == 200
    assert _figure(response, "newcomers") == "12"
    # 3 declined: a small number, and with it the next smallest outcome so the total cannot give it away
    rows = {row.key: row for row in response.context["d"].outcomes}
    assert rows["declined"].now.text == "< 5"
    assert rows["contact"].now.text == "–"
    assert "&lt; 5" in response.content.decode()
    # Last year: 3 newcomers, shown as "< 5"
    assert response.context["d"].headline[0].then.text == "< 5"
    # The area beside it: 19 newcomers (7 outside the estate, so shown)
    assert response.context["d"].headline[0].area.text == "19"


def test_coordinator_sees_exact_figures_on_the_area_dashboard(client, coordinator, area, estate, history):
    client.force_login(coordinator)
    response = client.get(reverse("dashboards:area", args=[area.slug]))
    assert response.status_code == 200
    assert _figure(response, "newcomers") == "19"
    rows = {row.key: row for row in response.context["d"].outcomes}
    assert (rows["declined"].now.text, rows["contact"].now.text) == ("3", "9")
    assert response.context["d"].headline[0].then.text == "3"


def test_coordinator_filters_by_estate_and_sees_the_area_beside_it(client, coordinator, area, estate_102, history):
    client.force_login(coordinator)
    response = client.get(reverse("dashboards:area", args=[area.slug]), {"estate": estate_102.pk})
    assert _figure(response, "newcomers") == "7"
    assert response.context["d"].headline[0].area.text == "19"


def test_the_period_filter_and_the_comparison_with_last_year(client, coordinator, area, history):
    client.force_login(coordinator)
    last_year = timezone.localdate().year - 1
    response = client.get(reverse("dashboards:area", args=[area.slug]), {"period": str(last_year)})
    d = response.context["d"]
    assert d.period.key == str(last_year)
    assert d.previous.key == str(last_year - 1)
    assert len(d.months) == 12
    # The history's year-old newcomers moved in 400–402 days ago: within last year or the year before.
    assert int(_figure(response, "newcomers")) + int(d.headline[0].then.text) >= 3


def test_custom_months(client, coordinator, area):
    client.force_login(coordinator)
    response = client.get(
        reverse("dashboards:area", args=[area.slug]),
        {"period": "custom", "from_month": "2025-02", "to_month": "2025-04"},
    )
    assert response.status_code == 200
    assert [m.key for m in response.context["d"].months] == ["2025-02-01", "2025-03-01", "2025-04-01"]


def test_a_period_that_makes_no_sense_is_refused_with_the_default_shown(client, coordinator, area):
    client.force_login(coordinator)
    response = client.get(
        reverse("dashboards:area", args=[area.slug]),
        {"period": "custom", "from_month": "2025-06", "to_month": "2025-01"},
    )
    assert response.status_code == 400
    assert response.context["d"].period.key == "last12"


def test_board_pages_refuse_every_method_but_get_and_head(client, board_member, estate):
    client.force_login(board_member)
    url = reverse("dashboards:board_estate", args=[estate.pk])
    assert client.head(url).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(url).status_code == 405, method


def test_a_board_member_of_several_estates_can_switch_between_them(client, make_user, area, estate, estate_102):
    from apps.accounts.models import Membership
    from apps.accounts.services import membership_grant

    user = make_user(full_name="Two Estates")
    membership_grant(user=user, area=area, role=Membership.Role.BOARD, estates=[estate, estate_102])
    client.force_login(user)
    response = client.get(reverse("dashboards:board_estate", args=[estate_102.pk]), {"period": "2026"})
    assert [e.pk for e in response.context["estates"]] == [estate.pk, estate_102.pk]
    assert f'href="{reverse("dashboards:board_estate", args=[estate.pk])}?period=2026"' in response.content.decode()


def test_charts_are_accessible_svg(client, board_member, estate, history):
    client.force_login(board_member)
    html = client.get(reverse("dashboards:board_estate", args=[estate.pk])).content.decode()
    assert html.count('<svg class="chart"') >= 3
    assert 'role="img" aria-labelledby="chart-months-title chart-months-desc"' in html
    assert '<title id="chart-months-title">Newcomers per month</title>' in html


def _more_history(make_visit, make_ambassador, make_held_meeting, estate, estate_102, size):
    activity = Activity.objects.create(area=estate.area, name=f"Aktivitet {size}")
    people = [make_ambassador(home=estate) for _ in range(size)]
    for i in range(size * 6):
        make_visit(
            estate=estate if i % 2 else estate_102,
            moved_in=_days_ago(10 + i * 9),
            outcome=["contact", "folder_left", None, "declined"][i % 4],
            ambassador=people[i % size],
            interests=[activity] if i % 3 == 0 else [],
        )
    make_held_meeting(days_ago=30 + size, came=people)


@pytest.mark.parametrize("size", [1, 8])
def test_board_page_queries_do_not_grow_with_the_data(
    client,
    django_assert_num_queries,
    board_member,
    estate,
    estate_102,
    make_visit,
    make_ambassador,
    make_held_meeting,
    size,
):
    _more_history(make_visit, make_ambassador, make_held_meeting, estate, estate_102, size)
    client.force_login(board_member)
    url = reverse("dashboards:board_estate", args=[estate.pk])
    client.get(url)  # the session and the language settle on the first request
    # session, user, the estate, memberships (+ their estates), 2 × 6 counts, the estate switcher, and the
    # survey's headlines (3)
    with django_assert_num_queries(21):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [1, 8])
def test_area_dashboard_queries_do_not_grow_with_the_data(
    client,
    django_assert_num_queries,
    coordinator,
    area,
    estate,
    estate_102,
    make_visit,
    make_ambassador,
    make_held_meeting,
    size,
):
    _more_history(make_visit, make_ambassador, make_held_meeting, estate, estate_102, size)
    client.force_login(coordinator)
    url = reverse("dashboards:area", args=[area.slug])
    client.get(url)
    # session, user, the two-factor device, memberships (+ their estates), the area, the chosen estate,
    # 2 × 6 counts, and the survey's headlines (3)
    with django_assert_num_queries(23):
        assert client.get(url, {"estate": estate.pk}).status_code == 200


def test_the_figures_are_made_once_and_shared_until_the_cache_expires(
    settings, client, django_assert_num_queries, board_member, estate, make_visit, history
):
    settings.DASHBOARD_CACHE_SECONDS = 60
    client.force_login(board_member)
    url = reverse("dashboards:board_estate", args=[estate.pk])
    assert _figure(client.get(url), "newcomers") == "12"
    make_visit(estate=estate, moved_in=_days_ago(50))
    # session, user, the estate, memberships (+ their estates), the estate switcher: nothing counted again
    with django_assert_num_queries(6):
        response = client.get(url)
    assert _figure(response, "newcomers") == "12"
    cache.clear()  # as when DASHBOARD_CACHE_SECONDS have passed
    assert _figure(client.get(url), "newcomers") == "13"


def test_the_dashboard_and_the_visits_overview_have_distinct_danish_names(client, coordinator, area):
    client.cookies["django_language"] = "da"
    client.force_login(coordinator)

    dashboard = client.get(reverse("dashboards:area", args=[area.slug])).content.decode()
    visits = client.get(reverse("visits:overview", args=[area.slug])).content.decode()

    assert f"<title>Nøgletal · {area.name}" in dashboard
    assert "Overblik" not in dashboard.split("<main")[-1]
    links = " ".join(visits.split()).replace("> ", ">").replace(" <", "<")
    assert ">Nøgletal</a>" in links  # the menu item to the dashboard
    assert ">Overblik</a>" in links  # the visits' own tab
