"""The coordinator's welcome-folder pages share one tab bar, with the page shown marked."""

import pytest
from django.urls import reverse

from tests.html import tab_bar

pytestmark = pytest.mark.django_db

TABS = [("Content", "folders:editor"), ("Print the week's folders", "folders:batch_list")]


@pytest.mark.parametrize("current", [label for label, _name in TABS])
def test_both_folder_pages_show_the_same_tabs_with_their_own_marked(client, coordinator, area, folder, current):
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)

    html = client.get(reverse(dict(TABS)[current], args=[area.slug])).content.decode()

    expected = [(label, reverse(name, args=[area.slug]), label == current) for label, name in TABS]
    assert tab_bar(html) == ("Welcome folder", expected)
