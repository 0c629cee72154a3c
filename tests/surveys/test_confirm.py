"""Sending the survey to several newcomers asks first, with the counts by channel."""

import pytest
from django.urls import reverse

from apps.core.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomers(make_newcomer):
    """Two with a phone (SMS), one with only an e-mail, one who asked not to be contacted."""
    return [
        make_newcomer(),
        make_newcomer(),
        make_newcomer(phone="", email="mail@example.com"),
        make_newcomer(do_not_contact=True),
    ]


def test_first_post_sends_nothing_and_shows_counts_by_channel(client, coordinator, survey, newcomers):
    client.force_login(coordinator)
    response = client.post(reverse("surveys:invite", args=[survey.area.slug, survey.pk]), HTTP_ACCEPT_LANGUAGE="en")

    page = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "This sends 3 messages:" in page
    assert "an SMS to each of 2 people" in page
    assert "an e-mail to 1 person" in page
    assert not survey.invitations.exists()
    assert not Message.objects.exists()


def test_confirmed_post_sends(client, coordinator, survey, newcomers):
    client.force_login(coordinator)
    response = client.post(reverse("surveys:invite", args=[survey.area.slug, survey.pk]), {"confirm": "1"})

    assert response.status_code == 302
    assert survey.invitations.count() == 3
    assert sorted(Message.objects.values_list("channel", flat=True)) == ["email", "sms", "sms"]


def test_another_areas_coordinator_is_refused_even_when_confirming(client, other_coordinator, survey, newcomers):
    client.force_login(other_coordinator)
    for data in ({}, {"confirm": "1"}):
        response = client.post(reverse("surveys:invite", args=[survey.area.slug, survey.pk]), data)
        assert response.status_code in (403, 404)
    assert not survey.invitations.exists()
    assert not Message.objects.exists()
