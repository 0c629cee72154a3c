"""Velkomstmappe: the welcome folder of an area — a draft edited in the browser, published as numbered
versions that never change, in Danish and its translations — and the personal PDFs made from them.

The draft is `Section` rows with one `SectionText` per language. Publishing copies the whole draft into
`FolderVersion.content` (a JSON snapshot with the sanitised HTML of every section in every language and
the pictures it shows), so a published version is read from one row and later edits cannot reach it.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.jobs import Job
from apps.core.models import TimeStampedModel
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area
from apps.visits.models import Ambassador, Visit

SOURCE_LANGUAGE = "da"
# Every new folder starts with Danish and these translations; the coordinator may add more.
DEFAULT_LANGUAGES = ["da", "en", "ar", "tr"]


class WelcomeFolder(TimeStampedModel):
    """The folder of one area: its languages and its draft sections."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="welcome_folder", verbose_name=_("area"))
    # ISO 639-1 codes, Danish first: the languages the folder is written in.
    languages = models.JSONField(_("languages"), default=list)

    class Meta:
        verbose_name = _("welcome folder")
        verbose_name_plural = _("welcome folders")

    def __str__(self) -> str:
        return str(self.area)


class Section(TimeStampedModel):
    """One part of the folder (the welcome letter, contacts …), in the order it is printed.

    `revision` counts the changes to the Danish text; a translation remembers the revision it translated
    (`SectionText.source_revision`) and is outdated while that is lower.
    """

    class Kind(models.TextChoices):
        WELCOME_LETTER = "welcome_letter", _("Welcome letter")
        CONTACTS = "contacts", _("Contacts and opening hours")
        FACILITIES = "facilities", _("Facilities")
        HOUSE_RULES = "house_rules", _("House rules")
        WASTE_SORTING = "waste_sorting", _("Waste sorting")
        GOOD_STORIES = "good_stories", _("Good stories from the area")
        CUSTOM = "custom", _("Other")

    folder = models.ForeignKey(
        WelcomeFolder, on_delete=models.CASCADE, related_name="sections", verbose_name=_("folder")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    revision = models.PositiveIntegerField(_("revision of the Danish text"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            # The fixed kinds once each; "other" as often as the coordinator likes.
            models.UniqueConstraint(
                fields=["folder", "kind"], condition=~Q(kind="custom"), name="section_unique_fixed_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class SectionText(TimeStampedModel):
    """A section in one language: the Markdown as written, and the sanitised HTML made from it when saved."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="texts", verbose_name=_("section"))
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("heading"), max_length=200)
    markdown = models.TextField(_("text"), blank=True)
    html = models.TextField(editable=False, blank=True)
    # For a translation: the Danish revision it was written from. For Danish: equal to section.revision.
    source_revision = models.PositiveIntegerField(_("translated from revision"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["section", "language"]
        verbose_name = _("section text")
        verbose_name_plural = _("section texts")
        constraints = [
            models.UniqueConstraint(fields=["section", "language"], name="sectiontext_unique_language"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


def _picture_path(picture: "Picture", filename: str) -> str:
    # Never the uploaded name: it may say who is in the picture. Served only through a checked view.
    return f"folders/{picture.folder.area_id}/pictures/{picture.sha256[:32]}.{picture.image_format.lower()}"


class Picture(TimeStampedModel):
    """A picture shown at the end of a section. Files are never overwritten or deleted while a
    published version may show them: removing one from the draft only hides it (`removed`)."""

    folder = models.ForeignKey(
        WelcomeFolder, on_delete=models.CASCADE, related_name="pictures", verbose_name=_("folder")
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="pictures", verbose_name=_("section"))
    image = models.FileField(_("picture"), upload_to=_picture_path)
    image_format = models.CharField(max_length=10)
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    removed = models.BooleanField(_("removed"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")

    def __str__(self) -> str:
        return self.caption or self.image.name


class FolderVersion(models.Model):
    """A published version: numbered 1, 2, 3 … per folder, and never changed after publishing.

    `content` = {"languages": [...], "sections": [{"kind", "order", "texts": {lang: {"title", "html",
    "outdated"}}, "pictures": [{"id", "path", "caption", "width", "height"}]}]}.
    """

    folder = models.ForeignKey(
        WelcomeFolder, on_delete=models.CASCADE, related_name="versions", verbose_name=_("folder")
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(editable=False)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        verbose_name = _("folder version")
        verbose_name_plural = _("folder versions")
        constraints = [models.UniqueConstraint(fields=["folder", "number"], name="folderversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.folder} v{self.number}"

    @property
    def languages(self) -> list[str]:
        return self.content["languages"]


class EditionRender(models.Model):
    """The shared pages of a version in one language — the sections, the activity calendar and the back
    page with the survey link — rendered once and kept: every personal folder merges these pages behind
    its own cover and card. The calendar, the survey link and the print design are part of the key
    (`digest`), so a changed activity, a new survey or a new stylesheet gives a new render of the same
    version."""

    version = models.ForeignKey(FolderVersion, on_delete=models.CASCADE, related_name="renders")
    language = models.CharField(max_length=10)
    digest = models.CharField(max_length=64)
    pdf = models.FileField(upload_to="folders/editions/")
    page_count = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "language", "digest"], name="editionrender_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.language}"


def _folder_job_stale() -> datetime.timedelta:
    # A running batch reports after every chunk of covers, every few seconds.
    return datetime.timedelta(seconds=settings.FOLDER_JOB_STALE_SECONDS)


class PrintBatch(TimeStampedModel, Job):
    """The week's batch: one PDF per ambassador with the folders for their upcoming visits."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="print_batches", verbose_name=_("area"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    version = models.ForeignKey(
        FolderVersion, on_delete=models.PROTECT, related_name="batches", verbose_name=_("version")
    )
    # Visits due up to and including this day (overdue ones too: they still need their folder).
    due_until = models.DateField(_("due until"))
    survey_url = models.URLField(_("survey link"), blank=True)
    total = models.PositiveIntegerField(_("folders"), default=0)
    done = models.PositiveIntegerField(_("folders made"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")
        indexes = [models.Index(fields=["area", "-created_at"], name="printbatch_area_created_idx")]

    @classmethod
    def stale_after(cls) -> datetime.timedelta:
        return _folder_job_stale()

    def progress(self) -> tuple[int, int]:
        return self.done, self.total


class BatchFile(models.Model):
    """One ambassador's PDF in a batch."""

    batch = models.ForeignKey(PrintBatch, on_delete=models.CASCADE, related_name="files")
    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="+")
    pdf = models.FileField(upload_to="folders/batches/")
    folder_count = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["ambassador__user__full_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["batch", "ambassador"], name="batchfile_unique_ambassador")]

    def __str__(self) -> str:
        return f"{self.batch_id} · {self.ambassador_id}"


class Delivery(Job):
    """Which version, in which language, a newcomer's personal folder was made from — and the PDF.

    Made either alone (`pdf`, for the ambassador's phone or the coordinator: a background job, done
    when the PDF is ready; `finished_at` is when it was made) or in a batch (`batch_file` and the pages
    `first_page`…`first_page + page_count - 1`, 1-based, of that file).
    """

    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="folder_deliveries")
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="folder_deliveries")
    version = models.ForeignKey(FolderVersion, on_delete=models.PROTECT, related_name="deliveries")
    language = models.CharField(_("language"), max_length=10)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    pdf = models.FileField(upload_to="folders/deliveries/", blank=True)
    survey_url = models.URLField(blank=True)
    batch_file = models.ForeignKey(
        BatchFile, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    first_page = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("folder delivery")
        verbose_name_plural = _("folder deliveries")
        constraints = [
            # A batch holds each newcomer once.
            models.UniqueConstraint(
                fields=["batch_file", "newcomer"],
                condition=Q(batch_file__isnull=False),
                name="delivery_once_per_batch_file",
            ),
        ]
        indexes = [models.Index(fields=["visit", "version", "language"], name="delivery_visit_version_idx")]

    def __str__(self) -> str:
        return f"{self.newcomer} · v{self.version.number} · {self.language}"

    @classmethod
    def stale_after(cls) -> datetime.timedelta:
        return _folder_job_stale()
