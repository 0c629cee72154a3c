"""The newcomer survey in data-subject requests and retention: the export shows the invitation and the
answers still linked; erasure and retention cut the link and keep the answers, pseudonymous and counted."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.privacy.services import retention_apply
from apps.surveys.models import Answer, Invitation, Response, ResponseLink
from apps.surveys.services import answer_by_invitation, invitation_new, standard_bank_ensure, survey_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(area, newcomer):
    """`newcomer` was invited and answered the first question, which is still linked to them."""
    standard_bank_ensure()
    today = timezone.localdate()
    survey = survey_create(
        area=area,
        by=None,
        title="Tilflytterundersøgelse",
        period_start=today - datetime.timedelta(days=400),
        period_end=today,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )
    invitation = invitation_new(survey=survey, newcomer=newcomer, channel=Invitation.Channel.SMS, now=timezone.now())
    invitation.sent_at = timezone.now()
    invitation.save()
    answer_by_invitation(invitation=invitation, code="ambassador_contact", value="yes", language="da")
    return invitation


def test_the_export_shows_the_survey_invitation_and_linked_answers(client, coordinator, area, newcomer, answered):
    client.force_login(coordinator)
    data = client.get(reverse("privacy:newcomer_export", args=[area.slug, newcomer.pk, "json"])).json()
    text = json.dumps(data, ensure_ascii=False)
    assert "Tilflytterundersøgelse" in text and "ambassador_contact" in text


def test_erasure_cuts_the_link_and_keeps_the_answers(client, coordinator, area, newcomer, answered):
    client.force_login(coordinator)
    client.post(reverse("privacy:newcomer_erase", args=[area.slug, newcomer.pk]), {"confirm": "on"})

    assert not ResponseLink.objects.filter(newcomer=newcomer).exists()
    response = Response.objects.get(survey=answered.survey)
    assert Answer.objects.filter(response=response, value="yes").exists()  # still counted
    answered.refresh_from_db()
    assert answered.expires_at <= timezone.now()  # the personal link no longer works


def test_retention_cuts_the_link_of_an_expired_newcomer(area, newcomer, answered):
    newcomer.move_in_date = timezone.localdate() - datetime.timedelta(days=400)
    newcomer.save()
    retention_apply()
    assert not ResponseLink.objects.exists() and Answer.objects.count() == 1
