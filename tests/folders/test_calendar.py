import datetime

import pytest

from apps.folders.calendar import activity_calendar
from apps.meetings.services import meeting_create
from apps.visits.models import Activity

pytestmark = pytest.mark.django_db


def test_weekly_activities_are_listed_under_their_weekdays(area):
    Activity.objects.create(area=area, name="Lektiecafé", schedule="Mandage og onsdage 15–17")
    Activity.objects.create(area=area, name="Walk", schedule="Thursdays 10-11")

    calendar = activity_calendar(area=area, on_date=datetime.date(2026, 11, 27))

    assert [(day, [e.name for e in entries]) for day, entries in calendar.weekly] == [
        (0, ["Lektiecafé"]),
        (2, ["Lektiecafé"]),
        (3, ["Walk"]),
    ]
    assert calendar.weekly[0][1][0].time == "15–17"


def test_monthly_activities_get_their_dates_in_the_next_three_months(area):
    Activity.objects.create(area=area, name="Fællesspisning", schedule="Første fredag i måneden 18–20")

    calendar = activity_calendar(area=area, on_date=datetime.date(2026, 11, 27))

    assert calendar.end == datetime.date(2027, 2, 26)
    assert calendar.other[0].dates == ["2026-12-04", "2027-01-01", "2027-02-05"]


def test_inactive_activities_and_network_meetings_are_left_out(area, coordinator):
    Activity.objects.create(area=area, name="Gammel klub", schedule="Tirsdage", is_active=False)
    meeting_create(area=area, by=coordinator, title="Netværksmøde", starts_at=datetime.datetime.now(datetime.UTC))

    calendar = activity_calendar(area=area, on_date=datetime.date(2026, 11, 27))

    assert calendar.is_empty


def test_the_digest_changes_when_an_activity_changes(area):
    activity = Activity.objects.create(area=area, name="Madklub", schedule="Tirsdage 17–19")
    day = datetime.date(2026, 11, 27)
    before = activity_calendar(area=area, on_date=day).digest()

    activity.place = "Fælleshuset"
    activity.save()

    assert activity_calendar(area=area, on_date=day).digest() != before
    assert activity_calendar(area=area, on_date=day).digest() == activity_calendar(area=area, on_date=day).digest()
