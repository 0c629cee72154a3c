"""Writes of the dashboards app: requesting and making the annual report (PDF and CSV)."""

import csv
import io
import logging
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.csv_safety import csv_safe
from apps.core.jobs import job_claim, job_done, job_fail
from apps.dashboards.display import BoardTables, Dashboard, dashboard_for
from apps.dashboards.models import AnnualReport
from apps.dashboards.periods import period_from_key
from apps.dashboards.survey import survey_headlines_for, survey_rows
from apps.organisation.models import Area

logger = logging.getLogger(__name__)

# The report is always in Danish: it goes into the helhedsplan's reporting, whoever asked for it.
REPORT_LANGUAGE = "da"


def annual_report_request(*, area: Area, year: int, by) -> AnnualReport:
    """Queue the report on `year`, or return the one already waiting or being made for it."""
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(area=area, year=year, requested_by=by)
    except IntegrityError:  # the partial unique constraint: one pending report per area and year
        return AnnualReport.objects.get(area=area, year=year, status__in=["queued", "running"])
    from apps.dashboards.tasks import annual_report_make  # the task module imports this one

    transaction.on_commit(lambda: annual_report_make.delay(report.pk))
    return report


def annual_report_render(*, report_id: int) -> None:
    """Make a queued report's PDF and CSV. Safe to call twice: the report is claimed first (a report
    whose worker died is claimed again after AnnualReport.stale_after())."""
    if not job_claim(model=AnnualReport, pk=report_id):
        return  # done, failed, or being made by another worker
    report = AnnualReport.objects.select_related("area").get(pk=report_id)
    try:
        with translation.override(REPORT_LANGUAGE):
            content = annual_report_content(area=report.area, year=report.year)
            pdf = annual_report_pdf(content=content)
            csv_bytes = annual_report_csv(content=content)
    except Exception as exc:
        # Only the kind of error in the log: the message could quote data.
        logger.error("Annual report %s failed: %s", report_id, type(exc).__name__)
        with translation.override(REPORT_LANGUAGE):
            message = _("The report could not be made. Try again, or ask for help if it keeps failing.")
        job_fail(model=AnnualReport, pk=report_id, message=message)
        return
    name = f"naboambassador-{report.area.slug}-{report.year}"
    report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
    report.csv.save(f"{name}.csv", ContentFile(csv_bytes), save=False)
    job_done(model=AnnualReport, pk=report_id, pdf=report.pdf.name, csv=report.csv.name)


def annual_report_content(*, area: Area, year: int) -> dict:
    """Everything the PDF and the CSV show, with the small-number rules of board pages (an export)."""
    period = period_from_key(str(year), today=timezone.localdate())
    if period is None:
        raise ValueError("year out of range")
    dashboard = dashboard_for(area=area, period=period, estate_ids=None, scope=str(area), mask=True, with_area=False)
    return {
        "area": area,
        "year": year,
        "d": dashboard,
        "estates": _estate_table(area=area, tables=dashboard.tables),
        "survey": survey_rows(survey_headlines_for(area=area, estate_ids=None, period=period, for_board=True)),
        "made_at": timezone.now(),
    }


def _estate_table(*, area: Area, tables: BoardTables) -> list[dict]:
    """Per estate: newcomers, visits, folders and the share welcomed within 30 days, read from the same
    tables as the board pages: a figure hidden on an estate's page is hidden here too."""
    return [
        {
            "estate": f"{estate.number} {estate.name}",
            "newcomers": tables.newcomers.cell(estate.pk),
            "visits": tables.visits.cell(estate.pk),
            "folders": tables.folders.cell(estate.pk),
            "within_30": tables.share("within_30", estate.pk),
        }
        for estate in area.estates.order_by("number")
    ]


def annual_report_pdf(*, content: dict) -> bytes:
    from weasyprint import CSS, HTML  # heavy: imported where it is used, in the worker

    html = render_to_string("dashboards/report_pdf.html", content)
    stylesheet = finders.find("css/report.css")
    return HTML(string=html, base_url=str(Path(settings.BASE_DIR))).write_pdf(stylesheets=[CSS(filename=stylesheet)])


def annual_report_csv(*, content: dict) -> bytes:
    """The year's figures as a spreadsheet reads them: UTF-8 with BOM, semicolons (Danish Excel)."""
    d: Dashboard = content["d"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([csv_safe(v) for v in (_("Section"), _("Figure"), d.period.label, d.previous.label)])
    for _key, heading, rows in d.sections:
        for row in rows:
            writer.writerow([csv_safe(v) for v in (heading, row.label, row.now.text, row.then.text)])
    estate_heading = _("Estates")
    for row in content["estates"]:
        for label, key in (
            (_("Newcomers who moved in"), "newcomers"),
            (_("Welcome visits"), "visits"),
            (_("Welcome folders delivered"), "folders"),
            (_("Welcomed within 30 days"), "within_30"),
        ):
            writer.writerow([csv_safe(v) for v in (estate_heading, f"{row['estate']}: {label}", row[key].text, "")])
    survey_heading = _("Newcomer survey")
    for row in content["survey"]:
        for group, label in zip(row["groups"], (_("contact"), _("no contact")), strict=True):
            writer.writerow([csv_safe(v) for v in (survey_heading, f"{row['text']} ({label})", group["text"], "")])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
