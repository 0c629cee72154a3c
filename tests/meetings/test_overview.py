"""The attendance overview and the meeting lists: right figures, and a query count that does not grow."""

import datetime

import pytest
from django.utils import timezone

from apps.meetings.models import Invitation
from apps.meetings.selectors import attendance_overview, meetings_past, meetings_upcoming, my_meetings
from apps.meetings.services import attendance_record, invitation_answer, meeting_cancel, minutes_save
from apps.visits.models import Ambassador

from .conftest import local_datetime

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(make_meeting, coordinator):
    """Make a meeting `days_ago` days ago, invite `invited` and record who of them came."""

    def make(*, days_ago: int, invited: list[Ambassador], present: list[Ambassador]):
        meeting = make_meeting(starts_at=local_datetime(timezone.localdate() - datetime.timedelta(days=days_ago), 17))
        Invitation.objects.bulk_create([Invitation(meeting=meeting, ambassador=a) for a in invited])
        attendance_record(meeting=meeting, present_ids=[a.pk for a in present], by=coordinator)
        return meeting

    return make


def _history(held, make_ambassador, n_meetings: int = 4, n_ambassadors: int = 3):
    ambassadors = [make_ambassador() for _ in range(n_ambassadors)]
    meetings = [
        held(days_ago=10 + 28 * i, invited=ambassadors, present=ambassadors[: 1 + i % n_ambassadors])
        for i in range(n_meetings)
    ]
    return ambassadors, meetings


def test_rates_per_ambassador_and_per_meeting(held, make_ambassador):
    came, missed = make_ambassador(name="Came"), make_ambassador(name="Missed")
    first = held(days_ago=40, invited=[came, missed], present=[came, missed])
    second = held(days_ago=10, invited=[came, missed], present=[came])

    overview = attendance_overview(area=came.area)

    rates = {row.ambassador: (row.invited, row.attended, row.rate) for row in overview.ambassadors}
    assert rates[came] == (2, 2, 100)
    assert rates[missed] == (2, 1, 50)
    assert overview.ambassadors[0].ambassador == missed  # lowest rate first
    per_meeting = {row.meeting: row.rate for row in overview.meetings}
    assert per_meeting == {first: 100, second: 50}
    assert [row.meeting for row in overview.meetings] == [second, first]  # latest first


def test_ambassadors_who_missed_the_last_three_held_meetings(held, make_ambassador, make_meeting, coordinator):
    regular, absent, new = make_ambassador(), make_ambassador(), make_ambassador()
    held(days_ago=100, invited=[regular, absent], present=[absent])
    for days_ago in (60, 30, 5):
        held(days_ago=days_ago, invited=[regular, absent] + ([new] if days_ago == 5 else []), present=[regular])
    # A cancelled meeting is not "held", and its absences do not count.
    cancelled = make_meeting(starts_at=timezone.now() + datetime.timedelta(days=2))
    meeting_cancel(meeting=cancelled, by=coordinator)

    overview = attendance_overview(area=regular.area)

    # `new` was invited only to the last one: not enough to say they keep missing.
    assert overview.missed_last_three == [absent]


def test_paused_ambassadors_are_not_listed_as_missing(held, make_ambassador):
    paused = make_ambassador(status=Ambassador.Status.PAUSED)
    for days_ago in (60, 30, 5):
        held(days_ago=days_ago, invited=[paused], present=[])
    assert attendance_overview(area=paused.area).missed_last_three == []


def test_active_ambassadors_per_month(make_ambassador):
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=400)
    make_ambassador(started_on=long_ago)
    make_ambassador(started_on=today)
    make_ambassador(
        started_on=long_ago, status=Ambassador.Status.LEFT, status_since=today - datetime.timedelta(days=70)
    )

    months = attendance_overview(area=Ambassador.objects.first().area, months=6).active_by_month

    assert len(months) == 6
    assert months[-1].month == today.replace(day=1)
    assert months[-1].active == 2  # the long-standing one and the one who started today
    assert months[0].active == 2  # the long-standing one and the one who left 70 days ago
    assert [m.month for m in months] == sorted(m.month for m in months)


def test_overview_makes_a_fixed_number_of_queries(held, make_ambassador, django_assert_num_queries, area):
    _history(held, make_ambassador, n_meetings=3, n_ambassadors=2)
    with django_assert_num_queries(4):
        small = attendance_overview(area=area)

    _history(held, make_ambassador, n_meetings=6, n_ambassadors=5)
    with django_assert_num_queries(4):
        big = attendance_overview(area=area)
    assert len(big.meetings) > len(small.meetings)
    assert len(big.ambassadors) > len(small.ambassadors)


def test_meeting_lists_count_answers_in_one_query(make_meeting, make_ambassador, django_assert_num_queries, area):
    meeting = make_meeting()
    ambassadors = [make_ambassador() for _ in range(3)]
    invitations = Invitation.objects.bulk_create([Invitation(meeting=meeting, ambassador=a) for a in ambassadors])
    invitation_answer(invitation=invitations[0], answer="yes")
    invitation_answer(invitation=invitations[1], answer="no")
    make_meeting(starts_at=timezone.now() + datetime.timedelta(days=9))

    with django_assert_num_queries(1):
        upcoming = list(meetings_upcoming(area=area))
    with django_assert_num_queries(1):
        past = list(meetings_past(area=area))

    assert past == []
    first = upcoming[0]
    assert (first.invited_count, first.yes_count, first.no_count, first.unanswered_count) == (3, 1, 1, 1)


def test_other_areas_meetings_are_not_listed(make_meeting, other_area, other_coordinator, area):
    make_meeting(in_area=other_area, by=other_coordinator)
    assert list(meetings_upcoming(area=area)) == []


def test_my_meetings_lists_upcoming_invitations_and_published_minutes(
    invitation, ambassador, make_meeting, ambassador_profile, held, django_assert_num_queries
):
    with_minutes = held(days_ago=20, invited=[ambassador_profile], present=[ambassador_profile])
    minutes_save(meeting=with_minutes, markdown="Notes", publish=True)
    draft = held(days_ago=50, invited=[ambassador_profile], present=[ambassador_profile])
    minutes_save(meeting=draft, markdown="Draft", publish=False)

    with django_assert_num_queries(2):
        mine = my_meetings(user=ambassador)

    assert mine.upcoming == [invitation]
    assert [i.meeting for i in mine.with_minutes] == [with_minutes]


def test_an_ambassador_who_left_sees_no_meetings(invitation, ambassador, ambassador_profile):
    Ambassador.objects.filter(pk=ambassador_profile.pk).update(status=Ambassador.Status.LEFT)
    assert my_meetings(user=ambassador).upcoming == []
