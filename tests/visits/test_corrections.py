"""Coordinators correct a newcomer, enter a visit's outcome for its ambassador, and a language learned
at the door reaches the newcomer, the returned visit and the next proposal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AccessLogEntry, AccessLogSubject
from apps.core.models import Message
from apps.newcomers.models import Newcomer, NewcomerCorrection
from apps.newcomers.services import newcomer_correct
from apps.privacy.selectors import newcomer_data
from apps.visits.models import Attempt, Visit
from apps.visits.services import assignment_propose, visit_record_attempt

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def carla(client, coordinator):
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    return client


def _edit_url(area, newcomer):
    return reverse("visits:newcomer_edit", args=[area.slug, newcomer.pk])


def _record_url(area, visit):
    return reverse("visits:coordinator_record", args=[area.slug, visit.pk])


def _snapshot(newcomer):
    return Newcomer.objects.filter(pk=newcomer.pk).values("phone", "email", "language", "do_not_contact").get()


CORRECTION = {"language": "so", "phone": "40 50 60 70", "email": "ny@example.org"}


# --- Correcting a newcomer ------------------------------------------------------------------------


def test_coordinator_corrects_only_that_newcomer_and_the_change_is_recorded(
    carla, area, newcomer, make_newcomer, coordinator
):
    bystander = make_newcomer()
    before = _snapshot(bystander)
    assert carla.get(_edit_url(area, newcomer)).status_code == 200

    response = carla.post(_edit_url(area, newcomer), {**CORRECTION, "do_not_contact": "on"})

    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert (newcomer.language, newcomer.phone, newcomer.email, newcomer.do_not_contact) == (
        "so",
        "+4540506070",
        "ny@example.org",
        True,
    )
    assert sorted(newcomer.corrected_fields) == ["do_not_contact", "email", "language", "phone"]
    correction = NewcomerCorrection.objects.get()
    assert (correction.newcomer, correction.by) == (newcomer, coordinator)
    assert sorted(correction.fields) == ["do_not_contact", "email", "language", "phone"]
    assert "4050" not in str(correction.fields)  # which fields, never the values
    assert _snapshot(bystander) == before
    viewed = AccessLogEntry.objects.filter(view_name="visits:newcomer_edit", actor=coordinator)
    assert viewed.exists()
    assert AccessLogSubject.objects.filter(entry__in=viewed, object_id=newcomer.pk).exists()


def test_an_invalid_phone_is_refused_and_nothing_changes(carla, area, newcomer):
    before = _snapshot(newcomer)
    response = carla.post(_edit_url(area, newcomer), {**CORRECTION, "phone": "12"})
    assert response.status_code == 400
    assert _snapshot(newcomer) == before
    assert not NewcomerCorrection.objects.exists()


def test_other_areas_coordinator_cannot_correct(client, other_coordinator, other_area, area, newcomer):
    client.force_login(other_coordinator)
    before = _snapshot(newcomer)
    assert client.post(_edit_url(other_area, newcomer), CORRECTION).status_code in (403, 404)
    assert client.post(_edit_url(area, newcomer), CORRECTION).status_code in (403, 404)
    assert _snapshot(newcomer) == before
    assert not NewcomerCorrection.objects.exists()


def test_ambassador_cannot_use_the_coordinators_pages(client, ambassador, area, newcomer, visit):
    client.force_login(ambassador)
    before = _snapshot(newcomer)
    assert client.post(_edit_url(area, newcomer), CORRECTION).status_code in (403, 404)
    assert client.post(_record_url(area, visit), _met_data()).status_code in (403, 404)
    assert _snapshot(newcomer) == before
    assert not visit.attempts.exists()


def test_an_anonymised_newcomer_cannot_be_corrected(carla, area, newcomer):
    Newcomer.objects.filter(pk=newcomer.pk).update(anonymised_at=timezone.now(), phone="", name="")
    assert carla.post(_edit_url(area, newcomer), CORRECTION).status_code == 403
    assert Newcomer.objects.get(pk=newcomer.pk).phone == ""


def test_do_not_contact_withdraws_the_waiting_messages(newcomer, coordinator):
    waiting = Message.objects.create(
        idempotency_key="survey:1", channel="sms", to_newcomer=newcomer, address=newcomer.phone, body="Hej"
    )
    sent = Message.objects.create(
        idempotency_key="survey:0",
        channel="sms",
        to_newcomer=newcomer,
        address=newcomer.phone,
        body="Hej",
        status=Message.Status.SENT,
    )
    newcomer_correct(newcomer=newcomer, by=coordinator, do_not_contact=True)
    waiting.refresh_from_db()
    sent.refresh_from_db()
    assert (waiting.status, sent.status) == (Message.Status.FAILED, Message.Status.SENT)


# --- Entering an outcome for the ambassador -------------------------------------------------------


def _met_data(**data):
    return {"outcome": Attempt.Outcome.MET_TALKED, "visited_on": timezone.localdate().isoformat(), **data}


def test_coordinator_enters_a_meeting_for_the_ambassador(carla, area, visit, newcomer, coordinator, ambassador_profile):
    Visit.objects.filter(pk=visit.pk).update(assigned_at=timezone.now() - datetime.timedelta(days=3))
    day = timezone.localdate() - datetime.timedelta(days=1)
    assert carla.get(_record_url(area, visit)).status_code == 200

    response = carla.post(_record_url(area, visit), _met_data(visited_on=day.isoformat()))

    assert response.status_code == 302
    attempt = visit.attempts.get()
    assert (attempt.recorded_by, attempt.ambassador, attempt.visited_on) == (coordinator, ambassador_profile, day)
    visit.refresh_from_db()
    assert (visit.status, visit.contact_made) == (Visit.Status.CLOSED, True)
    assert visit.days_to_contact == (day - newcomer.move_in_date).days
    page = carla.get(reverse("visits:reassign", args=[area.slug, visit.pk])).content.decode()
    assert f"entered by {coordinator.full_name}" in page


def test_the_coordinator_is_told_what_happened_to_the_visit_not_thanked_as_an_ambassador(carla, area, visit):
    data = {**_met_data(), "outcome": Attempt.Outcome.LANGUAGE_BARRIER, "language": "ar"}
    page = carla.post(_record_url(area, visit), data, follow=True).content.decode()
    assert "waiting on the Assign page for an ambassador who speaks Arabic" in page
    assert "The coordinator will find" not in page


def test_the_ambassadors_phone_shows_who_entered_it(client, ambassador, coordinator, visit):
    visit_record_attempt(visit=visit, by=coordinator, outcome=Attempt.Outcome.NOT_HOME_FOLDER_LEFT)
    client.cookies["django_language"] = "en"
    client.force_login(ambassador)
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert f"entered by {coordinator.full_name}" in page


def test_a_waiting_visit_gets_no_outcome(carla, area, visit):
    Visit.objects.filter(pk=visit.pk).update(ambassador=None, assigned_at=None)
    response = carla.post(_record_url(area, visit), _met_data())
    assert response.status_code == 400
    assert not visit.attempts.exists()
    assert Visit.objects.get(pk=visit.pk).is_open


@pytest.mark.parametrize("days", [1, -1, -30])
def test_a_day_in_the_future_or_before_the_assignment_or_move_in_is_refused(carla, area, visit, days):
    day = timezone.localdate() + datetime.timedelta(days=days)
    response = carla.post(_record_url(area, visit), _met_data(visited_on=day.isoformat()))
    assert response.status_code == 400
    assert not visit.attempts.exists()


def test_other_areas_coordinator_cannot_enter_an_outcome(client, other_coordinator, other_area, area, visit):
    client.force_login(other_coordinator)
    assert client.post(_record_url(other_area, visit), _met_data()).status_code in (403, 404)
    assert client.post(_record_url(area, visit), _met_data()).status_code in (403, 404)
    assert not visit.attempts.exists()


def test_the_same_outcome_twice_is_recorded_once(carla, area, visit):
    carla.post(_record_url(area, visit), {**_met_data(), "outcome": Attempt.Outcome.NOT_HOME_NOTHING_LEFT})
    carla.post(_record_url(area, visit), {**_met_data(), "outcome": Attempt.Outcome.NOT_HOME_NOTHING_LEFT})
    assert visit.attempts.count() == 1


# --- The language learned at the door -------------------------------------------------------------


def test_language_learned_at_a_meeting_becomes_the_newcomers(visit, ambassador, newcomer):
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_BRIEFLY, language="so")
    newcomer.refresh_from_db()
    assert newcomer.language == "so"


def test_a_coordinators_language_is_kept_over_the_door(visit, ambassador, newcomer, coordinator):
    newcomer_correct(newcomer=newcomer, by=coordinator, language="tr")
    attempt = visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_BRIEFLY, language="so")
    newcomer.refresh_from_db()
    assert (newcomer.language, attempt.language) == ("tr", "so")


def test_language_barrier_asks_for_the_language_learned_and_the_proposal_says_so(
    client, ambassador, area, visit, newcomer, make_ambassador
):
    client.cookies["django_language"] = "en"
    client.force_login(ambassador)
    step_two = client.get(reverse("visits:detail", args=[visit.pk]), {"outcome": Attempt.Outcome.LANGUAGE_BARRIER})
    assert 'name="language"' in step_two.content.decode()

    client.post(
        reverse("visits:record_attempt", args=[visit.pk]),
        {"outcome": Attempt.Outcome.LANGUAGE_BARRIER, "language": "so"},
    )

    visit.refresh_from_db()
    assert (visit.ambassador, visit.needs_language) == (None, "so")
    assert Newcomer.objects.get(pk=newcomer.pk).language == "so"
    somali = make_ambassador(name="Sahra", languages=["so"])
    [proposal] = assignment_propose(area=area)
    assert proposal.ambassador == somali
    today = timezone.localdate().strftime("%d/%m/%Y")  # English dates are day first
    assert f"Speaks Somali (learned at the door {today})." in proposal.reasons


def test_the_personal_data_export_names_the_corrections_and_who_entered_an_attempt(visit, newcomer, coordinator):
    newcomer_correct(newcomer=newcomer, by=coordinator, phone="40506070")
    visit_record_attempt(visit=visit, by=coordinator, outcome=Attempt.Outcome.NOT_HOME_NOTHING_LEFT)

    sections = newcomer_data(newcomer=Newcomer.objects.get(pk=newcomer.pk))["sections"]

    [correction] = sections["Corrections"]
    assert (correction["Who"], correction["What"]) == (coordinator.full_name, "phone")
    [attempt] = sections["Attempts"]
    assert attempt["Who"] == coordinator.full_name
