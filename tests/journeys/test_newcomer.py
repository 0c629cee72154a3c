"""The newcomer on a phone: the survey's personal link arrives by SMS, and the newcomer answers to the end
in their own language: one household in Arabic (right to left), one in Danish. The answers are stored."""

import re

import pytest
from playwright.sync_api import Page, expect

from apps.surveys.content import texts_for
from apps.surveys.models import Invitation, Question, Response
from apps.surveys.services import survey_invite
from tests.browser import screenshot
from tests.journeys.conftest import PHONE, fits_the_phone
from tests.surveys.conftest import FULL_ANSWERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def survey_link(outbox: list[dict], phone: str) -> str:
    [sms] = [sms for sms in outbox if sms["to"] == phone]
    return re.search(r"/s/[\w.:-]+/", sms["body"]).group(0)


def answer_to_the_end(page: Page, language: str) -> None:
    """Each screen: the question in `language`, one tap on the answer (FULL_ANSWERS meets every condition,
    so all nine questions are asked); then the thanks."""
    words = texts_for(language)
    questions = {question.code: question for question in Question.objects.filter(code__in=FULL_ANSWERS)}
    for n, (code, value) in enumerate(FULL_ANSWERS.items(), start=1):
        expect(page.locator("input[name=code]")).to_have_value(code)
        expect(page.locator("legend")).to_have_text(questions[code].text(language))
        if n == 1 or code == "safety_scale":
            fits_the_phone(page)
            screenshot(page, f"journey-newcomer-{code}-{language}")
        label = value if code == "safety_scale" else words[value]
        page.locator("button.survey-answer").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["thanks_title"])


def test_newcomers_answer_the_survey_from_the_sms_in_arabic_and_in_danish(
    open_page, sms_outbox, survey, newcomer, make_newcomer
):
    danish = make_newcomer(name="Søren Ærø", language="da", days_ago=20)
    assert survey_invite(survey=survey) == 2  # newcomer (Amina) speaks Arabic

    arabic_phone = open_page(viewport=PHONE, locale="ar")
    arabic_phone.goto(survey_link(sms_outbox, newcomer.phone))
    expect(arabic_phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(arabic_phone.locator("html")).to_have_attribute("lang", "ar")
    expect(arabic_phone.locator("legend")).to_contain_text("هل زارك سفير الجيران")
    answer_to_the_end(arabic_phone, "ar")

    danish_phone = open_page(viewport=PHONE)
    danish_phone.goto(survey_link(sms_outbox, danish.phone))
    expect(danish_phone.locator("html")).to_have_attribute("dir", "ltr")
    expect(danish_phone.locator("html")).to_have_attribute("lang", "da")
    answer_to_the_end(danish_phone, "da")

    responses = {response.link.newcomer_id: response for response in Response.objects.select_related("link")}
    assert set(responses) == {newcomer.pk, danish.pk}
    for who, language in ((newcomer, "ar"), (danish, "da")):
        response = responses[who.pk]
        assert response.completed_at is not None and response.language == language
        assert response.source == Response.Source.PERSONAL_LINK
        assert {a.question.code: a.value for a in response.answers.select_related("question")} == FULL_ANSWERS
    assert Invitation.objects.filter(answered_at__isnull=False).count() == 2
