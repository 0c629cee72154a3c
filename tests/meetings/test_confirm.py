"""Sends to many ask first: invite, cancel and ending a series show how many messages go by which channel,
and only the POST with confirm=1 acts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import Message
from apps.meetings import services
from apps.meetings.models import MeetingSeries, NetworkMeeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(area, coordinator) -> MeetingSeries:
    return services.meeting_series_create(
        area=area, by=coordinator, title="Netværksmøde", weekday=1, nth=1, start_time=datetime.time(17), place="Huset"
    )


@pytest.fixture
def three_ambassadors(make_ambassador, make_user, ambassador_profile, other_ambassador_profile):
    """Two ambassadors with a phone (SMS) and one with only an e-mail address."""
    by_mail = make_ambassador(name="Emma Email")
    by_mail.user.phone = ""
    by_mail.user.save(update_fields=["phone"])
    return [ambassador_profile, other_ambassador_profile, by_mail]


def _page(response) -> str:
    return " ".join(response.content.decode().split())


def test_first_invite_post_sends_nothing_and_shows_counts_by_channel(
    client, coordinator, area, meeting, three_ambassadors, english
):
    client.force_login(coordinator)
    response = client.post(reverse("meetings:invite", args=[area.slug, meeting.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = _page(response)
    assert "This sends 3 messages:" in page
    assert "an SMS to each of 2 people" in page
    assert "an e-mail to 1 person" in page
    assert 'name="confirm" value="1"' in page
    assert not meeting.invitations.exists()
    assert not Message.objects.exists()


def test_confirmed_invite_sends(client, coordinator, area, meeting, three_ambassadors):
    client.force_login(coordinator)
    response = client.post(reverse("meetings:invite", args=[area.slug, meeting.pk]), {"confirm": "1"})

    assert response.status_code == 302
    assert meeting.invitations.count() == 3
    assert sorted(Message.objects.values_list("channel", flat=True)) == ["email", "sms", "sms"]


def test_inviting_one_ambassador_needs_no_confirmation(client, coordinator, area, meeting, ambassador_profile):
    client.force_login(coordinator)
    response = client.post(reverse("meetings:invite", args=[area.slug, meeting.pk]))

    assert response.status_code == 302
    assert Message.objects.count() == 1


def test_another_areas_coordinator_is_refused_even_when_confirming(
    client, other_coordinator, area, meeting, three_ambassadors
):
    client.force_login(other_coordinator)
    for data in ({}, {"confirm": "1"}):
        response = client.post(reverse("meetings:invite", args=[area.slug, meeting.pk]), data)
        assert response.status_code in (403, 404)
        assert "an SMS" not in response.content.decode()
    assert not meeting.invitations.exists()
    assert not Message.objects.exists()


def test_cancel_asks_first_when_several_are_told(client, coordinator, area, meeting, three_ambassadors, english):
    services.meeting_invite(meeting=meeting)
    before = Message.objects.count()
    client.force_login(coordinator)
    url = reverse("meetings:cancel", args=[area.slug, meeting.pk])

    page = _page(client.post(url, HTTP_ACCEPT_LANGUAGE="en"))
    meeting.refresh_from_db()
    assert "This sends 3 messages:" in page
    assert not meeting.is_cancelled
    assert Message.objects.count() == before

    client.post(url, {"confirm": "1"})
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert Message.objects.filter(idempotency_key__startswith="meeting-cancel:").count() == 3


def test_ending_a_series_asks_first_and_a_cancelled_confirmation_changes_nothing(
    client, coordinator, area, series, ambassador_profile, other_ambassador_profile, english
):
    later = series.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at")
    first, second = later[0], later[1]
    services.meeting_invite(meeting=second)
    before = Message.objects.count()
    client.force_login(coordinator)
    url = reverse("meetings:series_end", args=[area.slug, series.pk])
    data = {"ends_on": first.series_date.isoformat()}

    page = _page(client.post(url, data, HTTP_ACCEPT_LANGUAGE="en"))
    series.refresh_from_db()
    assert "an SMS to each of 2 people" in page
    assert series.ends_on != first.series_date
    assert NetworkMeeting.objects.get(pk=second.pk).status == NetworkMeeting.Status.PLANNED
    assert Message.objects.count() == before

    client.post(url, {**data, "confirm": "1"})
    series.refresh_from_db()
    assert series.ends_on == first.series_date
    assert NetworkMeeting.objects.get(pk=second.pk).is_cancelled
    assert Message.objects.count() == before + 2


def test_ending_a_series_is_asked_once_by_the_server_page_not_also_by_the_button(
    client, coordinator, area, series, english
):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    url = reverse("meetings:series_end", args=[area.slug, series.pk])
    page = client.get(reverse("meetings:series", args=[area.slug, series.pk])).content.decode()
    assert "data-confirm" not in page

    asked = _page(client.post(url, {"ends_on": timezone.localdate().isoformat()}))
    series.refresh_from_db()
    assert series.ends_on != timezone.localdate()
    assert "Nobody is invited, so nobody gets a message." in asked
    assert ">End the series</button>" in asked
