"""Links into the survey: the personal link per invitation, the QR entry per survey, and the continuation
link of an anonymous (QR) response.

The personal token is HMAC(secret key, the invitation's random nonce): it looks random, only its SHA-256
is stored (looked up by the unique `token_hash`), and a reminder can send the same link again without the
database keeping anything that works as a link. The anonymous continuation token is a signed response id:
whoever scanned the QR code continues their own answers and nobody else's.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import salted_hmac

from apps.surveys.models import Invitation, Response, Survey

INVITATION_SALT = "surveys.invitation"
ANONYMOUS_SALT = "surveys.anonymous"
# An anonymous respondent has a day to finish what they started.
ANONYMOUS_MAX_AGE = datetime.timedelta(days=1)


def token_for_nonce(nonce: str) -> str:
    return salted_hmac(INVITATION_SALT, nonce, algorithm="sha256").hexdigest()[:40]


def invitation_token(*, invitation: Invitation) -> str:
    return token_for_nonce(invitation.nonce)


def invitation_from_token(*, token: str) -> Invitation | None:
    """The invitation a token names, whatever its state (the service decides if it may still be used)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("survey__area", "newcomer")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


def anonymous_token(*, response: Response) -> str:
    return signing.dumps({"r": response.pk}, salt=ANONYMOUS_SALT, compress=False)


def response_from_anonymous_token(*, token: str) -> Response | None:
    try:
        response_id = int(signing.loads(token, salt=ANONYMOUS_SALT, max_age=ANONYMOUS_MAX_AGE)["r"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return Response.objects.select_related("survey__area").filter(pk=response_id, source=Response.Source.QR).first()


def _absolute(name: str, token: str, fallback: str) -> str:
    try:
        path = reverse(name, args=[token])
    except NoReverseMatch:  # a worker without the web app's URLs still writes a working link
        path = fallback
    return settings.SITE_URL + path


def invitation_url(*, invitation: Invitation) -> str:
    token = invitation_token(invitation=invitation)
    return _absolute("surveys:answer", token, f"/s/{token}/")


def qr_url(*, survey: Survey) -> str:
    return _absolute("surveys:qr_start", survey.qr_token, f"/s/qr/{survey.qr_token}/")
