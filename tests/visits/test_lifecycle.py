"""A visit's life: attempts, outcomes, and what is refused."""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from apps.visits import services
from apps.visits.models import Activity, Attempt, Referral, Visit
from apps.visits.services import assignment_propose, visit_record_attempt, visits_assign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Outcome = Attempt.Outcome


def _record(visit, outcome, **kwargs):
    return visit_record_attempt(visit=visit, by=visit.ambassador.user, outcome=outcome, **kwargs)


def _allow_repeat(settings):
    """Attempts on different days: the same outcome again is not a double tap."""
    settings.VISIT_DUPLICATE_ATTEMPT_SECONDS = 0


@pytest.mark.parametrize("outcome", [Outcome.MET_TALKED, Outcome.MET_BRIEFLY])
def test_meeting_the_newcomer_closes_the_visit_with_contact_and_folder(visit, newcomer, outcome):
    _record(visit, outcome)

    visit.refresh_from_db()
    assert visit.is_closed and visit.close_reason == Visit.CloseReason.CONTACT
    assert visit.contact_made and visit.folder_delivered
    assert visit.days_to_contact == (timezone.localdate() - newcomer.move_in_date).days


def test_folder_left_keeps_the_visit_open_and_counts_as_delivered(visit):
    _record(visit, Outcome.NOT_HOME_FOLDER_LEFT)

    visit.refresh_from_db()
    assert visit.is_open and visit.folder_delivered and not visit.contact_made


def test_three_not_at_home_attempts_close_the_visit(visit, settings):
    _allow_repeat(settings)
    for _ in range(2):
        _record(visit, Outcome.NOT_HOME_NOTHING_LEFT)
        visit.refresh_from_db()
        assert visit.is_open

    _record(visit, Outcome.NOT_HOME_NOTHING_LEFT)

    visit.refresh_from_db()
    assert visit.is_closed and visit.close_reason == Visit.CloseReason.NOT_HOME_LIMIT
    assert not visit.folder_delivered


def test_not_at_home_limit_closes_as_folder_left_when_the_folder_went_in(visit, settings):
    _allow_repeat(settings)
    settings.VISIT_MAX_NOT_HOME_ATTEMPTS = 2
    _record(visit, Outcome.NOT_HOME_FOLDER_LEFT)
    _record(visit, Outcome.NOT_HOME_NOTHING_LEFT)

    visit.refresh_from_db()
    assert visit.is_closed and visit.close_reason == Visit.CloseReason.FOLDER_LEFT and visit.folder_delivered


def test_language_barrier_returns_the_visit_for_an_ambassador_who_speaks_the_language(
    area, visit, newcomer, make_ambassador, coordinator
):
    """Amina speaks Arabic; her visit comes back from Ali and goes to the Arabic speaker, not the Dane."""
    _record(visit, Outcome.LANGUAGE_BARRIER)

    visit.refresh_from_db()
    assert visit.is_open and visit.ambassador is None and visit.needs_language == "ar"

    make_ambassador(languages=["da"], visits_per_month=10)
    speaker = make_ambassador(languages=["ar"])
    [proposal] = assignment_propose(area=area)
    assert proposal.newcomer == newcomer and proposal.ambassador == speaker

    visits_assign(area=area, assignments=[(newcomer.pk, speaker.pk)], by=coordinator)
    assert list(newcomer.visits.all()) == [visit]  # the same visit, handed over
    assert newcomer.visits.get().ambassador == speaker


def test_returned_visit_waits_when_nobody_speaks_the_language(area, visit, make_ambassador):
    _record(visit, Outcome.LANGUAGE_BARRIER)
    make_ambassador(languages=["da"])

    [proposal] = assignment_propose(area=area)

    assert proposal.ambassador is None
    assert proposal.reasons == ["No active ambassador speaks Arabic."]


def test_declined_closes_the_visit_and_keeps_the_newcomer_contactable(visit, newcomer):
    _record(visit, Outcome.DECLINED)

    visit.refresh_from_db()
    newcomer.refresh_from_db()
    assert visit.is_closed and visit.close_reason == Visit.CloseReason.DECLINED
    assert not newcomer.do_not_contact


def test_declined_with_do_not_contact_marks_the_newcomer_and_no_later_visit_is_made(
    area, visit, newcomer, ambassador_profile, coordinator
):
    _record(visit, Outcome.DECLINED, do_not_contact=True)

    newcomer.refresh_from_db()
    assert newcomer.do_not_contact
    assert newcomer.pk not in {p.newcomer.pk for p in assignment_propose(area=area)}
    with pytest.raises(ValidationError):
        visits_assign(area=area, assignments=[(newcomer.pk, ambassador_profile.pk)], by=coordinator)
    assert newcomer.visits.count() == 1


def test_do_not_contact_goes_only_with_declined(visit):
    with pytest.raises(ValidationError):
        _record(visit, Outcome.MET_TALKED, do_not_contact=True)
    assert not visit.attempts.exists()


def test_moved_away_closes_the_visit(visit):
    _record(visit, Outcome.MOVED_AWAY)

    visit.refresh_from_db()
    assert visit.is_closed and visit.close_reason == Visit.CloseReason.MOVED_AWAY


def test_interests_become_referrals_once_each(visit, activity, area, settings):
    _allow_repeat(settings)
    walking = Activity.objects.create(area=area, name="Gåklub")
    _record(visit, Outcome.NOT_HOME_FOLDER_LEFT, interests=[activity])
    _record(
        visit, Outcome.MET_TALKED, interests=[activity, walking], staff_request="Help with the washing machine booking"
    )

    assert set(Referral.objects.values_list("activity__name", "status")) == {("Madklub", "new"), ("Gåklub", "new")}
    visit.refresh_from_db()
    assert visit.staff_request == "Help with the washing machine booking"


def test_activity_of_another_area_is_refused(visit, other_area):
    elsewhere = Activity.objects.create(area=other_area, name="Fitness")

    with pytest.raises(ValidationError):
        _record(visit, Outcome.MET_TALKED, interests=[elsewhere])
    assert not visit.attempts.exists()


def test_recording_on_a_closed_visit_is_refused_and_changes_nothing(visit, activity):
    _record(visit, Outcome.MET_TALKED)
    visit.refresh_from_db()
    before = (visit.status, visit.close_reason, visit.closed_at, visit.updated_at)

    with pytest.raises(ValidationError, match="already closed"):
        _record(visit, Outcome.DECLINED, interests=[activity], staff_request="x")

    visit.refresh_from_db()
    assert (visit.status, visit.close_reason, visit.closed_at, visit.updated_at) == before
    assert visit.attempts.count() == 1
    assert not Referral.objects.exists()


def test_recording_on_someone_elses_visit_is_refused_and_changes_nothing(
    visit, other_ambassador_profile, other_coordinator
):
    # The visit's own coordinator may enter an outcome for its ambassador (tests/visits/test_corrections.py).
    for intruder in (other_ambassador_profile.user, other_coordinator):
        with pytest.raises(PermissionDenied):
            visit_record_attempt(visit=visit, by=intruder, outcome=Outcome.MET_TALKED)

    visit.refresh_from_db()
    assert visit.is_open and not visit.attempts.exists()


def test_a_forged_outcome_is_refused(visit):
    with pytest.raises(ValidationError):
        _record(visit, "inspected_the_kitchen")
    assert not visit.attempts.exists()


def test_the_same_outcome_twice_in_a_row_is_recorded_once(visit):
    _record(visit, Outcome.NOT_HOME_NOTHING_LEFT)

    with pytest.raises(ValidationError, match="not recorded twice"):
        _record(visit, Outcome.NOT_HOME_NOTHING_LEFT)
    assert visit.attempts.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("outcome", [Outcome.MET_TALKED, Outcome.NOT_HOME_FOLDER_LEFT])
def test_two_phones_recording_at_once_record_one_attempt(visit, outcome, monkeypatch):
    assert connection.vendor == "postgresql", "row locks are what this test is about"
    barrier = threading.Barrier(2)
    real_can = services.can

    def slow_can(*args):
        # Holding the row lock a moment makes sure the other phone's request arrives while it is held.
        allowed = real_can(*args)
        time.sleep(0.3)
        return allowed

    monkeypatch.setattr(services, "can", slow_can)
    results: list[str] = []

    def phone():
        try:
            barrier.wait()
            _record(visit, outcome)
            results.append("recorded")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=phone) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["recorded", "refused"]
    assert Attempt.objects.filter(visit=visit).count() == 1
