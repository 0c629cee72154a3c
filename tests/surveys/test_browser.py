"""The survey in a real browser: a newcomer answers from the personal link on a phone, in Arabic (right to
left), one question per screen with big buttons; the coordinator then sees the answer in the funnel."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.surveys.models import Invitation, Response
from apps.surveys.services import invitation_new
from apps.surveys.tokens import invitation_token
from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
TAP = 44  # px, WCAG 2.5.5


def _big_enough(locator) -> None:
    assert locator.count() > 0
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box["height"] >= TAP and box["width"] >= TAP, locator.nth(i).inner_text()


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_newcomer_answers_in_arabic_on_a_phone_and_the_coordinator_sees_it(
    live_server, browser, client, survey, newcomer, coordinator
):
    invitation = invitation_new(survey=survey, newcomer=newcomer, channel="sms", now=timezone.now())  # speaks Arabic
    invitation.sent_at = timezone.now()
    invitation.save()
    phone = browser.new_context(viewport=PHONE, locale="ar").new_page()

    phone.goto(f"{live_server.url}/s/{invitation_token(invitation=invitation)}/")

    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    expect(phone.locator("legend")).to_contain_text("هل زارك سفير الجيران")
    _big_enough(phone.locator("button.survey-answer"))
    _fits(phone)
    screenshot(phone, "surveys-answer-phone-ar")
    phone.get_by_role("button", name="نعم").click()
    expect(phone.get_by_text("السؤال 2 من 9")).to_be_visible()
    for _ in range(3):  # happy_living_here, feel_welcome, joined_activities
        phone.get_by_role("button", name="نعم").click()
    _big_enough(phone.locator(".survey-scale button"))
    _fits(phone)
    screenshot(phone, "surveys-scale-phone-ar")
    phone.get_by_role("button", name="2", exact=True).click()
    phone.get_by_role("button", name="لا أعرف").click()  # trust_neighbours
    phone.get_by_role("button", name="لا", exact=True).click()  # received_folder: no → the folder questions are skipped
    expect(phone.get_by_role("heading", level=1)).to_have_text("شكرًا على إجاباتك!")
    screenshot(phone, "surveys-thanks-phone-ar")

    phone.goto(f"{live_server.url}/s/{invitation_token(invitation=invitation)}/?lang=da")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Linket virker ikke")
    assert Invitation.objects.get().answered_at is not None
    assert Response.objects.get().completed_at is not None

    client.force_login(coordinator)
    desk = browser.new_context(viewport=DESKTOP)
    desk.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )
    page = desk.new_page()
    page.goto(f"{live_server.url}/areas/{survey.area.slug}/surveys/{survey.pk}/funnel/")
    expect(page.locator('[data-step="answered"]')).to_have_text("1")
    expect(page.locator('[data-step="invited"]')).to_have_text("1")
    screenshot(page, "surveys-funnel-desktop-en")
