"""Real PDFs through WeasyPrint, read back with pypdf."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from apps.folders import rendering
from apps.folders.demo import DEMO_TEXTS
from apps.folders.models import Delivery, EditionRender, Section
from apps.folders.services import FolderMaker, delivery_request, recipient_for_visit, section_text_save
from tests.folders.conftest import pdf_pages_text, pdf_text

pytestmark = pytest.mark.django_db

SURVEY = "https://naboambassador.example.org/s/q/abc123"


def _personal_pdf(version, visit, survey_url=None) -> bytes:
    maker = FolderMaker(version=version, on_date=timezone.localdate(), survey_url=survey_url)
    ((_visit, _language, pages),) = maker.pages([visit])
    writer = PdfWriter()
    rendering.add_pages(writer, pages)
    return rendering.pdf_bytes(writer)


@pytest.mark.parametrize("language", ["da", "en", "ar", "tr"])
def test_each_language_prints_the_newcomers_name_and_its_own_headings(version, week_visits, language, activities):
    visit = week_visits[0]
    visit.newcomer.language = language
    visit.newcomer.save()

    text = pdf_text(_personal_pdf(version, visit))

    assert "Amira Haddad" in text
    heading = DEMO_TEXTS[Section.Kind.WASTE_SORTING][language][0]
    assert heading in text
    if language != "da":
        assert DEMO_TEXTS[Section.Kind.WASTE_SORTING]["da"][0] not in text


def test_the_arabic_folder_is_laid_out_right_to_left(version, week_visits, activities):
    maker = FolderMaker(version=version, on_date=timezone.localdate(), survey_url=None)
    recipient = recipient_for_visit(visit=week_visits[0], language="ar")

    personal = rendering.personal_html(recipients=[recipient], area_name="X")
    edition = rendering.edition_html(
        content=version.content, language="ar", calendar=maker.calendar, area_name="X", version_number=1
    )

    assert 'lang="ar" dir="rtl"' in personal and '<html lang="ar" dir="rtl">' in edition
    danish = rendering.edition_html(
        content=version.content, language="da", calendar=maker.calendar, area_name="X", version_number=1
    )
    assert '<html lang="da" dir="ltr">' in danish
    pages = pdf_pages_text(_personal_pdf(version, week_visits[0]))  # Amira reads Arabic
    assert "أرقام التواصل وأوقات العمل" in "".join(pages)
    assert "مرحبًا بكم في" in pages[0]


def test_the_folder_is_danish_when_the_language_is_unknown_or_not_translated(version, week_visits):
    nadia = week_visits[4]  # no language
    assert "Affaldssortering" in pdf_text(_personal_pdf(version, nadia))
    nadia.newcomer.language = "so"  # Somali: the folder is not written in it
    nadia.newcomer.save()
    assert "Affaldssortering" in pdf_text(_personal_pdf(version, nadia))


def test_an_untranslated_section_falls_back_to_danish(folder, coordinator, week_visits):
    from apps.folders.services import folder_publish

    section = folder.sections.get(kind=Section.Kind.GOOD_STORIES)
    section.texts.filter(language="tr").delete()
    version = folder_publish(folder=folder, by=coordinator)

    text = pdf_text(_personal_pdf(version, week_visits[1]))  # Mehmet reads Turkish

    assert "Çöp ayrıştırma" in text and "Gode historier fra området" in text


def test_the_card_shows_only_what_the_ambassador_opted_to_show(version, week_visits):
    ali_text = pdf_text(_personal_pdf(version, week_visits[0]))
    anne_text = pdf_text(_personal_pdf(version, week_visits[2]))

    assert "Ali Ambassador" in ali_text and "+45 20 10 00 11" in ali_text and "العربية" in ali_text
    assert "Anne Ambassador" in anne_text
    assert "20 10 00 12" not in anne_text and "4520100012" not in anne_text and "Türkçe" not in anne_text


def test_the_back_page_has_the_survey_link_and_qr_code_only_when_a_survey_runs(version, week_visits):
    with_survey = pdf_pages_text(_personal_pdf(version, week_visits[2], survey_url=SURVEY))
    without = pdf_text(_personal_pdf(version, week_visits[2]))

    assert SURVEY in with_survey[-1]
    assert "Hvordan er det at bo her?" in with_survey[-1]
    assert SURVEY not in without and "Hvordan er det at bo her?" not in without
    html = rendering.edition_html(
        content=version.content,
        language="da",
        calendar=FolderMaker(version=version, on_date=timezone.localdate(), survey_url=None).calendar,
        area_name="X",
        version_number=1,
        survey_url=SURVEY,
    )
    assert "<svg" in html and "<path" in html


def test_every_folder_has_an_even_number_of_a4_pages(version, week_visits):
    reader = PdfReader(io.BytesIO(_personal_pdf(version, week_visits[0])))

    assert len(reader.pages) % 2 == 0
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {(595, 842)}


def test_the_edition_is_rendered_once_per_version_and_language(
    version, week_visits, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for visit in week_visits:
            delivery_request(visit=visit, by=coordinator, survey_url=None)

    # ar, tr, da (Sofie and Nadia), en: four languages, four renders, whatever the number of folders.
    assert EditionRender.objects.filter(version=version).count() == 4
    assert Delivery.objects.filter(status=Delivery.Status.DONE).count() == 5


def test_a_personal_pdf_holds_its_own_newcomer_and_no_other(
    version, week_visits, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliveries = [delivery_request(visit=visit, by=coordinator, survey_url=None) for visit in week_visits]

    names = {visit.newcomer.pk: visit.newcomer.name for visit in week_visits}
    for delivery in deliveries:
        delivery.refresh_from_db()
        text = pdf_text(delivery.pdf.read())
        assert names[delivery.newcomer_id] in text
        assert not [name for pk, name in names.items() if pk != delivery.newcomer_id and name in text]
        assert delivery.visit.newcomer_id == delivery.newcomer_id


@pytest.mark.parametrize("language", ["da", "en", "ar", "tr"])
def test_the_coordinator_previews_the_draft_in_html_and_pdf(client, coordinator, folder, area, language):
    client.force_login(coordinator)
    heading = DEMO_TEXTS[Section.Kind.WASTE_SORTING][language][0]

    html = client.get(reverse("folders:preview", args=[area.slug, language]))
    pdf = client.get(reverse("folders:preview_pdf", args=[area.slug, language]))

    assert html.status_code == 200 and heading in html.content.decode()
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in html.content.decode()
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert heading in pdf_text(pdf.content)


def test_the_preview_shows_the_draft_not_the_published_version(client, coordinator, folder, version, area):
    section = folder.sections.get(kind=Section.Kind.WELCOME_LETTER)
    section_text_save(section=section, language="da", title="Velkommen", markdown="Kladdetekst her.", by=coordinator)
    client.force_login(coordinator)

    assert "Kladdetekst her." in client.get(reverse("folders:preview", args=[area.slug, "da"])).content.decode()
    assert "Kladdetekst" not in str(version.content)


def _image_count(data: bytes, page: int | None = None) -> int:
    pages = PdfReader(io.BytesIO(data)).pages
    return sum(len(p.images) for p in (pages if page is None else [pages[page]]))


def test_the_card_shows_the_photo_only_when_the_ambassador_opted_in(version, week_visits, ali):
    from django.core.files.base import ContentFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 60), "gray").save(buffer, format="JPEG")
    ali.photo.save("ali.jpg", ContentFile(buffer.getvalue()))
    visit = week_visits[0]
    assert _image_count(_personal_pdf(version, visit), page=0) == 0

    ali.card_show_photo = True
    ali.save()
    visit.ambassador.refresh_from_db()

    assert _image_count(_personal_pdf(version, visit), page=0) == 1


def test_pictures_are_printed_in_their_section(folder, coordinator, week_visits):
    from PIL import Image

    from apps.folders.services import folder_publish, picture_add

    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "gray").save(buffer, format="PNG")
    section = folder.sections.get(kind=Section.Kind.FACILITIES)
    picture_add(section=section, data=buffer.getvalue(), caption="Vaskeriet i kælderen", by=coordinator)
    first = folder.versions.get()
    version = folder_publish(folder=folder, by=coordinator)

    data = _personal_pdf(version, week_visits[2])

    assert _image_count(data) >= 1 and "Vaskeriet i kælderen" in pdf_text(data)
    assert _image_count(_personal_pdf(first, week_visits[2])) == 0  # version 1 stays without it


def test_the_pdf_renderer_reads_nothing_outside_the_media_folder(tmp_path, settings):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the folder")
    html = (
        '<html><body><p>x</p><img src="file:///etc/hostname"><img src="http://169.254.169.254/latest/">'
        f'<img src="{secret.as_uri()}"></body></html>'
    )

    pdf = rendering.pdf_from_html(html)

    assert _image_count(pdf) == 0
    fetcher = rendering._fetcher()
    for url in ["file:///etc/hostname", "http://169.254.169.254/", secret.as_uri(), "data:text/plain,x"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_changed_print_design_renders_the_edition_afresh(version, week_visits, monkeypatch):
    _personal_pdf(version, week_visits[2])
    assert EditionRender.objects.count() == 1

    monkeypatch.setattr(rendering, "design_digest", lambda: "a new stylesheet")
    _personal_pdf(version, week_visits[2])

    assert EditionRender.objects.count() == 2
