"""The coordinator's meeting pages of an area share one tab bar, with the page shown marked."""

import pytest
from django.urls import reverse

from tests.html import tab_bar

pytestmark = pytest.mark.django_db

TABS = [
    ("Meetings", "meetings:area_list"),
    ("New meeting", "meetings:new"),
    ("New series", "meetings:series_new"),
    ("Attendance", "meetings:overview"),
]


@pytest.mark.parametrize("current", [label for label, _name in TABS])
def test_every_meeting_page_shows_the_same_tabs_with_its_own_marked(client, coordinator, area, current):
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    url_name = dict(TABS)[current]

    html = client.get(reverse(url_name, args=[area.slug])).content.decode()

    expected = [(label, reverse(name, args=[area.slug]), label == current) for label, name in TABS]
    assert tab_bar(html) == ("Network meetings", expected)
