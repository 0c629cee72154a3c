"""Dashboards: read-only figures for tenant boards (their estates) and coordinators (their area), and
the annual report. Every board page answers GET and HEAD only (`require_safe`, outermost, so any
other method is refused with 405 before anything else happens)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core.job_status import JobLink, JobStatusView, job_poll_url, job_status_response
from apps.core.policy import Perm, board_estate_ids, get_for_user
from apps.dashboards.display import Dashboard, dashboard_for
from apps.dashboards.forms import AreaDashboardForm, BoardPeriodForm, ReportRequestForm
from apps.dashboards.models import AnnualReport
from apps.dashboards.periods import Period
from apps.dashboards.services import annual_report_request
from apps.dashboards.survey import survey_headlines_for, survey_rows
from apps.organisation.models import Area, Estate

REPORTS_SHOWN = 20


def _estate_title(estate: Estate) -> str:
    return _("Estate %(number)s %(name)s") % {"number": estate.number, "name": estate.name}


def _figures_html(
    *, area: Area, estate_ids: set[int] | None, period: Period, scope: str, mask: bool, with_area: bool
) -> tuple[str, Dashboard | None]:
    """The figures part of a dashboard page (cards, charts, tables, survey) as HTML, and the dashboard it
    shows when it was made now (None when it came from the cache).

    It depends only on the area, the estates, the period, the small-number rules, the language and the day
    — never on who asks — so it is made once and kept `DASHBOARD_CACHE_SECONDS`: every member of a board,
    and every reload, gets the same HTML without counting or rendering again (see bench/README.md).
    """
    seconds = settings.DASHBOARD_CACHE_SECONDS
    estates = ",".join(str(pk) for pk in sorted(estate_ids)) if estate_ids is not None else "all"
    key = (
        f"dashboards:html:v2:{area.pk}:{estates}:{period.start}:{period.end}:{int(mask)}:{int(with_area)}:"
        f"{translation.get_language()}:{timezone.localdate()}"
    )
    if seconds and (html := cache.get(key)) is not None:
        return mark_safe(html), None  # noqa: S308 — our own rendered template, kept as it was made
    dashboard = dashboard_for(
        area=area, period=period, estate_ids=estate_ids, scope=scope, mask=mask, with_area=with_area
    )
    survey = survey_rows(survey_headlines_for(area=area, estate_ids=estate_ids, period=period, for_board=mask))
    html = render_to_string("dashboards/_figures.html", {"d": dashboard, "survey": survey})
    if seconds:
        cache.set(key, str(html), seconds)
    return html, dashboard


@require_safe
@login_required
def board_estate(request: HttpRequest, pk: int) -> HttpResponse:
    """A tenant board's dashboard for one of its estates, beside the whole area; small numbers hidden.
    The area's coordinators may open it too, to see exactly what the board sees."""
    estate = get_for_user(request.user, Perm.ESTATE_VIEW_FIGURES, Estate.objects.select_related("area"), pk=pk)
    form = BoardPeriodForm(request.GET or None)
    period = form.chosen
    scope = _estate_title(estate)
    html, dashboard = _figures_html(
        area=estate.area, estate_ids={estate.pk}, period=period, scope=scope, mask=True, with_area=True
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


def _area(request: HttpRequest, slug: str) -> Area:
    return get_for_user(request.user, Perm.AREA_MANAGE, Area, slug=slug)


@require_safe
@login_required
def area_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator's dashboard: the whole area or one estate (beside the area), exact figures."""
    area = _area(request, slug)
    form = AreaDashboardForm(request.GET or None, area=area)
    period = form.chosen
    estate = form.cleaned_data.get("estate") if form.is_valid() else None
    scope = _estate_title(estate) if estate else _("The whole area")
    html, dashboard = _figures_html(
        area=area,
        estate_ids={estate.pk} if estate else None,
        period=period,
        scope=scope,
        mask=False,
        with_area=estate is not None,
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
    area = _area(request, slug)
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
    area = _area(request, slug)
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
