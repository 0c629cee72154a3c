"""Data-subject requests: a coordinator finds a person, sees what is stored, exports it, erases it."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from weasyprint import HTML

from apps.accounts.models import User
from apps.audit.models import AccessLogEntry
from apps.audit.search import search_category
from apps.audit.services import access_record
from apps.core.policy import Perm, get_for_user
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area
from apps.privacy.forms import EraseForm, PersonalDataSearchForm
from apps.privacy.selectors import newcomer_data, newcomers_search, people_search, person_data
from apps.privacy.services import newcomer_erase, person_erase

Kind = AccessLogEntry.SubjectKind


def _area(request: HttpRequest, slug: str) -> Area:
    return get_for_user(request.user, Perm.AREA_MANAGE, Area, slug=slug)


def _newcomer(request: HttpRequest, area: Area, pk: int) -> Newcomer:
    newcomer = get_for_user(
        request.user,
        Perm.NEWCOMER_PERSONAL_DATA,
        Newcomer.objects.select_related("tenancy__entrance", "tenancy__estate__area"),
        pk=pk,
    )
    if newcomer.tenancy.estate.area_id != area.pk:
        raise PermissionDenied
    return newcomer


def _person(request: HttpRequest, area: Area, pk: int) -> User:
    person = get_for_user(request.user, Perm.PERSON_PERSONAL_DATA, User, pk=pk)
    if not person.memberships.filter(area=area).exists():
        raise PermissionDenied
    return person


@login_required
@require_GET
def search(request: HttpRequest, slug: str) -> HttpResponse:
    area = _area(request, slug)
    form = PersonalDataSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    newcomers = list(newcomers_search(area=area, query=query))
    people = list(people_search(area=area, query=query))
    # The log keeps what kind of thing was searched for, never the text (an erased person's name would stay).
    search = search_category(query)
    access_record(request=request, subjects=[(area.pk, n.pk) for n in newcomers], search=search)
    access_record(request=request, kind=Kind.PERSON, subjects=[(area.pk, p.pk) for p in people], search=search)
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
        html = render_to_string("privacy/pdf/export.html", {"data": data}, request=request)
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def newcomer_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = _area(request, slug)
    newcomer = _newcomer(request, area, pk)
    access_record(request=request, subjects=[(area.pk, newcomer.pk)])
    title = newcomer.name or _("Newcomer at %(address)s") % {"address": newcomer.tenancy.address}
    return _subject_page(request, area, newcomer_data(newcomer=newcomer), kind="newcomer", obj=newcomer, title=title)


@login_required
@require_GET
def newcomer_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    area = _area(request, slug)
    newcomer = _newcomer(request, area, pk)
    access_record(request=request, action=AccessLogEntry.Action.EXPORT, subjects=[(area.pk, newcomer.pk)])
    return _export(request, newcomer_data(newcomer=newcomer), filename=f"newcomer-{newcomer.pk}", fmt=fmt)


@login_required
@require_POST
def newcomer_erase_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = _area(request, slug)
    newcomer = _newcomer(request, area, pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("privacy:newcomer", slug=area.slug, pk=newcomer.pk)
    newcomer_erase(newcomer=newcomer, request=request)
    messages.success(request, _("The newcomer's personal data is erased. The figures still count the household."))
    return redirect("privacy:newcomer", slug=area.slug, pk=newcomer.pk)


@login_required
@require_GET
def person_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = _area(request, slug)
    person = _person(request, area, pk)
    access_record(request=request, kind=Kind.PERSON, subjects=[(area.pk, person.pk)])
    return _subject_page(request, area, person_data(user=person), kind="person", obj=person, title=person.full_name)


@login_required
@require_GET
def person_export(request: HttpRequest, slug: str, pk: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    area = _area(request, slug)
    person = _person(request, area, pk)
    access_record(
        request=request, action=AccessLogEntry.Action.EXPORT, kind=Kind.PERSON, subjects=[(area.pk, person.pk)]
    )
    return _export(request, person_data(user=person), filename=f"person-{person.pk}", fmt=fmt)


@login_required
@require_POST
def person_erase_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = _area(request, slug)
    person = _person(request, area, pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("privacy:person", slug=area.slug, pk=person.pk)
    person_erase(user=person, request=request)
    messages.success(request, _("The person's data is erased and their account closed. Their past work still counts."))
    return redirect("privacy:search", slug=area.slug)
