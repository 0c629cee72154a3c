"""Relationships continuing after the visit on the dashboards: exact for the coordinator, within the
small-number rules for a board, and in the annual report's CSV."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.dashboards.services import annual_report_content, annual_report_csv
from apps.visits.models import LaterContact

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def met(make_visit, estate, estate_102):
    """Estate 101: 12 newcomers met 40 days ago; 6 called again about the home (one of them twice), 3 of those
    also about an activity. Estate 102: 10 met, 5 called about the area."""
    moved_in = timezone.localdate() - datetime.timedelta(days=40)
    here = [make_visit(estate=estate, moved_in=moved_in, outcome="contact") for _i in range(12)]
    there = [make_visit(estate=estate_102, moved_in=moved_in, outcome="contact") for _i in range(10)]
    for i, visit in enumerate(here[:6]):
        LaterContact.objects.create(visit=visit, topic="home")
        if i == 0:
            LaterContact.objects.create(visit=visit, topic="home")
        if i < 3:
            LaterContact.objects.create(visit=visit, topic="activity")
    for visit in there[:5]:
        LaterContact.objects.create(visit=visit, topic="area")


def test_coordinator_sees_the_exact_share_and_topics(client, coordinator, area, met):
    client.force_login(coordinator)
    d = client.get(reverse("dashboards:area", args=[area.slug])).context["d"]
    continuing = {row.key: row for row in d.headline}["continuing"]
    assert continuing.now.percent == round(100 * 11 / 22)
    topics = {row.key: row.now.text for row in d.later_topics}
    assert topics == {
        "topic:home": "6",
        "topic:activity": "3",
        "topic:area": "5",
        "topic:personal": "0",
        "topic:other": "0",
    }


def test_board_sees_the_share_but_small_topic_counts_hidden(client, board_member, estate, met):
    client.force_login(board_member)
    response = client.get(reverse("dashboards:board_estate", args=[estate.pk]))
    d = response.context["d"]
    # 6 of 12 met called again, 6 did not: all at least 5, so the share is shown.
    assert {row.key: row for row in d.headline}["continuing"].now.percent == 50
    topics = {row.key: row.now.text for row in d.later_topics}
    assert topics["topic:activity"] == "< 5"
    assert topics["topic:home"] == "–"  # the next smallest, so the estate's total cannot give 3 away
    assert "Relationships continuing after the visit" in response.content.decode()


def test_annual_report_csv_lists_the_topics(area, met):
    content = annual_report_content(area=area, year=timezone.localdate().year)
    text = annual_report_csv(content=content).decode("utf-8-sig")
    assert "Contacted their ambassador again, by topic" in text
    assert "Newcomers met who contacted their ambassador again" in text
