"""The board member's dashboard in a real browser on a 360 × 640 phone: it fits, and choosing another
period shows it (the select submits itself; tests/browser.py drives the system Chromium)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from tests.browser import launch_chromium, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


def _page(browser, live_server, client, user, viewport):
    context = browser.new_context(viewport=viewport)
    client.force_login(user)
    context.add_cookies(
        [
            {"name": "django_language", "value": "en", "url": live_server.url},
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
        ]
    )
    return context.new_page()


@pytest.fixture
def history(make_visit, estate, estate_102):
    today = timezone.localdate()
    for i in range(14):
        make_visit(estate=estate, moved_in=today - datetime.timedelta(days=35 + 9 * i), days=4 + i)
    for i in range(9):
        make_visit(estate=estate, moved_in=today - datetime.timedelta(days=380 + 11 * i), outcome="folder_left")
    for i in range(8):
        make_visit(estate=estate_102, moved_in=today - datetime.timedelta(days=40 + 5 * i))


def test_board_member_changes_the_period_on_a_phone(live_server, browser, client, board_member, estate, history):
    page = _page(browser, live_server, client, board_member, PHONE)
    page.goto(live_server.url + "/board/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Estate 101 Estate 101")
    expect(page.locator('[data-figure="newcomers"]')).to_have_text("14")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.locator("svg.chart").first).to_be_visible()
    screenshot(page, "dashboards-board-phone-en")

    last_year = str(timezone.localdate().year - 1)
    with page.expect_navigation():
        page.get_by_role("combobox", name="Period", exact=True).select_option(
            last_year
        )  # no button: the choice shows at once
    assert f"period={last_year}" in page.url
    expect(page.locator(".dashboard-period")).to_contain_text(last_year)
    expect(page.get_by_role("combobox", name="Period", exact=True)).to_have_value(last_year)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "dashboards-board-phone-last-year-en")


def test_coordinator_dashboard_on_a_desktop(live_server, browser, client, coordinator, area, history):
    page = _page(browser, live_server, client, coordinator, DESKTOP)
    page.goto(live_server.url + f"/areas/{area.slug}/dashboard/")
    expect(page.locator('[data-figure="newcomers"]')).to_have_text("22")
    expect(page.locator("svg.chart")).to_have_count(3)
    screenshot(page, "dashboards-coordinator-desktop-en")
