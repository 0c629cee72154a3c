"""Reads for the welcome folder: the draft as content, the editor's status table, the week's visits."""

import datetime
from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from apps.folders.models import SOURCE_LANGUAGE, Delivery, FolderVersion, Picture, PrintBatch, Section, WelcomeFolder
from apps.organisation.models import Area
from apps.visits.models import Ambassador, Visit

# A personal folder needs the address, the newcomer's language and the ambassador's card.
FOLDER_VISIT_RELATED = ("area", "newcomer__tenancy__entrance", "ambassador__user")


def folder_content(*, folder: WelcomeFolder) -> dict:
    """The draft in the shape a published version stores (see FolderVersion.content). Three queries."""
    sections = list(folder.sections.prefetch_related("texts").order_by("order", "pk"))
    pictures: dict[int, list[Picture]] = {}
    for picture in Picture.objects.filter(folder=folder, removed=False).order_by("pk"):
        pictures.setdefault(picture.section_id, []).append(picture)
    content_sections = []
    for section in sections:
        texts = {}
        for text in section.texts.all():
            if text.language in folder.languages and (text.markdown.strip() or text.language == SOURCE_LANGUAGE):
                texts[text.language] = {
                    "title": text.title,
                    "html": text.html,
                    "outdated": text.language != SOURCE_LANGUAGE and text.source_revision < section.revision,
                }
        content_sections.append(
            {
                "kind": section.kind,
                "order": section.order,
                "texts": texts,
                "pictures": [
                    {
                        "id": picture.pk,
                        "path": picture.image.name,
                        "caption": picture.caption,
                        "width": picture.width,
                        "height": picture.height,
                    }
                    for picture in pictures.get(section.pk, [])
                ],
            }
        )
    return {"languages": list(folder.languages), "sections": content_sections}


@dataclass(frozen=True)
class TextState:
    language: str
    state: str  # "current", "outdated" or "missing"


@dataclass(frozen=True)
class SectionRow:
    section: Section
    title: str
    states: list[TextState]

    @property
    def outdated(self) -> list[str]:
        return [state.language for state in self.states if state.state == "outdated"]


def section_rows(*, folder: WelcomeFolder) -> list[SectionRow]:
    """Every section with the state of each language: what the coordinator must translate again."""
    rows = []
    for section in folder.sections.prefetch_related("texts").order_by("order", "pk"):
        texts = {text.language: text for text in section.texts.all()}
        states = []
        for language in folder.languages:
            text = texts.get(language)
            if text is None or not text.markdown.strip():
                state = "missing"
            elif language != SOURCE_LANGUAGE and text.source_revision < section.revision:
                state = "outdated"
            else:
                state = "current"
            states.append(TextState(language, state))
        source = texts.get(SOURCE_LANGUAGE)
        rows.append(SectionRow(section, source.title if source else section.get_kind_display(), states))
    return rows


def folder_of_area(*, area: Area) -> WelcomeFolder | None:
    return WelcomeFolder.objects.filter(area=area).first()


def latest_version(*, folder: WelcomeFolder | None) -> FolderVersion | None:
    if folder is None:
        return None
    return folder.versions.order_by("-number").first()


def section_in_folder(*, folder: WelcomeFolder, pk: int) -> Section:
    """A section named in a URL, within the area's own folder: another area's section is not found."""
    return get_object_or_404(Section.objects.select_related("folder__area"), pk=pk, folder=folder)


def picture_in_folder(*, folder: WelcomeFolder, pk: int) -> Picture:
    return get_object_or_404(Picture, pk=pk, folder=folder)


def batch_in_area(*, area: Area, pk: int) -> PrintBatch:
    return get_object_or_404(PrintBatch.objects.select_related("version", "requested_by"), pk=pk, area=area)


def batches_in_area(*, area: Area, limit: int = 20) -> list[PrintBatch]:
    return list(
        PrintBatch.objects.filter(area=area)
        .select_related("version", "requested_by")
        .prefetch_related("files__ambassador__user")
        .order_by("-created_at")[:limit]
    )


def batch_visits(*, area: Area, due_until: datetime.date) -> list[Visit]:
    """The week's visits: open, held by an active ambassador, due by `due_until` (overdue ones too),
    whose newcomer has not yet had a folder left and has not asked to be left alone."""
    return list(
        Visit.objects.open()
        .filter(
            area=area,
            ambassador__isnull=False,
            ambassador__status=Ambassador.Status.ACTIVE,
            due_date__lte=due_until,
            folder_delivered=False,
            newcomer__do_not_contact=False,
        )
        .select_related(*FOLDER_VISIT_RELATED)
        .order_by("ambassador__user__full_name", "ambassador_id", "due_date", "pk")
    )


def failed_deliveries(*, area: Area, limit: int = 20) -> list[Delivery]:
    """Personal folders the worker gave up on, for the coordinator to see (newest first)."""
    return list(
        Delivery.objects.filter(visit__area=area, status=Delivery.Status.FAILED)
        .select_related("newcomer__tenancy__entrance", "visit")
        .order_by("-created_at")[:limit]
    )
