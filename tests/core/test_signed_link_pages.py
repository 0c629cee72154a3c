"""Pages whose address is the key (a survey link, a meeting-answer or calendar link, a sign-in link, a
password reset) are never kept by a browser's or a proxy's cache: on a shared phone or computer, the back
button or the history must not show them again. Each answers with Cache-Control: no-store, also when the
link is refused and when it redirects."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.services import login_link_create
from apps.meetings.services import meeting_create, meeting_invite
from apps.meetings.tokens import answer_token, ics_token
from apps.surveys.models import Invitation as SurveyInvitation
from apps.surveys.services import invitation_new, standard_bank_ensure, survey_create
from apps.surveys.tokens import invitation_token
from apps.visits.models import Ambassador

pytestmark = pytest.mark.django_db

FORGED = "Zq9TOKENxyz1234567890abcdef"


@pytest.fixture
def links(area, coordinator, ambassador, newcomer) -> dict[str, str]:
    """One working address of each kind."""
    today = timezone.localdate()
    standard_bank_ensure()
    survey = survey_create(
        area=area,
        by=None,
        title="Tilflytterundersøgelse",
        period_start=today - datetime.timedelta(days=365),
        period_end=today,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )
    survey_invitation = invitation_new(
        survey=survey, newcomer=newcomer, channel=SurveyInvitation.Channel.SMS, now=timezone.now()
    )
    survey_invitation.save()
    meeting = meeting_create(
        area=area, by=coordinator, starts_at=timezone.now() + datetime.timedelta(days=5), title="Netværksmøde"
    )
    [meeting_invitation] = meeting_invite(
        meeting=meeting, ambassadors=[Ambassador.objects.create(user=ambassador, area=area, languages=["da"])]
    )
    _link, login_token = login_link_create(user=ambassador, channel="sms")
    return {
        "survey link": reverse("surveys:answer", args=[invitation_token(invitation=survey_invitation)]),
        "survey QR entry": reverse("surveys:qr_start", args=[survey.qr_token]),
        "meeting answer": reverse("meetings:answer", args=[answer_token(invitation=meeting_invitation)]),
        "meeting calendar file": reverse("meetings:ics", args=[ics_token(invitation=meeting_invitation)]),
        "sign-in link": reverse("accounts:link_login", args=[login_token]),
    }


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "kind", ["survey link", "survey QR entry", "meeting answer", "meeting calendar file", "sign-in link"]
)
def test_a_signed_link_page_is_not_cached(client, links, kind):
    response = client.get(links[kind])
    assert response.status_code == 200, kind
    assert _no_store(response), kind


@pytest.mark.parametrize(
    "url",
    [
        "/s/{token}/",
        "/s/a/{token}/",
        "/s/qr/{token}/",
        "/meetings/answer/{token}/",
        "/meetings/ics/{token}/",
        "/accounts/link/{token}/",
        "/accounts/password/reset/MQ/{token}/",
    ],
)
def test_a_refused_link_page_is_not_cached_either(client, url):
    response = client.get(url.format(token=FORGED))
    assert response.status_code in (200, 400), url  # Django's password reset shows its own "invalid" page
    assert _no_store(response), url


def test_the_redirects_after_an_answer_are_not_cached(client, links):
    """The next address (the anonymous continuation, the answered meeting) is a key too."""
    started = client.post(links["survey QR entry"], {"lang": "da"})
    answered = client.post(links["meeting answer"], {"answer": "yes"})
    assert started.status_code == answered.status_code == 302
    assert _no_store(started) and _no_store(answered)
    continued = client.get(started["Location"])
    assert continued.status_code == 200 and _no_store(continued)
