"""The recruitment journey in a real browser: a resident signs up in Arabic on a phone; the coordinator
finds them on the board and accepts them, which sends the sign-in link."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from apps.visits.models import Ambassador
from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


def test_a_resident_signs_up_in_arabic_and_the_coordinator_accepts_them(
    live_server, browser, coordinator, area, sms_outbox
):
    phone = browser.new_page(viewport=PHONE, locale="ar")
    phone.goto(f"{live_server.url}/join/{area.slug}/?lang=ar")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    phone.get_by_label("اسمك").fill("Amal Hussein")
    phone.get_by_label("رقم الجوال").fill("31 23 45 67")
    phone.get_by_label("العربية").check()
    phone.locator("input[name=consent]").check()
    phone.get_by_role("button", name="إرسال").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("شكرًا لاهتمامك!")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "join-thanks-phone-ar")

    page = browser.new_page(viewport=DESKTOP, locale="da-DK")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail").fill(coordinator.email)
    page.get_by_label("Adgangskode").fill("naboambassador-test")
    page.get_by_role("button", name="Log ind").last.click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    secret = page.locator("code.user-select-all").inner_text()
    page.locator("input[name=code]").fill(f"{TOTP(b32decode(secret)).token():06d}")
    page.locator("input[name=code]").press("Enter")
    expect(page).to_have_url(re.compile(rf"/areas/{area.slug}/$"))

    page.goto(f"{live_server.url}/areas/{area.slug}/corps/candidates/")
    expect(page.locator("#stage-interested")).to_contain_text("Amal Hussein")
    screenshot(page, "recruitment-board-desktop-da")
    page.get_by_role("link", name="Amal Hussein").click()
    page.get_by_role("button", name="Optag som ambassadør").click()
    page.get_by_role("button", name="Optag og invitér").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Første skridt for Amal Hussein")
    assert Ambassador.objects.get(user__phone="+4531234567").status == Ambassador.Status.ACCEPTED
    assert sms_outbox[-1]["to"] == "+4531234567"
    screenshot(page, "onboarding-desktop-da")
