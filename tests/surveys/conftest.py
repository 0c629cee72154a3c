"""Fixtures for the survey tests: a running survey of `area` with the standard questions, newcomers who
moved in during its period, and invitations with their tokens.

Users come from tests/conftest.py: `coordinator` (area), `other_coordinator` (other_area), `interviewer` (area).
"""

import datetime

import pytest
from django.utils import timezone, translation

from apps.newcomers.models import Newcomer
from apps.organisation.models import Tenancy
from apps.surveys.importing import survey_import_rows
from apps.surveys.models import Invitation, Survey, SurveyRound
from apps.surveys.services import invitation_new, survey_create
from apps.surveys.tokens import invitation_token
from tests.surveys import ensure_standard_bank

# The standard questions in order, answered so that every condition is met.
FULL_ANSWERS = {
    "ambassador_contact": "yes",
    "happy_living_here": "yes",
    "feel_welcome": "yes",
    "joined_activities": "no",
    "safety_scale": "2",
    "trust_neighbours": "dont_know",
    "received_folder": "yes",
    "looked_at_folder": "yes",
    "folder_useful": "yes",
}


@pytest.fixture(autouse=True)
def _standard_bank(db):
    """The question bank comes from a data migration; transactional tests flush it."""
    ensure_standard_bank()


@pytest.fixture
def english(client):
    """Messages asserted in their English msgids: in the test's code and in the pages the client gets."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def make_survey(area, coordinator, today):
    def make(**fields) -> Survey:
        values = {
            "title": "Tilflytterundersøgelse",
            "period_start": today - datetime.timedelta(days=180),
            "period_end": today,
            "opens_on": today - datetime.timedelta(days=1),
            "closes_on": today + datetime.timedelta(days=30),
        }
        values.update(fields)
        the_area = values.pop("area", area)
        return survey_create(area=the_area, by=None, **values)

    return make


@pytest.fixture
def survey(make_survey) -> Survey:
    return make_survey()


@pytest.fixture
def make_newcomer(area, today):
    counter = iter(range(1, 10_000))

    def make(*, in_area=None, days_ago: int = 30, **fields) -> Newcomer:
        n = next(counter)
        tenancy = Tenancy.objects.filter(estate__area=in_area or area).order_by("number")[n % 3]
        values = {"name": f"Newcomer {n}", "phone": f"+45611{n:05d}", "language": "da"}
        values.update(fields)
        return Newcomer.objects.create(
            tenancy=tenancy, move_in_date=today - datetime.timedelta(days=days_ago + n), **values
        )

    return make


@pytest.fixture
def make_invitation():
    """An invitation as sent, and the token of its link."""

    def make(survey: Survey, newcomer: Newcomer, **fields) -> tuple[Invitation, str]:
        now = timezone.now()
        invitation = invitation_new(survey=survey, newcomer=newcomer, channel=Invitation.Channel.SMS, now=now)
        invitation.sent_at = now
        for name, value in fields.items():
            setattr(invitation, name, value)
        invitation.save()
        return invitation, invitation_token(invitation=invitation)

    return make


@pytest.fixture
def invitation_and_token(survey, make_newcomer, make_invitation):
    """A Danish-speaking newcomer's invitation (the shared `newcomer` fixture speaks Arabic)."""
    return make_invitation(survey, make_newcomer(language="da"))


# --- Survey rounds (issue 18: the pooled analysis) --------------------------------------------------------


@pytest.fixture
def make_round(organisation, today):
    """A survey round of `organisation` with one survey of each of `areas`, each with the standard questions
    (made with the ORM: building rounds is another part's service)."""

    def make(areas, **fields) -> SurveyRound:
        values = {"title": "Tilflytterundersøgelse 2026", "period_start": today - datetime.timedelta(days=365)}
        values.update(fields)
        survey_round = SurveyRound.objects.create(organisation=organisation, period_end=today, **values)
        for the_area in areas:
            survey = survey_create(
                area=the_area,
                by=None,
                title=survey_round.title,
                period_start=survey_round.period_start,
                period_end=survey_round.period_end,
                opens_on=today - datetime.timedelta(days=1),
                closes_on=today + datetime.timedelta(days=30),
            )
            Survey.objects.filter(pk=survey.pk).update(round=survey_round)
        return survey_round

    return make


def import_answers(survey: Survey, rows: list[dict[str, str]], *, prefix: str) -> None:
    """Import `rows` (question code → answer, "" unanswered) as an interview firm's file for `survey`:
    respondents without a newcomer, grouped by their own `ambassador_contact` answer."""
    codes = list(FULL_ANSWERS)
    lines = [";".join(["respondent_ref", "language", *codes])]
    lines += [";".join([f"{prefix}{i}", "da", *(row.get(c, "") for c in codes)]) for i, row in enumerate(rows, 1)]
    result = survey_import_rows(survey=survey, data="\n".join(lines).encode())
    assert result.errors == [] and result.imported == len(rows)
