"""The programme lead at a desk (1280 × 800), over the demo organisation `seed_demo` builds (two areas, two
survey rounds across them): signs in with password and authenticator code, lands on the survey rounds, reads
this year's round (the pooled funnel, each question with and without contact, the verdict), the trends, and
downloads the CSV and the PDF report. No newcomer's name, address, phone or written answer is on any of it,
and an area's pages refuse them with nothing changed.

The demo's own builder rather than fixtures: a round's funnel needs newcomers, visits, invitations and
answers in two areas, which is what the demo already builds (and what a newcomer to the project sees)."""

import csv
import io
import random
import re

import pytest
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from pypdf import PdfReader

from apps.accounts.demo import DEMO_PASSWORD, PROGRAMME_LEAD_USER, two_factor_demo_build
from apps.accounts.models import User
from apps.demo.build import DEMO_SLUG, SEED, demo_build
from apps.newcomers.models import Newcomer
from apps.organisation.models import Entrance
from apps.surveys.models import Answer, Question, Response, SurveyQuestion, SurveyRound
from apps.surveys.pooled import conclusion, round_figures, round_funnel, verdict
from apps.surveys.round_report import funnel_cells
from tests.browser import screenshot
from tests.journeys.conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What newcomers wrote; the demo's standard questions have no free text, so a coordinator's own question adds it.
WRITTEN_ANSWERS = ("Naboen i opgang 7 spiller høj musik hver nat", "Vi savner en legeplads ved Pilestien")


@pytest.fixture
def demo(settings) -> SurveyRound:
    """The demo organisation as `seed_demo` builds it, with written answers in this year's round; returns it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # some 25 demo users
    demo_build(rng=random.Random(SEED))
    two_factor_demo_build()
    this_year = SurveyRound.objects.order_by("-period_start").first()
    survey = this_year.surveys.get(area__slug=DEMO_SLUG)
    question = Question.objects.create(
        area=survey.area, code="improve", kind=Question.Kind.SHORT_TEXT, texts={"da": "Hvad kunne være bedre?"}
    )
    SurveyQuestion.objects.create(survey=survey, question=question, position=99)
    responses = Response.objects.filter(survey=survey, completed_at__isnull=False).order_by("pk")
    for response, text in zip(responses, WRITTEN_ANSWERS, strict=False):
        Answer.objects.create(response=response, question=question, value=text)
    assert Answer.objects.filter(question=question).count() == len(WRITTEN_ANSWERS)
    return this_year


def personal_data() -> list[str]:
    """Every name, address, phone number and written answer of the demo that no page of theirs may show."""
    found: list[str] = []
    for name, phone in Newcomer.objects.values_list("name", "phone"):
        found += [name] if name else []
        if phone:  # +4520123456, as typed (20123456) and as printed (20 12 34 56)
            national = phone.removeprefix("+45")
            found += [phone, national, " ".join(re.findall("..", national))]
    found += [f"{street} {number}" for street, number in Entrance.objects.values_list("street", "house_number")]
    found += list(User.objects.exclude(email=PROGRAMME_LEAD_USER.email).values_list("full_name", flat=True))
    found += list(Answer.objects.filter(question__kind=Question.Kind.SHORT_TEXT).values_list("value", flat=True))
    return found


def shows_no_personal_data(text: str, personal: list[str]) -> None:
    assert [value for value in personal if value in text] == []


def sign_in_with_two_factor(page, device: TOTPDevice) -> None:
    page.get_by_label("E-mail").fill(PROGRAMME_LEAD_USER.email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").last.click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
    # The code the authenticator app shows now, from the key seed_demo prints.
    code = TOTP(device.bin_key, device.step, device.t0, device.digits).token()
    page.get_by_label("Kode").fill(f"{code:0{device.digits}d}")
    page.get_by_role("button", name="Log ind").last.click()


def test_programme_lead_reads_the_rounds_figures_and_reports_and_no_persons_data(open_page, demo):
    this_year = demo
    lead = User.objects.get(email=PROGRAMME_LEAD_USER.email)
    personal = personal_data()
    assert len(personal) > 500  # the check below has something to find
    page = open_page(viewport=DESKTOP, language="da")

    page.goto("/")
    sign_in_with_two_factor(page, TOTPDevice.objects.get(user=lead, confirmed=True))

    # Lands on the rounds: both of the organisation's, across both areas.
    expect(page).to_have_url(re.compile(r"/rounds/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Undersøgelsesrunder")
    for survey_round in SurveyRound.objects.all():
        expect(page.get_by_role("link", name=survey_round.title)).to_be_visible()
    shows_no_personal_data(page.content(), personal)
    screenshot(page, "journey-programme-lead-rounds")

    # This year's round: the pooled funnel, each question with and without contact, and the verdict.
    page.get_by_role("link", name=this_year.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(this_year.title)
    figures = round_figures(round=this_year)
    funnel = funnel_cells(round_funnel(surveys=figures.surveys))["pooled"]
    pooled = page.locator('tr[data-row="pooled"]')
    expect(pooled.get_by_role("rowheader")).to_have_text("Alle områder")
    steps = ("in_period", "with_contact", "invited", "reached", "answered", "other")
    expect(pooled.locator("td")).to_have_text([str(funnel[key]) for key in steps] + [re.compile(r"^\d+(,\d+)? %$")])
    assert funnel["answered"].value > 0 and funnel["response_rate"] is not None
    expect(page.locator("svg.funnel-chart")).to_be_visible()
    happy = page.locator('[data-question="happy_living_here"]')
    expect(happy.get_by_role("heading")).to_be_visible()
    expect(happy.locator(".result-table").get_by_role("rowheader")).to_have_text(
        ["Alle", "Kontakt med naboambassadør", "Ingen kontakt"]
    )
    with translation.override("da"):
        expected = conclusion(verdict(figures.pooled["happy_living_here"], cmh_p=figures.cmh_p("happy_living_here")))
    expect(happy.locator("[data-verdict] strong")).to_have_text(expected)
    expect(page.locator("[data-question=improve]")).to_have_count(0)  # written answers are never figures
    shows_no_personal_data(page.content(), personal)
    screenshot(page, "journey-programme-lead-round")

    # The CSV: figures only.
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent som CSV").click()
    content = open(download.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) > 5
    shows_no_personal_data(content, personal)

    # The trends over the organisation's rounds.
    page.get_by_role("link", name="Udviklingen over runderne").click()
    expect(page).to_have_url(re.compile(rf"/rounds/trends/{DEMO_SLUG}/$"))
    expect(page.locator("svg").first).to_be_visible()
    shows_no_personal_data(page.content(), personal)
    screenshot(page, "journey-programme-lead-trends")

    # The PDF report: asked for, made by the (eager) worker, downloaded.
    page.go_back()
    page.get_by_role("button", name="Lav rapporten som PDF").click()
    expect(page.get_by_text("Rapporten er klar.")).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent PDF-filen").click()
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"%PDF-")
    pdf_text = "\n".join(pdf_page.extract_text() for pdf_page in PdfReader(io.BytesIO(data)).pages)
    assert this_year.title in " ".join(pdf_text.split())
    shows_no_personal_data(pdf_text, personal)
    response = page.request.get(page.get_by_role("link", name="Hent PDF-filen").get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"

    # An area's pages refuse them, and a write to one changes nothing.
    for path in (f"/areas/{DEMO_SLUG}/visits/", f"/areas/{DEMO_SLUG}/surveys/", f"/areas/{DEMO_SLUG}/"):
        assert page.goto(path).status in (403, 404), path
    newcomer = Newcomer.objects.filter(tenancy__estate__area__slug=DEMO_SLUG).exclude(phone="").first()
    before = Newcomer.objects.filter(pk=newcomer.pk).values().get()
    csrf = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
    refused = page.request.post(
        f"/areas/{DEMO_SLUG}/newcomers/{newcomer.pk}/edit/",
        form={"language": "ar", "phone": "+4520999999", "email": "", "do_not_contact": "on"},
        headers={"X-CSRFToken": csrf, "Referer": page.url},
    )
    assert refused.status in (403, 404)
    assert Newcomer.objects.filter(pk=newcomer.pk).values().get() == before
