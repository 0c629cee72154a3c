"""Data-subject requests: a coordinator finds a person, sees what is stored, exports it, erases it."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.audit.http import access_fields, access_record_for_request
from apps.audit.models import AccessLogEntry
from apps.audit.search import search_category
from apps.organisation.selectors import area_for_user
from apps.privacy.forms import EraseForm, PersonalDataSearchForm
from apps.privacy.selectors import (
    newcomer_data,
    newcomer_in_area,
    newcomers_search,
    people_search,
    person_data,
    person_in_area,
)
from apps.privacy.services import newcomer_erase, person_erase

Kind = AccessLogEntry.SubjectKind


@login_required
@require_GET
def search(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    form = PersonalDataSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    newcomers = list(newcomers_search(area=area, query=query))
    people = list(people_search(area=area, query=query))
    # The log keeps what kind of thing was searched for, never the text (an erased person's name would stay).
    search = search_category(query)
    access_record_for_request(request, subjects=[(area.pk, n.pk) for n in newcomers], search=search)
    access_record_for_request(request, kind=Kind.PERSON, subjects=[(area.pk, p.pk) for p in people], search=search)
    context = {"area": area, "form": form, "query": query, "newcomers": newcomers, "people": people}
    return render(request, "privacy/search.html", context)


def _subject_page(request, area, data, *, kind, obj, title) -> HttpResponse:
    context = {"area": area, "data": data, "kind": kind, "subject": obj, "title": title, "erase_form": EraseForm()}
    return render(request, "privacy/subject.html", context)


EXPORT_FORMATS = frozenset({"json", "pdf"})


def _export(request, data: dict, *, filename: str, fmt: str) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        from weasyprint import HTML  # heavy: imported where it is used

        html = render_to_string("privacy/pdf/export.html", {"data": data}, request=request)
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def newcomer_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    newcomer = newcomer_in_area(user=request.user, area=area, pk=pk)
    access_record_for_request(request, subjects=[(area.pk, newcomer.pk)])
    title = newcomer.name or _("Newcomer at %(address)s") % {"address": newcomer.tenancy.address}
    return _subject_page(request, area, newcomer_data(newcomer=newcomer), kind="newcomer", obj=newcomer, title=title)


@login_required
@require_GET
def newcomer_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    area = area_for_user(request.user, slug)
    newcomer = newcomer_in_area(user=request.user, area=area, pk=pk)
    access_record_for_request(request, action=AccessLogEntry.Action.EXPORT, subjects=[(area.pk, newcomer.pk)])
    return _export(request, newcomer_data(newcomer=newcomer), filename=f"newcomer-{newcomer.pk}", fmt=fmt)


@login_required
@require_POST
def newcomer_erase_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    newcomer = newcomer_in_area(user=request.user, area=area, pk=pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("privacy:newcomer", slug=area.slug, pk=newcomer.pk)
    newcomer_erase(newcomer=newcomer, **access_fields(request))
    messages.success(request, _("The newcomer's personal data is erased. The figures still count the household."))
    return redirect("privacy:newcomer", slug=area.slug, pk=newcomer.pk)


@login_required
@require_GET
def person_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    person = person_in_area(user=request.user, area=area, pk=pk)
    access_record_for_request(request, kind=Kind.PERSON, subjects=[(area.pk, person.pk)])
    return _subject_page(request, area, person_data(user=person), kind="person", obj=person, title=person.full_name)


@login_required
@require_GET
def person_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    area = area_for_user(request.user, slug)
    person = person_in_area(user=request.user, area=area, pk=pk)
    access_record_for_request(
        request, action=AccessLogEntry.Action.EXPORT, kind=Kind.PERSON, subjects=[(area.pk, person.pk)]
    )
    return _export(request, person_data(user=person), filename=f"person-{person.pk}", fmt=fmt)


@login_required
@require_POST
def person_erase_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    person = person_in_area(user=request.user, area=area, pk=pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("privacy:person", slug=area.slug, pk=person.pk)
    person_erase(user=person, **access_fields(request))
    messages.success(request, _("The person's data is erased and their account closed. Their past work still counts."))
    return redirect("privacy:search", slug=area.slug)
