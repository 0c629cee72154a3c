"""Dashboards: read-only figures for tenant boards (their estates) and coordinators (their area), and
the annual report. Every board page answers GET and HEAD only (`require_safe`, outermost, so any
other method is refused with 405 before anything else happens)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core.job_status import JobLink, JobStatusView, job_poll_url, job_status_response
from apps.core.policy import Perm, board_estate_ids, get_for_user
from apps.dashboards.display import dashboard_cached
from apps.dashboards.forms import AreaDashboardForm, BoardPeriodForm, ReportRequestForm
from apps.dashboards.models import AnnualReport
from apps.dashboards.services import annual_report_request
from apps.organisation.models import Area, Estate
from apps.organisation.selectors import area_for_user

REPORTS_SHOWN = 20


def _estate_title(estate: Estate) -> str:
    return _("Estate %(number)s %(name)s") % {"number": estate.number, "name": estate.name}


@require_safe
@login_required
def board_estate(request: HttpRequest, pk: int) -> HttpResponse:
    """A tenant board's dashboard for one of its estates, beside the whole area; small numbers hidden.
    The area's coordinators may open it too, to see exactly what the board sees."""
    estate = get_for_user(request.user, Perm.ESTATE_VIEW_FIGURES, Estate.objects.select_related("area"), pk=pk)
    form = BoardPeriodForm(request.GET or None)
    period = form.chosen
    scope = _estate_title(estate)
    html, dashboard = dashboard_cached(
        area=estate.area,
        estate_ids={estate.pk},
        period=period,
        scope=scope,
        mask=True,
        with_area=True,
        language=translation.get_language(),
    )
    mine = board_estate_ids(request.user)
    switch = Estate.objects.filter(pk__in=mine) if mine else estate.area.estates.all()
    context = {
        "estate": estate,
        "area": estate.area,
        "form": form,
        "period": period,
        "scope": scope,
        "figures_html": html,
        "d": dashboard,
        "estates": list(switch.order_by("number")),
        "query": form.query(period),
    }
    return render(request, "dashboards/board.html", context, status=400 if form.errors else 200)


@require_safe
@login_required
def area_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator's dashboard: the whole area or one estate (beside the area), exact figures."""
    area = area_for_user(request.user, slug)
    form = AreaDashboardForm(request.GET or None, area=area)
    period = form.chosen
    estate = form.cleaned_data.get("estate") if form.is_valid() else None
    scope = _estate_title(estate) if estate else _("The whole area")
    html, dashboard = dashboard_cached(
        area=area,
        estate_ids={estate.pk} if estate else None,
        period=period,
        scope=scope,
        mask=False,
        with_area=estate is not None,
        language=translation.get_language(),
    )
    context = {
        "area": area,
        "estate": estate,
        "form": form,
        "period": period,
        "scope": scope,
        "figures_html": html,
        "d": dashboard,
        "query": form.query(period, estate=estate.pk if estate else None),
    }
    return render(request, "dashboards/area.html", context, status=400 if form.errors else 200)


@login_required
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The area's annual reports; a POST asks for one (or finds the one already being made)."""
    area = area_for_user(request.user, slug)
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = annual_report_request(area=area, year=form.cleaned_data["year"], by=request.user)
        return redirect("dashboards:report_detail", slug=area.slug, pk=report.pk)
    reports = AnnualReport.objects.filter(area=area).select_related("requested_by")[:REPORTS_SHOWN]
    return render(
        request,
        "dashboards/report_list.html",
        {"area": area, "form": form, "reports": reports},
        status=400 if form.errors else 200,
    )


def _report(request: HttpRequest, slug: str, pk: int) -> tuple[Area, AnnualReport]:
    """The coordinator's area through the policy, then the report within it: another area's is not found."""
    area = area_for_user(request.user, slug)
    return area, get_object_or_404(AnnualReport.objects.select_related("requested_by"), pk=pk, area=area)


def _report_status(area: Area, report: AnnualReport) -> JobStatusView:
    """The report as the job-status partial shows it (the page and its polling both use it)."""
    return JobStatusView(
        element_id="report-status",
        status=report.status,
        poll_url=job_poll_url(report, reverse("dashboards:report_status", args=[area.slug, report.pk])),
        waiting=_("Waiting for the report to start…"),
        running=_("Making the report…"),
        progress_label=_("Making the report"),
        note=_("You may leave this page; the report is kept under Annual reports."),
        done=_("The report is ready."),
        failed=report.error or _("The report could not be made."),
        links=[
            JobLink(
                reverse("dashboards:report_pdf", args=[area.slug, report.pk]), _("Download the PDF"), "btn-primary"
            ),
            JobLink(reverse("dashboards:report_csv", args=[area.slug, report.pk]), _("Download the figures (CSV)")),
        ]
        if report.status == AnnualReport.Status.DONE
        else [],
    )


@require_safe
@login_required
def report_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area, report = _report(request, slug, pk)
    context = {"area": area, "report": report, "job_status": _report_status(area, report)}
    return render(request, "dashboards/report_detail.html", context)


@require_safe
@login_required
def report_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The htmx partial the report page polls every 2 seconds; a finished report's partial stops polling."""
    area, report = _report(request, slug, pk)
    return job_status_response(request, status=_report_status(area, report))


@require_safe
@login_required
def report_download(request: HttpRequest, slug: str, pk: int, kind: str) -> FileResponse:
    area, report = _report(request, slug, pk)
    file = report.pdf if kind == "pdf" else report.csv
    if report.status != AnnualReport.Status.DONE or not file:
        raise Http404
    content_type = "application/pdf" if kind == "pdf" else "text/csv; charset=utf-8"
    filename = f"naboambassador-{area.slug}-{report.year}.{kind}"
    response = FileResponse(file.open("rb"), content_type=content_type, as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
