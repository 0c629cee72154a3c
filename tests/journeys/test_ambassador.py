"""The ambassador on a small phone (360 × 640): asks for a sign-in link, opens it from the SMS, finds the
week's visits, records how one visit went online and another offline (sent once when the network is
back), and answers the invitation to the network meeting from its SMS.
Only the SMS gateway is replaced (the in-memory outbox tests/conftest.py installs)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from apps.meetings.models import Invitation
from apps.meetings.services import meeting_invite
from apps.visits.models import Activity, Attempt, Referral, Visit
from apps.visits.services import visits_assign
from tests.browser import screenshot
from tests.journeys.conftest import PHONE, fits_the_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sms_link(outbox: list[dict], to: str, pattern: str) -> str:
    """The path of the last link matching `pattern` in an SMS to `to`."""
    links = [m.group(0) for sms in outbox if sms["to"] == to for m in re.finditer(pattern, sms["body"])]
    assert links, f"no SMS to {to} with {pattern}"
    return links[-1]


def sign_in_with_a_link(page: Page, ambassador, outbox: list[dict]) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_role("link", name="Send me a sign-in link").click()
    page.get_by_label("E-mail or mobile number").fill("20 10 00 11")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check your phone")
    # The SMS arrives; the ambassador taps its link, which opens in the phone's browser.
    page.goto(sms_link(outbox, ambassador.phone, r"/accounts/link/[\w-]+/"))
    page.get_by_role("button", name="Sign in").last.click()


def record_outcome_online(page: Page, visit: Visit) -> None:
    """Three taps: the visit, "Met and talked", Save (with the newcomer's interest in an activity ticked)."""
    page.locator(f'a[href="/visits/{visit.pk}/"]').click()
    expect(page.get_by_role("heading", level=2, name="What happened?")).to_be_visible()
    expect(page.get_by_text("Amina Newcomer")).to_be_visible()
    fits_the_phone(page)
    screenshot(page, "journey-ambassador-visit")
    page.get_by_role("link", name="Met and talked").click()
    page.get_by_label(re.compile("Madklub")).check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/visits/mine/$"))
    expect(page.get_by_role("alert")).to_have_text("Thank you — the visit is updated.")
    visit.refresh_from_db()
    assert visit.close_reason == Visit.CloseReason.CONTACT and not visit.is_open
    assert visit.attempts.get().outcome == Attempt.Outcome.MET_TALKED
    assert list(Referral.objects.filter(visit=visit).values_list("activity__name", flat=True)) == ["Madklub"]


def record_outcome_offline(page: Page, visit: Visit) -> None:
    """In a stairwell with no signal: the visit's pages were saved while "My visits" was open online, the
    outcome is recorded with the network off, waits on the phone, and is sent once when the network is back."""
    expect(page.locator("#offline-status")).to_have_attribute("data-offline-ready", "true", timeout=20_000)
    page.reload()  # from now on the service worker controls the page
    expect(page.locator("#offline-status")).to_have_attribute("data-offline-ready", "true", timeout=20_000)

    page.context.set_offline(True)
    page.locator(f'a[href="/visits/{visit.pk}/"]').click()
    expect(page.get_by_role("heading", level=2, name="What happened?")).to_be_visible()
    page.get_by_role("link", name="Met and talked").click()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/visits/mine/$"))
    expect(page.locator(".offline-waiting")).to_have_text("Waiting to send (1)")
    card = page.locator(".visit-card", has=page.locator(f'a[href="/visits/{visit.pk}/"]'))
    expect(card.locator(".offline-card-waiting")).to_have_text("Outcome waiting to be sent")
    fits_the_phone(page)
    screenshot(page, "journey-ambassador-offline-waiting")
    assert not Attempt.objects.filter(visit=visit).exists()

    page.context.set_offline(False)
    expect(page.locator(".offline-sent")).to_have_text("Sent now that the connection is back: 1", timeout=15_000)
    expect(page.locator(".offline-waiting")).to_be_hidden()
    # "My visits" is fetched again: the visit, now closed, has left the list.
    expect(page.locator(f'a[href="/visits/{visit.pk}/"]')).to_have_count(0)
    assert Attempt.objects.filter(visit=visit).get().outcome == Attempt.Outcome.MET_TALKED
    assert not Visit.objects.get(pk=visit.pk).is_open


def answer_the_meeting_invitation(page: Page, ambassador, outbox: list[dict], invitation: Invitation) -> None:
    page.goto(sms_link(outbox, ambassador.phone, r"/meetings/answer/[\w.:-]+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Netværksmøde")
    expect(page.get_by_text("Beboerhuset")).to_be_visible()
    # The day as English writes it ("Friday 11 December 2026"), not the Danish "11. December".
    starts = timezone.localtime(invitation.meeting.starts_at)
    expect(page.get_by_text(f"{starts:%A} {starts.day} {starts:%B %Y}, 17:00–19:00")).to_be_visible()
    fits_the_phone(page)
    screenshot(page, "journey-ambassador-meeting")
    page.get_by_role("button", name="Yes, I will come").click()
    expect(page.get_by_role("alert")).to_contain_text("we look forward to seeing you")
    expect(page.get_by_role("button", name=re.compile("Yes, I will come"))).to_have_attribute("aria-pressed", "true")
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.YES


def test_ambassador_signs_in_from_the_sms_records_a_visit_and_answers_the_meeting_invitation(
    open_page, sms_outbox, area, coordinator, ambassador, ambassador_profile, newcomer, make_newcomer, make_meeting
):
    later = make_newcomer(name="Hodan Warsame", language="so", days_ago=2)
    first, second = visits_assign(
        area=area, assignments=[(newcomer.pk, ambassador_profile.pk), (later.pk, ambassador_profile.pk)], by=coordinator
    )
    Activity.objects.create(area=area, name="Madklub", schedule="Tirsdage 17–19", languages=["da", "ar"])
    [invitation] = meeting_invite(meeting=make_meeting(), ambassadors=[ambassador_profile])
    page = open_page(viewport=PHONE, language="en")

    sign_in_with_a_link(page, ambassador, sms_outbox)
    expect(page).to_have_url(re.compile(r"/visits/mine/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My visits")
    expect(page.get_by_text("You have 2 welcome visits to make.")).to_be_visible()
    fits_the_phone(page)
    screenshot(page, "journey-ambassador-mine")

    record_outcome_online(page, first)
    expect(page.get_by_text("You have 1 welcome visit to make.")).to_be_visible()
    record_outcome_offline(page, second)
    answer_the_meeting_invitation(page, ambassador, sms_outbox, invitation)

    page.get_by_role("button", name="Show menu").click()
    page.get_by_role("link", name="Meetings").click()
    expect(page.get_by_role("button", name=re.compile("Yes, I will come"))).to_have_attribute("aria-pressed", "true")
