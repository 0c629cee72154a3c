"""Fixtures for the meetings tests: ambassador profiles in `area`, a meeting a few days ahead, invitations.

The users come from tests/conftest.py: `ambassador` (Ali) and `other_ambassador` (Anne) are ambassadors in
`area`; `coordinator` coordinates it; `other_coordinator` coordinates `other_area`.
"""

import datetime

import pytest
from django.utils import timezone, translation

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.meetings.models import Invitation, NetworkMeeting
from apps.meetings.services import meeting_create, meeting_invite
from apps.visits.models import Ambassador


@pytest.fixture
def english():
    """Messages are asserted in their English msgids; the app itself speaks Danish."""
    with translation.override("en"):
        yield


@pytest.fixture
def ambassador_profile(ambassador, area) -> Ambassador:
    return Ambassador.objects.create(user=ambassador, area=area, languages=["da", "ar"])


@pytest.fixture
def other_ambassador_profile(other_ambassador, area) -> Ambassador:
    return Ambassador.objects.create(user=other_ambassador, area=area, languages=["da"])


@pytest.fixture
def make_ambassador(make_user, area):
    """An ambassador user with the role and a profile. Keyword arguments go to the profile."""
    counter = iter(range(1, 10_000))

    def make(*, name: str | None = None, in_area=None, **profile) -> Ambassador:
        n = next(counter)
        the_area = in_area or area
        user = make_user(full_name=name or f"Meeting Ambassador {n}", phone=f"+45318{n:05d}")
        membership_grant(user=user, area=the_area, role=Membership.Role.AMBASSADOR)
        return Ambassador.objects.create(user=user, area=the_area, **profile)

    return make


def local_datetime(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware datetime at a local (Copenhagen) wall-clock time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def make_meeting(area, coordinator):
    """A planned meeting in `area` (or `in_area`, planned `by` its coordinator), by default five days ahead at
    17:00 local time."""

    def make(*, in_area=None, by=None, starts_at: datetime.datetime | None = None, **fields) -> NetworkMeeting:
        starts_at = starts_at or local_datetime(timezone.localdate() + datetime.timedelta(days=5), 17)
        fields.setdefault("title", "Netværksmøde")
        fields.setdefault("place", "Beboerhuset")
        return meeting_create(area=in_area or area, by=by or coordinator, starts_at=starts_at, **fields)

    return make


@pytest.fixture
def meeting(make_meeting) -> NetworkMeeting:
    return make_meeting(theme="Welcome folders", agenda="News\nNew folders\nNext visits")


@pytest.fixture
def invitation(meeting, ambassador_profile) -> Invitation:
    """Ali invited to `meeting` (the invitation message is queued too)."""
    [invitation] = meeting_invite(meeting=meeting, ambassadors=[ambassador_profile])
    return invitation


@pytest.fixture
def other_invitation(meeting, other_ambassador_profile) -> Invitation:
    """Anne invited to `meeting`."""
    [invitation] = meeting_invite(meeting=meeting, ambassadors=[other_ambassador_profile])
    return invitation
