"""Key sign-in flows in a real browser: the ambassador on a small phone, the coordinator on a desktop."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from apps.accounts.models import User
from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


def test_ambassador_signs_in_on_a_phone_with_a_link_from_sms(live_server, browser, ambassador, sms_outbox):
    page = browser.new_page(viewport=PHONE, locale="da-DK")
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    screenshot(page, "login-phone-da")

    page.get_by_role("link", name="Send mig et login-link").click()
    page.get_by_label("E-mail eller mobilnummer").fill("20 10 00 11")
    page.get_by_role("button", name="Send linket").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tjek din telefon")

    path = re.search(r"/accounts/link/[\w-]+/", sms_outbox[-1]["body"]).group(0)
    page.goto(live_server.url + path)
    page.get_by_role("button", name="Log ind").click()

    expect(page).to_have_url(re.compile(r"/visits/mine/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mine besøg")
    # Nothing wider than the phone: no sideways scrolling at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "ambassador-home-phone-da")


def test_coordinator_signs_in_and_invites_an_ambassador(live_server, browser, coordinator, area, sms_outbox):
    page = browser.new_page(viewport=DESKTOP, locale="da-DK")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail").fill(coordinator.email)
    page.get_by_label("Adgangskode").fill("naboambassador-test")
    page.get_by_role("button", name="Log ind").last.click()
    # First sign-in of a coordinator: set up an authenticator app (the code made here as the app would).
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    expect(page.locator(".qr-code svg")).to_be_visible()
    screenshot(page, "two-factor-setup-desktop-da")
    secret = page.locator("code.user-select-all").inner_text()
    page.locator("input[name=code]").fill(f"{TOTP(b32decode(secret)).token():06d}")
    page.locator("input[name=code]").press("Enter")
    expect(page).to_have_url(re.compile(rf"/areas/{area.slug}/$"))
    screenshot(page, "coordinator-area-desktop-da")

    page.get_by_role("link", name="Personer og invitationer").click()
    page.get_by_label("Navn").fill("Hodan Warsame")
    page.get_by_label("Mobilnummer").fill("31 23 45 67")
    page.get_by_role("button", name="Invitér").click()

    expect(page.get_by_role("alert")).to_contain_text("Hodan Warsame")
    assert User.objects.filter(phone="+4531234567").exists()
    assert sms_outbox[-1]["to"] == "+4531234567"
    screenshot(page, "coordinator-people-desktop-da")

    page.get_by_role("button", name=coordinator.full_name).click()
    page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_language_switch_shows_english(live_server, browser):
    page = browser.new_page(viewport=PHONE, locale="da-DK")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Vis menu").click()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    screenshot(page, "login-phone-en")
