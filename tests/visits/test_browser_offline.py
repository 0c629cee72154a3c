"""Offline on the phone, in Chromium with the network switched off and on (`context.set_offline`)."""

import re

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test import Client
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from playwright.sync_api import expect

from apps.visits.models import Attempt
from apps.visits.services import visit_reassign, visits_assign
from tests.browser import SCREENSHOTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}


def _phone(browser, base_url, client, user, *, language="en"):
    """A phone (its own browser context: cookies, caches, IndexedDB) signed in as `user`."""
    client.force_login(user)
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url},
            {"name": "django_language", "value": language, "url": base_url},
        ]
    )
    return context, context.new_page()


def _open_my_visits_online(page, base_url):
    """My visits, online, until the open visits are saved on the phone."""
    page.goto(base_url + "/visits/mine/")
    expect(page.locator("#offline-status")).to_have_attribute("data-offline-ready", "true", timeout=20_000)
    page.reload()  # now controlled by the service worker
    expect(page.locator("#offline-status")).to_have_attribute("data-offline-ready", "true", timeout=20_000)


def _record_offline(page, base_url, visit, outcome=Attempt.Outcome.NOT_HOME_FOLDER_LEFT):
    page.goto(f"{base_url}/visits/{visit.pk}/")
    page.locator(f'button[name="outcome"][value="{outcome}"]').click()
    expect(page).to_have_url(re.compile(r"/visits/mine/$"))


SAVED_PAGES = """async () => {
  const names = (await caches.keys()).filter((name) => name.startsWith("nabo-pages-"));
  const cache = await caches.open(names[0]);
  return (await cache.keys()).map((request) => new URL(request.url).pathname + new URL(request.url).search);
}"""


@pytest.fixture
def two_visits(area, visit, ambassador_profile, coordinator, make_newcomer):
    later = make_newcomer(name="Hodan Warsame", language="so", days_ago=2)
    [second] = visits_assign(area=area, assignments=[(later.pk, ambassador_profile.pk)], by=coordinator)
    return visit, second


def test_an_outcome_recorded_offline_is_sent_once_when_online_again(
    live_server, browser, client, ambassador, two_visits
):
    visit, other = two_visits
    context, page = _phone(browser, live_server.url, client, ambassador)
    _open_my_visits_online(page, live_server.url)

    context.set_offline(True)
    page.goto(f"{live_server.url}/visits/{visit.pk}/")
    expect(page.get_by_role("heading", level=2, name="What happened?")).to_be_visible()
    page.get_by_role("link", name="Met and talked").click()
    expect(page.get_by_role("button", name="Save")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/visits/mine/$"))
    expect(page.locator(".offline-waiting")).to_have_text("Waiting to send (1)")
    screenshot(page, "visits-offline-waiting-phone-en")
    assert not visit.attempts.exists()

    # The service worker's own requests are offline too: a page that was not saved is not fetched.
    page.goto(f"{live_server.url}/visits/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My visits")
    expect(page.locator(".offline-waiting")).to_have_text("Waiting to send (1)")

    context.set_offline(False)
    expect(page.locator(".offline-waiting")).to_be_hidden(timeout=15_000)
    assert visit.attempts.get().outcome == Attempt.Outcome.MET_TALKED
    # The visit is closed: its pages leave the phone at once, the other visit's stay.
    saved = page.evaluate(SAVED_PAGES)
    assert not any(path.startswith(f"/visits/{visit.pk}/") for path in saved)
    assert f"/visits/{other.pk}/" in saved and "/visits/mine/" in saved
    _open_my_visits_online(page, live_server.url)
    expect(page.locator(".offline-waiting")).to_be_hidden()
    assert visit.attempts.count() == 1
    assert not any(path.startswith(f"/visits/{visit.pk}/") for path in page.evaluate(SAVED_PAGES))
    context.close()


def test_an_outcome_for_a_visit_reassigned_meanwhile_is_refused_with_the_address(
    live_server, browser, client, ambassador, visit, coordinator, other_ambassador_profile
):
    context, page = _phone(browser, live_server.url, client, ambassador)
    _open_my_visits_online(page, live_server.url)
    context.set_offline(True)
    _record_offline(page, live_server.url, visit)
    expect(page.locator(".offline-waiting")).to_have_text("Waiting to send (1)")

    visit_reassign(visit=visit, ambassador=other_ambassador_profile, by=coordinator)
    context.set_offline(False)
    expect(page.locator(".offline-refused")).to_contain_text(
        "Not recorded for Testvej 101 1, 1. tv.: This visit is no longer on your list", timeout=15_000
    )
    expect(page.locator(".offline-waiting")).to_be_hidden()
    screenshot(page, "visits-offline-refused-phone-en")
    assert not visit.attempts.exists()
    context.close()


def test_two_phones_of_one_ambassador_queue_outcomes_and_each_visit_gets_one(
    live_server, browser, client, ambassador, two_visits
):
    first, second = two_visits
    phone_a, page_a = _phone(browser, live_server.url, client, ambassador)
    phone_b, page_b = _phone(browser, live_server.url, Client(), ambassador)
    for context, page in ((phone_a, page_a), (phone_b, page_b)):
        _open_my_visits_online(page, live_server.url)
        context.set_offline(True)
    # Different visits: both are recorded. The same visit (met, which closes it): one is, one is refused.
    _record_offline(page_a, live_server.url, first, Attempt.Outcome.NOT_HOME_FOLDER_LEFT)
    _record_offline(page_b, live_server.url, second, Attempt.Outcome.MOVED_AWAY)
    page_a.goto(f"{live_server.url}/visits/{first.pk}/?outcome=met_briefly")
    page_a.get_by_role("button", name="Save").click()
    page_b.goto(f"{live_server.url}/visits/{first.pk}/?outcome=met_talked")
    page_b.get_by_role("button", name="Save").click()
    expect(page_a.locator(".offline-waiting")).to_have_text("Waiting to send (2)")
    expect(page_b.locator(".offline-waiting")).to_have_text("Waiting to send (2)")

    phone_a.set_offline(False)
    expect(page_a.locator(".offline-waiting")).to_be_hidden(timeout=15_000)
    phone_b.set_offline(False)
    expect(page_b.locator(".offline-waiting")).to_be_hidden(timeout=15_000)
    expect(page_b.locator(".offline-refused")).to_contain_text(
        "Not recorded for Testvej 101 1, 1. tv.: This visit is already closed, so nothing was recorded."
    )
    assert list(first.attempts.values_list("outcome", flat=True)) == [
        Attempt.Outcome.NOT_HOME_FOLDER_LEFT,
        Attempt.Outcome.MET_BRIEFLY,
    ]
    assert list(second.attempts.values_list("outcome", flat=True)) == [Attempt.Outcome.MOVED_AWAY]
    phone_a.close()
    phone_b.close()


class RestartableServer(LiveServerThread):
    """Django's test server, which may bind again to the port it had: a restart of the same server."""

    def _create_server(self, connections_override=None):
        return self.server_class(
            (self.host, self.port),
            QuietWSGIRequestHandler,
            allow_reuse_address=True,
            connections_override=connections_override,
        )


def _server(port: int = 0) -> LiveServerThread:
    thread = RestartableServer("localhost", static_handler=StaticFilesHandler, port=port)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    return thread


def test_a_queued_outcome_is_sent_once_after_the_server_restarted(browser, client, ambassador, visit, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    server = _server()
    port = server.port
    base_url = f"http://localhost:{port}"
    try:
        context, page = _phone(browser, base_url, client, ambassador)
        _open_my_visits_online(page, base_url)
        context.set_offline(True)
        _record_offline(page, base_url, visit)
        expect(page.locator(".offline-waiting")).to_have_text("Waiting to send (1)")
        server.terminate()
        server.join()
        server = _server(port)  # a new process would do the same: sessions and CSRF cookies are not in memory

        context.set_offline(False)
        expect(page.locator(".offline-waiting")).to_be_hidden(timeout=15_000)
        assert visit.attempts.get().outcome == Attempt.Outcome.NOT_HOME_FOLDER_LEFT
        page.reload()
        expect(page.locator("#offline-status")).to_have_attribute("data-offline-ready", "true", timeout=20_000)
        assert visit.attempts.count() == 1
        context.close()
    finally:
        server.terminate()
        server.join()


SAVED_ON_THE_PHONE = """async () => ({
  caches: await caches.keys(),
  databases: (await indexedDB.databases()).map((db) => db.name),
})"""


def test_signing_out_deletes_the_saved_pages_and_the_queue(live_server, browser, client, ambassador, visit):
    context, page = _phone(browser, live_server.url, client, ambassador)
    _open_my_visits_online(page, live_server.url)
    saved = page.evaluate(SAVED_ON_THE_PHONE)
    assert any(name.startswith("nabo-pages-") for name in saved["caches"])
    assert "nabo-offline" in saved["databases"]

    page.locator("form[data-offline-signout]").evaluate("(form) => form.requestSubmit()")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert page.evaluate(SAVED_ON_THE_PHONE) == {"caches": [], "databases": []}
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
    context.close()


def test_signing_out_with_outcomes_waiting_asks_first(live_server, browser, client, ambassador, visit):
    context, page = _phone(browser, live_server.url, client, ambassador)
    _open_my_visits_online(page, live_server.url)
    context.set_offline(True)
    _record_offline(page, live_server.url, visit)
    expect(page.locator(".offline-waiting")).to_have_text("Waiting to send (1)")
    # The question comes after the phone has counted its queue (asynchronously): wait for it, not a moment.
    with page.expect_event("dialog") as asked:
        page.locator("form[data-offline-signout]").evaluate("(form) => form.requestSubmit()")
    message = asked.value.message
    asked.value.dismiss()
    assert "Outcomes waiting to be sent from this phone: 1." in message
    expect(page.locator(".offline-waiting")).to_have_text("Waiting to send (1)")
    context.close()


def test_another_user_signing_in_on_the_phone_never_sees_the_first_users_visits(
    live_server, browser, client, ambassador, other_ambassador, other_ambassador_profile, visit
):
    context, page = _phone(browser, live_server.url, client, ambassador)
    _open_my_visits_online(page, live_server.url)
    # Ali's session ends without signing out; Anne signs in on the same phone.
    context.clear_cookies()
    anne = Client()
    anne.force_login(other_ambassador)
    context.add_cookies([{"name": "sessionid", "value": anne.cookies["sessionid"].value, "url": live_server.url}])
    _open_my_visits_online(page, live_server.url)
    context.set_offline(True)
    page.goto(f"{live_server.url}/visits/{visit.pk}/")
    expect(page.get_by_text("Amina")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("My visits|Mine besøg"))
    context.close()


def test_my_visits_offline_in_danish_on_a_small_phone(live_server, browser, client, ambassador, two_visits):
    visit, _ = two_visits
    context, page = _phone(browser, live_server.url, client, ambassador, language="da")
    _open_my_visits_online(page, live_server.url)
    context.set_offline(True)
    _record_offline(page, live_server.url, visit, Attempt.Outcome.NOT_HOME_NOTHING_LEFT)
    page.goto(f"{live_server.url}/visits/{visit.pk}/?outcome=declined")
    page.get_by_role("button", name="Gem").click()
    expect(page.locator(".offline-waiting")).to_have_text("Venter på at blive sendt (2)")
    expect(page.locator(".offline-saved")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "visits-offline-waiting-phone-da")
    page.screenshot(path=str(SCREENSHOTS / "visits-offline-waiting-phone-da-360x640.png"))
    context.close()


def test_an_outcome_whose_request_fails_while_the_phone_thinks_it_is_online_is_queued(
    live_server, browser, client, ambassador, visit
):
    """A stairwell: the phone has a signal but the request never arrives. The outcome waits on the phone."""
    context, page = _phone(browser, live_server.url, client, ambassador)
    _open_my_visits_online(page, live_server.url)
    page.route("**/record/", lambda route: route.abort("internetdisconnected"))
    _record_offline(page, live_server.url, visit)
    expect(page.locator(".offline-waiting")).to_have_text("Waiting to send (1)")
    assert not visit.attempts.exists()

    page.unroute("**/record/")
    page.reload()
    # Ready once the queue was sent and the pages saved again.
    expect(page.locator("#offline-status")).to_have_attribute("data-offline-ready", "true", timeout=20_000)
    expect(page.locator(".offline-waiting")).to_be_hidden()
    assert visit.attempts.get().outcome == Attempt.Outcome.NOT_HOME_FOLDER_LEFT
    context.close()


def test_a_server_error_keeps_that_outcome_waiting_and_the_others_go_on(
    live_server, browser, client, ambassador, two_visits
):
    failing, other = two_visits
    context, page = _phone(browser, live_server.url, client, ambassador)
    _open_my_visits_online(page, live_server.url)
    context.set_offline(True)
    _record_offline(page, live_server.url, failing)
    _record_offline(page, live_server.url, other)
    expect(page.locator(".offline-waiting")).to_have_text("Waiting to send (2)")

    # The server fails for one visit only (a bug, a full disk): the other outcome is not held up by it.
    page.route(f"**/visits/{failing.pk}/record/", lambda route: route.fulfill(status=500, body="Server Error"))
    context.set_offline(False)
    expect(page.locator(".offline-sent")).to_have_text("Sent now that the connection is back: 1", timeout=15_000)
    expect(page.locator(".offline-waiting")).to_have_text("Waiting to send (1)")
    assert other.attempts.count() == 1 and not failing.attempts.exists()

    page.unroute(f"**/visits/{failing.pk}/record/")
    page.reload()
    # The page starts without the badge: wait until the script has sent the outcome and said so.
    expect(page.locator(".offline-sent")).to_have_text("Sent now that the connection is back: 1", timeout=15_000)
    expect(page.locator(".offline-waiting")).to_be_hidden()
    assert failing.attempts.count() == 1 and other.attempts.count() == 1
    context.close()
