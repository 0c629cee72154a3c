"""The coordinator's pages about the ambassador corps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.audit.http import access_record_for_request
from apps.audit.models import AccessLogEntry
from apps.core.policy import Perm
from apps.corps import selectors, services
from apps.corps.forms import RecognitionSettingsForm
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


@login_required
@require_GET
def recognition(request: HttpRequest, slug: str) -> HttpResponse:
    """The area's ambassadors with visits made, months active, meetings attended, the next milestone and
    the thank-yous sent; the area's thank-you settings."""
    area = area_for_user(request.user, slug, Perm.RECOGNITION_MANAGE)
    settings = selectors.recognition_settings_for(area=area)
    context = {
        "area": area,
        "rows": selectors.recognition_rows(area=area, today=timezone.localdate(), settings=settings),
        "settings": settings,
        "settings_form": RecognitionSettingsForm(instance=settings),
    }
    return render(request, "corps/recognition.html", context)


@login_required
@require_POST
def recognition_settings(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug, Perm.RECOGNITION_MANAGE)
    form = RecognitionSettingsForm(request.POST, instance=selectors.recognition_settings_for(area=area))
    if form.is_valid():
        services.recognition_settings_save(area=area, by=request.user, **form.cleaned_data)
        messages.success(request, _("The thank-you settings are saved."))
    else:
        messages.error(request, _("Give the numbers of visits separated by commas, e.g. 10, 25, 50, 100."))
    return redirect("corps:recognition", slug=area.slug)


@login_required
@require_GET
def certificate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An ambassador's certificate (reference letter) as a PDF, in Danish or, with ?lang=en, in English."""
    area = area_for_user(request.user, slug, Perm.RECOGNITION_MANAGE)
    ambassador = selectors.ambassador_for_recognition(request.user, pk, area=area)
    content = selectors.certificate_for(ambassador=ambassador, signed_by=request.user, today=timezone.localdate())
    body = services.certificate_pdf(certificate=content, language=request.GET.get("lang", "da"))
    # A volunteer's name and record leave the app as a document: logged like every export of a person.
    access_record_for_request(
        request,
        action=AccessLogEntry.Action.EXPORT,
        kind=AccessLogEntry.SubjectKind.PERSON,
        subjects=[(area.pk, ambassador.user_id)],
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{area.slug}-{ambassador.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
