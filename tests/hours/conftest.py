"""Fixtures for time registration: `area` registers time; Ali and Anne are its ambassadors."""

import pytest

from apps.hours.services import hours_settings_save
from apps.visits.models import Ambassador


@pytest.fixture
def hours_on(area):
    return hours_settings_save(area=area, enabled=True, minutes_per_visit=0)


@pytest.fixture
def ali(ambassador, area, hours_on) -> Ambassador:
    return Ambassador.objects.create(user=ambassador, area=area)


@pytest.fixture
def anne(other_ambassador, area, hours_on) -> Ambassador:
    return Ambassador.objects.create(user=other_ambassador, area=area)
