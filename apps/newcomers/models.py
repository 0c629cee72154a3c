import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.jobs import Job
from apps.core.models import TimeStampedModel
from apps.organisation.models import Area, HousingOrganisation, Tenancy

# A list that names a household more than this many days after its move-in came late. Coverage still
# counts from the move-in (as the evaluation does); the pages show late lists apart, so a low share can
# be told from the lists' doing rather than the ambassadors'.
LATE_LIST_DAYS = 7


class NewcomerQuerySet(models.QuerySet):
    def contactable(self) -> "NewcomerQuerySet":
        return self.filter(do_not_contact=False)

    def in_area(self, area) -> "NewcomerQuerySet":
        return self.filter(tenancy__estate__area=area)


class Newcomer(TimeStampedModel):
    """Tilflytter: a household that moved into a tenancy; identified by (tenancy, move-in date).

    Personal data: keep only what the programme needs. A CPR number is never stored.
    """

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="newcomers", verbose_name=_("tenancy"))
    move_in_date = models.DateField(_("move-in date"))
    # The day the programme learned of the household (the local date of the import that first listed
    # it). A list that arrives weeks after the move-in must not make its visits overdue at once; see
    # apps.visits.services.visit_due_date. A later import never moves it.
    listed_on = models.DateField(_("on the list since"), default=timezone.localdate)
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +4512345678"))
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True, help_text=_("Empty means unknown"))
    do_not_contact = models.BooleanField(
        _("do not contact"), default=False, help_text=_("The newcomer has asked not to be contacted again.")
    )
    # Set when name, phone, e-mail and language were removed (retention or an erasure request). The row
    # stays, with its tenancy and move-in date, so the figures per estate and month stay right.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # The details a coordinator corrected by hand (names from CORRECTABLE): a later move-in list keeps
    # the coordinator's value for these, and a language learned at the door does not replace theirs.
    corrected_fields = models.JSONField(_("corrected by a coordinator"), default=list, blank=True)

    objects = NewcomerQuerySet.as_manager()

    class Meta:
        ordering = ["-move_in_date"]
        verbose_name = _("newcomer")
        verbose_name_plural = _("newcomers")
        constraints = [
            models.UniqueConstraint(fields=["tenancy", "move_in_date"], name="newcomer_unique_move_in"),
        ]

    def __str__(self) -> str:
        return f"{self.name or _('Newcomer')} ({self.move_in_date:%d.%m.%Y})"

    @property
    def list_late_days(self) -> int | None:
        """How many days after the move-in the household came on a list, when that is late (more than
        LATE_LIST_DAYS); None when the list came in time."""
        days = (self.listed_on - self.move_in_date).days
        return days if days > LATE_LIST_DAYS else None


# The details a coordinator may correct on the newcomer page.
CORRECTABLE = ("language", "phone", "email", "do_not_contact")


class NewcomerCorrection(models.Model):
    """One correction by a coordinator: who, when and which fields, never the values (old or new)."""

    newcomer = models.ForeignKey(
        Newcomer, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("newcomer")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    fields = models.JSONField(_("fields"), default=list)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("newcomer correction")
        verbose_name_plural = _("newcomer corrections")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {', '.join(self.fields)}"

    @property
    def field_labels(self) -> str:
        """The corrected fields by their names in the user's language."""
        return ", ".join(str(Newcomer._meta.get_field(name).verbose_name) for name in self.fields)


class ColumnMapping(TimeStampedModel):
    """The column mapping a housing organisation's files last used, so the next upload is proposed the same.

    `headers` maps normalised header text (lowercase, no punctuation or spaces) to an import field name.
    """

    organisation = models.OneToOneField(
        HousingOrganisation,
        on_delete=models.CASCADE,
        related_name="column_mapping",
        verbose_name=_("housing organisation"),
    )
    headers = models.JSONField(_("headers"), default=dict, blank=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return str(self.organisation)


class ImportRun(TimeStampedModel, Job):
    """One import of a move-in list: who imported which file when, with counts.

    The file itself (`source`) is kept only until it is processed, then cleared; only the counts,
    the problems (without personal values) and the file's name, size and checksum stay. A background
    job (apps.core.jobs) once confirmed; before that it waits in its own first state, "uploaded".
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        HousingOrganisation,
        on_delete=models.PROTECT,
        related_name="import_runs",
        verbose_name=_("housing organisation"),
    )
    # The coordinator's area: estates created from the file are placed in it.
    area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_runs", verbose_name=_("area")
    )
    # Null means the command line (a scheduled drop).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_runs",
        verbose_name=_("uploaded by"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    source = models.BinaryField(null=True, editable=False)
    detected = models.JSONField(_("detected format"), default=dict, blank=True)
    headers = models.JSONField(_("headers"), default=list, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    create_estates = models.BooleanField(_("create missing estates"), default=False)
    dry_run = models.BooleanField(_("dry run"), default=False)
    # The job's states, and "uploaded" before them.
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    dropped_columns = models.JSONField(_("dropped columns"), default=list, blank=True)
    # Why the whole file was refused, as `importing.messages.REFUSALS` codes it, written out in the reader's
    # language (`error_text`); `error` is the text as the worker wrote it (and the sweep's, for a lost run).
    error_code = models.CharField(_("error code"), max_length=40, blank=True)
    error_params = models.JSONField(_("error parameters"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        # The history page lists an area's runs newest first.
        indexes = [models.Index(fields=["area", "-created_at"], name="importrun_area_created_idx")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @classmethod
    def stale_after(cls) -> datetime.timedelta:
        # A run still "running" after this long lost its worker.
        return datetime.timedelta(hours=1)

    def progress(self) -> tuple[int, int]:
        return self.processed_rows, self.total_rows

    @property
    def error_text(self) -> str:
        """Why the import failed, in the active language."""
        # Imported here: the importing package imports the models.
        from apps.newcomers.importing.messages import REFUSALS, refusal_message

        return refusal_message(self.error_code, self.error_params) if self.error_code in REFUSALS else self.error


class ImportProblem(models.Model):
    """One problem found in one line of an imported file. The message never holds the personal value itself."""

    class Level(models.TextChoices):
        ERROR = "error", _("Error")
        WARNING = "warning", _("Warning")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="problems", verbose_name=_("import"))
    # The line number as in the file (1-based, title and header rows counted), so the coordinator finds it.
    line = models.PositiveIntegerField(_("line"))
    column = models.CharField(_("column"), max_length=200, blank=True)
    # The problem as `importing.messages` codes it, written out in the reader's language (`text`); `message`
    # is the text as the worker wrote it, kept for problems stored before codes were.
    code = models.CharField(_("code"), max_length=40, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    message = models.CharField(_("message"), max_length=500)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)

    class Meta:
        ordering = ["line", "pk"]
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        # The run page and the errors CSV list a run's problems by level and line.
        indexes = [models.Index(fields=["run", "level", "line"], name="importproblem_run_level_idx")]

    def __str__(self) -> str:
        return f"{self.line}: {self.text}"

    @property
    def text(self) -> str:
        """The problem in the active language."""
        # Imported here: the importing package imports the models.
        from apps.newcomers.importing.messages import MESSAGES, problem_message

        return problem_message(self.code, self.params) if self.code in MESSAGES else self.message
