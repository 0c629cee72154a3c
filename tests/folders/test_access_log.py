"""The week's batch pages show newcomers' names and addresses (the list) and the ambassadors' names (a
finished batch): opening them writes an access-log entry, as every page with personal data does."""

import pytest
from django.urls import reverse

from apps.audit.models import AccessLogEntry
from apps.folders.models import PrintBatch
from apps.folders.services import batch_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def carla(client, coordinator):
    client.force_login(coordinator)
    return client


def _subjects(entry) -> set[int]:
    return set(entry.subjects.values_list("object_id", flat=True))


def test_the_batch_list_logs_the_newcomers_it_names(carla, area, coordinator, version, week_visits):
    page = carla.get(reverse("folders:batch_list", args=[area.slug])).content.decode()

    assert week_visits[0].newcomer.name in page
    entry = AccessLogEntry.objects.get()
    assert (entry.actor_id, entry.actor_label, entry.area_id) == (coordinator.pk, coordinator.email, area.pk)
    assert (entry.action, entry.view_name, entry.subject_kind) == ("view", "folders:batch_list", "newcomer")
    assert entry.subject_count == 5 and _subjects(entry) == {visit.newcomer_id for visit in week_visits}


def test_the_batch_list_without_visits_logs_nothing(carla, area, version):
    carla.get(reverse("folders:batch_list", args=[area.slug]))
    assert not AccessLogEntry.objects.exists()


def test_a_finished_batch_logs_the_ambassadors_it_names(
    carla, area, coordinator, version, week_visits, ambassador, other_ambassador, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_create(area=area, by=coordinator, survey_url=None)

    page = carla.get(reverse("folders:batch_detail", args=[area.slug, batch.pk])).content.decode()

    assert ambassador.full_name in page
    entry = AccessLogEntry.objects.get()
    assert (entry.actor_id, entry.area_id, entry.action) == (coordinator.pk, area.pk, "view")
    assert (entry.view_name, entry.subject_kind) == ("folders:batch_detail", "person")
    assert _subjects(entry) == {ambassador.pk, other_ambassador.pk}


def test_the_finished_batchs_progress_partial_is_logged_too(
    carla, area, coordinator, version, week_visits, ambassador, other_ambassador, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_create(area=area, by=coordinator, survey_url=None)

    carla.get(reverse("folders:batch_progress", args=[area.slug, batch.pk]))

    entry = AccessLogEntry.objects.get()
    assert entry.view_name == "folders:batch_progress" and _subjects(entry) == {ambassador.pk, other_ambassador.pk}


def test_a_batch_being_made_names_nobody_and_logs_nothing(carla, area, version, week_visits):
    batch = PrintBatch.objects.create(area=area, version=version, due_until=week_visits[0].due_date, total=5, done=2)

    carla.get(reverse("folders:batch_detail", args=[area.slug, batch.pk]))
    carla.get(reverse("folders:batch_progress", args=[area.slug, batch.pk]))

    assert not AccessLogEntry.objects.exists()
