"""A view logs through `access_record_for_request`: the actor, the path (without the query string, which
may hold a searched name) and the URL's name come from the request, so the log service never sees it."""

import pytest
from django.urls import reverse

from apps.audit.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def test_a_page_logs_its_viewer_path_and_url_name(client, coordinator, area, visit):
    client.force_login(coordinator)

    client.get(reverse("visits:visit_list", args=[area.slug]), {"state": "open", "page": "1"})

    entry = AccessLogEntry.objects.get()
    assert (entry.actor_id, entry.actor_label, entry.path, entry.view_name) == (
        coordinator.pk,
        coordinator.email,
        reverse("visits:visit_list", args=[area.slug]),
        "visits:visit_list",
    )
