"""Right to left done right: numbers, times, addresses and links keep their order in an Arabic folder."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from apps.core.bidi import is_rtl, ltr_isolate
from apps.folders.models import Section

pytestmark = pytest.mark.django_db


def _pdftotext(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_arabic_pdf_prints_phone_numbers_and_opening_hours_in_their_own_order(client, coordinator, folder, area):
    client.force_login(coordinator)

    text = _pdftotext(client.get(reverse("folders:preview_pdf", args=[area.slug, "ar"])).content)

    assert "أرقام التواصل وأوقات العمل" in text  # the Arabic contacts section, with its table
    for in_order, reversed_ in [("66 10 20 30", "30 20 10 66"), ("70 20 30 40", "40 30 20 70"), ("15–17", "17–15")]:
        assert in_order in text
        assert reversed_ not in text
    assert "bestyrelsen@demo.dk" in text


def test_the_arabic_preview_isolates_numbers_in_the_markdown_table(client, coordinator, folder, area):
    client.force_login(coordinator)

    html = client.get(reverse("folders:preview", args=[area.slug, "ar"])).content.decode()

    assert '<td><bdi dir="ltr">66 10 20 30</bdi></td>' in html
    assert '<bdi dir="ltr">70 20 30 40</bdi>' in html
    assert '<bdi dir="ltr">bestyrelsen@demo.dk</bdi>' in html


def test_the_danish_preview_is_left_as_written(client, coordinator, folder, area):
    client.force_login(coordinator)

    html = client.get(reverse("folders:preview", args=[area.slug, "da"])).content.decode()

    assert "66 10 20 30" in html and "<bdi" not in html


def test_isolation_wraps_text_only_never_a_tag_or_an_attribute():
    html = '<p>اتصل <a href="https://x.dk/a?b=1&amp;c=2">https://x.dk/a?b=1&amp;c=2</a>، 08.00–15.30 &#39;</p>'

    assert ltr_isolate(html) == (
        '<p>اتصل <a href="https://x.dk/a?b=1&amp;c=2"><bdi dir="ltr">https://x.dk/a?b=1&amp;c=2</bdi></a>، '
        '<bdi dir="ltr">08.00–15.30</bdi> &#39;</p>'
    )


def test_isolation_keeps_dates_postcodes_and_international_numbers_whole():
    html = ltr_isolate("<p>1-11-2026 · 2650 · +45 70 20 30 40 · kontor@demo.dk.</p>")

    assert html == (
        '<p><bdi dir="ltr">1-11-2026</bdi> · <bdi dir="ltr">2650</bdi> · <bdi dir="ltr">+45 70 20 30 40</bdi> · '
        '<bdi dir="ltr">kontor@demo.dk</bdi>.</p>'
    )


def _inputs(html: str) -> list[str]:
    return re.findall(r"<(?:textarea|input)[^>]*name=\"(?:title|markdown)\"[^>]*>", html)


def test_the_arabic_translation_editor_types_and_previews_right_to_left(client, coordinator, folder, area):
    section = folder.sections.get(kind=Section.Kind.CONTACTS)
    client.force_login(coordinator)

    html = client.get(reverse("folders:section_edit", args=[area.slug, section.pk, "ar"])).content.decode()

    inputs = _inputs(html)
    assert len(inputs) == 2
    assert all('dir="rtl"' in tag and 'lang="ar"' in tag for tag in inputs)
    assert '<div class="border rounded p-3 section-preview" lang="ar" dir="rtl">' in html
    assert '<td><bdi dir="ltr">66 10 20 30</bdi></td>' in html


@pytest.mark.parametrize("language", ["da", "en", "tr"])
def test_left_to_right_translations_are_edited_left_to_right(client, coordinator, folder, area, language):
    section = folder.sections.get(kind=Section.Kind.CONTACTS)
    client.force_login(coordinator)

    html = client.get(reverse("folders:section_edit", args=[area.slug, section.pk, language])).content.decode()

    inputs = _inputs(html)
    assert len(inputs) == 2
    assert all('dir="ltr"' in tag and f'lang="{language}"' in tag for tag in inputs)
    assert 'dir="rtl"' not in html and "<bdi" not in html


@pytest.mark.parametrize(("code", "rtl"), [("ar", True), ("fa", True), ("ur", True), ("he", True), ("tr", False)])
def test_right_to_left_languages_are_known_by_code(code, rtl):
    assert is_rtl(code) is rtl
