"""The signed links in meeting messages: each one answers (or downloads) its own invitation and nothing else."""

import datetime

import pytest
from django.core import signing

from apps.meetings import tokens
from apps.meetings.ics import meeting_ics
from apps.meetings.services import meeting_cancel
from apps.meetings.tokens import (
    InvalidMeetingLink,
    answer_token,
    answer_url,
    ics_token,
    invitation_from_answer_token,
    invitation_from_ics_token,
)

pytestmark = pytest.mark.django_db


def test_an_answer_link_names_its_invitation(invitation):
    assert invitation_from_answer_token(token=answer_token(invitation=invitation)) == invitation


def test_the_answer_url_carries_a_token_that_works(invitation):
    token = answer_url(invitation=invitation).rstrip("/").rsplit("/", 1)[-1]
    assert invitation_from_answer_token(token=token) == invitation


@pytest.mark.parametrize(
    "damage", [lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), lambda t: "x" + t, lambda t: ""]
)
def test_a_damaged_link_is_refused(invitation, damage):
    with pytest.raises(InvalidMeetingLink):
        invitation_from_answer_token(token=damage(answer_token(invitation=invitation)))


def test_a_forged_link_naming_another_invitation_is_refused(invitation, other_invitation):
    # Signed with another key (or salt), the payload of Anne's invitation does not pass.
    forged = signing.dumps({"i": other_invitation.pk}, key="not-the-secret-key", salt=tokens.ANSWER_SALT)
    with pytest.raises(InvalidMeetingLink):
        invitation_from_answer_token(token=forged)


def test_an_answer_link_is_not_a_calendar_link_and_the_reverse(invitation):
    with pytest.raises(InvalidMeetingLink):
        invitation_from_ics_token(token=answer_token(invitation=invitation))
    with pytest.raises(InvalidMeetingLink):
        invitation_from_answer_token(token=ics_token(invitation=invitation))


def test_an_expired_link_is_refused(invitation, monkeypatch):
    token = answer_token(invitation=invitation)
    later = signing.time.time() + tokens.TOKEN_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(InvalidMeetingLink):
        invitation_from_answer_token(token=token)


def test_a_link_to_a_deleted_invitation_is_refused(invitation):
    token = answer_token(invitation=invitation)
    invitation.delete()
    with pytest.raises(InvalidMeetingLink):
        invitation_from_answer_token(token=token)


def test_someone_else_signed_in_cannot_use_a_persons_link(invitation, other_ambassador, coordinator):
    token = answer_token(invitation=invitation)
    for user in (other_ambassador, coordinator):
        with pytest.raises(InvalidMeetingLink):
            invitation_from_answer_token(token=token, user=user)


def test_the_invited_ambassador_signed_in_can_use_their_link(invitation, ambassador):
    assert invitation_from_answer_token(token=answer_token(invitation=invitation), user=ambassador) == invitation


def test_the_calendar_entry_has_the_meeting_in_utc(invitation):
    meeting = invitation.meeting
    text = meeting_ics(meeting=meeting)

    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert f"DTSTART:{meeting.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in text
    assert "SUMMARY:Netværksmøde" in text
    assert "STATUS:CONFIRMED" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_a_cancelled_meetings_calendar_entry_says_so(invitation, coordinator):
    meeting = meeting_cancel(meeting=invitation.meeting, by=coordinator)
    assert "STATUS:CANCELLED" in meeting_ics(meeting=meeting)
