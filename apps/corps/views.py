"""The coordinator's pages about the ambassador corps."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.corps.health_charts import health_charts
from apps.corps.selectors import corps_health
from apps.organisation.selectors import area_for_user

# ---------------------------------------------------------------------------------------------------------
# Health
# ---------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def health(request: HttpRequest, slug: str) -> HttpResponse:
    """The corps at a glance for the area's coordinators (AREA_MANAGE, as the ambassador list)."""
    area = area_for_user(request.user, slug)
    figures = corps_health(area=area, today=timezone.localdate())
    context = {"area": area, "h": figures, "charts": health_charts(figures)}
    return render(request, "corps/health.html", context)
