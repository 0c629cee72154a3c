"""Time registration for areas that pay their ambassadors for fixed hours (Gellerup-Toveshøj: 8 a week).

An area switches it on (`HoursSettings`); its ambassadors log hours (`HourEntry`), the coordinator approves
or rejects them, and the approved hours of a month go to payroll, one line per ambassador.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.organisation.models import Area
from apps.visits.models import Ambassador

MAX_HOURS_A_DAY = Decimal(24)
HOURS_STEP = Decimal("0.25")


class HoursSettings(TimeStampedModel):
    """Whether an area registers its ambassadors' time, and whether a visit counts as time by itself."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="hours_settings", verbose_name=_("area"))
    enabled = models.BooleanField(_("time registration is on"), default=False)
    # 0: visits do not count; otherwise each visit made adds this many minutes to the month's hours, and the
    # ambassadors do not log visits themselves (that would count them twice).
    minutes_per_visit = models.PositiveSmallIntegerField(
        _("minutes per visit"),
        default=0,
        help_text=_("0: visits do not count as time. Otherwise each visit made counts as this many minutes."),
    )

    class Meta:
        verbose_name = _("time registration settings")
        verbose_name_plural = _("time registration settings")
        constraints = [
            models.CheckConstraint(condition=Q(minutes_per_visit__lte=480), name="hours_settings_sane_visit_minutes"),
        ]

    def __str__(self) -> str:
        return str(self.area)

    @property
    def visits_count_as_time(self) -> bool:
        return self.minutes_per_visit > 0


class Payroll(TimeStampedModel):
    """The payroll number a coordinator gives a paid ambassador (printed on the monthly export)."""

    ambassador = models.OneToOneField(
        Ambassador, on_delete=models.CASCADE, related_name="payroll", verbose_name=_("ambassador")
    )
    number = models.CharField(_("payroll number"), max_length=40)

    class Meta:
        verbose_name = _("payroll number")
        verbose_name_plural = _("payroll numbers")

    def __str__(self) -> str:
        return self.number


class HourEntry(TimeStampedModel):
    """Hours an ambassador worked on one day, waiting for, or given, the coordinator's approval."""

    class Kind(models.TextChoices):
        VISITS = "visits", _("Welcome visits")
        MEETING = "meeting", _("Meeting")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    # The area is the ambassador's; kept on the row so the coordinator's list and the export filter on one
    # indexed column, and so a row's area is plain to see.
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="hour_entries", verbose_name=_("area"))
    ambassador = models.ForeignKey(
        Ambassador, on_delete=models.CASCADE, related_name="hour_entries", verbose_name=_("ambassador")
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("hours")
        verbose_name_plural = _("hours")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=MAX_HOURS_A_DAY), name="hour_entry_sane_hours"),
        ]
        # The coordinator's month list and the export: one area, one month.
        indexes = [models.Index(fields=["area", "date"], name="hour_entry_area_date_idx")]

    def __str__(self) -> str:
        return f"{self.ambassador} · {self.date} · {self.hours}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED
