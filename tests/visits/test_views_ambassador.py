"""The ambassador's phone pages: "My visits", one visit, recording an outcome, the own profile."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.newcomers.models import Newcomer
from apps.visits.models import Ambassador, Attempt, Referral, Visit
from apps.visits.services import visit_record_attempt, visits_assign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def english_client(client):
    """The pages in English, so the tests can read the msgids."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def ali(english_client, ambassador):
    english_client.force_login(ambassador)
    return english_client


def _record(client, visit, **data):
    return client.post(reverse("visits:record_attempt", args=[visit.pk]), data)


# --- My visits ---------------------------------------------------------------------------------------


def test_ambassador_lands_on_my_visits(ali):
    response = ali.get(reverse("access:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("visits:mine")


def test_old_ambassador_page_sends_to_my_visits(ali):
    response = ali.get(reverse("access:ambassador_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("visits:mine")


def test_my_visits_lists_address_name_language_and_a_tap_to_call_link(ali, visit):
    response = ali.get(reverse("visits:mine"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Testvej 101 1, 1. tv." in page
    assert "Amina Newcomer" in page
    assert "speaks Arabic" in page
    assert 'href="tel:+4561111111"' in page
    assert reverse("visits:detail", args=[visit.pk]) in page


def test_my_visits_are_ordered_by_due_date(ali, ambassador_profile, coordinator, area, make_newcomer):
    late = make_newcomer(days_ago=1, name="Later Newcomer")
    early = make_newcomer(days_ago=12, name="Earlier Newcomer")
    visits_assign(
        area=area, assignments=[(late.pk, ambassador_profile.pk), (early.pk, ambassador_profile.pk)], by=coordinator
    )
    page = ali.get(reverse("visits:mine")).content.decode()
    assert page.index("Earlier Newcomer") < page.index("Later Newcomer")


def test_my_visits_shows_the_coordinator_to_call(ali, coordinator):
    coordinator.phone = "+4520304050"
    coordinator.save(update_fields=["phone"])
    page = ali.get(reverse("visits:mine")).content.decode()
    assert "Carla Coordinator" in page
    assert 'href="tel:+4520304050"' in page


def test_my_visits_hides_other_ambassadors_visits(english_client, other_ambassador, other_ambassador_profile, visit):
    english_client.force_login(other_ambassador)
    page = english_client.get(reverse("visits:mine")).content.decode()
    assert "Amina Newcomer" not in page


def test_closed_visit_is_listed_without_name_or_phone(ali, visit, ambassador):
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_TALKED)
    page = ali.get(reverse("visits:mine")).content.decode()
    assert "Done recently" in page
    assert "Testvej 101 1" in page
    assert "Amina Newcomer" not in page
    assert "+4561111111" not in page


@pytest.mark.parametrize("visit_count", [1, 6])
def test_my_visits_runs_the_same_number_of_queries_however_many_visits(
    ali, ambassador_profile, coordinator, area, make_newcomer, django_assert_num_queries, visit_count
):
    newcomers = [make_newcomer(days_ago=i) for i in range(visit_count)]
    visits_assign(area=area, assignments=[(n.pk, ambassador_profile.pk) for n in newcomers], by=coordinator)
    # session, user, memberships, their estates, the visits, the coordinators; then the session is saved
    # (the first page after sign-in refreshes it: savepoint, update, release); the access log's entry
    # and its people (two inserts, however many visits); the area's activities, in the versions of the
    # pages kept offline (apps/visits/offline.py)
    with django_assert_num_queries(12):
        response = ali.get(reverse("visits:mine"))
    assert response.content.decode().count('class="visit-card') == visit_count


def test_board_member_may_not_open_my_visits(english_client, board_member):
    english_client.force_login(board_member)
    assert english_client.get(reverse("visits:mine")).status_code == 403


# --- One visit ---------------------------------------------------------------------------------------


def test_visit_page_offers_every_outcome(ali, visit):
    response = ali.get(reverse("visits:detail", args=[visit.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for outcome in Attempt.Outcome:
        assert str(outcome.label) in page
    assert 'href="tel:+4561111111"' in page


def test_not_at_home_buttons_record_at_once(ali, visit):
    page = ali.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert f'name="outcome" value="{Attempt.Outcome.NOT_HOME_FOLDER_LEFT}"' in page
    response = _record(ali, visit, outcome=Attempt.Outcome.NOT_HOME_FOLDER_LEFT)
    assert response.status_code == 302 and response["Location"] == reverse("visits:mine")
    visit.refresh_from_db()
    assert visit.is_open and visit.folder_delivered
    assert visit.attempts.get().outcome == Attempt.Outcome.NOT_HOME_FOLDER_LEFT
    page = ali.get(response["Location"]).content.decode()
    assert "The visit stays on your list" in page


def test_met_outcome_asks_for_interests_and_the_staff_request_only(ali, visit, activity):
    response = ali.get(reverse("visits:detail", args=[visit.pk]), {"outcome": Attempt.Outcome.MET_TALKED})
    page = response.content.decode()
    assert "Madklub" in page
    assert "asks to be contacted by staff about" in page
    assert "you are a neighbour, not an inspector" in page
    # The staff request is the only free text on the page.
    assert page.count("<textarea") == 1
    assert 'name="do_not_contact"' not in page


def test_met_and_talked_with_an_interest_closes_the_visit_and_makes_a_referral(ali, visit, activity):
    response = _record(
        ali,
        visit,
        outcome=Attempt.Outcome.MET_TALKED,
        interests=[activity.pk],
        staff_request="  Help with the laundry booking ",
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.is_closed and visit.contact_made and visit.close_reason == Visit.CloseReason.CONTACT
    assert visit.staff_request == "Help with the laundry booking"
    assert Referral.objects.get(visit=visit).activity == activity
    assert "Thank you — the visit is updated." in ali.get(reverse("visits:mine")).content.decode()


def test_declined_asks_whether_to_contact_again(ali, visit):
    page = ali.get(reverse("visits:detail", args=[visit.pk]), {"outcome": Attempt.Outcome.DECLINED}).content.decode()
    assert 'name="do_not_contact"' in page
    assert "<textarea" not in page
    _record(ali, visit, outcome=Attempt.Outcome.DECLINED, do_not_contact="on")
    visit.refresh_from_db()
    assert visit.close_reason == Visit.CloseReason.DECLINED
    assert Newcomer.objects.get(pk=visit.newcomer_id).do_not_contact


def test_interests_sent_with_a_not_at_home_outcome_are_ignored(ali, visit, activity):
    _record(ali, visit, outcome=Attempt.Outcome.NOT_HOME_NOTHING_LEFT, interests=[activity.pk], staff_request="x")
    visit.refresh_from_db()
    assert not Referral.objects.exists()
    assert visit.staff_request == ""


def test_language_barrier_thanks_and_returns_the_visit(ali, visit):
    response = _record(ali, visit, outcome=Attempt.Outcome.LANGUAGE_BARRIER)
    visit.refresh_from_db()
    assert visit.ambassador is None and visit.needs_language == "ar"
    assert "an ambassador who speaks Arabic" in ali.get(response["Location"]).content.decode()


def test_forged_outcome_is_refused_and_nothing_recorded(ali, visit):
    response = _record(ali, visit, outcome="reported_two_cats")
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not visit.attempts.exists()


def test_activity_of_another_area_is_refused(ali, visit, other_area):
    foreign = other_area.activities.create(name="Fremmed klub")
    response = _record(ali, visit, outcome=Attempt.Outcome.MET_TALKED, interests=[foreign.pk])
    assert response.status_code == 400
    assert not visit.attempts.exists()


def test_another_ambassadors_visit_is_not_found(english_client, other_ambassador, other_ambassador_profile, visit):
    english_client.force_login(other_ambassador)
    assert english_client.get(reverse("visits:detail", args=[visit.pk])).status_code == 404
    response = _record(english_client, visit, outcome=Attempt.Outcome.MET_TALKED)
    assert response.status_code == 404
    assert not visit.attempts.exists()


def test_closed_visit_is_refused_with_a_message_and_nothing_changes(ali, visit, ambassador):
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MOVED_AWAY)
    response = _record(ali, visit, outcome=Attempt.Outcome.MET_TALKED)
    assert response.status_code == 302
    assert "already closed" in ali.get(response["Location"]).content.decode()
    visit.refresh_from_db()
    assert visit.close_reason == Visit.CloseReason.MOVED_AWAY
    assert visit.attempts.count() == 1


def test_closed_visit_page_shows_neither_name_nor_phone(ali, visit, ambassador):
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_BRIEFLY)
    page = ali.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert "This visit is done" in page
    assert "Amina Newcomer" not in page and "tel:" not in page.split("Your coordinator")[0]


def test_visit_closed_longer_than_the_grace_period_is_gone(ali, visit, ambassador, settings):
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_BRIEFLY)
    Visit.objects.filter(pk=visit.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=settings.VISIT_CONTACT_GRACE_DAYS + 1)
    )
    assert ali.get(reverse("visits:detail", args=[visit.pk])).status_code == 404
    assert "Testvej 101 1" not in ali.get(reverse("visits:mine")).content.decode()


def test_pages_have_no_inline_script_style_or_handlers(ali, visit, activity):
    for url in (
        reverse("visits:mine"),
        reverse("visits:detail", args=[visit.pk]),
        reverse("visits:detail", args=[visit.pk]) + "?outcome=met_talked",
        reverse("visits:my_profile"),
    ):
        page = ali.get(url).content.decode()
        assert "<script>" not in page and "style=" not in page and "onclick" not in page, url


# --- Own profile ------------------------------------------------------------------------------------


def _png(size=(20, 20)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "me.png"
    return buffer


def test_ambassador_edits_languages_capacity_and_card(ali, ambassador_profile, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = ali.post(
        reverse("visits:my_profile"),
        {"languages": ["da", "so"], "visits_per_month": 6, "card_show_phone": "on", "photo": _png()},
    )
    assert response.status_code == 302
    ambassador_profile.refresh_from_db()
    assert ambassador_profile.languages == ["da", "so"]
    assert ambassador_profile.visits_per_month == 6
    assert ambassador_profile.card_show_phone and not ambassador_profile.card_show_photo
    assert ambassador_profile.photo.name.startswith("ambassadors/")


def test_profile_refuses_a_file_that_is_not_a_picture(ali, ambassador_profile, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = io.BytesIO(b"%PDF-1.4 not a picture")
    fake.name = "me.png"
    response = ali.post(reverse("visits:my_profile"), {"languages": ["da"], "visits_per_month": 4, "photo": fake})
    assert response.status_code == 400
    ambassador_profile.refresh_from_db()
    assert not ambassador_profile.photo


def test_profile_cannot_change_what_is_the_coordinators(ali, ambassador_profile):
    ali.post(
        reverse("visits:my_profile"),
        {"languages": ["da"], "visits_per_month": 4, "status": "left", "sits_on_board": "on"},
    )
    ambassador_profile.refresh_from_db()
    assert ambassador_profile.status == Ambassador.Status.ACTIVE
    assert not ambassador_profile.sits_on_board


def test_ambassador_without_profile_is_told_so(ali):
    response = ali.get(reverse("visits:my_profile"))
    assert response.status_code == 200
    assert "has not set up your ambassador profile" in response.content.decode()


def test_ambassador_photo_is_served_only_through_the_checked_view(client, settings):
    """Photos are personal data: there is no public /media/ URL, and the view checks who asks."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.accounts.models import Membership
    from apps.accounts.services import membership_grant, user_create
    from apps.organisation.models import Area

    area = Area.objects.create(name="Photo area", slug="photo-area")
    owner = user_create(email="owner@example.org", full_name="Owner", password="x-long-password-1")
    stranger = user_create(email="stranger@example.org", full_name="Stranger", password="x-long-password-1")
    for user in (owner, stranger):
        membership_grant(user=user, area=area, role=Membership.Role.AMBASSADOR)
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
    profile = Ambassador.objects.create(
        user=owner, area=area, languages=["da"], photo=SimpleUploadedFile("me.png", png, content_type="image/png")
    )
    url = reverse("visits:ambassador_photo", args=[profile.pk])

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png
    assert client.get(settings.MEDIA_URL + profile.photo.name).status_code == 404

    client.force_login(stranger)
    assert client.get(url).status_code == 403
