"""The demo survey: every invitation state and call outcome, a few dozen answers, the same on every run."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.surveys.analysis import survey_report
from apps.surveys.models import CallAttempt, Invitation, Response, ResponseLink, Survey
from apps.surveys.selectors import invitation_states

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())


def _first_area_survey() -> Survey:
    # The first demo area's running survey; the second area and last year's round (issue 18) have their own.
    return Survey.objects.get(area__slug="demo", closes_on__gte=timezone.localdate())


def test_seed_has_a_running_survey_with_invitations_in_every_state():
    survey = _first_area_survey()
    assert survey.is_running()
    states = invitation_states(survey=survey)
    assert {
        "answered",
        "opened",
        "reminded",
        "sent",
        "expired",
        "refused",
        "wrong_number",
        "not_moved_in",
        "moved_away",
    } <= set(states)
    assert set(CallAttempt.objects.values_list("outcome", flat=True)) == set(CallAttempt.Outcome.values)
    assert not Invitation.objects.filter(newcomer__do_not_contact=True).exists()


def test_seed_has_a_few_dozen_answers_from_every_channel():
    completed = Response.objects.filter(survey=_first_area_survey(), completed_at__isnull=False)
    assert 25 <= completed.count() <= 80
    assert set(completed.values_list("source", flat=True)) == set(Response.Source.values)
    assert Response.objects.filter(completed_at__isnull=True).exists()  # drop-outs
    assert ResponseLink.objects.exists() and completed.exclude(group="").exists()  # some settled, some not
    report = survey_report(survey=_first_area_survey())
    assert report["groups"]["contact"] > 0 and report["groups"]["no_contact"] > 0


def test_seeding_again_adds_no_second_survey():
    answers = Response.objects.count()

    call_command("seed_demo", stdout=io.StringIO())

    # Each demo area's running survey and last year's (issue 18: two rounds across both areas).
    assert Survey.objects.count() == 4
    assert Response.objects.count() == answers
