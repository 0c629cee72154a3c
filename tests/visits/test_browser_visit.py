"""The visit flow in a real browser: the ambassador on a small phone, the coordinator at a desk."""

import re

import pytest
from playwright.sync_api import expect

from apps.visits.models import Attempt, Referral, Visit
from apps.visits.services import visit_record_attempt, visits_assign
from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
TAP = 44  # px, WCAG 2.5.5
DOUBLE_TEXT = "document.documentElement.style.setProperty('font-size', '200%', 'important')"


def _page(browser, live_server, client, user, *, viewport, language):
    """A page signed in as `user`: the test client's session cookie, copied into the browser."""
    client.force_login(user)
    context = browser.new_context(viewport=viewport, locale="da-DK")
    context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )
    return context.new_page()


def _fits_the_phone(page) -> None:
    """Nothing wider than the phone: no sideways scrolling (the message names what sticks out)."""
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth)"
        ".map(e => e.tagName + ' ' + (e.innerText || '').slice(0, 30))"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], wide


def _big_enough(locator) -> None:
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box["height"] >= TAP and box["width"] >= TAP, locator.nth(i).inner_text()


@pytest.fixture
def two_visits(area, visit, activity, ambassador_profile, coordinator, make_newcomer):
    """Amina's visit (Arabic, due in 14 days) and one for a Somali-speaking household."""
    later = make_newcomer(name="Hodan Warsame", language="so", days_ago=2)
    visits_assign(area=area, assignments=[(later.pk, ambassador_profile.pk)], by=coordinator)
    return visit


def test_ambassador_records_met_and_talked_with_one_interest_on_a_phone(
    live_server, browser, client, ambassador, two_visits, activity
):
    visit = two_visits
    page = _page(browser, live_server, client, ambassador, viewport=PHONE, language="en")
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/visits/mine/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My visits")
    expect(page.get_by_role("link", name="Call +45 61 11 11 11")).to_have_attribute("href", "tel:+4561111111")
    _fits_the_phone(page)
    screenshot(page, "visits-mine-phone-en")

    # Tap 1: the visit.
    page.get_by_role("link", name=re.compile(r"Testvej 101 1, 1\. tv\.")).click()
    expect(page.get_by_role("heading", level=2, name="What happened?")).to_be_visible()
    _big_enough(page.locator(".btn-outcome"))
    _fits_the_phone(page)
    screenshot(page, "visits-detail-phone-en")

    # Tap 2: the outcome. Tap 3 (after ticking the interest): save.
    page.get_by_role("link", name="Met and talked").click()
    page.get_by_label(re.compile("Madklub")).check()
    _big_enough(page.locator(".form-check-big"))
    expect(page.get_by_text("you are a neighbour, not an inspector")).to_be_visible()
    _fits_the_phone(page)
    screenshot(page, "visits-record-phone-en")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/visits/mine/$"))
    expect(page.get_by_role("alert")).to_have_text("Thank you — the visit is updated.")
    screenshot(page, "visits-thanks-phone-en")
    visit.refresh_from_db()
    assert visit.close_reason == Visit.CloseReason.CONTACT
    assert list(Referral.objects.filter(visit=visit).values_list("activity__name", flat=True)) == ["Madklub"]


def test_not_at_home_takes_two_taps_in_danish_and_at_200_percent_text(
    live_server, browser, client, ambassador, two_visits
):
    visit = two_visits
    page = _page(browser, live_server, client, ambassador, viewport=PHONE, language="da")
    page.goto(live_server.url + "/visits/mine/")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    # 200 % text, as the phone's text-size setting gives it: every size on the pages is in rem/em.
    # (Set through the DOM: the Content-Security-Policy refuses an injected <style>, as it should.)
    page.evaluate(DOUBLE_TEXT)
    _fits_the_phone(page)
    screenshot(page, "visits-mine-phone-da-200")

    page.locator(f'a[href="/visits/{visit.pk}/"]').click()
    page.evaluate(DOUBLE_TEXT)
    _fits_the_phone(page)
    _big_enough(page.locator(".btn-outcome"))
    screenshot(page, "visits-detail-phone-da-200")
    page.locator(f'button[name="outcome"][value="{Attempt.Outcome.NOT_HOME_FOLDER_LEFT}"]').click()

    expect(page).to_have_url(re.compile(r"/visits/mine/$"))
    expect(page.get_by_role("alert")).to_be_visible()
    visit.refresh_from_db()
    assert visit.is_open and visit.folder_delivered
    assert visit.attempts.get().outcome == Attempt.Outcome.NOT_HOME_FOLDER_LEFT


def test_coordinator_proposes_assignments_and_confirms_all(
    live_server, browser, client, coordinator, area, make_newcomer, ambassador_profile, other_ambassador_profile
):
    arabic = make_newcomer(name="Amina Hassan", language="ar", days_ago=6)
    turkish = make_newcomer(name="Emre Yilmaz", language="tr", days_ago=4)
    danish = make_newcomer(name="Søren Ærø", language="da", days_ago=2)
    page = _page(browser, live_server, client, coordinator, viewport=DESKTOP, language="en")
    page.goto(live_server.url + f"/areas/{area.slug}/assign/")
    expect(page.get_by_text("3 newcomers are waiting for an ambassador.")).to_be_visible()

    page.get_by_role("button", name="Propose ambassadors").click()
    rows = page.locator("table.proposals tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Amina Hassan")).to_contain_text("Speaks Arabic.")
    expect(rows.filter(has_text="Emre Yilmaz")).to_contain_text("Speaks Turkish.")
    # Change one proposal before confirming: the Danish household goes to Anne instead of Ali.
    choice = page.get_by_label("Ambassador for Søren Ærø")
    expect(choice).to_have_value(str(ambassador_profile.pk))
    choice.select_option(str(other_ambassador_profile.pk))
    screenshot(page, "visits-assign-desktop-en")
    page.get_by_role("button", name="Confirm all").click()

    expect(page.get_by_role("alert")).to_have_text("3 visits are assigned.")
    assert Visit.objects.get(newcomer=arabic).ambassador == ambassador_profile
    assert Visit.objects.get(newcomer=turkish).ambassador == other_ambassador_profile
    assert Visit.objects.get(newcomer=danish).ambassador == other_ambassador_profile

    # Some history, so the overview has figures to show.
    for days_ago, outcome in (
        (40, Attempt.Outcome.MET_TALKED),
        (25, Attempt.Outcome.MET_BRIEFLY),
        (20, Attempt.Outcome.MOVED_AWAY),
    ):
        earlier = make_newcomer(days_ago=days_ago)
        [visit] = visits_assign(area=area, assignments=[(earlier.pk, ambassador_profile.pk)], by=coordinator)
        visit_record_attempt(visit=visit, by=ambassador_profile.user, outcome=outcome)
    page.goto(live_server.url + f"/areas/{area.slug}/overview/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome visits")
    screenshot(page, "visits-overview-desktop-en")
