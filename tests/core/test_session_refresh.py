import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_session_is_refreshed_after_the_window_not_on_every_page(client, coordinator, settings, monkeypatch):
    settings.SESSION_REFRESH_SECONDS = 300
    clock = [timezone.now()]
    # The middleware reads the app's one clock (timezone.now), so the simulated year moves it too.
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock[0])
    client.force_login(coordinator)
    url = reverse("accounts:password_change")

    client.get(url)
    first = _expiry(client)
    clock[0] += datetime.timedelta(seconds=60)
    client.get(url)
    assert _expiry(client) == first  # within the window: no write

    clock[0] += datetime.timedelta(seconds=300)
    client.get(url)
    assert _expiry(client) > first  # past it: saved again, so the inactivity expiry moves on


def test_anonymous_visitors_get_no_session(client):
    client.get(reverse("accounts:login"))
    assert not Session.objects.exists()
