"""The access log is read a page at a time; the page links keep the search."""

import pytest
from django.urls import reverse

from apps.audit import views
from apps.audit.models import AccessLogEntry
from tests.html import page_links

pytestmark = pytest.mark.django_db


def test_access_log_pages_link_to_each_other_keeping_the_search(client, coordinator, area, visit, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 1)
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    for _ in range(3):
        client.get(reverse("visits:visit_list", args=[area.slug]))
    assert AccessLogEntry.objects.filter(actor=coordinator).count() == 3
    url = reverse("audit:area_log", args=[area.slug])

    first = client.get(url, {"actor": coordinator.email}).content.decode()
    last = client.get(url, {"actor": coordinator.email, "page": 3}).content.decode()

    query = f"actor={coordinator.email.replace('@', '%40')}"
    assert page_links(first) == [("Next", f"?{query}&page=2", False)]
    assert page_links(last) == [("Previous", f"?{query}&page=2", False)]
    assert "Page 3 of 3" in last
