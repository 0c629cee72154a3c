"""Meeting series that keep going: planned ahead every night, invitations the series' lead time before each
meeting, an explicit end, the area's closing day, and the wall-clock time across daylight saving."""

import datetime
import threading

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from apps.core.models import Message
from apps.meetings.models import Invitation, MeetingSeries, NetworkMeeting
from apps.meetings.services import (
    meeting_cancel,
    meeting_invite,
    meeting_series_create,
    meeting_series_end,
    meeting_series_extend,
    meeting_series_invitations_send,
    meeting_series_plan,
    meeting_series_plan_all,
    meeting_series_update,
    meeting_update,
    series_dates,
)
from apps.meetings.tasks import meetings_plan_series, meetings_send_reminders
from apps.visits.models import Ambassador

from .conftest import local_datetime

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = timezone.localdate()
FIRST_TUESDAY = {"title": "Netværksmøde", "weekday": 1, "nth": 1, "start_time": datetime.time(17), "place": "Huset"}


@pytest.fixture
def make_series(area, coordinator):
    def make(*, in_area=None, by=None, **fields) -> MeetingSeries:
        return meeting_series_create(area=in_area or area, by=by or coordinator, **{**FIRST_TUESDAY, **fields})

    return make


@pytest.fixture
def series(make_series) -> MeetingSeries:
    return make_series()


def _dates(series: MeetingSeries) -> list[datetime.date]:
    return list(series.meetings.order_by("series_date").values_list("series_date", flat=True))


def _invite_keys() -> set[str]:
    return set(
        Message.objects.filter(idempotency_key__startswith="meeting-invite:").values_list("idempotency_key", flat=True)
    )


# --- Planning ----------------------------------------------------------------------------------------------


def test_a_new_series_is_planned_the_configured_months_ahead(make_series, settings):
    settings.MEETING_SERIES_PLAN_MONTHS = 5
    series = make_series()
    horizon = TODAY + relativedelta(months=5)
    assert _dates(series) == series_dates(series=series, start=TODAY, until=horizon)
    assert len(_dates(series)) >= 4


def test_the_nightly_task_plans_further_and_twice_makes_nothing_twice(make_series, settings):
    settings.MEETING_SERIES_PLAN_MONTHS = 1
    series = make_series()
    settings.MEETING_SERIES_PLAN_MONTHS = 6

    meetings_plan_series.delay()
    meetings_plan_series.delay()

    assert _dates(series) == series_dates(series=series, start=TODAY, until=TODAY + relativedelta(months=6))
    assert len(_dates(series)) == len(set(_dates(series)))


def test_the_planner_keeps_going_as_the_days_pass(series, settings):
    # Two months on: still inside the first plan's three months, as the nightly job always is. (Four months on
    # left a month that no run planned, so the test failed on days when a meeting fell in that month.)
    later = TODAY + relativedelta(months=2)
    meeting_series_plan_all(today=later)
    assert max(_dates(series)) == series_dates(series=series, start=later, until=later + relativedelta(months=3))[-1]
    assert _dates(series) == series_dates(series=series, start=TODAY, until=later + relativedelta(months=3))


def test_cancelled_and_moved_meetings_stay_as_the_coordinator_left_them(series, coordinator, settings):
    cancelled, moved = list(series.meetings.order_by("starts_at"))[:2]
    meeting_cancel(meeting=cancelled, by=coordinator)
    new_start = moved.starts_at + datetime.timedelta(days=1, hours=1)
    meeting_update(meeting=moved, by=coordinator, starts_at=new_start, ends_at=new_start + datetime.timedelta(hours=2))
    count = series.meetings.count()

    settings.MEETING_SERIES_PLAN_MONTHS = 3
    assert meeting_series_plan(series=series) == []

    assert series.meetings.count() == count
    cancelled.refresh_from_db()
    moved.refresh_from_db()
    assert cancelled.is_cancelled
    assert moved.starts_at == new_start


@pytest.mark.django_db(transaction=True)
def test_two_workers_planning_one_series_at_once_make_each_meeting_once(make_series, settings):
    settings.MEETING_SERIES_PLAN_MONTHS = 0
    series = make_series()
    settings.MEETING_SERIES_PLAN_MONTHS = 12
    barrier = threading.Barrier(2)
    made: list[int] = []

    def worker() -> None:
        try:
            barrier.wait()
            made.append(len(meeting_series_plan(series=series)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    expected = series_dates(series=series, start=TODAY, until=TODAY + relativedelta(months=12))
    assert _dates(series) == expected
    # The series row is locked: one worker made them all, the other found them made.
    assert sorted(made) == [0, len(expected)]


def test_nothing_is_planned_after_the_series_ends(make_series):
    ends_on = TODAY + datetime.timedelta(days=45)
    series = make_series(ends_on=ends_on)
    meeting_series_plan_all(today=TODAY + datetime.timedelta(days=30))
    assert _dates(series)
    assert max(_dates(series)) <= ends_on


def test_nothing_is_planned_after_the_area_closes(series, area):
    area.closed_on = TODAY + datetime.timedelta(days=50)
    area.save(update_fields=["closed_on"])
    before = _dates(series)

    new = meeting_series_plan_all(today=TODAY + datetime.timedelta(days=40))

    # What was planned before the closing day was known stays (it invites nobody, see below); nothing new.
    assert new == 0
    assert _dates(series) == before


def test_a_closed_areas_and_an_ended_series_are_not_planned(make_series, area, other_area, other_coordinator):
    closed = make_series(in_area=other_area, by=other_coordinator)
    other_area.closed_on = TODAY - datetime.timedelta(days=1)
    other_area.save(update_fields=["closed_on"])
    ended = make_series(title="Kort", ends_on=TODAY + datetime.timedelta(days=10))
    counts = {closed.pk: closed.meetings.count(), ended.pk: ended.meetings.count()}

    meeting_series_plan_all(today=TODAY + datetime.timedelta(days=200))

    assert {closed.pk: closed.meetings.count(), ended.pk: ended.meetings.count()} == counts


# --- Daylight saving ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "month, offsets",
    [
        # Last Sunday of February and of March 2027 (the change: 02:00 → 03:00).
        (datetime.date(2027, 2, 1), [datetime.timedelta(hours=1), datetime.timedelta(hours=2)]),
        # Last Sunday of September and of October 2026 (the change: 03:00 → 02:00).
        (datetime.date(2026, 9, 1), [datetime.timedelta(hours=2), datetime.timedelta(hours=1)]),
    ],
    ids=["march", "october"],
)
def test_meetings_keep_their_wall_clock_time_across_daylight_saving(make_series, settings, month, offsets):
    settings.MEETING_SERIES_PLAN_MONTHS = 0
    series = make_series(weekday=MeetingSeries.Weekday.SUNDAY, nth=MeetingSeries.Nth.LAST, start_time=datetime.time(10))

    meetings = meeting_series_extend(series=series, start=month, until=month + relativedelta(months=2, days=-1))

    assert [meeting.series_date.month for meeting in meetings] == [month.month, month.month + 1]
    for meeting, offset in zip(meetings, offsets, strict=True):
        local = timezone.localtime(meeting.starts_at)
        assert (local.time(), local.utcoffset()) == (datetime.time(10), offset)
        assert timezone.localtime(meeting.ends_at).time() == datetime.time(12)


def test_the_invitation_lead_time_counts_wall_clock_days_across_the_change(series, ambassador_profile):
    """A meeting on Tuesday 6 April 2027 at 17:00 (summer time) invites 14 days before at 17:00 (winter time)."""
    [meeting] = meeting_series_extend(series=series, start=datetime.date(2027, 4, 1), until=datetime.date(2027, 4, 30))
    opens = local_datetime(datetime.date(2027, 3, 23), 17)

    assert meeting_series_invitations_send(now=opens - datetime.timedelta(minutes=1)) == 0
    assert meeting_series_invitations_send(now=opens) == 1
    assert meeting.invitations.get().ambassador == ambassador_profile


# --- Invitations --------------------------------------------------------------------------------------------


@pytest.fixture
def next_meeting(series) -> NetworkMeeting:
    return series.meetings.order_by("starts_at").first()


def _opens(meeting: NetworkMeeting, series: MeetingSeries) -> datetime.datetime:
    return timezone.localtime(meeting.starts_at) - datetime.timedelta(days=series.invite_days_before)


def test_the_active_ambassadors_are_invited_the_lead_time_before(
    series, next_meeting, ambassador_profile, other_ambassador_profile
):
    opens = _opens(next_meeting, series)

    assert meeting_series_invitations_send(now=opens - datetime.timedelta(minutes=1)) == 0
    assert meeting_series_invitations_send(now=opens) == 2

    assert set(next_meeting.invitations.values_list("ambassador_id", flat=True)) == {
        ambassador_profile.pk,
        other_ambassador_profile.pk,
    }
    assert _invite_keys() == {
        f"meeting-invite:{next_meeting.pk}:{ambassador_profile.pk}",
        f"meeting-invite:{next_meeting.pk}:{other_ambassador_profile.pk}",
    }


def test_running_the_invitations_twice_invites_once(series, next_meeting, ambassador_profile):
    opens = _opens(next_meeting, series)
    assert meeting_series_invitations_send(now=opens) == 1
    assert meeting_series_invitations_send(now=opens + datetime.timedelta(minutes=15)) == 0
    assert Invitation.objects.count() == 1
    assert len(_invite_keys()) == 1


def test_an_ambassador_who_joins_later_is_invited_to_the_open_meetings(
    series, next_meeting, ambassador_profile, make_ambassador
):
    opens = _opens(next_meeting, series)
    meeting_series_invitations_send(now=opens)
    newcomer = make_ambassador(name="Nadia New")

    assert meeting_series_invitations_send(now=opens + datetime.timedelta(days=3)) == 1

    assert Invitation.objects.filter(ambassador=newcomer).get().meeting == next_meeting
    later = series.meetings.exclude(pk=next_meeting.pk)
    assert not Invitation.objects.filter(meeting__in=later).exists()


def test_paused_and_former_ambassadors_are_not_invited(series, next_meeting, ambassador_profile, make_ambassador):
    make_ambassador(name="Paula Paused", status=Ambassador.Status.PAUSED)
    make_ambassador(name="Leo Left", status=Ambassador.Status.LEFT)

    assert meeting_series_invitations_send(now=_opens(next_meeting, series)) == 1
    assert next_meeting.invitations.get().ambassador == ambassador_profile


def test_a_closed_area_invites_nobody(series, next_meeting, area, ambassador_profile):
    area.closed_on = next_meeting.series_date - datetime.timedelta(days=1)
    area.save(update_fields=["closed_on"])
    assert meeting_series_invitations_send(now=_opens(next_meeting, series)) == 0
    assert not Invitation.objects.exists()


def test_cancelled_meetings_and_one_off_meetings_are_not_invited_automatically(
    series, next_meeting, coordinator, make_meeting, ambassador_profile
):
    meeting_cancel(meeting=next_meeting, by=coordinator)
    make_meeting()  # five days ahead, no series
    assert meeting_series_invitations_send(now=timezone.now() + datetime.timedelta(days=1)) == 0
    assert not Invitation.objects.exists()


def test_the_reminder_task_sends_the_invitations_for_real(
    make_series, ambassador_profile, django_capture_on_commit_callbacks
):
    series = make_series(invite_days_before=60)
    with django_capture_on_commit_callbacks(execute=True):
        meetings_send_reminders.delay()
        meetings_send_reminders.delay()
    due = [m for m in series.meetings.all() if _opens(m, series) <= timezone.now()]
    assert due
    assert Invitation.objects.filter(ambassador=ambassador_profile).count() == len(due)
    messages = Message.objects.filter(idempotency_key__startswith="meeting-invite:")
    assert messages.count() == len(due)
    assert all(message.sent_at for message in messages)


def test_the_invite_button_still_works_for_a_series_meeting(
    client, coordinator, area, series, next_meeting, ambassador_profile
):
    client.force_login(coordinator)
    response = client.post(reverse("meetings:invite", args=[area.slug, next_meeting.pk]))
    assert response.status_code == 302
    assert next_meeting.invitations.get().ambassador == ambassador_profile


# --- Changing and ending a series ---------------------------------------------------------------------------


def test_ending_cancels_the_meetings_after_the_last_day_and_tells_the_invited(
    series, coordinator, ambassador_profile, settings
):
    first, *later = list(series.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at"))
    for meeting in [first, *later]:
        meeting_invite(meeting=meeting)

    cancelled = meeting_series_end(series=series, by=coordinator, ends_on=first.series_date)

    assert later and {m.pk for m in cancelled} == {m.pk for m in later}
    assert set(series.meetings.filter(status="cancelled").values_list("pk", flat=True)) == {m.pk for m in later}
    first.refresh_from_db()
    assert not first.is_cancelled
    assert _cancel_keys() == {f"meeting-cancel:{m.pk}:{ambassador_profile.pk}" for m in later}
    # Nothing is planned after the end, and ending again changes and sends nothing.
    settings.MEETING_SERIES_PLAN_MONTHS = 12
    assert meeting_series_plan(series=series) == []
    assert meeting_series_end(series=series, by=coordinator, ends_on=first.series_date) == []
    assert len(_cancel_keys()) == len(later)


def _cancel_keys() -> set[str]:
    return set(
        Message.objects.filter(idempotency_key__startswith="meeting-cancel:").values_list("idempotency_key", flat=True)
    )


def test_a_series_cannot_end_in_the_past(series, coordinator):
    with pytest.raises(ValidationError):
        meeting_series_end(series=series, by=coordinator, ends_on=TODAY - datetime.timedelta(days=1))
    series.refresh_from_db()
    assert series.ends_on is None


def test_only_the_areas_coordinator_changes_or_ends_a_series(series, other_coordinator, ambassador):
    for user in (other_coordinator, ambassador):
        with pytest.raises(PermissionDenied):
            meeting_series_end(series=series, by=user, ends_on=TODAY)
        with pytest.raises(PermissionDenied):
            meeting_series_update(series=series, by=user, title="X", place="Y", invite_days_before=1, ends_on=None)
    series.refresh_from_db()
    assert (series.title, series.ends_on, series.invite_days_before) == ("Netværksmøde", None, 14)
    assert not series.meetings.filter(status="cancelled").exists()


def test_a_new_title_and_place_go_to_the_coming_meetings_nobody_is_invited_to(
    series, next_meeting, coordinator, ambassador_profile
):
    meeting_series_invitations_send(now=_opens(next_meeting, series))

    meeting_series_update(
        series=series, by=coordinator, title="Ambassadørmøde", place="Salen", invite_days_before=7, ends_on=None
    )

    next_meeting.refresh_from_db()
    assert (next_meeting.title, next_meeting.place) == ("Netværksmøde", "Huset")  # invited: left as announced
    later = series.meetings.exclude(pk=next_meeting.pk)
    assert set(later.values_list("title", "place")) == {("Ambassadørmøde", "Salen")}
    series.refresh_from_db()
    assert series.invite_days_before == 7


# --- Pages ---------------------------------------------------------------------------------------------------


def test_the_series_page_and_list_show_planned_until_lead_time_and_end(client, coordinator, area, make_series):
    series = make_series(invite_days_before=10, ends_on=TODAY + datetime.timedelta(days=80))
    client.force_login(coordinator)
    expected = [
        f"Planned until {dateformat.format(max(_dates(series)), 'j F Y')}",  # English: day first, no dot
        "invitations go 10 days before",
        f"ends {dateformat.format(series.ends_on, 'j F Y')}",
    ]
    for url in (
        reverse("meetings:series", args=[area.slug, series.pk]),
        reverse("meetings:area_list", args=[area.slug]),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        page = " ".join(response.content.decode().split())
        for text in expected:
            assert text in page, (url, text)


def test_the_coordinator_ends_a_series_from_its_page(client, coordinator, area, series):
    client.force_login(coordinator)
    first = series.meetings.order_by("starts_at").first()
    response = client.post(
        reverse("meetings:series_end", args=[area.slug, series.pk]),
        {"ends_on": first.series_date.isoformat(), "confirm": "1"},
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.ends_on == first.series_date
    assert set(series.meetings.filter(status="planned").values_list("pk", flat=True)) == {first.pk}


def test_the_coordinator_changes_the_lead_time_and_end_on_the_series_page(client, coordinator, area, series):
    client.force_login(coordinator)
    ends_on = TODAY + datetime.timedelta(days=40)
    response = client.post(
        reverse("meetings:series", args=[area.slug, series.pk]),
        {
            "title": "Netværksmøde",
            "place": "Huset",
            "invite_days_before": 21,
            "ends_on": ends_on.isoformat(),
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert (series.invite_days_before, series.ends_on) == (21, ends_on)
    assert not series.meetings.filter(status="planned", series_date__gt=ends_on).exists()


def _state(series: MeetingSeries) -> tuple:
    series.refresh_from_db()
    return (
        series.title,
        series.place,
        series.invite_days_before,
        series.ends_on,
        sorted(series.meetings.values_list("pk", "status", "title")),
    )


def test_another_areas_coordinator_can_neither_end_nor_change_the_series(
    client, other_coordinator, area, other_area, series
):
    before = _state(series)
    client.force_login(other_coordinator)
    edit = {"title": "Overtaget", "place": "X", "invite_days_before": 1, "ends_on": TODAY.isoformat()}
    attempts = [
        (reverse("meetings:series", args=[area.slug, series.pk]), edit, 403),
        (reverse("meetings:series_end", args=[area.slug, series.pk]), {"ends_on": TODAY.isoformat()}, 403),
        # Through their own area's address: the series is not theirs.
        (reverse("meetings:series", args=[other_area.slug, series.pk]), edit, 403),
        (reverse("meetings:series_end", args=[other_area.slug, series.pk]), {"ends_on": TODAY.isoformat()}, 403),
    ]
    for url, data, status in attempts:
        assert client.post(url, data).status_code == status, url
        assert client.get(url).status_code in (403, 405), url
    assert _state(series) == before
    assert not Message.objects.exists()


def test_an_end_in_the_past_is_refused_and_changes_nothing(client, coordinator, area, series):
    before = _state(series)
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings:series_end", args=[area.slug, series.pk]),
        {"ends_on": (TODAY - datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert _state(series) == before


@pytest.mark.parametrize(
    ("language", "schedule"), [("da", "Første tirsdag hver måned"), ("en", "First Tuesday every month")]
)
def test_the_series_page_writes_the_weekday_as_the_language_does(client, coordinator, area, series, language, schedule):
    client.force_login(coordinator)

    response = client.get(reverse("meetings:series", args=[area.slug, series.pk]), HTTP_ACCEPT_LANGUAGE=language)

    page = " ".join(response.content.decode().split())
    assert schedule in page
    assert "første Tirsdag" not in page


@pytest.mark.parametrize(
    ("language", "day_format", "weekday_format"),
    [("da", "j. F Y", "D j. F Y, H:i"), ("en", "j F Y", "D j F Y, H:i")],
)
def test_the_series_page_writes_its_dates_in_the_languages_order(
    client, coordinator, area, series, language, day_format, weekday_format
):
    """English reads "5 January 2027", Danish "5. januar 2027": the page used Danish order for both."""
    series.ends_on = TODAY + datetime.timedelta(days=200)
    series.save(update_fields=["ends_on"])
    first = series.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    client.force_login(coordinator)
    client.cookies["django_language"] = language

    page = " ".join(client.get(reverse("meetings:series", args=[area.slug, series.pk])).content.decode().split())

    with translation.override(language):
        assert dateformat.format(series.meetings.order_by("series_date").last().series_date, day_format) in page
        assert dateformat.format(series.ends_on, day_format) in page
        assert dateformat.format(timezone.localtime(first.starts_at), weekday_format) in page
