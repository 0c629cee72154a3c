"""Tab bars are built from data (as the main menu is) and drawn by one shared include."""

from django.template.loader import render_to_string

from apps.core.navigation import NavItem, tab_bar
from tests.html import tab_bar as tab_bar_on

ENTRIES = [("list", "Meetings", "/m/"), ("new", "New meeting", "/m/new/"), (None, "Call list", "/calls/")]


def test_tab_bar_marks_the_tab_named_current_and_no_other():
    bar = tab_bar(label="Network meetings", entries=ENTRIES, current="new")

    assert bar.label == "Network meetings"
    assert bar.tabs == [
        NavItem("Meetings", "/m/"),
        NavItem("New meeting", "/m/new/", active=True),
        NavItem("Call list", "/calls/"),
    ]


def test_a_tab_without_a_key_is_never_the_current_page():
    bar = tab_bar(label="Survey", entries=ENTRIES, current=None)

    assert not any(tab.active for tab in bar.tabs)


def test_the_shared_include_draws_every_tab_and_marks_only_the_current_page():
    html = render_to_string(
        "includes/tabs.html", {"bar": tab_bar(label="Network meetings", entries=ENTRIES, current="list")}
    )

    assert tab_bar_on(html) == (
        "Network meetings",
        [("Meetings", "/m/", True), ("New meeting", "/m/new/", False), ("Call list", "/calls/", False)],
    )
    assert html.count('aria-current="page"') == 1 and html.count(" active") == 1
