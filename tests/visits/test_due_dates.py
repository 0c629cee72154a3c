"""Fair due dates: a visit is due VISIT_DUE_DAYS after the later of the move-in and the day the household
came on a list, never sooner than VISIT_MIN_DAYS_TO_DUE after it is assigned, and no message names a day
already past."""

import datetime
import re

import pytest
from django.utils import timezone

from apps.core.models import Message
from apps.newcomers.importing import mapping_propose, newcomers_import, table_open
from apps.visits.models import Attempt, Visit
from apps.visits.selectors import overview
from apps.visits.services import (
    assignment_propose,
    visit_due_date,
    visit_reassign,
    visit_record_attempt,
    visits_assign,
    visits_remind_due_soon,
    visits_send_ambassador_digests,
    visits_send_overdue_lists,
)
from tests.newcomers import HEADER, csv_bytes, line
from tests.visits.conftest import assignment_backdate

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- The rule --------------------------------------------------------------------------------------------


def test_a_list_that_came_on_time_makes_the_visit_due_after_the_move_in(make_newcomer):
    newcomer = make_newcomer(days_ago=5)
    today = timezone.localdate()
    assert visit_due_date(newcomer=newcomer, assigned_on=today) == newcomer.move_in_date + _days(14)


def test_a_late_list_makes_the_visit_due_after_the_day_it_arrived(make_newcomer):
    today = timezone.localdate()
    newcomer = make_newcomer(days_ago=23, listed_on=today)
    assert visit_due_date(newcomer=newcomer, assigned_on=today) == today + _days(14)


def test_a_list_that_came_before_the_move_in_counts_from_the_move_in(make_newcomer):
    today = timezone.localdate()
    newcomer = make_newcomer(days_ago=-10, listed_on=today)  # moves in ten days from now
    assert visit_due_date(newcomer=newcomer, assigned_on=today) == newcomer.move_in_date + _days(14)


def test_a_visit_is_never_due_sooner_than_the_minimum_after_it_is_assigned(make_newcomer, settings):
    settings.VISIT_MIN_DAYS_TO_DUE = 5
    today = timezone.localdate()
    newcomer = make_newcomer(days_ago=40)  # listed on time, but the proposal was confirmed weeks late
    assert visit_due_date(newcomer=newcomer, assigned_on=today) == today + _days(5)


def test_a_proposal_confirmed_weeks_late_is_not_overdue_the_day_it_is_assigned(
    area, make_newcomer, ambassador_profile, coordinator
):
    today = timezone.localdate()
    newcomer = make_newcomer(days_ago=40)
    [visit] = visits_assign(area=area, assignments=[(newcomer.pk, ambassador_profile.pk)], by=coordinator)
    assert visit.due_date == today + _days(3)
    assert not Visit.objects.overdue(today).exists()


def test_a_visit_handed_over_close_to_its_due_date_gives_the_new_ambassador_the_minimum(
    area, make_newcomer, ambassador_profile, other_ambassador_profile, coordinator
):
    today = timezone.localdate()
    newcomer = make_newcomer(days_ago=13)
    [visit] = visits_assign(area=area, assignments=[(newcomer.pk, ambassador_profile.pk)], by=coordinator)
    assignment_backdate(visit, days_ago=13)  # due tomorrow
    assert visit.due_date == today + _days(1)

    visit_reassign(visit=visit, ambassador=other_ambassador_profile, by=coordinator)

    visit.refresh_from_db()
    assert (visit.ambassador, visit.due_date) == (other_ambassador_profile, today + _days(3))


def test_a_visit_handed_over_with_time_left_keeps_its_due_date(
    area, make_newcomer, ambassador_profile, other_ambassador_profile, coordinator
):
    newcomer = make_newcomer(days_ago=2)
    [visit] = visits_assign(area=area, assignments=[(newcomer.pk, ambassador_profile.pk)], by=coordinator)
    due = visit.due_date

    visit_reassign(visit=visit, ambassador=other_ambassador_profile, by=coordinator)

    visit.refresh_from_db()
    assert visit.due_date == due == newcomer.move_in_date + _days(14)


def test_coverage_still_counts_days_to_contact_from_the_move_in(
    area, make_newcomer, ambassador, ambassador_profile, coordinator
):
    today = timezone.localdate()
    newcomer = make_newcomer(days_ago=23, listed_on=today)
    [visit] = visits_assign(area=area, assignments=[(newcomer.pk, ambassador_profile.pk)], by=coordinator)
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_TALKED)
    visit.refresh_from_db()
    assert visit.days_to_contact == 23


# --- The tester's scenario: mid-November move-ins imported on 6 December ------------------------------


def _import(organisation, area, rows) -> None:
    table = table_open(data=csv_bytes([HEADER, *rows]), filename="tilflyttere.csv")
    mapping = mapping_propose(headers=table.headers, organisation=organisation)
    newcomers_import(table=table, mapping=mapping, organisation=organisation, area=area)


@pytest.fixture
def late_list(organisation, area, ambassador_profile, other_ambassador_profile):
    """Four households that moved in 16 to 25 days ago, on a list imported today; ambassadors with room."""
    for profile in (ambassador_profile, other_ambassador_profile):
        profile.visits_per_month = 20
        profile.save(update_fields=["visits_per_month"])
    today = timezone.localdate()
    rows = [
        line(number=f"101-000{i}", date=f"{today - _days(16 + 3 * i):%d-%m-%Y}", phone=f"2233445{i}")
        for i in range(1, 4)
    ] + [line(number="101-0001", date=f"{today - _days(25):%d-%m-%Y}", phone="22334459", address="")]
    _import(organisation, area, rows)
    return today


def test_a_late_list_does_not_raise_overdue_now_and_its_sms_names_a_coming_day(
    area, late_list, make_newcomer, ambassador_profile, coordinator, sms_outbox, django_capture_on_commit_callbacks
):
    today = late_list
    # One visit already overdue before the list came.
    [old] = visits_assign(
        area=area, assignments=[(make_newcomer(days_ago=30).pk, ambassador_profile.pk)], by=coordinator
    )
    assignment_backdate(old, days_ago=30)
    period = {"area": area, "period_start": today - _days(60), "period_end": today}
    assert overview(**period).overdue == 1

    proposals = [p for p in assignment_propose(area=area) if p.newcomer.listed_on == today]
    assert len(proposals) == 4 and all(p.ambassador for p in proposals)
    with django_capture_on_commit_callbacks(execute=True):
        visits = visits_assign(
            area=area, assignments=[(p.newcomer.pk, p.ambassador.pk) for p in proposals], by=coordinator
        )

    assert {visit.due_date for visit in visits} == {today + _days(14)}
    figures = overview(**period)
    assert figures.overdue == 1
    assert (figures.late_lists, figures.late_lists_median_days) == (4, 23.5)  # 19, 22, 25 and 25 days late
    assert len(sms_outbox) == 4
    for sms in sms_outbox:
        assert _dates_in(str(sms)) and min(_dates_in(str(sms))) >= today


# --- No message names a day already past -----------------------------------------------------------------

# A day as messages write it: Danish 06.12.2026 (and 6.12.2026 or 6-12-2026), English 06/12/2026, ISO.
_DMY = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _dates_in(text: str) -> list[datetime.date]:
    days = [datetime.date(int(y), int(m), int(d)) for d, m, y in _DMY.findall(text)]
    days += [datetime.date(int(y), int(m), int(d)) for y, m, d in _ISO.findall(text)]
    return days


def test_date_parsing_finds_the_formats_messages_use():
    found = _dates_in("senest 11.11.2026, by 06/12/2026, key 2026-12-20, 6-1-2027")
    assert found == [
        datetime.date(2026, 11, 11),
        datetime.date(2026, 12, 6),
        datetime.date(2027, 1, 6),
        datetime.date(2026, 12, 20),
    ]


def _sent_since(last_pk: int) -> list[Message]:
    return list(Message.objects.filter(pk__gt=last_pk).order_by("pk"))


def test_no_message_of_three_weeks_with_late_lists_names_a_day_already_past(
    area, late_list, make_newcomer, ambassador_profile, other_ambassador_profile, coordinator, make_ambassador
):
    today = late_list
    english_ambassador = make_ambassador(name="Emma English", visits_per_month=20)
    english_ambassador.user.language = "en"
    english_ambassador.user.save(update_fields=["language"])
    # The late list's four, confirmed today; one listed on time but confirmed five weeks late; one assigned
    # on its move-in day a month ago (overdue); one due tomorrow that is handed over today.
    late = [p.newcomer.pk for p in assignment_propose(area=area) if p.newcomer.listed_on == today]
    holders = [ambassador_profile, other_ambassador_profile, english_ambassador, english_ambassador]
    visits_assign(area=area, assignments=list(zip(late, [h.pk for h in holders], strict=True)), by=coordinator)
    visits_assign(area=area, assignments=[(make_newcomer(days_ago=35).pk, english_ambassador.pk)], by=coordinator)
    [overdue] = visits_assign(
        area=area, assignments=[(make_newcomer(days_ago=30).pk, ambassador_profile.pk)], by=coordinator
    )
    assignment_backdate(overdue, days_ago=30)
    [handed] = visits_assign(
        area=area, assignments=[(make_newcomer(days_ago=13).pk, ambassador_profile.pk)], by=coordinator
    )
    assignment_backdate(handed, days_ago=13)
    visit_reassign(visit=handed, ambassador=english_ambassador, by=coordinator)
    queued = [(today, message) for message in _sent_since(0)]

    # Three weeks of the daily and weekly jobs, each run on its own day.
    for offset in range(21):
        day = today + _days(offset)
        last = Message.objects.order_by("-pk").values_list("pk", flat=True).first()
        visits_remind_due_soon(today=day)
        visits_send_ambassador_digests(today=day)
        visits_send_overdue_lists(today=day)
        queued += [(day, message) for message in _sent_since(last)]

    kinds = {message.idempotency_key.split(":")[0] for _day, message in queued}
    assert kinds == {"visit-assigned", "visit-due", "visit-digest", "visit-overdue"}
    named = 0
    for day, message in queued:
        for named_day in _dates_in(f"{message.subject}\n{message.body}"):
            named += 1
            assert named_day >= day, (message.idempotency_key, message.body)
    assert named >= 8  # the assignments and the reminders name their due days
    overdue_lists = [m.body for _day, m in queued if m.idempotency_key.startswith("visit-overdue")]
    assert overdue_lists and all(re.search(r"overdue by \d+ day|\d+ dage? over tiden", body) for body in overdue_lists)
