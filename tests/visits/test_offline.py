"""Outcomes queued on the phone and sent later: the key that records them once, refusals, the phone's clock,
and the installed app's manifest, service worker and sign-out."""

import datetime
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.newcomers.services import newcomer_correct
from apps.visits.models import Attempt, Visit
from apps.visits.offline import OUTCOMES_WITH_STEP
from apps.visits.services import (
    AttemptAlreadyRecorded,
    PhoneClock,
    phone_time,
    visit_reassign,
    visit_record_attempt,
    visits_assign,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

JSON = {"HTTP_ACCEPT": "application/json"}


def _ms(moment: datetime.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _send(
    client, visit_pk: int, *, key: uuid.UUID | str, recorded: datetime.datetime, phone_now: datetime.datetime, **data
):
    """As static/js/offline.js sends a queued outcome."""
    fields = {"client_key": str(key), "phone_recorded_at": _ms(recorded), "phone_now": _ms(phone_now), **data}
    return client.post(reverse("visits:record_attempt", args=[visit_pk]), fields, **JSON)


@pytest.fixture
def ali(client, ambassador):
    client.cookies["django_language"] = "en"
    client.force_login(ambassador)
    return client


# --- The service -------------------------------------------------------------------------------------


def test_the_same_key_records_one_attempt(visit, ambassador):
    key = uuid.uuid4()
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.NOT_HOME_NOTHING_LEFT, client_key=key)
    with pytest.raises(AttemptAlreadyRecorded):
        visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.NOT_HOME_NOTHING_LEFT, client_key=key)
    assert visit.attempts.get().client_key == key


def test_a_replay_of_the_outcome_that_closed_the_visit_is_already_recorded_not_closed(visit, ambassador):
    key = uuid.uuid4()
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_TALKED, client_key=key)
    with pytest.raises(AttemptAlreadyRecorded):
        visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_TALKED, client_key=key)
    assert visit.attempts.count() == 1


def test_a_wrong_phone_clock_is_corrected_by_its_offset():
    now = timezone.now()
    # The phone is two hours behind; it recorded 30 minutes before sending.
    phone_now = now - datetime.timedelta(hours=2)
    clock = PhoneClock(recorded_at=phone_now - datetime.timedelta(minutes=30), sent_at=phone_now)
    assert phone_time(clock, now=now, earliest=None) == now - datetime.timedelta(minutes=30)


def test_the_phone_time_is_never_in_the_future():
    now = timezone.now()
    clock = PhoneClock(recorded_at=now + datetime.timedelta(days=3), sent_at=now)
    assert phone_time(clock, now=now, earliest=None) == now


def test_the_phone_time_is_never_before_the_assignment():
    now = timezone.now()
    assigned = now - datetime.timedelta(hours=1)
    clock = PhoneClock(recorded_at=now - datetime.timedelta(days=400), sent_at=now)
    assert phone_time(clock, now=now, earliest=assigned) == assigned


def test_an_outcome_recorded_offline_yesterday_is_dated_yesterday(visit, ambassador):
    Visit.objects.filter(pk=visit.pk).update(assigned_at=timezone.now() - datetime.timedelta(days=3))
    now = timezone.now()
    # The phone's clock is a year ahead; the outcome was recorded a day before it was sent.
    phone_now = now + datetime.timedelta(days=365)
    clock = PhoneClock(recorded_at=phone_now - datetime.timedelta(days=1), sent_at=phone_now)
    attempt = visit_record_attempt(
        visit=visit, by=ambassador, outcome=Attempt.Outcome.NOT_HOME_FOLDER_LEFT, phone_clock=clock
    )
    assert abs(attempt.recorded_at - (now - datetime.timedelta(days=1))) < datetime.timedelta(seconds=5)
    assert attempt.day == timezone.localdate(now - datetime.timedelta(days=1))


def test_the_same_outcome_queued_on_two_phones_at_the_door_is_recorded_once(visit, ambassador):
    """Both phones recorded "not at home" at the door an hour ago and send it now: the second is refused."""
    Visit.objects.filter(pk=visit.pk).update(assigned_at=timezone.now() - datetime.timedelta(days=1))
    now = timezone.now()
    for minutes in (60, 59):
        at = now - datetime.timedelta(minutes=minutes)
        clock = PhoneClock(recorded_at=at, sent_at=now)
        if minutes == 60:
            visit_record_attempt(visit=visit, by=ambassador, outcome="not_home_nothing_left", phone_clock=clock)
            continue
        with pytest.raises(ValidationError, match="just recorded"):
            visit_record_attempt(visit=visit, by=ambassador, outcome="not_home_nothing_left", phone_clock=clock)
    assert visit.attempts.count() == 1


def test_the_same_outcome_on_another_day_is_recorded(visit, ambassador):
    Visit.objects.filter(pk=visit.pk).update(assigned_at=timezone.now() - datetime.timedelta(days=3))
    now = timezone.now()
    yesterday = PhoneClock(recorded_at=now - datetime.timedelta(days=1), sent_at=now)
    visit_record_attempt(visit=visit, by=ambassador, outcome="not_home_nothing_left", phone_clock=yesterday)
    visit_record_attempt(visit=visit, by=ambassador, outcome="not_home_nothing_left")
    assert visit.attempts.count() == 2


# --- Sending a queued outcome (JSON answers) -----------------------------------------------------------


def test_a_queued_outcome_is_recorded(ali, visit):
    now = timezone.now()
    response = _send(ali, visit.pk, key=uuid.uuid4(), recorded=now, phone_now=now, outcome="not_home_folder_left")
    assert response.status_code == 201
    assert response.json()["status"] == "recorded"
    assert visit.attempts.get().outcome == Attempt.Outcome.NOT_HOME_FOLDER_LEFT


def test_a_queued_outcome_sent_twice_is_recorded_once(ali, visit):
    key, now = uuid.uuid4(), timezone.now()
    _send(ali, visit.pk, key=key, recorded=now, phone_now=now, outcome="met_briefly")
    response = _send(ali, visit.pk, key=key, recorded=now, phone_now=now, outcome="met_briefly")
    assert response.status_code == 200
    assert response.json() == {
        "status": "duplicate",
        "message": "This outcome was already recorded; it was not recorded twice.",
    }
    assert visit.attempts.count() == 1


def test_an_online_form_sent_twice_with_one_key_is_recorded_once(ali, visit):
    key = str(uuid.uuid4())
    url = reverse("visits:record_attempt", args=[visit.pk])
    ali.post(url, {"outcome": "not_home_nothing_left", "client_key": key})
    response = ali.post(url, {"outcome": "not_home_nothing_left", "client_key": key}, follow=True)
    assert "This outcome was already recorded" in response.content.decode()
    assert visit.attempts.count() == 1


def test_a_queued_outcome_for_a_reassigned_visit_is_refused(ali, visit, coordinator, other_ambassador_profile):
    visit_reassign(visit=visit, ambassador=other_ambassador_profile, by=coordinator)
    now = timezone.now()
    response = _send(ali, visit.pk, key=uuid.uuid4(), recorded=now, phone_now=now, outcome="met_talked")
    assert response.status_code == 404
    assert response.json()["status"] == "refused"
    assert "no longer on your list" in response.json()["message"]
    assert not visit.attempts.exists()


def test_a_queued_outcome_for_a_deleted_visit_is_refused(ali, visit):
    pk = visit.pk
    visit.delete()
    now = timezone.now()
    response = _send(ali, pk, key=uuid.uuid4(), recorded=now, phone_now=now, outcome="met_talked")
    assert response.json()["status"] == "refused"
    assert not Attempt.objects.exists()


def test_a_queued_outcome_for_a_visit_closed_meanwhile_is_refused(ali, visit, coordinator):
    visit_record_attempt(visit=visit, by=coordinator, outcome=Attempt.Outcome.MOVED_AWAY)
    now = timezone.now()
    response = _send(ali, visit.pk, key=uuid.uuid4(), recorded=now, phone_now=now, outcome="met_talked")
    assert response.status_code == 409
    assert response.json() == {"status": "refused", "message": "This visit is already closed, so nothing was recorded."}
    assert visit.attempts.count() == 1


def test_another_ambassadors_queued_outcome_is_refused(client, other_ambassador, other_ambassador_profile, visit):
    client.force_login(other_ambassador)
    now = timezone.now()
    response = _send(client, visit.pk, key=uuid.uuid4(), recorded=now, phone_now=now, outcome="met_talked")
    assert response.json()["status"] == "refused"
    assert not visit.attempts.exists()


def test_a_queued_outcome_without_a_key_is_refused(ali, visit):
    response = ali.post(reverse("visits:record_attempt", args=[visit.pk]), {"outcome": "met_talked"}, **JSON)
    assert response.status_code == 400
    assert response.json()["status"] == "refused"
    assert not visit.attempts.exists()


def test_a_queued_outcome_keeps_the_corrected_phone_time(ali, visit):
    Visit.objects.filter(pk=visit.pk).update(assigned_at=timezone.now() - datetime.timedelta(days=2))
    now = timezone.now()
    phone_now = now - datetime.timedelta(minutes=17)  # the phone is 17 minutes slow
    _send(
        ali,
        visit.pk,
        key=uuid.uuid4(),
        recorded=phone_now - datetime.timedelta(hours=3),
        phone_now=phone_now,
        outcome="not_home_nothing_left",
    )
    recorded_at = visit.attempts.get().recorded_at
    assert abs(recorded_at - (now - datetime.timedelta(hours=3))) < datetime.timedelta(seconds=5)


def test_the_csrf_token_from_the_cookie_is_accepted(client, ambassador, visit):
    """The queue sends the csrftoken cookie's value in X-CSRFToken: it outlives a server restart."""
    client.handler.enforce_csrf_checks = True
    client.force_login(ambassador)
    client.get(reverse("visits:mine"))
    token = client.cookies["csrftoken"].value
    now = timezone.now()
    fields = {
        "client_key": str(uuid.uuid4()),
        "phone_recorded_at": _ms(now),
        "phone_now": _ms(now),
        "outcome": "moved_away",
    }
    url = reverse("visits:record_attempt", args=[visit.pk])
    assert client.post(url, fields, **JSON).status_code == 403
    assert client.post(url, fields, HTTP_X_CSRFTOKEN=token, **JSON).status_code == 201
    assert visit.attempts.count() == 1


# --- The installed app ---------------------------------------------------------------------------------


def test_my_visits_lists_the_open_visits_pages_to_keep_offline(ali, visit, make_newcomer, coordinator):
    closed = make_newcomer(name="Closed Case")
    [other] = visits_assign(area=visit.area, assignments=[(closed.pk, visit.ambassador.pk)], by=coordinator)
    visit_record_attempt(visit=other, by=coordinator, outcome=Attempt.Outcome.MOVED_AWAY)
    response = ali.get(reverse("visits:mine"))
    pages = [page["url"] for page in json.loads(response.context["offline_pages"])]
    detail = reverse("visits:detail", args=[visit.pk])
    assert pages[0] == reverse("visits:mine")
    assert detail in pages and f"{detail}?outcome=met_talked" in pages and f"{detail}?outcome=declined" in pages
    assert not any(page.startswith(reverse("visits:detail", args=[other.pk])) for page in pages)


def _versions(client) -> dict[str, str]:
    return {
        page["url"]: page["version"] for page in json.loads(client.get(reverse("visits:mine")).context["offline_pages"])
    }


def test_a_page_kept_offline_changes_version_only_when_what_it_shows_changes(
    ali, ambassador, visit, make_newcomer, coordinator
):
    """The phone fetches a kept page again only when its version changed: an unchanged list costs one page."""
    [second] = visits_assign(
        area=visit.area, assignments=[(make_newcomer(name="Second Case").pk, visit.ambassador.pk)], by=coordinator
    )
    detail, other = reverse("visits:detail", args=[visit.pk]), reverse("visits:detail", args=[second.pk])
    before = _versions(ali)
    assert _versions(ali) == before  # nothing changed: nothing to fetch again

    newcomer_correct(newcomer=visit.newcomer, by=coordinator, phone="+4561900077")
    after_correction = _versions(ali)
    assert (
        after_correction[detail] != before[detail]
        and after_correction[f"{detail}?outcome=met_talked"] != before[f"{detail}?outcome=met_talked"]
    )
    assert after_correction[other] == before[other]  # the other visit's pages stay on the phone as they are
    assert after_correction[reverse("visits:mine")] != before[reverse("visits:mine")]

    visit_record_attempt(visit=second, by=ambassador, outcome=Attempt.Outcome.NOT_HOME_NOTHING_LEFT)
    assert _versions(ali)[other] != after_correction[other]  # one more try on the page

    ali.cookies["django_language"] = "da"  # the pages in Danish are other pages
    assert set(_versions(ali).values()).isdisjoint(before.values())


def test_the_bundle_holds_only_the_askers_own_open_visits_as_their_own_views_render_them(
    ali, ambassador, visit, make_newcomer, coordinator, other_ambassador_profile
):
    [others] = visits_assign(
        area=visit.area, assignments=[(make_newcomer(name="Not Alis").pk, other_ambassador_profile.pk)], by=coordinator
    )
    [closed] = visits_assign(
        area=visit.area, assignments=[(make_newcomer(name="Closed Case").pk, visit.ambassador.pk)], by=coordinator
    )
    visit_record_attempt(visit=closed, by=ambassador, outcome=Attempt.Outcome.MOVED_AWAY)
    logged = AccessLogEntry.objects.order_by("pk").last()

    response = ali.get(reverse("visits:offline_bundle"), {"visit": [visit.pk, others.pk, closed.pk, "x"], "mine": 1})

    assert response.status_code == 200
    pages = {page["url"]: page for page in response.json()["pages"]}
    detail = reverse("visits:detail", args=[visit.pk])
    assert set(pages) == {reverse("visits:mine"), detail} | {f"{detail}?outcome={o}" for o in OUTCOMES_WITH_STEP}
    assert {url: page["version"] for url, page in pages.items()} == {
        url: version for url, version in _versions(ali).items() if url in pages
    }
    assert "Amina" in pages[detail]["html"] and 'lang="en"' in pages[detail]["html"]
    assert all("Not Alis" not in page["html"] for page in pages.values())
    assert ali.get(detail).content.decode().count("Amina") == pages[detail]["html"].count("Amina")
    # Each page is logged as seen under its own path, as when it is opened.
    assert set(AccessLogEntry.objects.filter(pk__gt=logged.pk if logged else 0).values_list("path", flat=True)) >= {
        detail,
        reverse("visits:mine"),
    }


def test_the_bundle_of_someone_elses_visit_is_empty(client, other_ambassador, visit):
    client.force_login(other_ambassador)
    assert client.get(reverse("visits:offline_bundle"), {"visit": visit.pk}).json() == {"pages": []}


def test_the_manifest_opens_on_my_visits(client):
    response = client.get(reverse("visits:web_manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == reverse("visits:mine")
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "da"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])


def test_the_service_worker_is_served_for_the_whole_site_and_never_cached(client):
    response = client.get(reverse("visits:service_worker"))
    assert reverse("visits:service_worker") == "/sw.js"
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in response.content


def test_signing_out_tells_the_browser_to_delete_what_it_kept(ali):
    response = ali.post(reverse("accounts:logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_a_queued_outcome_sent_after_the_session_ended_records_nothing(client, visit):
    """The phone keeps it (the answer is the sign-in page, not JSON) and sends it after signing in again."""
    now = timezone.now()
    response = _send(client, visit.pk, key=uuid.uuid4(), recorded=now, phone_now=now, outcome="met_talked")
    assert response.status_code == 302
    assert not visit.attempts.exists()
