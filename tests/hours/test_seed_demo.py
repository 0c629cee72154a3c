"""The demo area registers paid hours in every state, so the coordinator's page and the export show something."""

import pytest
from django.core.management import call_command

from apps.hours.models import HourEntry, Payroll
from apps.hours.selectors import month_payroll
from apps.organisation.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True


def test_seed_registers_hours_in_several_states():
    call_command("seed_demo")
    area = Area.objects.get(slug="demo")
    assert area.hours_settings.enabled
    assert set(HourEntry.objects.filter(area=area).values_list("status", flat=True)) == {
        "submitted",
        "approved",
        "rejected",
    }
    assert Payroll.objects.filter(ambassador__area=area).exists()
    last_month = HourEntry.objects.filter(area=area, status="approved").earliest("date").date.replace(day=1)
    assert month_payroll(area=area, month=last_month)
