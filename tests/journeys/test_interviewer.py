"""The interviewer at a desk (1280 × 800): signs in, opens the call list, notes a call nobody answered,
then interviews an Arabic-speaking newcomer on the phone with the questions shown in Arabic, and saves."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.surveys.content import texts_for
from apps.surveys.models import CallAttempt, Question, Response
from apps.surveys.services import invitation_new
from tests.browser import screenshot
from tests.journeys.conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the newcomer said on the phone: contact with an ambassador, no folder (so the folder questions
# after "received_folder" are not asked and stay "Not answered").
SAID = {
    "ambassador_contact": "yes",
    "happy_living_here": "yes",
    "feel_welcome": "dont_know",
    "joined_activities": "no",
    "safety_scale": "3",
    "trust_neighbours": "yes",
    "received_folder": "no",
}


def test_interviewer_works_through_the_call_list_and_saves_an_interview_held_in_arabic(
    open_page, survey, newcomer, make_newcomer, interviewer
):
    now = timezone.now()
    danish = make_newcomer(name="Søren Ærø", language="da", days_ago=20)
    for who in (newcomer, danish):  # invited by SMS a while ago; neither answered
        invitation_new(survey=survey, newcomer=who, channel="sms", now=now).save()
    page = open_page(viewport=DESKTOP, language="en")

    page.goto("/")
    page.get_by_label("E-mail").fill(interviewer.email)
    page.get_by_label("Password").fill("naboambassador-test")
    page.get_by_role("button", name="Sign in").last.click()
    page.get_by_role("link", name="Open the call lists").click()
    page.get_by_role("link", name=re.compile(survey.title)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Call list")
    cards = page.locator(".call-list > li")
    expect(cards).to_have_count(2)
    screenshot(page, "journey-interviewer-call-list")

    # Søren does not pick up: one tap notes the call, and he stays on the list.
    søren = cards.filter(has_text="Søren Ærø")
    søren.get_by_role("button", name="No answer").click()
    expect(cards.filter(has_text="Søren Ærø")).to_contain_text("1 call so far")
    assert CallAttempt.objects.get().invitation.newcomer == danish

    # Amina answers, in Arabic: the interview page asks the questions in Arabic, right to left.
    cards.filter(has_text="Amina Newcomer").get_by_role("link", name="Answered: enter the interview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amina Newcomer")
    expect(page.get_by_label("Language of the interview")).to_have_value("ar")
    words = texts_for("ar")
    questions = {q.code: q for q in Question.objects.filter(code__in=SAID)}
    for code, value in SAID.items():
        field = page.locator(f"#div_id_q_{code}")
        asked = field.locator('[lang="ar"]').first
        expect(asked).to_have_text(questions[code].text("ar"))
        expect(asked).to_have_attribute("dir", "rtl")
        choice = field.locator(f'input[value="{value}"]')
        if code != "safety_scale":
            expect(field.locator(f'label[for="{choice.get_attribute("id")}"]')).to_have_text(words[value])
        choice.check()
    screenshot(page, "journey-interviewer-interview-ar")
    page.get_by_role("button", name="Save the interview").click()

    expect(page.get_by_role("alert")).to_have_text("Thank you — the interview is saved.")
    expect(page.locator(".call-list > li")).to_have_count(1)  # Amina has answered: off the list
    response = Response.objects.get()
    assert (response.source, response.language, response.link.newcomer_id) == (
        Response.Source.INTERVIEW,
        "ar",
        newcomer.pk,
    )
    answers = {a.question.code: a.value for a in response.answers.select_related("question") if a.value}
    assert answers == SAID
