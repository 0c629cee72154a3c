"""The board member's dashboard in a real browser on a 360 × 640 phone: it fits, and choosing another
period shows it (the select submits itself; tests/browser.py drives the system Chromium)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


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


# --- Readable on a phone (issue 16): nothing clipped, no word broken, a small estate's chart per quarter ---

# Every element of the dashboard whose content is wider than its box (text cut off or scrolled away);
# not the visually hidden ones (1 px wide) nor a grid row's parent (Bootstrap's gutters reach out by design).
CLIPPED = """() => [...document.querySelectorAll('.dashboard *')]
  .filter((el) => !(el instanceof SVGElement) && el.clientWidth > 1 && !el.querySelector(':scope > .row'))
  .filter((el) => el.scrollWidth > el.clientWidth + 1)
  .map((el) => `${el.tagName}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`)"""

# Words of the cards' labels and the tables' headers that run over two lines (broken mid-word).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const el of document.querySelectorAll('.dash-card .card-body > *, .dashboard-table th, .dashboard-table td')) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""

# Chart texts that reach outside the drawing (cut by the SVG's edge) or end in "…".
CUT_CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')].flatMap((svg) => {
  const width = svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')]
    .filter((t) => { const b = t.getBBox(); return b.x < -0.5 || b.x + b.width > width + 0.5 || t.textContent.includes('…'); })
    .map((t) => t.textContent);
})"""


@pytest.fixture
def small_estate_last_year(make_visit, estate, estate_102):
    """Last year 2–3 newcomers a month in estate 101 and 2 in 102: per month all "< 5", per quarter 7–8."""
    year = timezone.localdate().year - 1
    for month in range(1, 13):
        for n in range(2 + month % 2):
            make_visit(estate=estate, moved_in=datetime.date(year, month, 3 + n), days=5 + n * 10)
        for n in range(2):
            make_visit(estate=estate_102, moved_in=datetime.date(year, month, 12 + n), outcome="folder_left")
    return year


def _danish_page(browser, live_server, client, user, viewport):
    page = _page(browser, live_server, client, user, viewport)
    page.context.add_cookies([{"name": "django_language", "value": "da", "url": live_server.url}])
    return page


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_a_small_estates_dashboard_is_readable_and_counted_per_quarter(
    live_server, browser, client, board_member, estate, small_estate_last_year, viewport, name
):
    page = _danish_page(browser, live_server, client, board_member, viewport)
    page.goto(
        live_server.url + reverse("dashboards:board_estate", args=[estate.pk]) + f"?period={small_estate_last_year}"
    )
    for details in page.locator("details.chart-data").all():
        details.locator("summary").click()  # the tables behind the charts are measured too
    screenshot(page, f"dashboards-small-estate-{name}-da")

    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.evaluate(CLIPPED) == []
    assert page.evaluate(BROKEN_WORDS) == []
    assert page.evaluate(CUT_CHART_TEXT) == []
    # Per quarter, named in Danish, with the line that says why; no quarter is "< 5".
    expect(page.locator("#months-heading")).to_have_text("Tilflyttere pr. kvartal")
    expect(page.locator(".chart-grouping")).to_have_attribute("data-grouping", "quarter")
    expect(page.locator(".chart-grouping")).to_contain_text("Opgjort pr. kvartal")
    months_chart = page.locator("#chart-months-title").locator("xpath=..")
    expect(months_chart).to_contain_text(f"1. kvt. {small_estate_last_year}")
    expect(months_chart).not_to_contain_text("< 5")
    # The whole-area figures are on the screen, not scrolled away.
    area_cell = page.locator('.dashboard-table td[data-label="Hele boligområdet"]').first
    expect(area_cell).to_be_visible()
    box = area_cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]


def test_the_coordinators_dashboard_is_readable_on_a_phone(
    live_server, browser, client, coordinator, area, small_estate_last_year
):
    """The same figures part as the board's: per quarter, nothing clipped, no word broken."""
    page = _danish_page(browser, live_server, client, coordinator, PHONE)
    page.goto(live_server.url + f"/areas/{area.slug}/dashboard/?period={small_estate_last_year}")
    screenshot(page, "dashboards-coordinator-phone-da")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(CLIPPED) == []
    assert page.evaluate(BROKEN_WORDS) == []
    assert page.evaluate(CUT_CHART_TEXT) == []
    expect(page.locator(".chart-grouping")).to_have_attribute("data-grouping", "quarter")
