"""Retention: each organisation's limits are applied every night; what is left counts the same."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from apps.core.services import message_queue
from apps.newcomers.models import Newcomer
from apps.privacy.models import RetentionRun
from apps.privacy.services import months_before, retention_apply
from apps.privacy.tasks import retention_apply_task
from apps.visits.models import Ambassador, Attempt, SupportConversation, Visit
from apps.visits.selectors import overview_compute
from apps.visits.services import visit_record_attempt, visits_assign

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def old_visit(area, make_newcomer, ambassador_profile, coordinator, ambassador):
    """A newcomer who moved in 25 months ago, met by Ali, who noted a wish for staff contact."""
    newcomer = make_newcomer(name="Old Newcomer", days_ago=25 * 31, language="ar")
    [visit] = visits_assign(area=area, assignments=[(newcomer.pk, ambassador_profile.pk)], by=coordinator)
    visit_record_attempt(
        visit=visit, outcome=Attempt.Outcome.MET_TALKED, by=ambassador, staff_request="Help with the heating"
    )
    return Visit.objects.get(pk=visit.pk)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 11, 27), 12, datetime.date(2025, 11, 27)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 3, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2026, 1, 15), 24, datetime.date(2024, 1, 15)),
    ],
)
def test_months_before_counts_calendar_months(day, months, expected):
    assert months_before(day, months) == expected


def test_contact_data_goes_twelve_months_after_move_in(make_newcomer):
    expired = make_newcomer(name="Expired Person", days_ago=370, email="old@example.org", language="ar")
    current = make_newcomer(name="Current Person", days_ago=300)
    message_queue(channel="sms", subject="", body="Hej Expired Person", idempotency_key="t-1", to_newcomer=expired)

    run = retention_apply(today=TODAY)

    expired.refresh_from_db()
    current.refresh_from_db()
    assert (expired.name, expired.phone, expired.email, expired.language) == ("", "", "", "")
    assert expired.anonymised_at is not None and expired.tenancy_id and expired.move_in_date
    assert current.name == "Current Person" and current.anonymised_at is None
    assert not expired.messages.exists()
    assert run.counts["newcomers_anonymised"] == 1


def test_each_organisation_sets_its_own_limit(organisation, make_newcomer):
    organisation.retention_contact_months = 6
    organisation.save()
    seven_months = make_newcomer(name="Seven Months", days_ago=7 * 31)

    retention_apply(today=TODAY)

    seven_months.refresh_from_db()
    assert seven_months.name == "" and seven_months.anonymised_at


def test_visit_details_go_after_twenty_four_months_and_the_outcome_stays(old_visit):
    before = (old_visit.close_reason, old_visit.contact_made, old_visit.days_to_contact, old_visit.estate_id)

    run = retention_apply(today=TODAY)

    old_visit.refresh_from_db()
    assert old_visit.ambassador is None and old_visit.staff_request == "" and old_visit.anonymised_at
    assert not Attempt.objects.filter(visit=old_visit).exists()
    assert (old_visit.close_reason, old_visit.contact_made, old_visit.days_to_contact, old_visit.estate_id) == before
    assert run.counts["visits_anonymised"] == 1 and run.counts["attempts_deleted"] == 1


def test_recent_visits_keep_their_details(visit, ambassador):
    visit_record_attempt(visit=visit, outcome=Attempt.Outcome.MET_TALKED, by=ambassador, staff_request="Call me")
    retention_apply(today=TODAY)
    visit.refresh_from_db()
    assert visit.ambassador_id and visit.staff_request == "Call me" and visit.attempts.count() == 1


def test_a_second_run_finds_nothing_more(old_visit, make_newcomer):
    make_newcomer(days_ago=400)
    first = retention_apply(today=TODAY)
    second = retention_apply(today=TODAY)
    assert sum(first.counts.values()) > 0
    assert set(second.counts.values()) == {0}
    assert RetentionRun.objects.count() == 2


def test_the_overview_counts_the_same_after_anonymisation(area, old_visit, make_newcomer, make_tenancy):
    make_newcomer(name="Another Old One", days_ago=25 * 31 + 3)
    period = {"area": area, "period_start": TODAY - datetime.timedelta(days=900), "period_end": TODAY, "today": TODAY}
    before = overview_compute(**period)

    retention_apply(today=TODAY)

    assert Newcomer.objects.filter(anonymised_at__isnull=False).count() == 2
    after = overview_compute(**period)
    assert dataclasses.replace(after, computed_at=before.computed_at) == before


def test_the_nightly_task_applies_retention(make_newcomer):
    make_newcomer(days_ago=400)
    counts = retention_apply_task.delay().get()
    assert counts["newcomers_anonymised"] == 1


def test_support_notes_go_some_months_after_the_ambassador_left(
    settings, coordinator, ambassador_profile, other_ambassador_profile
):
    """Notes on someone who left SUPPORT_CONVERSATION_KEEP_MONTHS ago go; those on someone who left lately
    or is still active stay."""
    settings.SUPPORT_CONVERSATION_KEEP_MONTHS = 6
    long_gone = ambassador_profile
    Ambassador.objects.filter(pk=long_gone.pk).update(
        status=Ambassador.Status.LEFT, status_since=months_before(TODAY, 6) - datetime.timedelta(days=1)
    )
    lately_gone = other_ambassador_profile
    Ambassador.objects.filter(pk=lately_gone.pk).update(
        status=Ambassador.Status.LEFT, status_since=months_before(TODAY, 6)
    )
    for profile in (long_gone, lately_gone):
        SupportConversation.objects.create(ambassador=profile, held_on=TODAY - datetime.timedelta(days=400))

    run = retention_apply(today=TODAY)

    assert run.counts["support_conversations_deleted"] == 1
    assert list(SupportConversation.objects.values_list("ambassador_id", flat=True)) == [lately_gone.pk]


def test_support_notes_of_an_active_ambassador_stay_however_old(coordinator, ambassador_profile):
    SupportConversation.objects.create(ambassador=ambassador_profile, held_on=TODAY - datetime.timedelta(days=2000))

    retention_apply(today=TODAY)

    assert SupportConversation.objects.count() == 1
