"""Data-subject requests: a coordinator finds everything stored about a newcomer or a volunteer, exports
it as JSON and PDF, and erases it — within their own area only, and the figures keep counting."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from apps.accounts.models import Membership, User
from apps.accounts.services import membership_grant
from apps.audit.models import AccessLogEntry
from apps.core.services import message_queue
from apps.newcomers.models import Newcomer
from apps.privacy.services import newcomer_erase
from apps.visits.models import Ambassador, Attempt, SupportConversation, Visit
from apps.visits.services import visit_record_attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def carla(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def amina(visit) -> Newcomer:
    message_queue(
        channel="sms", subject="", body="Velkommen Amina", idempotency_key="dsr-1", to_newcomer=visit.newcomer
    )
    return visit.newcomer


def test_search_finds_newcomers_and_volunteers_by_name_or_phone(carla, area, amina, ambassador):
    response = carla.get(reverse("privacy:search", args=[area.slug]), {"q": amina.name.split()[0]})
    assert [n.pk for n in response.context["newcomers"]] == [amina.pk]

    response = carla.get(reverse("privacy:search", args=[area.slug]), {"q": ambassador.phone[-6:]})
    assert [p.pk for p in response.context["people"]] == [ambassador.pk]


def test_the_newcomer_page_shows_everything_stored(carla, area, amina, ambassador):
    response = carla.get(reverse("privacy:newcomer", args=[area.slug, amina.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for expected in (amina.name, amina.tenancy.address, "Velkommen Amina", ambassador.full_name):
        assert expected in page
    assert AccessLogEntry.objects.filter(view_name="privacy:newcomer", action="view").exists()


def test_json_export_holds_the_newcomers_data(carla, area, amina):
    response = carla.get(reverse("privacy:newcomer_export", args=[area.slug, amina.pk, "json"]))
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(response.content)
    text = json.dumps(data, ensure_ascii=False)
    assert data["kind"] == "newcomer" and amina.name in text and amina.phone in text
    assert AccessLogEntry.objects.filter(action="export").count() == 1


def test_pdf_export_is_a_readable_pdf(carla, area, amina):
    response = carla.get(reverse("privacy:newcomer_export", args=[area.slug, amina.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert amina.name in text and amina.tenancy.address.split(",")[0] in text


def test_an_unknown_export_format_is_not_found(carla, area, amina):
    assert carla.get(reverse("privacy:newcomer_export", args=[area.slug, amina.pk, "xml"])).status_code == 404


def test_erasing_a_newcomer_leaves_the_visit_counted_but_nothing_personal(carla, area, amina, visit, ambassador):
    response = carla.post(reverse("privacy:newcomer_erase", args=[area.slug, amina.pk]), {"confirm": "on"})

    assert response.status_code == 302
    amina.refresh_from_db()
    visit.refresh_from_db()
    assert (amina.name, amina.phone, amina.email, amina.language) == ("", "", "", "")
    assert amina.do_not_contact and amina.anonymised_at
    assert not amina.messages.exists()
    # The visit still counts (closed as declined), without who went.
    assert visit.status == Visit.Status.CLOSED and visit.close_reason == Visit.CloseReason.DECLINED
    assert visit.ambassador is None and visit.anonymised_at
    assert AccessLogEntry.objects.filter(action="erase", view_name="privacy:newcomer_erase").exists()


def test_erasing_needs_the_confirmation(carla, area, amina):
    carla.post(reverse("privacy:newcomer_erase", args=[area.slug, amina.pk]), {})
    amina.refresh_from_db()
    assert amina.name and amina.anonymised_at is None


def test_a_met_newcomers_erasure_keeps_the_contact_figures(carla, area, visit, ambassador):
    visit_record_attempt(visit=visit, outcome=Attempt.Outcome.MET_TALKED, by=ambassador)
    carla.post(reverse("privacy:newcomer_erase", args=[area.slug, visit.newcomer_id]), {"confirm": "on"})
    visit.refresh_from_db()
    assert visit.contact_made and visit.close_reason == Visit.CloseReason.CONTACT and visit.days_to_contact is not None
    assert not Attempt.objects.filter(visit=visit).exists()


def test_another_areas_coordinator_gets_nothing(client, other_coordinator, area, other_area, amina, ambassador):
    client.force_login(other_coordinator)
    for url in (
        reverse("privacy:newcomer", args=[area.slug, amina.pk]),
        reverse("privacy:newcomer", args=[other_area.slug, amina.pk]),
        reverse("privacy:newcomer_export", args=[other_area.slug, amina.pk, "json"]),
        reverse("privacy:person", args=[other_area.slug, ambassador.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("privacy:newcomer_erase", args=[other_area.slug, amina.pk]), {"confirm": "on"}).status_code
        == 403
    )
    amina.refresh_from_db()
    assert amina.name


def test_a_volunteers_export_holds_their_data_not_the_newcomers(carla, area, amina, ambassador, ambassador_profile):
    response = carla.get(reverse("privacy:person_export", args=[area.slug, ambassador.pk, "json"]))
    text = json.dumps(json.loads(response.content), ensure_ascii=False)
    assert ambassador.full_name in text and ambassador.phone in text
    assert amina.name not in text and amina.phone not in text


def test_erasing_a_volunteer_closes_the_account_and_returns_open_visits(
    carla, client, area, ambassador, ambassador_profile, visit
):
    carla.post(reverse("privacy:person_erase", args=[area.slug, ambassador.pk]), {"confirm": "on"})

    ambassador.refresh_from_db()
    ambassador_profile.refresh_from_db()
    visit.refresh_from_db()
    assert not ambassador.is_active and ambassador.full_name == "—" and ambassador.phone == ""
    assert ambassador.email.endswith("@erased.invalid") and not ambassador.has_usable_password()
    assert not Membership.objects.filter(user=ambassador).exists()
    assert ambassador_profile.status == Ambassador.Status.LEFT and ambassador_profile.languages == []
    # The corps' history counts the departure, without a reason.
    assert [(c.status, c.reason) for c in ambassador_profile.status_changes.all()] == [("left", "")]
    assert visit.ambassador is None and visit.is_open  # waiting for another ambassador
    assert AccessLogEntry.objects.filter(action="erase", subject_kind="person").exists()


def test_erasing_a_volunteer_deletes_their_photo_files(
    client, coordinator, area, ambassador, ambassador_profile, django_capture_on_commit_callbacks
):
    """The photo on disk goes, and so does one they replaced earlier (the probe found both kept)."""
    client.force_login(ambassador)
    stored = []
    for colour in ("red", "blue"):
        buffer = io.BytesIO()
        Image.new("RGB", (20, 20), colour).save(buffer, format="JPEG")
        photo = SimpleUploadedFile("me.jpg", buffer.getvalue(), content_type="image/jpeg")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("visits:my_profile"), {"languages": ["da"], "visits_per_month": 4, "photo": photo})
        ambassador_profile.refresh_from_db()
        stored.append(Path(ambassador_profile.photo.path))
    assert stored[1].exists()

    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:person_erase", args=[area.slug, ambassador.pk]), {"confirm": "on"})

    ambassador_profile.refresh_from_db()
    assert not ambassador_profile.photo
    assert not any(path.exists() for path in stored)


def test_someone_also_in_another_area_is_for_an_administrator(carla, area, other_area, ambassador):
    membership_grant(user=ambassador, area=other_area, role=Membership.Role.AMBASSADOR)
    assert carla.get(reverse("privacy:person", args=[area.slug, ambassador.pk])).status_code == 403


def test_a_colleagues_account_is_for_an_administrator(carla, area, make_user):
    colleague = make_user(full_name="Colleague")
    membership_grant(user=colleague, area=area, role=Membership.Role.COORDINATOR)
    assert carla.get(reverse("privacy:person", args=[area.slug, colleague.pk])).status_code == 403


def test_an_administrator_may_handle_anyone(client, make_user, area, other_area, ambassador):
    membership_grant(user=ambassador, area=other_area, role=Membership.Role.AMBASSADOR)
    admin = make_user(full_name="Admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("privacy:person", args=[area.slug, ambassador.pk])).status_code == 200
    assert User.objects.filter(pk=ambassador.pk, is_active=True).exists()


def test_an_erasure_is_logged_for_the_actor_and_the_page_it_was_made_on(coordinator, area, amina):
    newcomer_erase(newcomer=amina, actor=coordinator, path="/erase/", view_name="privacy:newcomer_erase")

    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.ERASE)
    assert (entry.actor_id, entry.path, entry.view_name, entry.area_id) == (
        coordinator.pk,
        "/erase/",
        "privacy:newcomer_erase",
        area.pk,
    )
    assert list(entry.subjects.values_list("object_id", flat=True)) == [amina.pk]


def test_erasing_a_volunteer_deletes_the_support_notes_about_them(
    carla, area, coordinator, ambassador, ambassador_profile, other_ambassador_profile
):
    SupportConversation.objects.create(ambassador=ambassador_profile, note="Ali's note", recorded_by=coordinator)
    SupportConversation.objects.create(ambassador=other_ambassador_profile, note="Anne's note")

    carla.post(reverse("privacy:person_erase", args=[area.slug, ambassador.pk]), {"confirm": "on"})

    assert list(SupportConversation.objects.values_list("note", flat=True)) == ["Anne's note"]


def test_a_volunteers_export_holds_the_support_notes_about_them(
    carla, area, coordinator, ambassador, ambassador_profile, other_ambassador_profile
):
    SupportConversation.objects.create(ambassador=ambassador_profile, note="Ali wants fewer visits")
    SupportConversation.objects.create(ambassador=other_ambassador_profile, note="Anne's note")

    response = carla.get(reverse("privacy:person_export", args=[area.slug, ambassador.pk, "json"]))

    text = json.dumps(json.loads(response.content), ensure_ascii=False)
    assert "Ali wants fewer visits" in text and "Anne's note" not in text
