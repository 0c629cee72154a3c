"""The newcomer answers through the personal link or the QR code: one question per screen, conditions,
bad links and bad answers refused with nothing stored, and two submissions at once storing one response."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.surveys.models import Answer, Invitation, Response, ResponseLink
from apps.surveys.selectors import survey_funnel
from apps.surveys.services import LinkRefused, answer_by_invitation
from apps.surveys.tokens import anonymous_token
from tests.surveys.conftest import FULL_ANSWERS

pytestmark = pytest.mark.django_db


def _post(client, url, code, value, lang="da"):
    return client.post(url, {"code": code, "value": value, "lang": lang})


def test_newcomer_answers_every_screen_and_gets_a_thank_you(client, invitation_and_token):
    invitation, token = invitation_and_token
    url = reverse("surveys:answer", args=[token])

    first = client.get(url)
    assert first.status_code == 200
    assert first.context["question"].code == "ambassador_contact"
    assert first.context["progress_text"] == "Spørgsmål 1 af 9"
    for code, value in FULL_ANSWERS.items():
        response = _post(client, url, code, value)
    assert response.status_code == 200
    assert "Tak for dine svar" in response.content.decode()

    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    survey_response = ResponseLink.objects.get(invitation=invitation).response
    assert survey_response.completed_at is not None
    assert survey_response.source == Response.Source.PERSONAL_LINK
    assert survey_response.estate_id == invitation.newcomer.tenancy.estate_id
    assert dict(survey_response.answers.values_list("question__code", "value")) == FULL_ANSWERS


def test_a_link_preview_changes_nothing_only_the_first_answer_marks_the_link_opened(client, invitation_and_token):
    """SMS apps GET a link to preview it: that is not the newcomer opening it."""
    invitation, token = invitation_and_token
    url = reverse("surveys:answer", args=[token])
    row_before = Invitation.objects.filter(pk=invitation.pk).values().get()
    funnel_before = survey_funnel(survey=invitation.survey)

    for address in (url, f"{url}?lang=en", f"{url}?q=ambassador_contact"):
        assert client.get(address).status_code == 200

    assert Invitation.objects.filter(pk=invitation.pk).values().get() == row_before
    assert survey_funnel(survey=invitation.survey) == funnel_before
    assert not ResponseLink.objects.filter(invitation=invitation).exists()

    _post(client, url, "ambassador_contact", "yes")
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_folder_questions_are_skipped_when_no_folder_was_received(client, invitation_and_token):
    invitation, token = invitation_and_token
    url = reverse("surveys:answer", args=[token])
    for code, value in list(FULL_ANSWERS.items())[:6]:
        _post(client, url, code, value)

    last = _post(client, url, "received_folder", "no")

    assert "Tak for dine svar" in last.content.decode()
    codes = set(Answer.objects.filter(response__link__invitation=invitation).values_list("question__code", flat=True))
    assert "looked_at_folder" not in codes and "folder_useful" not in codes


def test_each_screen_is_kept_but_the_response_completes_only_at_the_end(client, invitation_and_token):
    invitation, token = invitation_and_token
    url = reverse("surveys:answer", args=[token])
    _post(client, url, "ambassador_contact", "no")
    response = _post(client, url, "happy_living_here", "yes")

    assert response.status_code == 302
    survey_response = Response.objects.get()
    assert survey_response.completed_at is None
    assert survey_response.last_question == "happy_living_here"
    assert survey_response.answers.count() == 2
    assert client.get(url).context["question"].code == "feel_welcome"


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("happy_living_here", "maybe"),  # not an answer to this question
        ("safety_scale", "8"),  # out of range
        ("safety_scale", "0"),
        ("looked_at_folder", "yes"),  # not asked: no folder received yet
        ("no_such_question", "yes"),  # not in the survey
    ],
)
def test_a_bad_answer_is_refused_and_nothing_is_stored(client, invitation_and_token, code, value):
    _invitation, token = invitation_and_token

    response = _post(client, reverse("surveys:answer", args=[token]), code, value)

    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_used_link_shows_a_clear_page_and_stores_nothing(client, invitation_and_token):
    invitation, token = invitation_and_token
    url = reverse("surveys:answer", args=[token])
    for code, value in FULL_ANSWERS.items():
        _post(client, url, code, value)
    answers = Answer.objects.count()

    again = _post(client, url, "happy_living_here", "no")

    assert again.status_code == 400
    assert "Linket virker ikke" in again.content.decode()
    assert Answer.objects.count() == answers
    assert Answer.objects.get(question__code="happy_living_here").value == "yes"


def test_an_expired_link_stores_nothing(client, survey, newcomer, make_invitation):
    _invitation, token = make_invitation(survey, newcomer, expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert client.get(reverse("surveys:answer", args=[token])).status_code == 400
    assert _post(client, reverse("surveys:answer", args=[token]), "ambassador_contact", "yes").status_code == 400
    assert not Response.objects.exists()


def test_a_forged_link_stores_nothing(client, invitation_and_token):
    _invitation, token = invitation_and_token
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")

    response = _post(client, reverse("surveys:answer", args=[forged]), "ambassador_contact", "yes")

    assert response.status_code == 400
    assert not Response.objects.exists()


def test_the_link_stops_when_the_survey_closes(client, survey, invitation_and_token):
    _invitation, token = invitation_and_token
    survey.closes_on = survey.opens_on
    survey.save(update_fields=["closes_on"])

    response = client.get(reverse("surveys:answer", args=[token]))

    assert response.status_code == 400
    assert "lukket" in response.content.decode()


def test_the_page_speaks_the_newcomers_language_right_to_left_for_arabic(
    client, survey, make_newcomer, make_invitation
):
    _invitation, token = make_invitation(survey, make_newcomer(language="ar"))

    page = client.get(reverse("surveys:answer", args=[token])).content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    assert "هل زارك سفير الجيران" in page
    assert "نعم" in page


def test_the_language_switcher_changes_the_language(client, invitation_and_token):
    _invitation, token = invitation_and_token

    page = client.get(reverse("surveys:answer", args=[token]) + "?lang=tr").content.decode()

    assert '<html lang="tr" dir="ltr">' in page
    assert "Evet" in page
    for code in ("da", "en", "ar", "tr"):
        assert f'href="?lang={code}"' in page


def test_going_back_lets_the_newcomer_change_an_answer(client, invitation_and_token):
    _invitation, token = invitation_and_token
    url = reverse("surveys:answer", args=[token])
    _post(client, url, "ambassador_contact", "yes")

    page = client.get(url + "?q=ambassador_contact")
    _post(client, url, "ambassador_contact", "no")

    assert page.context["question"].code == "ambassador_contact"
    assert Answer.objects.get(question__code="ambassador_contact").value == "no"


def test_skipping_a_question_moves_on_and_counts_as_unanswered(client, invitation_and_token):
    _invitation, token = invitation_and_token
    url = reverse("surveys:answer", args=[token])

    client.post(url, {"code": "ambassador_contact", "skip": "1", "lang": "da"})

    assert client.get(url).context["question"].code == "happy_living_here"
    assert Answer.objects.get(question__code="ambassador_contact").value == ""


def test_qr_code_answers_are_anonymous_and_grouped_by_their_own_contact_answer(client, survey):
    start = client.get(reverse("surveys:qr_start", args=[survey.qr_token]) + "?lang=en")
    assert start.status_code == 200
    begun = client.post(reverse("surveys:qr_start", args=[survey.qr_token]), {"lang": "en"})
    assert begun.status_code == 302
    url = begun["Location"].split("?")[0]
    for code, value in FULL_ANSWERS.items():
        last = _post(client, url, code, value, lang="en")

    assert "Thank you for your answers" in last.content.decode()
    survey_response = Response.objects.get()
    assert survey_response.source == Response.Source.QR
    assert survey_response.language == "en"
    assert survey_response.group == Response.Group.CONTACT  # from ambassador_contact = yes, settled at once
    assert not ResponseLink.objects.exists()
    assert _post(client, url, "happy_living_here", "no").status_code == 400  # finished: no more changes


def test_one_device_cannot_start_hundreds_of_qr_responses(client, survey, settings):
    from apps.surveys.views import QR_STARTS_PER_HOUR

    url = reverse("surveys:qr_start", args=[survey.qr_token])
    for _ in range(QR_STARTS_PER_HOUR):
        assert client.post(url, {"lang": "da"}).status_code == 302

    assert client.post(url, {"lang": "da"}).status_code == 429
    assert Response.objects.count() == QR_STARTS_PER_HOUR


def test_a_forged_qr_code_or_continuation_link_is_refused(client, survey):
    assert client.get(reverse("surveys:qr_start", args=["forged"])).status_code == 400
    assert client.get(reverse("surveys:anonymous", args=["forged"])).status_code == 400
    assert not Response.objects.exists()


def test_anonymous_links_continue_only_qr_responses(client, survey, invitation_and_token):
    invitation, token = invitation_and_token
    _post(client, reverse("surveys:answer", args=[token]), "ambassador_contact", "yes")
    linked = ResponseLink.objects.get(invitation=invitation).response

    # A continuation token made for a linked response's id does not open it.
    assert client.get(reverse("surveys:anonymous", args=[anonymous_token(response=linked)])).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_the_last_answer_at_once_store_one_response(survey, newcomer, make_invitation):
    invitation, _token = make_invitation(survey, newcomer)
    for code, value in list(FULL_ANSWERS.items())[:-1]:
        answer_by_invitation(invitation=invitation, code=code, value=value, language="da")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(value: str) -> None:
        try:
            barrier.wait()
            step = answer_by_invitation(invitation=invitation, code="folder_useful", value=value, language="da")
            outcomes.append("completed" if step.completed else "stored")
        except LinkRefused as refused:
            outcomes.append(refused.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(value,)) for value in ("yes", "no")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["completed", "used"]
    assert Response.objects.count() == 1
    assert Response.objects.get().completed_at is not None
    assert Answer.objects.filter(question__code="folder_useful").count() == 1
    assert Invitation.objects.get().answered_at is not None


@pytest.mark.django_db(transaction=True)
def test_two_first_screens_at_once_start_one_response(survey, newcomer, make_invitation):
    invitation, _token = make_invitation(survey, newcomer)
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def submit(value: str) -> None:
        try:
            barrier.wait()
            answer_by_invitation(invitation=invitation, code="ambassador_contact", value=value, language="da")
        except Exception as exc:  # noqa: BLE001 (the test reports any failure)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(value,)) for value in ("yes", "no")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Response.objects.count() == 1
    assert ResponseLink.objects.filter(invitation=invitation).count() == 1
    assert Answer.objects.count() == 1
