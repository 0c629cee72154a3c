"""The coordinator's pages about the ambassador corps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.http import access_record_for_request
from apps.audit.models import AccessLogEntry
from apps.core.confirm import confirm_page, is_confirmed
from apps.core.policy import Perm
from apps.corps import selectors, services
from apps.corps.forms import RecognitionSettingsForm, TrainingForm, TrainingTopicForm
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


# --- Training -------------------------------------------------------------------------------------------


@login_required
@require_GET
def trainings(request: HttpRequest, slug: str) -> HttpResponse:
    """Sessions (planned and held, with how many attended), topics, and who lacks or is due which training."""
    area = area_for_user(request.user, slug)
    today = timezone.localdate()
    sessions = list(selectors.trainings_of(area=area))
    overview = selectors.training_overview(
        ambassadors=selectors.training_ambassadors(area=area),
        topics=selectors.training_topics_of(area=area),
        today=today,
    )
    context = {
        "area": area,
        "upcoming": sorted((s for s in sessions if s.held_on > today), key=lambda s: s.held_on),
        "past": [s for s in sessions if s.held_on <= today],
        "overview": overview,
        "today": today,
    }
    return render(request, "corps/trainings.html", context)


def _training_form_page(request: HttpRequest, area, form: TrainingForm, training=None) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {"area": area, "form": form, "training": training}
    return render(request, "corps/training_form.html", context, status=status)


def _training_data(form: TrainingForm) -> dict:
    data = form.cleaned_data
    return {
        "topic": data["topic"],
        "title": data["title"],
        "held_on": data["held_on"],
        "place": data["place"],
        "note": data["note"],
        "attendees": data["attendees"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    form = TrainingForm(request.POST or None, area=area, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.training_create(area=area, by=request.user, **_training_data(form))
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The training session is saved."))
            return redirect("corps:trainings", slug=area.slug)
    return _training_form_page(request, area, form)


@login_required
@require_http_methods(["GET", "POST"])
def training_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    training = selectors.training_for_coordinator(request.user, pk, area=area)
    form = TrainingForm(request.POST or None, area=area, instance=training)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_update(training=training, by=request.user, **_training_data(form))
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The training session is saved."))
            return redirect("corps:trainings", slug=area.slug)
    return _training_form_page(request, area, form, training)


@login_required
@require_POST
def training_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Asks first (how many attended); the confirmed POST deletes the session and its attendance."""
    area = area_for_user(request.user, slug)
    training = selectors.training_for_coordinator(request.user, pk, area=area)
    if not is_confirmed(request):
        what = _("Delete “%(title)s” on %(date)s? Who attended it is deleted with it.") % {
            "title": training.title,
            "date": date_format(training.held_on, "SHORT_DATE_FORMAT"),
        }
        return confirm_page(
            request,
            title=_("Delete training session"),
            what=what,
            cancel_url=reverse("corps:training_edit", args=[area.slug, training.pk]),
            confirm_label=_("Delete"),
            area=area,
        )
    services.training_delete(training=training, by=request.user)
    messages.success(request, _("The training session is deleted."))
    return redirect("corps:trainings", slug=area.slug)


def _topic_form_page(request: HttpRequest, area, form: TrainingTopicForm, topic=None) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, "corps/topic_form.html", {"area": area, "form": form, "topic": topic}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def topic_new(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    form = TrainingTopicForm(request.POST or None, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_topic_create(area=area, by=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The training topic is saved."))
            return redirect("corps:trainings", slug=area.slug)
    return _topic_form_page(request, area, form)


@login_required
@require_http_methods(["GET", "POST"])
def topic_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    topic = selectors.training_topic_for_coordinator(request.user, pk, area=area)
    form = TrainingTopicForm(request.POST or None, area=area, instance=topic)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_topic_update(topic=topic, by=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The training topic is saved."))
            return redirect("corps:trainings", slug=area.slug)
    return _topic_form_page(request, area, form, topic)
