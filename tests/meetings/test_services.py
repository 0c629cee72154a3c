"""Meeting writes: series, invitations, answers, cancellation, attendance, minutes, action items, suggestions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.models import Message
from apps.meetings.models import ActionItem, Invitation, MeetingSeries, NetworkMeeting
from apps.meetings.services import (
    action_item_add,
    agenda_suggest,
    attendance_record,
    invitation_answer,
    meeting_cancel,
    meeting_create,
    meeting_invite,
    meeting_series_create,
    meeting_series_extend,
    minutes_render,
    minutes_save,
    series_dates,
)
from apps.visits.models import Ambassador

from .conftest import local_datetime

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _past_meeting(make_meeting, days_ago: int = 3) -> NetworkMeeting:
    return make_meeting(starts_at=local_datetime(timezone.localdate() - datetime.timedelta(days=days_ago), 17))


# --- Series -------------------------------------------------------------------------------------------------


def test_series_dates_are_the_nth_and_the_last_weekday_of_each_month(area):
    first_tuesday = MeetingSeries(area=area, title="M", weekday=1, nth=1, start_time=datetime.time(17))
    last_friday = MeetingSeries(area=area, title="M", weekday=4, nth=-1, start_time=datetime.time(17))
    start, until = datetime.date(2026, 12, 1), datetime.date(2027, 2, 28)

    assert series_dates(series=first_tuesday, start=start, until=until) == [
        datetime.date(2026, 12, 1),
        datetime.date(2027, 1, 5),
        datetime.date(2027, 2, 2),
    ]
    assert series_dates(series=last_friday, start=start, until=until) == [
        datetime.date(2026, 12, 25),
        datetime.date(2027, 1, 29),
        datetime.date(2027, 2, 26),
    ]


def test_extending_a_series_twice_creates_each_meeting_once(area, coordinator):
    series = meeting_series_create(
        area=area, by=coordinator, title="Netværksmøde", weekday=1, nth=1, start_time=datetime.time(17)
    )
    count = series.meetings.count()
    assert count >= 3

    again = meeting_series_extend(series=series, until=timezone.localdate() + datetime.timedelta(days=92))

    assert again == []
    assert series.meetings.count() == count
    meeting = series.meetings.first()
    assert timezone.localtime(meeting.starts_at).time() == datetime.time(17)
    assert meeting.ends_at - meeting.starts_at == datetime.timedelta(minutes=120)


def test_extending_further_adds_only_the_new_dates(area, coordinator):
    series = meeting_series_create(
        area=area,
        by=coordinator,
        title="Netværksmøde",
        weekday=2,
        nth=2,
        start_time=datetime.time(18, 30),
    )
    before = set(series.meetings.values_list("series_date", flat=True))

    new = meeting_series_extend(series=series, until=timezone.localdate() + datetime.timedelta(days=200))

    assert new
    assert not before & {meeting.series_date for meeting in new}


def test_only_the_areas_coordinator_creates_meetings(area, other_coordinator, ambassador):
    for user in (other_coordinator, ambassador):
        with pytest.raises(PermissionDenied):
            meeting_create(area=area, by=user, title="M", starts_at=timezone.now() + datetime.timedelta(days=3))
    assert not NetworkMeeting.objects.exists()


def test_a_meeting_must_end_after_it_starts(area, coordinator):
    starts = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError):
        meeting_create(area=area, by=coordinator, title="M", starts_at=starts, ends_at=starts)


# --- Invitations ---------------------------------------------------------------------------------------------


def test_invite_reaches_every_active_ambassador_of_the_area_once(meeting, make_ambassador, other_area):
    active = [make_ambassador(), make_ambassador()]
    make_ambassador(status=Ambassador.Status.PAUSED)
    make_ambassador(status=Ambassador.Status.LEFT)
    make_ambassador(in_area=other_area)

    invitations = meeting_invite(meeting=meeting)

    assert {invitation.ambassador for invitation in invitations} == set(active)
    keys = set(Message.objects.values_list("idempotency_key", flat=True))
    assert keys == {f"meeting-invite:{meeting.pk}:{ambassador.pk}" for ambassador in active}


def test_inviting_again_adds_newcomers_and_sends_nobody_a_second_invitation(meeting, make_ambassador):
    first = make_ambassador()
    meeting_invite(meeting=meeting)
    second = make_ambassador()

    meeting_invite(meeting=meeting)

    assert meeting.invitations.count() == 2
    assert Message.objects.filter(to_user=first.user).count() == 1
    assert Message.objects.filter(to_user=second.user).count() == 1


def test_invitation_sms_is_short_and_carries_the_answer_link(invitation):
    message = Message.objects.get(idempotency_key=f"meeting-invite:{invitation.meeting_id}:{invitation.ambassador_id}")
    assert message.channel == Message.Channel.SMS  # Ali has a phone number
    assert "/meetings/answer/" in message.body
    assert len(message.body) <= 320


def test_invitation_email_has_the_agenda_and_the_calendar_link(meeting, make_ambassador, make_user, area):
    ambassador = make_ambassador()
    ambassador.user.phone = ""
    ambassador.user.save(update_fields=["phone"])

    meeting_invite(meeting=meeting, ambassadors=[ambassador])

    message = Message.objects.get(to_user=ambassador.user)
    assert message.channel == Message.Channel.EMAIL
    assert "/meetings/answer/" in message.body
    assert "/meetings/ics/" in message.body
    assert "New folders" in message.body


def test_ambassadors_of_another_area_cannot_be_invited(meeting, make_ambassador, other_area):
    stranger = make_ambassador(in_area=other_area)
    with pytest.raises(ValidationError):
        meeting_invite(meeting=meeting, ambassadors=[stranger])
    assert not meeting.invitations.exists()


def test_a_cancelled_meeting_invites_nobody(meeting, coordinator, ambassador_profile):
    meeting_cancel(meeting=meeting, by=coordinator)
    with pytest.raises(ValidationError):
        meeting_invite(meeting=meeting)
    assert not meeting.invitations.exists()


# --- Answers -------------------------------------------------------------------------------------------------


def test_answering_records_the_answer_and_its_time(invitation):
    invitation_answer(invitation=invitation, answer="yes")
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.YES
    assert invitation.answered_at is not None


def test_answering_the_same_twice_changes_nothing(invitation):
    invitation_answer(invitation=invitation, answer="maybe")
    invitation.refresh_from_db()
    answered_at = invitation.answered_at

    invitation_answer(invitation=invitation, answer="maybe")

    invitation.refresh_from_db()
    assert invitation.answered_at == answered_at


def test_a_new_answer_replaces_the_old(invitation):
    invitation_answer(invitation=invitation, answer="yes")
    invitation_answer(invitation=invitation, answer="no")
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NO


def test_an_ambassador_who_has_left_cannot_answer_from_an_old_link(invitation):
    Ambassador.objects.filter(pk=invitation.ambassador_id).update(status=Ambassador.Status.LEFT)
    with pytest.raises(ValidationError, match="no longer an ambassador"):
        invitation_answer(invitation=invitation, answer="yes")
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NONE


def test_answers_close_when_the_meeting_starts(invitation):
    with pytest.raises(ValidationError, match="already started"):
        invitation_answer(invitation=invitation, answer="yes", now=invitation.meeting.starts_at)
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NONE


def test_a_cancelled_meeting_takes_no_answers(invitation, coordinator):
    meeting_cancel(meeting=invitation.meeting, by=coordinator)
    with pytest.raises(ValidationError, match="cancelled"):
        invitation_answer(invitation=invitation, answer="yes")
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NONE


def test_an_unknown_answer_is_refused(invitation):
    with pytest.raises(ValidationError):
        invitation_answer(invitation=invitation, answer="perhaps")


# --- Cancelling ----------------------------------------------------------------------------------------------


def test_cancelling_tells_everyone_invited_once(invitation, other_invitation, coordinator):
    invitation_answer(invitation=other_invitation, answer="no")
    meeting = invitation.meeting

    meeting_cancel(meeting=meeting, by=coordinator)
    meeting_cancel(meeting=meeting, by=coordinator)

    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancelled_at is not None
    keys = sorted(
        Message.objects.filter(idempotency_key__startswith="meeting-cancel:").values_list("idempotency_key", flat=True)
    )
    assert keys == sorted(f"meeting-cancel:{meeting.pk}:{i.ambassador_id}" for i in (invitation, other_invitation))


def test_only_the_areas_coordinator_cancels(meeting, other_coordinator, ambassador):
    for user in (other_coordinator, ambassador):
        with pytest.raises(PermissionDenied):
            meeting_cancel(meeting=meeting, by=user)
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


# --- Attendance ----------------------------------------------------------------------------------------------


def test_attendance_marks_the_present_and_the_absent(
    make_meeting, coordinator, ambassador_profile, other_ambassador_profile
):
    meeting = _past_meeting(make_meeting)
    Invitation.objects.create(meeting=meeting, ambassador=ambassador_profile)
    Invitation.objects.create(meeting=meeting, ambassador=other_ambassador_profile)

    attendance_record(meeting=meeting, present_ids=[ambassador_profile.pk], by=coordinator)

    attended = dict(meeting.invitations.values_list("ambassador_id", "attended"))
    assert attended == {ambassador_profile.pk: True, other_ambassador_profile.pk: False}


def test_an_uninvited_ambassador_who_came_is_recorded(make_meeting, coordinator, ambassador_profile):
    meeting = _past_meeting(make_meeting)

    attendance_record(meeting=meeting, present_ids=[ambassador_profile.pk], by=coordinator)

    assert meeting.invitations.get(ambassador=ambassador_profile).attended is True


def test_taking_attendance_again_replaces_it(make_meeting, coordinator, ambassador_profile):
    meeting = _past_meeting(make_meeting)
    attendance_record(meeting=meeting, present_ids=[ambassador_profile.pk], by=coordinator)
    attendance_record(meeting=meeting, present_ids=[], by=coordinator)
    assert meeting.invitations.get(ambassador=ambassador_profile).attended is False


def test_attendance_waits_for_the_day_of_the_meeting(meeting, coordinator, ambassador_profile):
    with pytest.raises(ValidationError):
        attendance_record(meeting=meeting, present_ids=[ambassador_profile.pk], by=coordinator)


def test_attendance_refuses_ambassadors_of_another_area(make_meeting, coordinator, make_ambassador, other_area):
    meeting = _past_meeting(make_meeting)
    stranger = make_ambassador(in_area=other_area)
    with pytest.raises(ValidationError):
        attendance_record(meeting=meeting, present_ids=[stranger.pk], by=coordinator)
    assert not meeting.invitations.exists()


def test_only_the_areas_coordinator_takes_attendance(make_meeting, other_coordinator, ambassador, ambassador_profile):
    meeting = _past_meeting(make_meeting)
    for user in (other_coordinator, ambassador):
        with pytest.raises(PermissionDenied):
            attendance_record(meeting=meeting, present_ids=[ambassador_profile.pk], by=user)


# --- Minutes and action items -------------------------------------------------------------------------------


def test_minutes_are_rendered_and_sanitised():
    html = minutes_render(
        "## Decisions\n\n* **More** folders\n\n<script>alert(1)</script>\n\n"
        "[link](javascript:alert(1)) <img src=x onerror=alert(1)> [ok](https://example.org)"
    )
    assert "<h2>Decisions</h2>" in html
    assert "<strong>More</strong>" in html
    assert "<script" not in html and "onerror" not in html and "<img" not in html
    assert "javascript:" not in html
    assert 'href="https://example.org"' in html


def test_minutes_stay_a_draft_until_published(make_meeting):
    meeting = _past_meeting(make_meeting)

    minutes_save(meeting=meeting, markdown="Draft", publish=False)
    meeting.refresh_from_db()
    assert meeting.minutes_html == "<p>Draft</p>"
    assert meeting.minutes_published_at is None

    minutes_save(meeting=meeting, markdown="Final", publish=True)
    meeting.refresh_from_db()
    published_at = meeting.minutes_published_at
    assert published_at is not None

    minutes_save(meeting=meeting, markdown="Final, corrected", publish=True)
    meeting.refresh_from_db()
    assert meeting.minutes_published_at == published_at  # the first publication time stays


def test_action_items_belong_to_an_ambassador_of_the_area_or_a_named_person(
    meeting, ambassador_profile, make_ambassador, other_area
):
    item = action_item_add(
        meeting=meeting, text="Print folders", owner=ambassador_profile, due_date=datetime.date(2027, 1, 1)
    )
    named = action_item_add(meeting=meeting, text="Book the room", owner_name="Carla")

    assert item.owner_display == str(ambassador_profile)
    assert named.owner_display == "Carla"
    with pytest.raises(ValidationError):
        action_item_add(meeting=meeting, text="X", owner=make_ambassador(in_area=other_area))
    assert ActionItem.objects.count() == 2


# --- Agenda suggestions --------------------------------------------------------------------------------------


def test_ambassador_suggests_an_agenda_item_once(meeting, ambassador_profile):
    agenda_suggest(meeting=meeting, ambassador=ambassador_profile, text="  Keys  for the  common room ")
    agenda_suggest(meeting=meeting, ambassador=ambassador_profile, text="Keys for the common room")
    assert list(meeting.suggestions.values_list("text", flat=True)) == ["Keys for the common room"]


def test_suggestions_close_when_the_meeting_starts(meeting, ambassador_profile):
    with pytest.raises(ValidationError):
        agenda_suggest(meeting=meeting, ambassador=ambassador_profile, text="Late", now=meeting.starts_at)
    assert not meeting.suggestions.exists()


def test_an_ambassador_of_another_area_cannot_suggest(meeting, make_ambassador, other_area):
    with pytest.raises(PermissionDenied):
        agenda_suggest(meeting=meeting, ambassador=make_ambassador(in_area=other_area), text="Hi")


def test_an_empty_suggestion_is_refused(meeting, ambassador_profile):
    with pytest.raises(ValidationError):
        agenda_suggest(meeting=meeting, ambassador=ambassador_profile, text="   ")
