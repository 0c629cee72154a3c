"""The week's batch: one PDF per ambassador, each visit's newcomer once, under the right ambassador."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from apps.folders.models import BatchFile, Delivery, PrintBatch
from apps.folders.services import batch_create
from apps.folders.tasks import MAX_RETRIES

pytestmark = pytest.mark.django_db


def _pages_text(data: bytes, first: int, count: int) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(reader.pages[n].extract_text() for n in range(first - 1, first - 1 + count))


def _make(area, coordinator, capture, survey_url=None) -> PrintBatch:
    with capture(execute=True):
        batch = batch_create(area=area, by=coordinator, survey_url=survey_url)
    batch.refresh_from_db()
    return batch


def test_the_batch_has_one_pdf_per_ambassador_with_each_newcomer_once(
    area, coordinator, version, week_visits, ali, anne, django_capture_on_commit_callbacks
):
    batch = _make(area, coordinator, django_capture_on_commit_callbacks)

    assert batch.status == PrintBatch.Status.DONE and batch.total == batch.done == 5
    files = {file.ambassador_id: file for file in batch.files.all()}
    assert set(files) == {ali.pk, anne.pk}
    assert files[ali.pk].folder_count == 3 and files[anne.pk].folder_count == 2
    deliveries = Delivery.objects.filter(batch_file__batch=batch)
    assert sorted(d.visit_id for d in deliveries) == sorted(v.pk for v in week_visits)
    names = {visit.newcomer_id: visit.newcomer.name for visit in week_visits}
    for file in files.values():
        data = file.pdf.read()
        total_pages = len(PdfReader(io.BytesIO(data)).pages)
        covered = 0
        for delivery in file.deliveries.order_by("first_page"):
            assert delivery.visit.ambassador_id == file.ambassador_id
            text = _pages_text(data, delivery.first_page, delivery.page_count)
            assert names[delivery.newcomer_id] in text
            assert not [n for pk, n in names.items() if pk != delivery.newcomer_id and n in text]
            assert delivery.first_page == covered + 1
            covered += delivery.page_count
        assert covered == total_pages


def test_the_batch_leaves_out_visits_not_due_this_week_or_already_given_a_folder(
    area, coordinator, version, week_visits, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    later, done = week_visits[0], week_visits[1]
    later.due_date = later.due_date + timedelta(days=60)
    later.save()
    done.folder_delivered = True
    done.save()

    batch = _make(area, coordinator, django_capture_on_commit_callbacks)

    assert batch.total == 3
    assert not Delivery.objects.filter(visit__in=[later, done]).exists()


def test_a_failing_batch_is_retried_then_reported_to_the_coordinator(
    client, area, coordinator, version, week_visits, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []

    def broken(self, visits):
        calls.append(len(visits))
        raise OSError("disk full")

    monkeypatch.setattr("apps.folders.services.FolderMaker.pages", broken)

    batch = _make(area, coordinator, django_capture_on_commit_callbacks)

    assert len(calls) == MAX_RETRIES + 1
    assert batch.status == PrintBatch.Status.FAILED
    assert batch.attempts == MAX_RETRIES + 1
    assert "disk full" in batch.error
    assert not BatchFile.objects.exists() and not Delivery.objects.exists()
    client.force_login(coordinator)
    page = client.get(reverse("folders:batch_progress", args=[area.slug, batch.pk])).content.decode()
    assert "disk full" in page and "hx-trigger" not in page


def test_a_batch_that_works_on_the_second_try_is_done(
    area, coordinator, version, week_visits, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.folders.services import FolderMaker

    original, calls = FolderMaker.pages, []

    def flaky(self, visits):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("worker lost the disk")
        return original(self, visits)

    monkeypatch.setattr("apps.folders.services.FolderMaker.pages", flaky)

    batch = _make(area, coordinator, django_capture_on_commit_callbacks)

    assert batch.status == PrintBatch.Status.DONE and batch.attempts == 2
    assert Delivery.objects.filter(batch_file__batch=batch).count() == 5


def test_a_batch_is_made_once_when_its_task_is_delivered_twice(
    area, coordinator, version, week_visits, django_capture_on_commit_callbacks
):
    from apps.folders.tasks import folder_batch_make

    batch = _make(area, coordinator, django_capture_on_commit_callbacks)
    folder_batch_make.delay(batch.pk)

    assert Delivery.objects.filter(batch_file__batch=batch).count() == 5


def test_a_failed_personal_folder_is_retried_and_reported(
    client, area, coordinator, version, week_visits, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.folders.services import delivery_request

    monkeypatch.setattr("apps.folders.services.FolderMaker.pages", lambda self, visits: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivery_request(visit=week_visits[0], by=coordinator, survey_url=None)

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == MAX_RETRIES + 1
    client.force_login(coordinator)
    page = client.get(reverse("folders:batch_list", args=[area.slug])).content.decode()
    assert "ZeroDivisionError" in page


def test_the_batch_page_shows_progress_and_then_the_files(
    client, area, coordinator, version, week_visits, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    batch = PrintBatch.objects.create(area=area, version=version, due_until=week_visits[0].due_date, total=10, done=4)

    running = client.get(reverse("folders:batch_detail", args=[area.slug, batch.pk])).content.decode()
    assert 'data-progress="40"' in running and "hx-trigger" in running

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("folders:batch_list", args=[area.slug]))
    done = client.get(response["Location"]).content.decode()
    assert "Ali Ambassador" in done and "hx-trigger" not in done
    file = BatchFile.objects.filter(batch__status="done").first()
    download = client.get(reverse("folders:batch_file", args=[area.slug, file.batch_id, file.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_the_ambassador_downloads_the_folder_of_a_visit_they_hold(
    client, ambassador, version, week_visits, django_capture_on_commit_callbacks
):
    client.force_login(ambassador)

    url = reverse("folders:visit_folder", args=[week_visits[0].pk])
    # Nothing is made by looking (a link preview must not start a PDF job): the page offers a button.
    offer = client.get(url).content.decode()
    assert 'method="post"' in offer and not Delivery.objects.exists()
    with django_capture_on_commit_callbacks() as queued:
        assert client.post(url)["Location"] == url
    assert "hx-trigger" in client.get(url).content.decode()  # being made: the page polls
    for callback in queued:  # the worker makes it
        callback()
    status = client.get(reverse("folders:visit_folder_status", args=[week_visits[0].pk])).content.decode()
    assert url in status and "hx-trigger" not in status

    response = client.get(url)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    from tests.folders.conftest import pdf_text

    assert "Amira Haddad" in pdf_text(b"".join(response.streaming_content))
    delivery = Delivery.objects.get()
    assert (delivery.newcomer_id, delivery.version_id, delivery.language) == (
        week_visits[0].newcomer_id,
        version.pk,
        "ar",
    )


def test_the_ambassador_loses_the_folder_with_the_newcomer_after_the_grace_period(
    client, ambassador, version, week_visits, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from apps.visits.models import Visit

    visit = week_visits[0]
    Visit.objects.filter(pk=visit.pk).update(
        status="closed",
        close_reason="contact",
        closed_at=timezone.now() - timedelta(days=settings.VISIT_CONTACT_GRACE_DAYS + 1),
    )
    client.force_login(ambassador)

    assert client.get(reverse("folders:visit_folder", args=[visit.pk])).status_code == 403
    assert not Delivery.objects.exists()


def test_old_personal_pdfs_are_deleted_but_the_record_of_what_was_given_stays(
    area, coordinator, version, week_visits, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from apps.folders.services import folder_pdfs_purge

    batch = _make(area, coordinator, django_capture_on_commit_callbacks)
    paths = [file.pdf.path for file in batch.files.all()]

    assert folder_pdfs_purge(now=timezone.now()) == 0
    assert folder_pdfs_purge(now=timezone.now() + timedelta(days=settings.FOLDER_PDF_KEEP_DAYS + 1)) == 2

    import os

    assert not any(os.path.exists(path) for path in paths)
    assert Delivery.objects.filter(batch_file__batch=batch).count() == 5
    assert folder_pdfs_purge(now=timezone.now() + timedelta(days=99)) == 0


def test_the_downloaded_folder_carries_the_running_surveys_link(
    client, area, ambassador, version, week_visits, django_capture_on_commit_callbacks
):
    """The survey app's QR entry of the survey running in the area is printed on the back page."""
    import datetime

    from django.utils import timezone

    from apps.surveys.selectors import survey_folder_link
    from apps.surveys.services import standard_bank_ensure, survey_create
    from tests.folders.conftest import pdf_pages_text

    standard_bank_ensure()
    today = timezone.localdate()
    survey_create(
        area=area,
        by=None,
        title="Tilflytterundersøgelse",
        period_start=today - datetime.timedelta(days=100),
        period_end=today,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=60),
    )
    link = survey_folder_link(area=area, on_date=today)
    client.force_login(ambassador)
    url = reverse("folders:visit_folder", args=[week_visits[0].pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)

    pages = pdf_pages_text(b"".join(client.get(url).streaming_content))

    assert link and link in pages[-1].replace("\n", "")
    assert Delivery.objects.get().survey_url == link
