"""Publishing with outdated translations asks first and names the languages."""

import pytest
from django.urls import reverse

from apps.folders.models import FolderVersion, Section
from apps.folders.services import section_text_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def outdated(folder, coordinator):
    section = folder.sections.get(kind=Section.Kind.HOUSE_RULES)
    section_text_save(section=section, language="da", title="Husorden", markdown="Ro efter kl. 22.", by=coordinator)
    return section


def test_publishing_with_outdated_translations_asks_first_and_names_them(client, coordinator, area, folder, outdated):
    client.force_login(coordinator)
    response = client.post(reverse("folders:publish", args=[area.slug]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "English, Arabic, Turkish" in response.content.decode()
    assert FolderVersion.objects.filter(folder=folder).count() == 1

    client.post(reverse("folders:publish", args=[area.slug]), {"confirm": "1"})
    assert FolderVersion.objects.filter(folder=folder).count() == 2


def test_publishing_current_translations_needs_no_confirmation(client, coordinator, area, folder):
    client.force_login(coordinator)
    response = client.post(reverse("folders:publish", args=[area.slug]))

    assert response.status_code == 302
    assert FolderVersion.objects.filter(folder=folder).count() == 2


def test_another_areas_coordinator_cannot_publish_even_when_confirming(
    client, other_coordinator, area, folder, outdated
):
    client.force_login(other_coordinator)
    for data in ({}, {"confirm": "1"}):
        assert client.post(reverse("folders:publish", args=[area.slug]), data).status_code in (403, 404)
    assert FolderVersion.objects.filter(folder=folder).count() == 1
