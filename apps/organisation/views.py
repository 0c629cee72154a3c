from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.organisation.selectors import area_for_user, area_role_counts, estates_with_figures


@login_required
def area_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinator's landing page: the area's estates and people at a glance."""
    area = area_for_user(request.user, slug)
    context = {
        "area": area,
        "estates": estates_with_figures(estates=area.estates.all()),
        "role_counts": area_role_counts(area=area),
    }
    return render(request, "organisation/area_detail.html", context)
