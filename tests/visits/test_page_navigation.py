"""The coordinator's welcome-visit pages: one tab bar over them, and page links that keep the filters."""

import pytest
from django.urls import reverse

from apps.visits import views
from apps.visits.services import visits_assign
from tests.html import page_links, tab_bar

pytestmark = pytest.mark.django_db

TABS = [
    ("Overview", "visits:overview"),
    ("Assign", "visits:assign"),
    ("Visits", "visits:visit_list"),
    ("Ambassadors", "visits:ambassador_list"),
    ("Activities", "visits:activity_list"),
    ("Referrals", "visits:referral_list"),
]


@pytest.fixture
def carla(client, coordinator):
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    return client


@pytest.mark.parametrize(
    ("url_name", "current"),
    [
        ("visits:overview", "Overview"),
        ("visits:newcomer_list", "Overview"),
        ("visits:assign", "Assign"),
        ("visits:visit_list", "Visits"),
        ("visits:ambassador_list", "Ambassadors"),
        ("visits:activity_list", "Activities"),
        ("visits:activity_new", "Activities"),
        ("visits:referral_list", "Referrals"),
    ],
)
def test_every_welcome_visit_page_shows_the_same_tabs_with_its_own_marked(carla, area, url_name, current):
    html = carla.get(reverse(url_name, args=[area.slug])).content.decode()

    expected = [(label, reverse(name, args=[area.slug]), label == current) for label, name in TABS]
    assert tab_bar(html) == ("Welcome visits", expected)


def test_visit_list_pages_link_to_each_other_keeping_the_filter(
    carla, area, coordinator, make_ambassador, make_newcomer, monkeypatch
):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    ali = make_ambassador(name="Ali", visits_per_month=10)
    visits_assign(area=area, assignments=[(make_newcomer().pk, ali.pk) for _ in range(5)], by=coordinator)
    url = reverse("visits:visit_list", args=[area.slug])

    first = carla.get(url, {"ambassador": ali.pk}).content.decode()
    middle = carla.get(url, {"ambassador": ali.pk, "page": 2}).content.decode()

    assert page_links(first) == [("Next", f"?ambassador={ali.pk}&page=2", False)]
    assert page_links(middle) == [
        ("Previous", f"?ambassador={ali.pk}&page=1", False),
        ("Next", f"?ambassador={ali.pk}&page=3", False),
    ]
    assert "Page 2 of 3" in middle
