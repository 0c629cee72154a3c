"""Reminders through the outbox: each one once, however often the jobs run."""

import datetime

import pytest
from django.utils import timezone

from apps.core.models import Message
from apps.visits.models import Ambassador, Attempt, Visit
from apps.visits.services import (
    ambassador_set_status,
    visit_record_attempt,
    visits_assign,
    visits_remind_due_soon,
    visits_send_ambassador_digests,
    visits_send_overdue_lists,
)
from apps.visits.tasks import visits_remind_due_soon as remind_task
from apps.visits.tasks import visits_send_weekly_digests as weekly_task
from tests.visits.conftest import assignment_backdate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _keys(prefix: str) -> list[str]:
    return sorted(Message.objects.filter(idempotency_key__startswith=prefix).values_list("idempotency_key", flat=True))


@pytest.fixture
def due_soon_visit(area, make_newcomer, ambassador_profile, coordinator) -> Visit:
    """Moved in and assigned 12 days ago, so due in two days."""
    newcomer = make_newcomer(days_ago=12)
    [visit] = visits_assign(area=area, assignments=[(newcomer.pk, ambassador_profile.pk)], by=coordinator)
    return assignment_backdate(visit, days_ago=12)


@pytest.fixture
def overdue_visit(area, make_newcomer, other_ambassador_profile, coordinator) -> Visit:
    """Moved in and assigned 30 days ago, so 16 days overdue."""
    newcomer = make_newcomer(days_ago=30)
    [visit] = visits_assign(area=area, assignments=[(newcomer.pk, other_ambassador_profile.pk)], by=coordinator)
    return assignment_backdate(visit, days_ago=30)


def test_ambassador_is_reminded_two_days_before_the_visit_is_due(due_soon_visit, ambassador_profile):
    assert visits_remind_due_soon() == 1

    message = Message.objects.get(idempotency_key__startswith="visit-due:")
    assert message.to_user == ambassador_profile.user
    assert message.channel == Message.Channel.SMS  # Ali has a phone number
    assert due_soon_visit.newcomer.tenancy.address in message.body
    assert due_soon_visit.newcomer.name not in message.body  # an SMS carries no name


def test_visits_due_later_are_not_reminded_yet(visit):
    # `visit` is due in 14 days.
    assert visits_remind_due_soon() == 0
    assert visits_remind_due_soon(today=visit.due_date - datetime.timedelta(days=2)) == 1


def test_running_the_due_reminder_twice_sends_nothing_twice(due_soon_visit):
    assert visits_remind_due_soon() == 1
    assert visits_remind_due_soon() == 0
    assert visits_remind_due_soon(today=timezone.localdate() + datetime.timedelta(days=1)) == 0
    assert len(_keys("visit-due:")) == 1


def test_reminder_jobs_run_twice_deliver_each_message_once(
    due_soon_visit, overdue_visit, coordinator, sms_outbox, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator.language = "en"  # messages are written in the recipient's language
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            remind_task.delay()
            weekly_task.delay()

    # One due reminder (Ali), two digests (Ali, Anne), one overdue list (Carla, by e-mail).
    assert Message.objects.count() == 2 + 1 + 2 + 1  # plus the two "assigned" messages
    assert len(sms_outbox) == 1 + 2
    assert [mail.subject for mail in mailoutbox] == ["Overdue welcome visits"]
    assert Message.objects.filter(status=Message.Status.SENT).count() == 4


def test_newcomer_who_asked_not_to_be_contacted_gets_no_reminders(due_soon_visit, overdue_visit):
    for visit in (due_soon_visit, overdue_visit):
        visit.newcomer.do_not_contact = True
        visit.newcomer.save()

    assert visits_remind_due_soon() == 0
    assert visits_send_ambassador_digests() == 0
    assert visits_send_overdue_lists() == 0


def test_declined_with_do_not_contact_stops_reminders_about_the_newcomer(due_soon_visit, ambassador):
    visit_record_attempt(visit=due_soon_visit, by=ambassador, outcome=Attempt.Outcome.DECLINED, do_not_contact=True)

    assert visits_remind_due_soon() == 0
    assert visits_send_ambassador_digests() == 0


def test_weekly_digest_goes_once_a_week_to_each_ambassador_with_open_visits(
    due_soon_visit, overdue_visit, ambassador_profile, other_ambassador_profile, make_ambassador
):
    make_ambassador()  # no visits: no digest
    other_ambassador_profile.user.language = "en"  # messages are written in the recipient's language
    other_ambassador_profile.user.save()
    today = timezone.localdate()

    assert visits_send_ambassador_digests(today=today) == 2
    assert visits_send_ambassador_digests(today=today) == 0
    assert visits_send_ambassador_digests(today=today + datetime.timedelta(days=7)) == 2
    anne = Message.objects.filter(to_user=other_ambassador_profile.user, idempotency_key__startswith="visit-digest:")
    assert "1 of them is past its due date." in anne.first().body


def test_paused_ambassadors_get_no_digest(due_soon_visit, ambassador_profile):
    Ambassador.objects.filter(pk=ambassador_profile.pk).update(status=Ambassador.Status.PAUSED)

    assert visits_send_ambassador_digests() == 0


def test_coordinator_gets_the_weekly_overdue_list_once(overdue_visit, due_soon_visit, coordinator, other_coordinator):
    assert visits_send_overdue_lists() == 1
    assert visits_send_overdue_lists() == 0

    message = Message.objects.get(idempotency_key__startswith="visit-overdue:")
    assert message.to_user == coordinator  # not the coordinator of another area
    assert overdue_visit.newcomer.tenancy.address in message.body
    assert due_soon_visit.newcomer.tenancy.address not in message.body


def test_visits_of_an_ambassador_who_left_wait_for_someone_else(overdue_visit, other_ambassador_profile, coordinator):
    ambassador_set_status(ambassador=other_ambassador_profile, status=Ambassador.Status.LEFT, by=coordinator)

    overdue_visit.refresh_from_db()
    assert overdue_visit.is_open and overdue_visit.ambassador is None
    assert visits_send_ambassador_digests() == 0
    assert visits_send_overdue_lists() == 1  # the coordinator still hears about it


@pytest.mark.parametrize(("language", "written"), [("da", "%d.%m.%Y"), ("en", "%d/%m/%Y")])
def test_assignment_message_writes_the_due_date_day_first_in_the_recipients_language(
    area, make_newcomer, ambassador_profile, coordinator, language, written
):
    ambassador_profile.user.language = language
    ambassador_profile.user.save(update_fields=["language"])
    newcomer = make_newcomer(days_ago=1)

    [visit] = visits_assign(area=area, assignments=[(newcomer.pk, ambassador_profile.pk)], by=coordinator)

    message = Message.objects.get(to_user=ambassador_profile.user, idempotency_key__startswith="visit-assigned:")
    assert visit.due_date.strftime(written) in message.body


@pytest.mark.parametrize("language", ["da", "en"])
def test_assignment_message_does_not_double_the_full_stop_after_an_address_ending_in_one(
    area, make_newcomer, make_tenancy, ambassador_profile, coordinator, language
):
    ambassador_profile.user.language = language
    ambassador_profile.user.save(update_fields=["language"])
    newcomer = make_newcomer(tenancy=make_tenancy(floor="3", door="mf"))

    visits_assign(area=area, assignments=[(newcomer.pk, ambassador_profile.pk)], by=coordinator)

    body = Message.objects.get(to_user=ambassador_profile.user, idempotency_key__startswith="visit-assigned:").body
    assert newcomer.tenancy.address.endswith("3. mf.")
    assert f"{newcomer.tenancy.address} (" in body
    assert ".." not in body


@pytest.mark.parametrize(("language", "written"), [("da", "%d.%m.%Y"), ("en", "%d/%m/%Y")])
def test_due_soon_reminder_writes_the_due_date_as_the_recipients_language_does(
    due_soon_visit, ambassador_profile, language, written
):
    """The job runs in English here (the `english` fixture): the recipient's language still decides."""
    ambassador_profile.user.language = language
    ambassador_profile.user.save(update_fields=["language"])

    visits_remind_due_soon()

    message = Message.objects.get(to_user=ambassador_profile.user, idempotency_key__startswith="visit-due:")
    assert due_soon_visit.due_date.strftime(written) in message.body
