import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from apps.folders.models import Section
from apps.folders.selectors import folder_content, section_rows
from apps.folders.services import (
    folder_get_or_create,
    folder_language_add,
    folder_markdown_render,
    folder_publish,
    picture_add,
    section_text_save,
)

pytestmark = pytest.mark.django_db


def _states(folder, kind):
    row = next(row for row in section_rows(folder=folder) if row.section.kind == kind)
    return {state.language: state.state for state in row.states}


def test_new_folder_has_the_standard_sections_and_four_languages(area):
    folder = folder_get_or_create(area=area)

    assert folder.languages == ["da", "en", "ar", "tr"]
    assert [s.kind for s in folder.sections.all()] == [k for k in Section.Kind.values if k != "custom"]


def test_changing_the_danish_text_marks_its_translations_outdated(folder, coordinator):
    section = folder.sections.get(kind=Section.Kind.HOUSE_RULES)
    assert set(_states(folder, section.kind).values()) == {"current"}

    section_text_save(section=section, language="da", title="Husorden", markdown="Ro efter kl. 22.", by=coordinator)

    assert _states(folder, section.kind) == {"da": "current", "en": "outdated", "ar": "outdated", "tr": "outdated"}
    other = folder.sections.get(kind=Section.Kind.FACILITIES)
    assert set(_states(folder, other.kind).values()) == {"current"}


def test_saving_a_translation_again_makes_it_current(folder, coordinator):
    section = folder.sections.get(kind=Section.Kind.HOUSE_RULES)
    section_text_save(section=section, language="da", title="Husorden", markdown="Ro efter kl. 22.", by=coordinator)

    section_text_save(section=section, language="en", title="House rules", markdown="Quiet after 22.", by=coordinator)

    assert _states(folder, section.kind) == {"da": "current", "en": "current", "ar": "outdated", "tr": "outdated"}


def test_saving_the_same_danish_text_again_changes_nothing(folder, coordinator):
    section = folder.sections.get(kind=Section.Kind.HOUSE_RULES)
    danish = section.texts.get(language="da")

    section_text_save(section=section, language="da", title=danish.title, markdown=danish.markdown, by=coordinator)

    assert set(_states(folder, section.kind).values()) == {"current"}


def test_markdown_is_stored_sanitised_and_keeps_tables():
    html = folder_markdown_render(
        "<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )

    assert "<table>" in html and "<td>1</td>" in html
    assert "script" not in html and "javascript:" not in html and "onerror" not in html and "<img" not in html


def test_a_published_version_never_changes_when_the_draft_is_edited(folder, version, coordinator):
    before = version.content
    section = folder.sections.get(kind=Section.Kind.WELCOME_LETTER)

    section_text_save(section=section, language="da", title="Goddag", markdown="Helt ny tekst.", by=coordinator)
    section_text_save(section=section, language="ar", title="مرحبا", markdown="نص جديد", by=coordinator)
    folder_language_add(folder=folder, language="so")
    second = folder_publish(folder=folder, by=coordinator)

    version.refresh_from_db()
    assert version.content == before
    assert "Helt ny tekst" not in str(version.content)
    assert second.number == 2 and "Helt ny tekst" in str(second.content)
    assert version.content["languages"] == ["da", "en", "ar", "tr"]


def test_publishing_an_empty_folder_is_refused(area, coordinator):
    folder = folder_get_or_create(area=area)

    with pytest.raises(ValidationError):
        folder_publish(folder=folder, by=coordinator)


def test_only_known_language_codes_can_be_added(folder):
    with pytest.raises(ValidationError):
        folder_language_add(folder=folder, language="xx")

    folder_language_add(folder=folder, language="so")

    folder.refresh_from_db()
    assert folder.languages == ["da", "en", "ar", "tr", "so"]
    assert _states(folder, Section.Kind.WELCOME_LETTER)["so"] == "missing"


def _image_bytes(image_format: str, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_pictures_in_allowed_formats_are_stored_and_shown_in_the_draft(folder, coordinator, image_format):
    section = folder.sections.get(kind=Section.Kind.FACILITIES)

    picture = picture_add(section=section, data=_image_bytes(image_format), caption="Vaskeriet", by=coordinator)

    assert picture.image_format == image_format and (picture.width, picture.height) == (40, 30)
    assert "pictures" in picture.image.name and "Vaskeriet" not in picture.image.name
    content = folder_content(folder=folder)
    facilities = next(s for s in content["sections"] if s["kind"] == "facilities")
    assert facilities["pictures"][0]["caption"] == "Vaskeriet"


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a" + b"\x00" * 100,  # a GIF
        b"\x89PNG\r\n\x1a\n" + b"not really a png",  # a PNG header over junk
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
    ],
    ids=["gif", "broken-png", "svg"],
)
def test_files_that_are_not_allowed_pictures_are_refused(folder, coordinator, data):
    section = folder.sections.get(kind=Section.Kind.FACILITIES)

    with pytest.raises(ValidationError):
        picture_add(section=section, data=data, caption="", by=coordinator)

    assert not section.pictures.exists()


def test_large_pictures_are_scaled_down_for_print(folder, coordinator):
    section = folder.sections.get(kind=Section.Kind.FACILITIES)

    picture = picture_add(section=section, data=_image_bytes("PNG", (3000, 1500)), caption="", by=coordinator)

    assert (picture.width, picture.height) == (2400, 1200)


def test_pictures_with_too_many_pixels_are_refused(folder, coordinator, settings, monkeypatch):
    monkeypatch.setattr("apps.folders.services.PICTURE_MAX_PIXELS", 1000)
    section = folder.sections.get(kind=Section.Kind.FACILITIES)

    with pytest.raises(ValidationError):
        picture_add(section=section, data=_image_bytes("PNG", (100, 100)), caption="", by=coordinator)
