"""Pages of the welcome folder: the coordinator's editor, previews, publishing and the week's batch;
the personal folder of a visit for the ambassador who holds it (on the phone) and the coordinator.

Every object named in a URL comes through the policy: the area (AREA_MANAGE) and then the folder of
that area, so another area's section, picture or batch is not found.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.http import access_record_for_request
from apps.audit.models import AccessLogEntry
from apps.audit.services import newcomer_subjects
from apps.core.confirm import confirm_page, needs_confirmation
from apps.core.errors import error_text
from apps.core.images import IMAGE_FORMATS
from apps.core.job_status import JobLink, JobStatusView, job_poll_url, job_status_response
from apps.core.policy import Perm, ensure, get_for_user
from apps.folders.forms import LanguageAddForm, PictureForm, SectionAddForm, SectionTextForm
from apps.folders.models import SOURCE_LANGUAGE, Delivery, PrintBatch, SectionText, WelcomeFolder
from apps.folders.printwords import endonym
from apps.folders.rendering import PRINT_CSS
from apps.folders.selectors import (
    FOLDER_VISIT_RELATED,
    batch_in_area,
    batch_visits,
    batches_in_area,
    failed_deliveries,
    latest_version,
    picture_in_folder,
    section_in_folder,
    section_rows,
)
from apps.folders.services import (
    batch_create,
    delivery_current,
    delivery_request,
    folder_get_or_create,
    folder_language_add,
    folder_preview_html,
    folder_preview_pdf,
    folder_publish,
    picture_add,
    picture_remove,
    section_add,
    section_text_save,
)
from apps.organisation.models import Area
from apps.organisation.selectors import area_for_user
from apps.surveys.selectors import survey_folder_link
from apps.visits.models import Visit, language_name


def survey_url_for(*, area: Area, on_date: datetime.date) -> str | None:
    """The link of the newcomer survey running in the area on that day, for the folder's back page (none:
    the back page leaves the survey out)."""
    return survey_folder_link(area=area, on_date=on_date)


def _folder(request: HttpRequest, slug: str) -> tuple[Area, WelcomeFolder]:
    area = area_for_user(request.user, slug)
    folder = folder_get_or_create(area=area)
    ensure(request.user, Perm.FOLDER_MANAGE, folder)
    return area, folder


def _language(folder: WelcomeFolder, language: str) -> str:
    if language not in folder.languages:
        raise Http404
    return language


def _pdf_response(data_or_file, filename: str) -> HttpResponse:
    if isinstance(data_or_file, bytes):
        response = HttpResponse(data_or_file, content_type="application/pdf")
    else:
        response = FileResponse(data_or_file, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


@login_required
@require_GET
def editor(request: HttpRequest, slug: str) -> HttpResponse:
    area, folder = _folder(request, slug)
    rows = section_rows(folder=folder)
    context = {
        "area": area,
        "folder": folder,
        "rows": rows,
        "languages": [(code, endonym(code), language_name(code)) for code in folder.languages],
        "outdated_count": sum(len(row.outdated) for row in rows),
        "versions": folder.versions.select_related("published_by").order_by("-number")[:10],
        "language_form": LanguageAddForm(present=folder.languages),
        "section_form": SectionAddForm(),
    }
    return render(request, "folders/editor.html", context)


@login_required
def section_edit(request: HttpRequest, slug: str, pk: int, language: str) -> HttpResponse:
    area, folder = _folder(request, slug)
    section = section_in_folder(folder=folder, pk=pk)
    language = _language(folder, language)
    text = SectionText.objects.filter(section=section, language=language).first()
    source = SectionText.objects.filter(section=section, language=SOURCE_LANGUAGE).first()
    initial = {"title": text.title, "markdown": text.markdown} if text else {"title": ""}
    form = SectionTextForm(request.POST or None, initial=initial, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            section_text_save(section=section, language=language, by=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, error_text(refused))
        else:
            messages.success(request, _("The section is saved."))
            return redirect("folders:editor", slug=area.slug)
    context = {
        "area": area,
        "folder": folder,
        "section": section,
        "language": language,
        "language_label": endonym(language),
        "is_source": language == SOURCE_LANGUAGE,
        "text": text,
        "source": source,
        "outdated": bool(text and language != SOURCE_LANGUAGE and text.source_revision < section.revision),
        "form": form,
        "picture_form": PictureForm(),
        "pictures": section.pictures.filter(removed=False),
    }
    return render(request, "folders/section_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def section_new(request: HttpRequest, slug: str) -> HttpResponse:
    area, folder = _folder(request, slug)
    form = SectionAddForm(request.POST)
    if form.is_valid():
        section = section_add(folder=folder, title=form.cleaned_data["title"], by=request.user)
        return redirect("folders:section_edit", slug=area.slug, pk=section.pk, language=SOURCE_LANGUAGE)
    messages.error(request, _("Give the new section a heading."))
    return redirect("folders:editor", slug=area.slug)


@login_required
@require_POST
def language_add(request: HttpRequest, slug: str) -> HttpResponse:
    area, folder = _folder(request, slug)
    form = LanguageAddForm(request.POST, present=folder.languages)
    if form.is_valid():
        folder_language_add(folder=folder, language=form.cleaned_data["language"])
        messages.success(request, _("The language is added. Its sections are empty until you translate them."))
    else:
        messages.error(request, _("Choose a language from the list."))
    return redirect("folders:editor", slug=area.slug)


@login_required
@require_POST
def picture_upload(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area, folder = _folder(request, slug)
    section = section_in_folder(folder=folder, pk=pk)
    form = PictureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            picture_add(
                section=section,
                data=form.cleaned_data["image"].read(),
                caption=form.cleaned_data["caption"],
                by=request.user,
            )
        except ValidationError as refused:
            messages.error(request, error_text(refused))
        else:
            messages.success(request, _("The picture is added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("folders:section_edit", slug=area.slug, pk=section.pk, language=SOURCE_LANGUAGE)


@login_required
@require_POST
def picture_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area, folder = _folder(request, slug)
    picture = picture_in_folder(folder=folder, pk=pk)
    picture_remove(picture=picture)
    messages.success(request, _("The picture is removed from the draft."))
    return redirect("folders:section_edit", slug=area.slug, pk=picture.section_id, language=SOURCE_LANGUAGE)


@login_required
@require_GET
def picture(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A folder picture, for the coordinators of the area (the PDFs read the files directly)."""
    _area, folder = _folder(request, slug)
    found = picture_in_folder(folder=folder, pk=pk)
    content_type, _extension = IMAGE_FORMATS[found.image_format]
    response = FileResponse(found.image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    area, folder = _folder(request, slug)
    rows = section_rows(folder=folder)
    outdated = [code for code in folder.languages if any(code in row.outdated for row in rows)]
    warnings = (
        [
            _("These translations are older than the Danish text they translate: %(languages)s.")
            % {"languages": ", ".join(language_name(code) for code in outdated)}
        ]
        if outdated
        else []
    )
    if needs_confirmation(request, warnings=warnings):
        return confirm_page(
            request,
            title=_("Publish with outdated translations?"),
            what=_("Ambassadors and printed folders get the new version at once, outdated translations included."),
            warnings=warnings,
            cancel_url=reverse("folders:editor", args=[area.slug]),
            confirm_label=_("Publish anyway"),
            area=area,
        )
    try:
        version = folder_publish(folder=folder, by=request.user)
    except ValidationError as refused:
        messages.error(request, error_text(refused))
    else:
        messages.success(request, _("Version %(number)s is published.") % {"number": version.number})
    return redirect("folders:editor", slug=area.slug)


@login_required
@require_GET
def preview(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    """The draft as the printed folder, in the browser: the same HTML WeasyPrint gets, with the print CSS."""
    area, folder = _folder(request, slug)
    language = _language(folder, language)
    html = folder_preview_html(
        folder=folder,
        language=language,
        on_date=timezone.localdate(),
        picture_src=lambda picture: reverse("folders:picture", args=[area.slug, picture["id"]]),
        stylesheet_url=static(PRINT_CSS),
        survey_url=survey_url_for(area=area, on_date=timezone.localdate()),
        preview_bar={
            "preview_bar": True,
            "editor_url": reverse("folders:editor", args=[area.slug]),
            "pdf_url": reverse("folders:preview_pdf", args=[area.slug, language]),
            "other_languages": [
                (code, endonym(code), reverse("folders:preview", args=[area.slug, code]))
                for code in folder.languages
                if code != language
            ],
        },
    )
    return HttpResponse(html)


@login_required
@require_GET
def preview_pdf(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    area, folder = _folder(request, slug)
    language = _language(folder, language)
    today = timezone.localdate()
    data = folder_preview_pdf(
        folder=folder, language=language, on_date=today, survey_url=survey_url_for(area=area, on_date=today)
    )
    return _pdf_response(data, f"preview-{area.slug}-{language}.pdf")


# --- The week's batch -------------------------------------------------------------------------------------


@login_required
def batch_list(request: HttpRequest, slug: str) -> HttpResponse:
    area, folder = _folder(request, slug)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            batch = batch_create(
                area=area, by=request.user, survey_url=survey_url_for(area=area, on_date=today), today=today
            )
        except ValidationError as refused:
            messages.error(request, error_text(refused))
            return redirect("folders:batch_list", slug=area.slug)
        return redirect("folders:batch_detail", slug=area.slug, pk=batch.pk)
    due_until = today + datetime.timedelta(days=7)
    visits = batch_visits(area=area, due_until=due_until)
    failed = failed_deliveries(area=area)
    # The week's visits show each newcomer's name and address; a failed folder shows the address.
    access_record_for_request(
        request, subjects=newcomer_subjects(visits) + [(area.pk, delivery.newcomer_id) for delivery in failed]
    )
    context = {
        "area": area,
        "folder": folder,
        "version": latest_version(folder=folder),
        "batches": batches_in_area(area=area),
        "visits": visits,
        "due_until": due_until,
        "failed_deliveries": failed,
    }
    return render(request, "folders/batch_list.html", context)


def _batch(request: HttpRequest, slug: str, pk: int) -> tuple[Area, PrintBatch]:
    area, _folder_ = _folder(request, slug)
    batch = batch_in_area(area=area, pk=pk)
    ensure(request.user, Perm.FOLDER_MANAGE, batch)
    return area, batch


def _batch_people_record(request: HttpRequest, area: Area, batch: PrintBatch) -> None:
    """A finished batch lists its PDFs by the ambassador's name: volunteers' personal data, logged.
    While the batch is being made the page (and the partial it polls) names nobody and logs nothing."""
    if batch.status == PrintBatch.Status.DONE:
        users = batch.files.values_list("ambassador__user_id", flat=True)
        access_record_for_request(
            request, kind=AccessLogEntry.SubjectKind.PERSON, subjects=[(area.pk, u) for u in users]
        )


def _batch_status(area: Area, batch: PrintBatch) -> JobStatusView:
    """The batch as the job-status partial shows it (the page and its polling both use it)."""
    return JobStatusView(
        element_id="batch-progress",
        status=batch.status,
        poll_url=job_poll_url(batch, reverse("folders:batch_progress", args=[area.slug, batch.pk])),
        poll_every="1s",
        waiting=_("Waiting for the printer job to start…"),
        running=_("Making the PDFs…"),
        retry_note=_("The last try failed (%(reason)s); it is tried again shortly.") % {"reason": batch.error}
        if batch.error
        else "",
        progress_label=_("Progress"),
        percent=batch.percent,
        progress_text=_("%(done)s of %(total)s folders (%(percent)s %%)")
        % {"done": batch.done, "total": batch.total, "percent": batch.percent},
        done=ngettext("%(count)s folder is ready.", "%(count)s folders are ready.", batch.total)
        % {"count": batch.total},
        failed=ngettext(
            "The PDFs could not be made, after %(attempts)s try. Start the batch again, or ask for help if it "
            "fails again.",
            "The PDFs could not be made, after %(attempts)s tries. Start the batch again, or ask for help if it "
            "fails again.",
            batch.attempts,
        )
        % {"attempts": batch.attempts},
        error=batch.error,
        more="folders/includes/batch_files.html" if batch.status == PrintBatch.Status.DONE else "",
    )


@login_required
@require_GET
def batch_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area, batch = _batch(request, slug, pk)
    _batch_people_record(request, area, batch)
    context = {"area": area, "batch": batch, "job_status": _batch_status(area, batch)}
    return render(request, "folders/batch_detail.html", context)


@login_required
@require_GET
def batch_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The htmx partial the batch page polls every second; a finished batch's partial stops polling."""
    area, batch = _batch(request, slug, pk)
    _batch_people_record(request, area, batch)
    return job_status_response(request, status=_batch_status(area, batch), context={"area": area, "batch": batch})


@login_required
@require_GET
def batch_file(request: HttpRequest, slug: str, pk: int, file_pk: int) -> HttpResponse:
    area, batch = _batch(request, slug, pk)
    found = batch.files.select_related("ambassador__user").filter(pk=file_pk).first()
    if found is None or not found.pdf:  # not this batch's, or deleted after FOLDER_PDF_KEEP_DAYS
        raise Http404
    # The file holds the cover (name and address) of each newcomer in it: an export of personal data.
    newcomers = found.deliveries.values_list("newcomer_id", flat=True)
    access_record_for_request(request, action=AccessLogEntry.Action.EXPORT, subjects=[(area.pk, n) for n in newcomers])
    return _pdf_response(found.pdf.open("rb"), f"folders-week-{batch.due_until:%Y%m%d}-{found.ambassador.pk}.pdf")


# --- A visit's personal folder ------------------------------------------------------------------------------


def _visit(request: HttpRequest, pk: int) -> Visit:
    return get_for_user(
        request.user, Perm.VISIT_FOLDER_DOWNLOAD, Visit.objects.select_related(*FOLDER_VISIT_RELATED), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_folder(request: HttpRequest, pk: int) -> HttpResponse:
    """The newcomer's folder as a PDF. GET serves today's folder when it is made, shows that it is being
    made (the page polls), or offers a button; the POST asks the worker to make it. Making it is a POST,
    so a link preview or a prefetch never starts a PDF job."""
    visit = _visit(request, pk)
    if visit.newcomer.do_not_contact:
        raise Http404
    survey_url = survey_url_for(area=visit.area, on_date=timezone.localdate())
    if request.method == "POST":
        try:
            delivery_request(visit=visit, by=request.user, survey_url=survey_url)
        except ValidationError as refused:
            context = {"visit": visit, "refused": error_text(refused)}
            return render(request, "folders/visit_folder.html", context, status=409)
        return redirect("folders:visit_folder", pk=visit.pk)
    delivery = delivery_current(visit=visit, survey_url=survey_url)
    if delivery is not None and delivery.status == Delivery.Status.DONE and delivery.newcomer_id == visit.newcomer_id:
        access_record_for_request(
            request, action=AccessLogEntry.Action.EXPORT, subjects=[(visit.area_id, visit.newcomer_id)]
        )
        return _pdf_response(delivery.pdf.open("rb"), f"velkomstmappe-{visit.pk}.pdf")
    context = {"visit": visit, "delivery": delivery, "job_status": _delivery_status(visit, delivery)}
    return render(request, "folders/visit_folder.html", context)


def _delivery_status(visit: Visit, delivery: Delivery | None) -> JobStatusView:
    """The personal folder as the job-status partial shows it; with none made (or a failed one) the
    partial offers the button that makes it."""
    folder_url = reverse("folders:visit_folder", args=[visit.pk])
    return JobStatusView(
        element_id="delivery-status",
        status=delivery.status if delivery is not None else "",
        poll_url=job_poll_url(delivery, reverse("folders:visit_folder_status", args=[visit.pk])),
        waiting=_("The folder is being made. This takes a few seconds…"),
        running=_("The folder is being made. This takes a few seconds…"),
        failed=_("The folder could not be made. The coordinator sees this on the folder pages; try again later."),
        links=[JobLink(folder_url, _("Download the welcome folder (PDF)"), "btn-primary btn-lg")]
        if delivery is not None and delivery.status == Delivery.Status.DONE
        else [],
        more="folders/includes/delivery_make.html"
        if delivery is None or delivery.status == Delivery.Status.FAILED
        else "",
    )


@login_required
@require_GET
def visit_folder_status(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    delivery = (
        Delivery.objects.filter(visit=visit, newcomer=visit.newcomer, batch_file=None).order_by("-created_at").first()
    )
    return job_status_response(request, status=_delivery_status(visit, delivery), context={"visit": visit})
