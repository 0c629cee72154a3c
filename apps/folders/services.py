"""Writes and multi-step work for the welcome folder: editing the draft, publishing versions, and
making personal PDFs (alone, or a week's batch per ambassador)."""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import markdown as markdown_lib
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.images import image_clean
from apps.core.jobs import job_claim, job_done, job_heartbeat
from apps.folders import rendering
from apps.folders.calendar import ActivityCalendar, activity_calendar
from apps.folders.models import (
    DEFAULT_LANGUAGES,
    SOURCE_LANGUAGE,
    BatchFile,
    Delivery,
    EditionRender,
    FolderVersion,
    Picture,
    PrintBatch,
    Section,
    SectionText,
    WelcomeFolder,
)
from apps.folders.rendering import Card, Recipient
from apps.folders.selectors import FOLDER_VISIT_RELATED, batch_visits, folder_content
from apps.organisation.models import Area
from apps.visits.models import LANGUAGE_CHOICES, Visit

if TYPE_CHECKING:  # pypdf is imported where it is used: only the worker makes PDFs
    from pypdf import PdfReader, PdfWriter

logger = logging.getLogger(__name__)

# --- Markdown -------------------------------------------------------------------------------------------

# Folder text keeps structure, links and tables (contacts with opening hours read best as a table);
# nothing that runs, loads or restyles.
FOLDER_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "blockquote", "a", "hr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
FOLDER_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
FOLDER_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def folder_markdown_render(text: str) -> str:
    """Markdown to safe HTML, cleaned with nh3 to the allow-list above (also used for previews)."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists", "tables"])
    return nh3.clean(
        html, tags=FOLDER_TAGS, attributes=FOLDER_ATTRIBUTES, url_schemes=FOLDER_URL_SCHEMES, link_rel=None
    )


# --- The draft ------------------------------------------------------------------------------------------

# A new folder's sections, with Danish headings and a start the coordinator overwrites.
STARTER_SECTIONS: list[tuple[str, str, str]] = [
    (Section.Kind.WELCOME_LETTER, "Velkommen", ""),
    (
        Section.Kind.CONTACTS,
        "Kontakter og åbningstider",
        "| Hvem | Telefon | Åbent |\n|---|---|---|\n| Ejendomskontoret | | |\n| Boligsocialt team | | |\n"
        "| Afdelingsbestyrelsen | | |\n\n**Akut hjælp:** 112 · **Vagttelefon:** ",
    ),
    (Section.Kind.FACILITIES, "Faciliteter", ""),
    (Section.Kind.HOUSE_RULES, "Husorden", ""),
    (Section.Kind.WASTE_SORTING, "Affaldssortering", ""),
    (Section.Kind.GOOD_STORIES, "Gode historier fra området", ""),
]
LANGUAGE_CODES = {code for code, _name in LANGUAGE_CHOICES}


@transaction.atomic
def folder_get_or_create(*, area: Area) -> WelcomeFolder:
    """The area's folder; the first time, with the standard sections and Danish, English, Arabic, Turkish."""
    folder, created = WelcomeFolder.objects.get_or_create(area=area, defaults={"languages": list(DEFAULT_LANGUAGES)})
    if created:
        for order, (kind, title, text) in enumerate(STARTER_SECTIONS, start=1):
            section = Section.objects.create(folder=folder, kind=kind, order=order * 10, revision=1)
            SectionText.objects.create(
                section=section,
                language=SOURCE_LANGUAGE,
                title=title,
                markdown=text,
                html=folder_markdown_render(text),
                source_revision=1,
            )
    return folder


@transaction.atomic
def section_text_save(*, section: Section, language: str, title: str, markdown: str, by: User | None) -> SectionText:
    """Save one section in one language.

    A changed Danish text raises the section's revision, which marks every translation outdated until it
    is saved again; saving a translation records that it now follows the current Danish revision.
    """
    section = Section.objects.select_for_update().select_related("folder").get(pk=section.pk)
    if language not in section.folder.languages:
        raise ValidationError(_("The folder is not written in this language."))
    title, markdown = title.strip(), markdown.strip()
    text = SectionText.objects.filter(section=section, language=language).first()
    if language == SOURCE_LANGUAGE:
        if text is None or (text.title, text.markdown) != (title, markdown):
            section.revision = F("revision") + 1
            section.save(update_fields=["revision", "updated_at"])
            section.refresh_from_db(fields=["revision"])
    if text is None:
        text = SectionText(section=section, language=language)
    text.title, text.markdown, text.html = title, markdown, folder_markdown_render(markdown)
    text.source_revision = section.revision
    text.updated_by = by
    text.full_clean()
    text.save()
    return text


@transaction.atomic
def section_add(*, folder: WelcomeFolder, title: str, by: User | None) -> Section:
    """A section of the coordinator's own ("other"), last in the folder."""
    last = folder.sections.aggregate(last=Max("order"))["last"] or 0
    section = Section.objects.create(folder=folder, kind=Section.Kind.CUSTOM, order=last + 10)
    section_text_save(section=section, language=SOURCE_LANGUAGE, title=title, markdown="", by=by)
    return section


@transaction.atomic
def folder_language_add(*, folder: WelcomeFolder, language: str) -> WelcomeFolder:
    folder = WelcomeFolder.objects.select_for_update().get(pk=folder.pk)
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("Choose a language from the list."))
    if language not in folder.languages:
        folder.languages = [*folder.languages, language]
        folder.save(update_fields=["languages", "updated_at"])
    return folder


# Pictures: checked by their content, not their name. Print needs no more than ~2400 px on the long side
# (A4 width at 300 dpi); larger ones are scaled down, and EXIF (camera, GPS position) is not kept.
PICTURE_MAX_BYTES = 8 * 1024 * 1024
PICTURE_MAX_PIXELS = 40_000_000
PICTURE_MAX_SIDE = 2400


@transaction.atomic
def picture_add(*, section: Section, data: bytes, caption: str, by: User | None) -> Picture:
    clean = image_clean(data, max_bytes=PICTURE_MAX_BYTES, max_pixels=PICTURE_MAX_PIXELS, max_side=PICTURE_MAX_SIDE)
    picture = Picture(
        folder=section.folder,
        section=section,
        image_format=clean.format,
        sha256=hashlib.sha256(clean.data).hexdigest(),
        width=clean.width,
        height=clean.height,
        caption=caption.strip(),
    )
    picture.image.save("picture", ContentFile(clean.data), save=False)
    picture.save()
    return picture


def picture_remove(*, picture: Picture) -> Picture:
    """Hidden from the draft; the file stays, as published versions may show it."""
    picture.removed = True
    picture.save(update_fields=["removed", "updated_at"])
    return picture


@transaction.atomic
def folder_publish(*, folder: WelcomeFolder, by: User | None) -> FolderVersion:
    """Freeze the draft as the next numbered version. The content is copied, so later edits never reach it."""
    folder = WelcomeFolder.objects.select_for_update().get(pk=folder.pk)
    content = folder_content(folder=folder)
    letter = next((s for s in content["sections"] if s["kind"] == Section.Kind.WELCOME_LETTER), None)
    if letter is None or not letter["texts"].get(SOURCE_LANGUAGE, {}).get("html"):
        raise ValidationError(_("Write the welcome letter in Danish before publishing."))
    number = (folder.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    return FolderVersion.objects.create(
        folder=folder, number=number, content=content, published_at=timezone.now(), published_by=by
    )


# --- Personal folders -----------------------------------------------------------------------------------


def folder_language(*, version_languages: Iterable[str], newcomer_language: str) -> str:
    """The newcomer's language when the folder is written in it, else Danish."""
    code = (newcomer_language or "").lower()[:2]
    return code if code and code in version_languages else SOURCE_LANGUAGE


def recipient_for_visit(*, visit: Visit, language: str) -> Recipient:
    newcomer, ambassador = visit.newcomer, visit.ambassador
    tenancy = newcomer.tenancy
    entrance = tenancy.entrance
    card = None
    if ambassador is not None:
        card = Card(
            name=ambassador.user.full_name,
            phone=ambassador.user.phone if ambassador.card_show_phone else "",
            languages=list(ambassador.languages) if ambassador.card_show_languages else [],
            photo_path=ambassador.photo.path if ambassador.card_show_photo and ambassador.photo else "",
        )
    return Recipient(
        key=str(newcomer.pk),
        name=newcomer.name or "",
        address_lines=[tenancy.address, f"{entrance.postcode} {entrance.city}".strip()],
        language=language,
        card=card,
    )


def edition_reader(
    *, version: FolderVersion, language: str, calendar: ActivityCalendar, survey_url: str | None
) -> PdfReader:
    """The shared pages of `version` in `language` (back page last): rendered the first time, read from
    disk after."""
    from pypdf import PdfReader

    key = f"{calendar.digest()} {survey_url or ''} {rendering.design_digest()}"
    digest = hashlib.sha256(key.encode()).hexdigest()
    found = EditionRender.objects.filter(version=version, language=language, digest=digest).first()
    if found is None:
        html = rendering.edition_html(
            content=version.content,
            language=language,
            calendar=calendar,
            area_name=version.folder.area.name,
            version_number=version.number,
            survey_url=survey_url,
        )
        pdf = rendering.pdf_from_html(html)
        found = EditionRender(
            version=version,
            language=language,
            digest=digest,
            page_count=len(PdfReader(io.BytesIO(pdf)).pages),
        )
        found.pdf.save(f"v{version.pk}-{language}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
        try:
            with transaction.atomic():
                found.save()
        except IntegrityError:  # rendered at the same moment by another worker: use theirs
            found.pdf.delete(save=False)
            found = EditionRender.objects.get(version=version, language=language, digest=digest)
    with found.pdf.open("rb") as file:
        return PdfReader(io.BytesIO(file.read()))


class FolderMaker:
    """Makes personal folders of one version on one day: editions cached per language for the run."""

    def __init__(self, *, version: FolderVersion, on_date: datetime.date, survey_url: str | None) -> None:
        self.version = version
        self.area = version.folder.area
        self.survey_url = survey_url or None
        self.calendar = activity_calendar(area=self.area, on_date=on_date)
        self._editions: dict[str, PdfReader] = {}

    def edition(self, language: str) -> PdfReader:
        if language not in self._editions:
            self._editions[language] = edition_reader(
                version=self.version, language=language, calendar=self.calendar, survey_url=self.survey_url
            )
        return self._editions[language]

    def language_for(self, visit: Visit) -> str:
        return folder_language(version_languages=self.version.languages, newcomer_language=visit.newcomer.language)

    def pages(self, visits: list[Visit]) -> list[tuple[Visit, str, list]]:
        """For each visit: its folder's language and pages (personal pages merged with the edition)."""
        recipients = [recipient_for_visit(visit=visit, language=self.language_for(visit)) for visit in visits]
        personal = rendering.personal_pages_render(recipients=recipients, area_name=self.area.name)
        return [
            (
                visit,
                recipient.language,
                rendering.folder_pages(personal[recipient.key], self.edition(recipient.language)),
            )
            for visit, recipient in zip(visits, recipients, strict=True)
        ]


def current_version(*, area: Area) -> FolderVersion | None:
    return FolderVersion.objects.filter(folder__area=area).select_related("folder__area").order_by("-number").first()


@transaction.atomic
def delivery_current(*, visit: Visit, survey_url: str | None) -> Delivery | None:
    """Today's personal folder for the visit from the current version, made or being made (None: none yet)."""
    version = current_version(area=visit.area)
    if version is None:
        return None
    language = folder_language(version_languages=version.languages, newcomer_language=visit.newcomer.language)
    return (
        Delivery.objects.filter(
            visit=visit,
            newcomer=visit.newcomer,
            version=version,
            language=language,
            batch_file=None,
            survey_url=survey_url or "",
            status__in=[Delivery.Status.QUEUED, Delivery.Status.RUNNING, Delivery.Status.DONE],
            created_at__date=timezone.localdate(),  # the calendar starts today
        )
        .order_by("-created_at")
        .first()
    )


def delivery_request(*, visit: Visit, by: User | None, survey_url: str | None) -> Delivery:
    """The personal folder for a visit: the one already made (or being made) today from the current
    version, or a new one queued for the worker."""
    version = current_version(area=visit.area)
    if version is None:
        raise ValidationError(_("The welcome folder has not been published yet."))
    existing = delivery_current(visit=visit, survey_url=survey_url)
    if existing is not None:
        return existing
    language = folder_language(version_languages=version.languages, newcomer_language=visit.newcomer.language)
    delivery = Delivery.objects.create(
        newcomer=visit.newcomer,
        visit=visit,
        version=version,
        language=language,
        made_by=by,
        survey_url=survey_url or "",
    )
    from apps.folders.tasks import folder_delivery_render

    folder_delivery_render.delay_on_commit(delivery.pk)
    return delivery


def delivery_render(*, delivery_id: int) -> Delivery | None:
    """Make a queued delivery's PDF. Safe to run twice: the delivery is claimed first, and one that is
    made is left alone."""
    if not job_claim(model=Delivery, pk=delivery_id):
        return Delivery.objects.filter(pk=delivery_id).first()
    from pypdf import PdfWriter

    delivery = (
        Delivery.objects.select_related("version__folder__area", "visit__ambassador__user")
        .select_related(*(f"visit__{name}" for name in FOLDER_VISIT_RELATED))
        .get(pk=delivery_id)
    )
    visit = delivery.visit
    if visit is None or visit.newcomer_id != delivery.newcomer_id:
        raise ValidationError("The delivery's visit no longer belongs to its newcomer.")
    maker = FolderMaker(version=delivery.version, on_date=timezone.localdate(), survey_url=delivery.survey_url)
    ((_visit, language, pages),) = maker.pages([visit])
    writer = PdfWriter()
    rendering.add_pages(writer, pages)
    delivery.pdf.save(f"folder-{delivery.pk}.pdf", ContentFile(rendering.pdf_bytes(writer)), save=False)
    job_done(model=Delivery, pk=delivery.pk, language=language, pdf=delivery.pdf.name, page_count=len(pages))
    delivery.refresh_from_db()
    return delivery


# --- The week's batch -----------------------------------------------------------------------------------

BATCH_DAYS = 7
# Folders laid out per WeasyPrint document: large enough to share the font work (embedding the fonts
# costs ~0.1–0.3 s per document here), small enough for the progress bar to move.
BATCH_CHUNK = 200


@transaction.atomic
def batch_create(
    *, area: Area, by: User | None, survey_url: str | None, today: datetime.date | None = None
) -> PrintBatch:
    version = current_version(area=area)
    if version is None:
        raise ValidationError(_("The welcome folder has not been published yet."))
    today = today or timezone.localdate()
    batch = PrintBatch.objects.create(
        area=area,
        requested_by=by,
        version=version,
        due_until=today + datetime.timedelta(days=BATCH_DAYS),
        survey_url=survey_url or "",
    )
    from apps.folders.tasks import folder_batch_make

    folder_batch_make.delay_on_commit(batch.pk)
    return batch


def batch_make(*, batch_id: int) -> PrintBatch | None:
    """Make the batch's PDFs: one per ambassador, their visits' folders in due-date order, and a
    delivery per visit pointing at its pages. Claims the batch first, so a second delivery of the task
    does nothing; a retry after a failure, or after its worker died, starts the batch over."""
    # Queued, or running but silent for too long: its worker died (it reports after every chunk).
    if not job_claim(model=PrintBatch, pk=batch_id, reset={"done": 0}):
        return None
    from pypdf import PdfWriter

    batch = PrintBatch.objects.select_related("version__folder__area").get(pk=batch_id)
    for old in batch.files.all():  # left by an attempt that failed half-way
        old.pdf.delete(save=False)
        old.delete()
    visits = batch_visits(area=batch.area, due_until=batch.due_until)
    job_heartbeat(model=PrintBatch, pk=batch.pk, total=len(visits))
    maker = FolderMaker(version=batch.version, on_date=batch.created_at.date(), survey_url=batch.survey_url)
    # Chunks of the whole list, not of one ambassador's visits: the personal pages of a chunk are laid
    # out together, and most ambassadors have only a few visits a week.
    writers: dict[int, PdfWriter] = {}
    placed: dict[int, list[tuple[Visit, str, int, int]]] = {}
    for start in range(0, len(visits), BATCH_CHUNK):
        chunk = visits[start : start + BATCH_CHUNK]
        for visit, language, pages in maker.pages(chunk):
            writer = writers.setdefault(visit.ambassador_id, PdfWriter())
            placed.setdefault(visit.ambassador_id, []).append((visit, language, len(writer.pages) + 1, len(pages)))
            rendering.add_pages(writer, pages)
        job_heartbeat(model=PrintBatch, pk=batch.pk, done=start + len(chunk))
    for ambassador_id, writer in writers.items():
        ambassador = placed[ambassador_id][0][0].ambassador
        with transaction.atomic():
            batch_file = BatchFile(batch=batch, ambassador=ambassador, folder_count=len(placed[ambassador_id]))
            batch_file.pdf.save(
                f"batch-{batch.pk}-{ambassador.pk}.pdf", ContentFile(rendering.pdf_bytes(writer)), save=False
            )
            batch_file.save()
            Delivery.objects.bulk_create(
                Delivery(
                    newcomer=visit.newcomer,
                    visit=visit,
                    version=batch.version,
                    language=language,
                    status=Delivery.Status.DONE,
                    finished_at=timezone.now(),
                    made_by=batch.requested_by,
                    survey_url=batch.survey_url,
                    batch_file=batch_file,
                    first_page=first_page,
                    page_count=page_count,
                )
                for visit, language, first_page, page_count in placed[ambassador_id]
            )
    job_done(model=PrintBatch, pk=batch.pk)
    batch.refresh_from_db()
    return batch


def folder_preview_pdf(
    *, folder: WelcomeFolder, language: str, on_date: datetime.date, survey_url: str | None = None
) -> bytes:
    """The draft in one language as a whole folder with a sample newcomer and ambassador."""
    html = folder_preview_html(folder=folder, language=language, on_date=on_date, survey_url=survey_url)
    return rendering.pdf_from_html(html)


def folder_preview_html(
    *,
    folder: WelcomeFolder,
    language: str,
    on_date: datetime.date,
    picture_src=None,
    stylesheet_url: str = "",
    survey_url: str | None = None,
    preview_bar: dict | None = None,
) -> str:
    from apps.folders.printwords import words

    sample = words(language)
    recipient = Recipient(
        key="preview",
        name=str(sample["sample_newcomer"]),
        address_lines=[folder.area.name],
        language=language,
        card=None,
    )
    return rendering.whole_folder_html(
        recipient=recipient,
        content=folder_content(folder=folder),
        calendar=activity_calendar(area=folder.area, on_date=on_date),
        area_name=folder.area.name,
        version_number=None,
        survey_url=survey_url,
        picture_src=picture_src,
        stylesheet_url=stylesheet_url,
        extra=preview_bar,
    )


def folder_pdfs_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the personal PDFs (single folders and batch files) older than FOLDER_PDF_KEEP_DAYS: they hold
    names and addresses. The deliveries stay — which version and language each newcomer got — without
    the file. Returns the number of files deleted; safe to run twice."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.FOLDER_PDF_KEEP_DAYS)
    deleted = 0
    for delivery in Delivery.objects.filter(created_at__lt=cutoff).exclude(pdf=""):
        delivery.pdf.delete(save=False)
        Delivery.objects.filter(pk=delivery.pk).update(pdf="")
        deleted += 1
    for batch_file in BatchFile.objects.filter(batch__created_at__lt=cutoff).exclude(pdf=""):
        batch_file.pdf.delete(save=False)
        BatchFile.objects.filter(pk=batch_file.pk).update(pdf="")
        deleted += 1
    return deleted
