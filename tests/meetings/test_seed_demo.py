"""The demo area has meeting history and coming meetings, so every meetings page has something to show."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.meetings.models import NetworkMeeting
from apps.meetings.selectors import attendance_overview
from apps.organisation.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_and_fast_hashing(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_seed_builds_held_and_coming_meetings():
    call_command("seed_demo")
    area = Area.objects.get(slug="demo")
    now = timezone.now()

    held = NetworkMeeting.objects.filter(area=area).held(now)
    assert held.count() >= 4
    assert held.filter(minutes_published_at__isnull=False).count() == held.count()
    assert held.filter(invitations__attended=True).exists()
    assert held.filter(action_items__isnull=False).exists()
    assert NetworkMeeting.objects.filter(area=area, status=NetworkMeeting.Status.CANCELLED).exists()

    upcoming = NetworkMeeting.objects.filter(area=area).upcoming(now)
    assert upcoming.count() >= 3
    assert upcoming.first().invitations.exclude(answer="none").exists()
    assert upcoming.first().suggestions.exists()

    overview = attendance_overview(area=area)
    assert overview.missed_last_three
    assert any(row.rate is not None for row in overview.ambassadors)
