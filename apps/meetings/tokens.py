"""Signed links in meeting messages: the one-tap answer link and the calendar (.ics) download.

A link names one invitation and is signed (with a timestamp) under its own salt, so an answer link is not
a calendar link and neither can be made by changing a number. A link is a bearer credential for that one
invitation only: it answers it or downloads its calendar entry, nothing else.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import NoReverseMatch, reverse

from apps.meetings.models import Invitation

ANSWER_SALT = "meetings.answer"
ICS_SALT = "meetings.ics"
# Links older than this are refused even if the meeting has not started: invitations go out weeks ahead,
# not months, and an old link in a forwarded message should stop working.
TOKEN_MAX_AGE = datetime.timedelta(days=120)


class InvalidMeetingLink(Exception):
    """The link is forged, damaged, too old, names no invitation, or is someone else's."""


def _dumps(invitation: Invitation, salt: str) -> str:
    return signing.dumps({"i": invitation.pk}, salt=salt, compress=False)


def _loads(token: str, salt: str, user=None) -> Invitation:
    try:
        payload = signing.loads(token, salt=salt, max_age=TOKEN_MAX_AGE)
        invitation_id = int(payload["i"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:  # SignatureExpired is a BadSignature
        raise InvalidMeetingLink from exc
    invitation = Invitation.objects.select_related("meeting__area", "ambassador__user").filter(pk=invitation_id).first()
    if invitation is None:
        raise InvalidMeetingLink
    # Someone signed in as another person opens a link that was sent to Ali: it is not theirs to answer.
    if getattr(user, "is_authenticated", False) and invitation.ambassador.user_id != user.pk:
        raise InvalidMeetingLink
    return invitation


def answer_token(*, invitation: Invitation) -> str:
    return _dumps(invitation, ANSWER_SALT)


def invitation_from_answer_token(*, token: str, user=None) -> Invitation:
    """The invitation an answer link names. Pass the request's user: a signed-in user other than the
    invited ambassador is refused. Raises InvalidMeetingLink; whether the meeting can still be answered
    is `invitation_answer`'s question (it refuses kindly after the start or when cancelled)."""
    return _loads(token, ANSWER_SALT, user)


def ics_token(*, invitation: Invitation) -> str:
    return _dumps(invitation, ICS_SALT)


def invitation_from_ics_token(*, token: str, user=None) -> Invitation:
    return _loads(token, ICS_SALT, user)


def _absolute(name: str, token: str, fallback: str) -> str:
    try:
        path = reverse(name, args=[token])
    except NoReverseMatch:  # a worker without the web app's URLs still writes a working link
        path = fallback
    return settings.SITE_URL + path


def answer_url(*, invitation: Invitation) -> str:
    token = answer_token(invitation=invitation)
    return _absolute("meetings:answer", token, f"/meetings/answer/{token}/")


def ics_url(*, invitation: Invitation) -> str:
    token = ics_token(invitation=invitation)
    return _absolute("meetings:ics", token, f"/meetings/ics/{token}/")
