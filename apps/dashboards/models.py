"""The programme's annual report: a PDF and a CSV of one area's year, made in the background."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.jobs import Job
from apps.core.models import TimeStampedModel
from apps.organisation.models import Area


def _report_path(report: "AnnualReport", filename: str) -> str:
    # An unguessable name: reports are served only through the permission-checked download view, and
    # a guessable path would matter if the media folder were ever served directly.
    return f"reports/{report.area_id}/{report.year}-{secrets.token_hex(8)}-{filename}"


class AnnualReport(TimeStampedModel, Job):
    """One request for an area's report on a year. Requesting again makes a new row (figures move as
    late visits are recorded); only one per area and year may be waiting or running at a time."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="annual_reports", verbose_name=_("area"))
    year = models.PositiveSmallIntegerField(_("year"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    pdf = models.FileField(_("PDF"), upload_to=_report_path, blank=True)
    csv = models.FileField(_("CSV"), upload_to=_report_path, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            # Two clicks, two tabs or two coordinators: one report is made, the others find it.
            models.UniqueConstraint(
                fields=["area", "year"],
                condition=Q(status__in=["queued", "running"]),
                name="annualreport_one_pending_per_area_year",
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="annualreport_sane_year"),
        ]
        indexes = [models.Index(fields=["area", "-created_at"], name="annualreport_area_created_idx")]

    def __str__(self) -> str:
        return f"{self.area} {self.year} ({self.get_status_display()})"

    @classmethod
    def stale_after(cls) -> datetime.timedelta:
        return datetime.timedelta(minutes=30)
