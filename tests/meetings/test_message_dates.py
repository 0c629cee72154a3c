"""Dates and times in the messages follow the recipient's language, whoever or whatever sends them: English
day first ("05/01/2027 17:00"), Danish with dots ("05.01.2027 17:00"), never the sender's language."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import formats, timezone, translation

from apps.core.models import Message
from apps.core.services import in_recipients_language
from apps.meetings.services import meeting_cancel, meeting_invite, meeting_reminders_send

from .conftest import local_datetime

pytestmark = pytest.mark.django_db

MEETING_DAY = timezone.localdate() + datetime.timedelta(days=5)
WRITTEN = {"da": "%d.%m.%Y 17:00", "en": "%d/%m/%Y 17:00", "ar": "%d.%m.%Y 17:00"}
OTHER = {"da": "en", "en": "da", "ar": "en"}


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(starts_at=local_datetime(MEETING_DAY, 17))


def _recipient(ambassador_profile, language: str):
    ambassador_profile.user.language = language
    ambassador_profile.user.save(update_fields=["language"])
    return ambassador_profile


def _bodies(user, prefix: str) -> list[str]:
    messages = Message.objects.filter(to_user=user, idempotency_key__startswith=prefix)
    return [f"{m.subject}\n{m.body}" for m in messages]


@pytest.mark.parametrize("language", ["da", "en", "ar"])
def test_invitation_reminder_and_cancellation_write_the_day_as_the_recipients_language_does(
    meeting, ambassador_profile, coordinator, language
):
    """ "ar" stands for a language the site does not speak: its messages are Danish, with Danish dates."""
    ambassador = _recipient(ambassador_profile, language)
    day = MEETING_DAY.strftime(WRITTEN[language])
    wrong = MEETING_DAY.strftime(WRITTEN[OTHER[language]])

    with translation.override(OTHER[language]):  # the sender (a coordinator, a worker) speaks the other one
        meeting_invite(meeting=meeting, ambassadors=[ambassador])
        meeting_reminders_send(now=local_datetime(MEETING_DAY - datetime.timedelta(days=2), 18))
        meeting_cancel(meeting=meeting, by=coordinator)

    sent = {
        prefix: _bodies(ambassador.user, prefix)
        for prefix in ("meeting-invite:", "meeting-remind-2d:", "meeting-cancel:")
    }
    assert all(len(bodies) == 1 for bodies in sent.values()), sent
    for [text] in sent.values():
        assert day in text and wrong not in text
    words = "\n".join(text for [text] in sent.values())
    assert ("Reminder:" in words and "Cancelled:" in words) == (language == "en")
    assert ("Påmindelse:" in words and "Aflyst:" in words) == (language != "en")


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_english_recipients_month_name_is_english_and_the_danish_one_danish(language):
    """The long format as well: the helper switches the formats, not only the words."""
    user = SimpleNamespace(language=language)

    with translation.override(OTHER[language]), in_recipients_language(user):
        written = formats.date_format(datetime.date(2027, 1, 5), "DATE_FORMAT")

    assert written == {"da": "5. januar 2027", "en": "5 January 2027"}[language]
