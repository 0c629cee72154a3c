"""The board member on a phone (360 × 640): signs in, lands on the estate's dashboard, chooses last year,
reads the figures; nothing of the area's other estate, nor of another area, is on the page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.visits.models import Activity
from tests.browser import screenshot
from tests.journeys.conftest import PHONE, fits_the_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_member_signs_in_on_a_phone_and_reads_last_years_figures_for_their_estate_only(
    open_page, make_visit, area, other_area, estate, board_member
):
    today = timezone.localdate()
    madklub = Activity.objects.create(area=area, name="Madklub")
    for i in range(14):  # this year in estate 101, the board member's
        make_visit(estate=estate, moved_in=today - datetime.timedelta(days=35 + 9 * i), days=4 + i)
    for i in range(9):  # last year in estate 101, three of them joining the Madklub
        moved_in = today - datetime.timedelta(days=380 + 11 * i)
        make_visit(
            estate=estate,
            moved_in=moved_in,
            outcome="folder_left" if i > 2 else "contact",
            interests=[madklub] if i < 3 else [],
        )
    for i in range(8):  # estate 102 of the same area: not the board member's
        make_visit(estate=area.estates.get(number="102"), moved_in=today - datetime.timedelta(days=40 + 5 * i))
    secret = Activity.objects.create(area=other_area, name="Hemmelig strikkeklub")
    for i in range(6):  # another area
        make_visit(
            estate=other_area.estates.get(),
            moved_in=today - datetime.timedelta(days=385 + 7 * i),
            name=f"Fremmed Tilflytter {i}",
            interests=[secret],
        )
    page = open_page(viewport=PHONE, language="en")

    page.goto("/")
    page.get_by_label("E-mail").fill(board_member.email)
    page.get_by_label("Password").fill("naboambassador-test")
    page.get_by_role("button", name="Sign in").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Estate 101 Estate 101")
    expect(page.locator('[data-figure="newcomers"]')).to_have_text("14")
    expect(page.locator("svg.chart").first).to_be_visible()
    fits_the_phone(page)
    screenshot(page, "journey-board-this-year")

    last_year = str(today.year - 1)
    with page.expect_navigation():  # no button needed: the choice shows at once
        page.get_by_role("combobox", name="Period", exact=True).select_option(last_year)
    expect(page.locator(".dashboard-period")).to_contain_text(last_year)
    expect(page.locator('[data-figure="newcomers"]')).to_have_text("9")
    fits_the_phone(page)
    screenshot(page, "journey-board-last-year")

    text = page.locator("main").inner_text()
    for elsewhere in ("Estate 102", "Estate 201", other_area.name, "Hemmelig strikkeklub", "Fremmed", "Tilflytter"):
        assert elsewhere not in text
