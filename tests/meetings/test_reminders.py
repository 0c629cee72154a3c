"""Meeting reminders: two days before and on the morning of the day, each once, never for cancelled meetings."""

import datetime

import pytest
from django.utils import timezone

from apps.core.models import Message
from apps.meetings.services import invitation_answer, meeting_cancel, meeting_invite, meeting_reminders_send
from apps.meetings.tasks import meetings_send_reminders

from .conftest import local_datetime

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MEETING_DAY = timezone.localdate() + datetime.timedelta(days=5)


def _keys(prefix: str) -> list[str]:
    return sorted(Message.objects.filter(idempotency_key__startswith=prefix).values_list("idempotency_key", flat=True))


@pytest.fixture
def meeting(make_meeting):
    """Five days ahead at 17:00 local time."""
    return make_meeting(starts_at=local_datetime(MEETING_DAY, 17))


@pytest.fixture
def invited(meeting, ambassador_profile, other_ambassador_profile):
    return meeting_invite(meeting=meeting)


# 47 hours before the start: inside the two-days window (36–48 hours ahead).
TWO_DAYS_BEFORE = local_datetime(MEETING_DAY - datetime.timedelta(days=2), 18, 0)
MORNING = local_datetime(MEETING_DAY, 8, 0)


def test_two_days_before_everyone_who_has_not_said_no_is_reminded(meeting, invited):
    assert meeting_reminders_send(now=TWO_DAYS_BEFORE) == 2
    assert _keys("meeting-remind-2d:") == sorted(f"meeting-remind-2d:{meeting.pk}:{i.ambassador_id}" for i in invited)


def test_running_twice_sends_once(meeting, invited):
    assert meeting_reminders_send(now=TWO_DAYS_BEFORE) == 2
    assert meeting_reminders_send(now=TWO_DAYS_BEFORE + datetime.timedelta(minutes=15)) == 0
    assert meeting_reminders_send(now=MORNING) == 2
    assert meeting_reminders_send(now=MORNING + datetime.timedelta(minutes=15)) == 0
    assert len(_keys("meeting-remind-2d:")) == 2
    assert len(_keys("meeting-remind-day:")) == 2


def test_the_beat_task_is_safe_to_run_twice(meeting, invited, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: TWO_DAYS_BEFORE)
    meetings_send_reminders.delay()
    meetings_send_reminders.delay()
    assert len(_keys("meeting-remind-2d:")) == 2


def test_no_reminder_to_those_who_said_no(meeting, invited, ambassador_profile, other_ambassador_profile):
    [ali] = [i for i in invited if i.ambassador == ambassador_profile]
    invitation_answer(invitation=ali, answer="no")

    meeting_reminders_send(now=TWO_DAYS_BEFORE)
    meeting_reminders_send(now=MORNING)

    assert not Message.objects.filter(idempotency_key__startswith="meeting-remind", to_user=ambassador_profile.user)
    assert (
        Message.objects.filter(
            idempotency_key__startswith="meeting-remind", to_user=other_ambassador_profile.user
        ).count()
        == 2
    )


def test_no_reminder_to_those_who_said_maybe(meeting, invited, ambassador_profile):
    [ali] = [i for i in invited if i.ambassador == ambassador_profile]
    invitation_answer(invitation=ali, answer="maybe")
    meeting_reminders_send(now=TWO_DAYS_BEFORE)
    assert not Message.objects.filter(idempotency_key__startswith="meeting-remind", to_user=ambassador_profile.user)


def test_cancelled_gets_none(meeting, invited, coordinator):
    meeting_cancel(meeting=meeting, by=coordinator)
    assert meeting_reminders_send(now=TWO_DAYS_BEFORE) == 0
    assert meeting_reminders_send(now=MORNING) == 0
    assert not _keys("meeting-remind")


def test_nothing_is_sent_earlier_than_two_days_before(meeting, invited):
    assert meeting_reminders_send(now=TWO_DAYS_BEFORE - datetime.timedelta(days=1)) == 0


def test_the_morning_reminder_waits_for_seven_oclock(meeting, invited):
    assert meeting_reminders_send(now=local_datetime(MEETING_DAY, 6, 45)) == 0
    assert meeting_reminders_send(now=local_datetime(MEETING_DAY, 7, 0)) == 2


def test_no_morning_reminder_after_noon(meeting, invited):
    assert meeting_reminders_send(now=local_datetime(MEETING_DAY, 12, 15)) == 0


def test_a_reminder_carries_the_answer_link(meeting, invited):
    meeting_reminders_send(now=MORNING)
    assert all(
        "/meetings/answer/" in body
        for body in Message.objects.filter(idempotency_key__startswith="meeting-remind").values_list("body", flat=True)
    )


def test_the_two_days_window_opens_48_hours_before(meeting, invited):
    assert meeting_reminders_send(now=meeting.starts_at - datetime.timedelta(hours=48, minutes=15)) == 0
    assert meeting_reminders_send(now=meeting.starts_at - datetime.timedelta(hours=48)) == 2
