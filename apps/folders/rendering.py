"""Turning folder content into HTML and PDF.

The speed of a batch rests on two things. The edition — every section of a version in one language,
the activity calendar and the back page with the survey link and QR code, none of it personal — is
rendered once and kept (`EditionRender`); a personal folder only adds its own page, the cover with
the name and address and the ambassador's business card, and pypdf merges it with the edition's pages.
And the personal pages of many newcomers are laid out in one WeasyPrint document per language, because
most of a small render's time is spent embedding the fonts (subsetting DejaVu/Noto with fontTools takes
~0.1 s per document on this machine), which one document does once for all of them. An anchor on each
cover tells where each newcomer's pages start.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from apps.core import bidi
from apps.core.qr import qr_svg
from apps.folders import printwords
from apps.folders.calendar import ActivityCalendar

if TYPE_CHECKING:  # pypdf and WeasyPrint are imported where they are used: only the worker makes PDFs
    from pypdf import PdfReader, PdfWriter
    from pypdf._page import PageObject

PRINT_CSS = "css/folder-print.css"


@dataclass(frozen=True)
class Card:
    """The ambassador's business card: the name always, the rest only as the ambassador opted in."""

    name: str
    phone: str = ""
    languages: list[str] = field(default_factory=list)
    photo_path: str = ""  # a file on disk


@dataclass(frozen=True)
class Recipient:
    """One personal folder: whose it is, in which language, and whose card goes in it."""

    key: str  # unique within one render, e.g. the newcomer's id
    name: str
    address_lines: list[str]
    language: str
    card: Card | None


def _fetcher():
    """WeasyPrint may read files under MEDIA_ROOT (pictures, the ambassador's photo) and nothing else:
    no network, no other files, whatever a folder's HTML asks for."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    media = Path(settings.MEDIA_ROOT).resolve()

    class MediaOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file" or not Path(unquote(parts.path)).resolve().is_relative_to(media):
                raise ValueError(f"Not fetched for a folder: {url[:80]}")
            return super().fetch(url, headers)

    return MediaOnlyFetcher(allowed_protocols={"file"})


@cache
def _stylesheet():
    from weasyprint import CSS

    return CSS(filename=finders.find(PRINT_CSS), font_config=_font_config())


@cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@cache
def design_digest() -> str:
    """A digest of the print templates and stylesheet: part of a cached edition's key, so a deployment
    that changes how the folder looks renders the editions afresh instead of mixing old and new pages."""
    template_dir = Path(settings.BASE_DIR, "templates", "folders", "print")
    # bidi.py changes the sections' HTML as it is printed.
    files = [*sorted(template_dir.glob("*.html")), Path(finders.find(PRINT_CSS)), Path(bidi.__file__)]
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode() + file.read_bytes())
    return digest.hexdigest()


def _date_text(day: datetime.date, language: str) -> str:
    words = printwords.words(language)
    month = words["months"][day.month - 1]
    return f"{day.day}. {month} {day.year}" if language == "da" else f"{day.day} {month} {day.year}"


def _day_month(day: datetime.date) -> str:
    return f"{day.day}.{day.month}."


def file_uri(storage_name: str) -> str:
    return Path(settings.MEDIA_ROOT, storage_name).resolve().as_uri()


def sections_for(content: dict, language: str, picture_src: Callable[[dict], str]) -> list[dict]:
    """The sections of `content` in `language`, each falling back to Danish where it is not translated."""
    sections = []
    for section in content["sections"]:
        text = section["texts"].get(language) or section["texts"].get("da")
        if not text or not (text["html"] or section["pictures"]):
            continue
        text_language = language if section["texts"].get(language) else "da"
        pictures = [{**picture, "src": picture_src(picture)} for picture in section["pictures"]]
        sections.append(
            {
                "kind": section["kind"],
                "title": text["title"],
                # Sanitised with nh3 when it was saved; numbers and addresses keep their order in Arabic.
                "html": bidi.safe_html_in(text["html"], text_language),
                "language": text_language,
                "rtl": bidi.is_rtl(text_language),
                "pictures": pictures,
            }
        )
    return sections


def _calendar_context(calendar: ActivityCalendar, language: str) -> dict:
    words = printwords.words(language)
    return {
        "period": words["calendar_period"]
        % {"start": _date_text(calendar.start, language), "end": _date_text(calendar.end, language)},
        "weekly": [(words["weekdays"][day], entries) for day, entries in calendar.weekly],
        "other": [
            (entry, ", ".join(_day_month(datetime.date.fromisoformat(day)) for day in entry.dates))
            for entry in calendar.other
        ],
        "empty": calendar.is_empty,
    }


def _document_context(language: str, area_name: str, version_number: int | None, stylesheet_url: str) -> dict:
    words = printwords.words(language)
    return {
        "language": language,
        "dir": bidi.direction(language),
        "w": words,
        "area_name": area_name,
        "version_line": words["version"] % {"number": version_number} if version_number else "",
        "stylesheet_url": stylesheet_url,
    }


def text_dir(text: str) -> str:
    """The direction of a name or address by its first strong character (WeasyPrint does not isolate
    <bdi>, so names and addresses get a span with an explicit dir, or their full stops jump sides)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in {"R", "AL"}:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _recipient_context(recipient: Recipient, area_name: str) -> dict:
    words = printwords.words(recipient.language)
    card = recipient.card
    endonyms = [printwords.endonym(code) for code in card.languages] if card else []
    return {
        "r": recipient,
        "w": words,
        "dir": bidi.direction(recipient.language),
        "name_dir": text_dir(recipient.name),
        "address": [(line, text_dir(line)) for line in recipient.address_lines],
        "card_name_dir": text_dir(card.name) if card else "ltr",
        "cover_title": words["cover_title"] % {"area": area_name},
        "card_languages": [(name, text_dir(name)) for name in endonyms],
        "card_photo": Path(card.photo_path).resolve().as_uri() if card and card.photo_path else "",
    }


def _back_context(survey_url: str | None) -> dict:
    return {"survey_url": survey_url or "", "qr": qr_svg(survey_url) if survey_url else ""}


def edition_html(
    *,
    content: dict,
    language: str,
    calendar: ActivityCalendar,
    area_name: str,
    version_number: int | None,
    survey_url: str | None = None,
    picture_src: Callable[[dict], str] | None = None,
    stylesheet_url: str = "",
) -> str:
    """The shared pages: every section in `language`, the activity calendar, and the back page last."""
    context = {
        **_document_context(language, area_name, version_number, stylesheet_url),
        "back": _back_context(survey_url),
        "sections": sections_for(content, language, picture_src or (lambda picture: file_uri(picture["path"]))),
        "calendar": _calendar_context(calendar, language),
    }
    return render_to_string("folders/print/edition.html", context)


def personal_html(*, recipients: list[Recipient], area_name: str) -> str:
    """Each recipient's cover with the business card, each in the recipient's language and direction."""
    context = {
        **_document_context("da", area_name, None, ""),
        "people": [_recipient_context(recipient, area_name) for recipient in recipients],
    }
    return render_to_string("folders/print/personal.html", context)


def whole_folder_html(
    *,
    recipient: Recipient,
    content: dict,
    calendar: ActivityCalendar,
    area_name: str,
    version_number: int | None,
    survey_url: str | None,
    picture_src: Callable[[dict], str] | None = None,
    stylesheet_url: str = "",
    extra: dict | None = None,
) -> str:
    """One newcomer's folder as one document: the preview, and the naive way the benchmark compares with."""
    language = recipient.language
    context = {
        **_document_context(language, area_name, version_number, stylesheet_url),
        "p": _recipient_context(recipient, area_name),
        "back": _back_context(survey_url),
        "sections": sections_for(content, language, picture_src or (lambda picture: file_uri(picture["path"]))),
        "calendar": _calendar_context(calendar, language),
        **(extra or {}),
    }
    return render_to_string("folders/print/whole.html", context)


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.MEDIA_ROOT), url_fetcher=_fetcher()).write_pdf(
        stylesheets=[_stylesheet()], font_config=_font_config()
    )


def personal_pages_render(*, recipients: list[Recipient], area_name: str) -> dict[str, list[PageObject]]:
    """The personal pages (the cover, with the card) of every recipient, keyed by recipient key.

    All of them in one WeasyPrint document whatever their languages (each cover carries its own `lang`
    and `dir`), so the fonts are embedded once for the lot.
    """
    from pypdf import PdfReader
    from weasyprint import HTML

    html = personal_html(recipients=recipients, area_name=area_name)
    document = HTML(string=html, base_url=str(settings.MEDIA_ROOT), url_fetcher=_fetcher()).render(
        stylesheets=[_stylesheet()], font_config=_font_config()
    )
    # Where each recipient's cover landed: its id is an anchor on that page.
    first_page = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            first_page.setdefault(anchor, number)
    reader = PdfReader(io.BytesIO(document.write_pdf()))
    starts = sorted((first_page[f"cover-{recipient.key}"], recipient.key) for recipient in recipients)
    ends = [start for start, _key in starts[1:]] + [len(reader.pages)]
    return {key: [reader.pages[n] for n in range(start, end)] for (start, key), end in zip(starts, ends, strict=True)}


def folder_pages(personal: list[PageObject], edition: PdfReader) -> list[PageObject | None]:
    """A whole folder: the cover with the card, the edition with the back page last. None is a blank page before
    the back page that makes the count even, so in a batch printed on both sides every folder starts on a
    sheet of its own and the back page is the back of the last sheet."""
    pages: list[PageObject | None] = [*personal, *edition.pages]
    if len(pages) % 2:
        pages.insert(len(pages) - 1, None)
    return pages


def add_pages(writer: PdfWriter, pages: list[PageObject | None]) -> None:
    for page in pages:
        if page is None:
            writer.add_blank_page(width=595.28, height=841.89)  # A4 in points
        else:
            writer.add_page(page)


def pdf_bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
