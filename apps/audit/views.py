from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.audit.forms import AccessLogSearchForm
from apps.audit.selectors import access_log_for_area
from apps.organisation.selectors import area_for_user

PER_PAGE = 50


@login_required
@require_GET
def area_log(request: HttpRequest, slug: str) -> HttpResponse:
    """Coordinators of the area (and admins): who has seen or exported whose data in the area: read-only, searchable."""
    area = area_for_user(request.user, slug)
    form = AccessLogSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = access_log_for_area(area=area, **{k: v for k, v in filters.items() if v})
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status = 400 if form.is_bound and form.errors else 200
    context = {"area": area, "form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/area_log.html", context, status=status)
