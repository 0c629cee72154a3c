"""The import history is read a page at a time, newest first: "Newer" and "Older" lead between pages."""

import pytest
from django.urls import reverse

from apps.newcomers import views
from apps.newcomers.models import ImportRun
from tests.html import page_links

pytestmark = pytest.mark.django_db


def test_history_pages_link_to_newer_and_older_runs(client, coordinator, area, organisation, monkeypatch):
    monkeypatch.setattr(views, "RUNS_PER_PAGE", 2)
    for name in ("first.csv", "second.csv", "third.csv", "fourth.csv", "fifth.csv"):
        ImportRun.objects.create(organisation=organisation, area=area, uploaded_by=coordinator, filename=name)
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    url = reverse("newcomers:history", args=[area.slug])

    newest = client.get(url).content.decode()
    middle = client.get(url, {"page": 2}).content.decode()

    assert "fifth.csv" in newest and "third.csv" not in newest
    assert page_links(newest) == [("Older", "?page=2", False)]
    assert page_links(middle) == [("Newer", "?page=1", False), ("Older", "?page=3", False)]
    assert 'aria-label="Pages of imports"' in middle and "Page 2 of 3" in middle
