"""The welcome folder and personal data: downloads are in the access log, the data-subject export lists
the folders made, erasure deletes the PDFs with the newcomer's name and keeps the record of what they got."""

import os

import pytest
from django.urls import reverse
from django.utils import translation

from apps.audit.models import AccessLogEntry
from apps.folders.models import BatchFile, Delivery
from apps.privacy.selectors import newcomer_data
from apps.privacy.services import newcomer_erase

pytestmark = pytest.mark.django_db


@pytest.fixture
def downloaded(client, ambassador, version, week_visits, django_capture_on_commit_callbacks):
    client.force_login(ambassador)
    url = reverse("folders:visit_folder", args=[week_visits[0].pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    return Delivery.objects.get()


def test_a_personal_folder_download_is_in_the_access_log(downloaded, ambassador, week_visits):
    entry = AccessLogEntry.objects.get(view_name="folders:visit_folder", action="export")
    assert entry.actor_id == ambassador.pk
    assert list(entry.subjects.values_list("object_id", flat=True)) == [week_visits[0].newcomer_id]


def test_a_batch_file_download_logs_every_newcomer_in_it(
    client, area, coordinator, version, week_visits, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("folders:batch_list", args=[area.slug]))
    file = BatchFile.objects.exclude(pdf="").first()
    client.get(reverse("folders:batch_file", args=[area.slug, file.batch_id, file.pk]))
    entry = AccessLogEntry.objects.get(view_name="folders:batch_file")
    assert set(entry.subjects.values_list("object_id", flat=True)) == set(
        file.deliveries.values_list("newcomer_id", flat=True)
    )


def test_the_export_lists_the_folders_made(downloaded):
    with translation.override("en"):
        data = newcomer_data(newcomer=downloaded.newcomer)
    [made] = next(value for key, value in data["sections"].items() if str(key) == "Welcome folders made")
    assert downloaded.language in made.values() and downloaded.version.number in made.values()


def test_erasure_deletes_the_pdf_and_keeps_the_record(downloaded, coordinator):
    path = downloaded.pdf.path
    newcomer_erase(newcomer=downloaded.newcomer, actor=coordinator, path="/")

    downloaded.refresh_from_db()
    assert not downloaded.pdf and downloaded.language and downloaded.version_id
    assert not os.path.exists(path)
