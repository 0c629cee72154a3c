from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from apps.audit.http import access_record_for_request
from apps.core.job_status import JobLink, JobStatusView, job_poll_url, job_status_response
from apps.newcomers.forms import ImportMappingForm, ImportUploadForm
from apps.newcomers.importing import ImportRefused, SourceTable
from apps.newcomers.models import ImportRun
from apps.newcomers.selectors import (
    ImportColumns,
    import_columns,
    import_preview,
    import_run_table,
    import_runs_in_area,
)
from apps.newcomers.services import (
    RepeatedImport,
    import_problems_csv,
    import_run_confirm,
    import_run_create,
    import_run_mapping,
)
from apps.organisation.models import Area
from apps.organisation.selectors import area_for_user

# What the reader detected, in the words a coordinator knows from Excel's "Save as" dialog.
DELIMITER_NAMES = {";": gettext_lazy("semicolon (;)"), ",": gettext_lazy("comma (,)"), "\t": gettext_lazy("tab")}
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": gettext_lazy("UTF-8 with byte order mark"),
    "utf-16": "Unicode (UTF-16)",
    "cp1252": "Windows-1252",
}
RUNS_PER_PAGE = 50
# How many of a finished run's problems its page lists; all of them are in the CSV.
PROBLEMS_SHOWN = 100


def _area_and_run(request: HttpRequest, area_slug: str, pk: int) -> tuple[Area, ImportRun]:
    """The coordinator's area through the policy, then the run within it: another area's run is not found."""
    area = area_for_user(request.user, area_slug)
    # The stored file is read by import_run_table when the mapping page needs it, never with the run.
    runs = ImportRun.objects.select_related("organisation", "uploaded_by").defer("source")
    return area, get_object_or_404(runs, pk=pk, area=area)


@login_required
@require_GET
def history(request: HttpRequest, area_slug: str) -> HttpResponse:
    area = area_for_user(request.user, area_slug)
    page = Paginator(import_runs_in_area(area=area), RUNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "newcomers/history.html", {"area": area, "page": page})


@login_required
def upload(request: HttpRequest, area_slug: str) -> HttpResponse:
    area = area_for_user(request.user, area_slug)
    form = ImportUploadForm(request.POST or None, request.FILES or None, area=area)
    if not form.fields["organisation"].queryset.exists():
        # An area without estates: nothing a list could be imported into (and no organisation to offer).
        status = 400 if request.method == "POST" else 200
        return render(request, "newcomers/upload.html", {"area": area, "form": None}, status=status)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            run = import_run_create(
                organisation=form.cleaned_data["organisation"],
                area=area,
                user=request.user,
                filename=file.name,
                data=file.read(),
                refuse_repeat=not form.cleaned_data.get("import_again"),
            )
        except RepeatedImport as repeated:
            form = ImportUploadForm(request.POST, request.FILES, area=area, offer_import_again=True)
            form.is_valid()
            form.add_error("file", repeated.message)
        except ImportRefused as refused:
            form.add_error("file", refused.message)
        else:
            return redirect("newcomers:detail", area_slug=area.slug, pk=run.pk)
    status = 400 if form.errors else 200
    return render(request, "newcomers/upload.html", {"area": area, "form": form}, status=status)


def _mapping_form(run: ImportRun, data=None) -> tuple[ImportMappingForm, SourceTable, ImportColumns]:
    table = import_run_table(run=run)
    proposed = import_run_mapping(run=run)
    columns = import_columns(table=table, mapping=proposed)
    form = ImportMappingForm(
        data, headers=run.headers, mapping=proposed, dropped=columns.cpr, initial={"create_estates": run.create_estates}
    )
    return form, table, columns


def _mapping_page(
    request: HttpRequest,
    area: Area,
    run: ImportRun,
    form: ImportMappingForm,
    table: SourceTable,
    columns: ImportColumns,
) -> HttpResponse:
    """The mapping, and a dry-run preview of the file as the proposed (or posted) mapping reads it."""
    if not form.is_bound:
        mapping, create_estates = import_run_mapping(run=run), run.create_estates
    elif form.is_valid():
        mapping, create_estates = form.mapping(), form.cleaned_data["create_estates"]
    else:
        mapping = None
    preview = None
    if mapping is not None:
        preview = import_preview(run=run, table=table, mapping=mapping, create_estates=create_estates)
    if preview is not None:
        # Rows of the file, names and phones included, not yet tied to newcomers: logged as a count.
        access_record_for_request(request, area=area, count=len(preview.rows))
    delimiter, encoding = run.detected.get("delimiter", ""), run.detected.get("encoding", "")
    context = {
        "area": area,
        "run": run,
        "form": form,
        "columns": [(label, field, columns.examples.get(index, "")) for index, label, field in form.columns],
        "delimiter": DELIMITER_NAMES.get(delimiter, delimiter),
        "encoding": ENCODING_NAMES.get(encoding, encoding),
        "preview": preview,
    }
    return render(request, "newcomers/detail.html", context, status=400 if form.errors else 200)


@login_required
def detail(request: HttpRequest, area_slug: str, pk: int) -> HttpResponse:
    """Before confirmation: mapping and preview ("Update preview" posts here). After: progress, then the result."""
    area, run = _area_and_run(request, area_slug, pk)
    if run.status == ImportRun.Status.UPLOADED:
        form, table, columns = _mapping_form(run, request.POST or None)
        return _mapping_page(request, area, run, form, table, columns)
    return render(request, "newcomers/detail.html", _progress_context(area, run))


@login_required
@require_POST
def confirm(request: HttpRequest, area_slug: str, pk: int) -> HttpResponse:
    area, run = _area_and_run(request, area_slug, pk)
    if run.status == ImportRun.Status.UPLOADED:
        form, table, columns = _mapping_form(run, request.POST)
        if not form.is_valid():
            return _mapping_page(request, area, run, form, table, columns)
        try:
            import_run_confirm(run=run, mapping=form.mapping(), create_estates=form.cleaned_data["create_estates"])
        except ImportRefused as refused:  # confirmed meanwhile in another tab
            messages.info(request, refused.message)
    return redirect("newcomers:detail", area_slug=area.slug, pk=run.pk)


def _run_status(area: Area, run: ImportRun) -> JobStatusView:
    """The confirmed run as the job-status partial shows it (the page and its polling both use it)."""
    back = JobLink(reverse("newcomers:history", args=[area.slug]), _("Back to imports"), "btn-outline-secondary")
    links = [back]
    if run.error_count or run.warning_count:
        csv_url = reverse("newcomers:problems_csv", args=[area.slug, run.pk])
        links.insert(0, JobLink(csv_url, _("Download the problems (CSV)"), download=True))
    if run.error_count:
        done = ngettext(
            "The file is imported, except %(errors)s line with errors.",
            "The file is imported, except %(errors)s lines with errors.",
            run.error_count,
        ) % {"errors": run.error_count}
    else:
        done = _("The file is imported.")
    progress_text = (
        _("%(processed)s of %(total)s rows (%(percent)s %%)")
        % {"processed": run.processed_rows, "total": run.total_rows, "percent": run.percent}
        if run.total_rows
        else _("Counting the rows…")
    )
    return JobStatusView(
        element_id="import-progress",
        status=run.status,
        poll_url=job_poll_url(run, reverse("newcomers:progress", args=[area.slug, run.pk])),
        poll_every="1s",
        waiting=_("Waiting for the import to start…"),
        running=_("Importing…"),
        progress_label=_("Import progress"),
        percent=run.percent,
        progress_text=progress_text,
        note=_("You may leave this page; the import goes on, and its result is kept under Imports."),
        done=done,
        done_level="warning" if run.error_count else "success",
        failed=_("The import failed and nothing from the file was imported. Upload the file again to try once more."),
        error=run.error_text,
        links=links if run.status == ImportRun.Status.DONE else [back],
        more="newcomers/includes/import_result.html" if run.status == ImportRun.Status.DONE else "",
    )


def _progress_context(area: Area, run: ImportRun) -> dict:
    context = {"area": area, "run": run, "job_status": _run_status(area, run)}
    if run.status == ImportRun.Status.DONE:
        context["problems"] = run.problems.order_by("line", "pk")[:PROBLEMS_SHOWN]
    return context


@login_required
@require_GET
def progress(request: HttpRequest, area_slug: str, pk: int) -> HttpResponse:
    """The htmx partial the run page polls every second; a finished run's partial no longer polls."""
    area, run = _area_and_run(request, area_slug, pk)
    context = _progress_context(area, run)
    return job_status_response(request, status=context.pop("job_status"), context=context)


@login_required
@require_GET
def problems_csv(request: HttpRequest, area_slug: str, pk: int) -> HttpResponse:
    _area, run = _area_and_run(request, area_slug, pk)
    response = HttpResponse(import_problems_csv(run=run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-problems.csv"'
    return response
