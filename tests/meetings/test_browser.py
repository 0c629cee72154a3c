"""Meetings in a real browser at phone size: the ambassador answers from the link in the invitation, and
the coordinator ticks who came on the attendance checklist in the meeting room."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.meetings.models import Invitation, NetworkMeeting
from apps.meetings.services import meeting_invite
from apps.meetings.tokens import answer_token
from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}
TAP = 44  # px, WCAG 2.5.5


def _page(browser, live_server, *, client=None, user=None):
    """A phone-sized page in English; signed in as `user` when given (the test client's session cookie)."""
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    cookies = [{"name": "django_language", "value": "en", "url": live_server.url}]
    if user is not None:
        client.force_login(user)
        cookies.append({"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url})
    context.add_cookies(cookies)
    return context.new_page()


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _big_enough(locator) -> None:
    assert locator.count() > 0
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box["height"] >= TAP and box["width"] >= TAP, locator.nth(i).inner_text()


def test_ambassador_answers_yes_from_the_link_on_a_phone(live_server, browser, invitation):
    page = _page(browser, live_server)  # not signed in: the link is enough
    page.goto(live_server.url + f"/meetings/answer/{answer_token(invitation=invitation)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Netværksmøde")
    expect(page.get_by_text("Beboerhuset")).to_be_visible()
    buttons = page.locator("button[name=answer]")
    expect(buttons).to_have_count(3)
    _big_enough(buttons)
    _fits_the_phone(page)
    screenshot(page, "meetings-answer-phone-en")

    page.get_by_role("button", name="Yes, I will come").click()
    expect(page.get_by_role("alert")).to_contain_text("we look forward to seeing you")
    expect(page.get_by_role("button", name=re.compile("Yes, I will come"))).to_have_attribute("aria-pressed", "true")
    _fits_the_phone(page)
    screenshot(page, "meetings-answered-phone-en")
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.YES


def test_coordinator_takes_attendance_on_a_phone(
    live_server, browser, client, coordinator, area, make_meeting, ambassador_profile, other_ambassador_profile
):
    meeting = make_meeting(starts_at=timezone.now() + datetime.timedelta(minutes=5))
    meeting_invite(meeting=meeting)
    # The meeting has begun: the coordinator is in the room with a phone.
    NetworkMeeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=10))

    page = _page(browser, live_server, client=client, user=coordinator)
    page.goto(live_server.url + f"/areas/{area.slug}/meetings/{meeting.pk}/")
    checklist = page.locator("#attendance-heading + form")
    expect(checklist.get_by_role("checkbox")).to_have_count(2)
    _big_enough(checklist.locator(".form-check"))
    checklist.get_by_label("Ali Ambassador").check()
    _fits_the_phone(page)
    screenshot(page, "meetings-attendance-phone-en")
    checklist.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("alert")).to_contain_text("Attendance saved: 1 came.")
    expect(page.locator("#attendance-heading + form").get_by_label("Ali Ambassador")).to_be_checked()
    screenshot(page, "meetings-attendance-saved-phone-en")
    assert dict(meeting.invitations.values_list("ambassador_id", "attended")) == {
        ambassador_profile.pk: True,
        other_ambassador_profile.pk: False,
    }


def test_ambassador_answers_maybe_from_my_meetings_on_a_phone(live_server, browser, client, ambassador, invitation):
    page = _page(browser, live_server, client=client, user=ambassador)
    page.goto(live_server.url + "/meetings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Network meetings")
    _big_enough(page.locator("button[name=answer]"))
    _fits_the_phone(page)
    screenshot(page, "meetings-mine-phone-en")
    page.get_by_role("button", name="Maybe").click()
    expect(page.get_by_role("alert")).to_contain_text("Answer again when you know")
    page.get_by_text("Suggest something for the agenda").click()
    page.get_by_label("Your suggestion").fill("Kaffe og kage")
    page.get_by_role("button", name="Send suggestion").click()
    expect(page.get_by_role("alert")).to_contain_text("the coordinator sees your suggestion")
    screenshot(page, "meetings-mine-suggested-phone-en")
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.MAYBE
    assert list(invitation.meeting.suggestions.values_list("text", flat=True)) == ["Kaffe og kage"]
