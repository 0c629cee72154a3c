"""The coordinator's pages about the ambassador corps."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.http import access_record_for_request
from apps.audit.models import AccessLogEntry
from apps.core.bidi import direction
from apps.core.confirm import confirm_page, is_confirmed
from apps.core.errors import error_text
from apps.core.models import Message
from apps.core.policy import Perm
from apps.core.throttle import client_address, throttle_allows
from apps.corps import selectors, services
from apps.corps.forms import (
    CandidateForm,
    CandidateNoteForm,
    CandidateStopForm,
    IntroTalkForm,
    JoinForm,
    OnboardingForm,
    RecognitionSettingsForm,
    TrainingForm,
    TrainingTopicForm,
)
from apps.corps.health_charts import health_charts
from apps.corps.join_content import JOIN_LANGUAGES, LANGUAGE_NAMES, join_language, join_texts
from apps.corps.models import Candidate
from apps.corps.selectors import corps_health
from apps.organisation.selectors import area_for_user
from apps.visits.models import Ambassador
from apps.visits.selectors import ambassador_for_coordinator
from apps.visits.services import ambassador_set_status

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


# --- Recruitment and onboarding (issue 17, points 1 and 2) ----------------------------------------------

# The public page: no sign-in, in Danish, English, Arabic (right to left) or Turkish.


def _join_page(request, template: str, *, area, language: str, context: dict, status: int = 200) -> HttpResponse:
    texts = join_texts(language)
    context = {
        "area": area,
        "lang": language,
        "dir": direction(language),
        "t": texts,
        "intro": texts["intro"].format(area=area.name),
        "thanks_text": texts["thanks_text"].format(area=area.name),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in JOIN_LANGUAGES],
        **context,
    }
    return render(request, template, context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Become a neighbour ambassador": a resident leaves their name and contact. A robot (the honeypot) and a
    person already known in the area get the same thank-you page as everyone, and nothing is stored."""
    area = selectors.area_for_join(slug)
    language = join_language(request.POST.get("lang") or request.GET.get("lang"))
    texts = join_texts(language)
    form = JoinForm(request.POST or None, area=area, texts=texts)
    if request.method == "POST":
        allowed = throttle_allows(
            f"corps-join:{client_address(request)}", limit=settings.CANDIDATE_JOIN_PER_HOUR, window_seconds=3600
        )
        if not allowed:
            return _join_page(
                request, "corps/join.html", area=area, language=language, context={"busy": True}, status=429
            )
        if form.is_robot:
            return _join_page(request, "corps/join_thanks.html", area=area, language=language, context={})
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.candidate_submit(
                    area=area,
                    full_name=data["full_name"],
                    email=data["email"],
                    phone=data["phone"],
                    entrance=data["entrance"],
                    languages=data["languages"],
                    motivation=data["motivation"],
                )
            except ValidationError:
                pass  # nothing stored; the page says the same (it never tells what it knows)
            return _join_page(request, "corps/join_thanks.html", area=area, language=language, context={})
        return _join_page(request, "corps/join.html", area=area, language=language, context={"form": form}, status=400)
    return _join_page(request, "corps/join.html", area=area, language=language, context={"form": form})


# The coordinator's board, candidates and the first steps of new ambassadors.


def _candidate_record(request: HttpRequest, candidate: Candidate) -> None:
    """A candidate's details are personal data: every page that shows them is logged."""
    access_record_for_request(
        request, kind=AccessLogEntry.SubjectKind.CANDIDATE, subjects=[(candidate.area_id, candidate.pk)]
    )


@login_required
def candidates(request: HttpRequest, slug: str) -> HttpResponse:
    """The recruitment board: candidates and new ambassadors per stage, and a form to add a candidate."""
    area = area_for_user(request.user, slug)
    form = CandidateForm(request.POST or None, area=area)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                candidate = services.candidate_create(area=area, by=request.user, **form.cleaned_data)
            except ValidationError as refused:
                form.add_error(None, error_text(refused))
            else:
                messages.success(request, _("%(name)s is added as a candidate.") % {"name": candidate.full_name})
                return redirect("corps:candidate", slug=area.slug, pk=candidate.pk)
        status = 400
    columns, stopped = selectors.recruitment_board(area=area)
    shown = [candidate for column in columns for candidate in column.candidates] + stopped
    if shown:
        access_record_for_request(
            request, kind=AccessLogEntry.SubjectKind.CANDIDATE, subjects=[(area.pk, c.pk) for c in shown]
        )
    context = {"area": area, "columns": columns, "stopped": stopped, "form": form}
    return render(request, "corps/candidates.html", context, status=status)


@login_required
def candidate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One candidate: what they wrote, the note, and the next steps."""
    area = area_for_user(request.user, slug)
    candidate = selectors.candidate_for_coordinator(request.user, pk, area=area)
    note_form = CandidateNoteForm(request.POST or None, initial={"note": candidate.note})
    status = 200
    if request.method == "POST":
        if note_form.is_valid():
            services.candidate_note_save(candidate=candidate, by=request.user, note=note_form.cleaned_data["note"])
            messages.success(request, _("The note is saved."))
            return redirect("corps:candidate", slug=area.slug, pk=candidate.pk)
        status = 400
    _candidate_record(request, candidate)
    context = {
        "area": area,
        "candidate": candidate,
        "note_form": note_form,
        "intro_form": IntroTalkForm(initial={"on": candidate.intro_talk_on}),
        "stop_form": CandidateStopForm(),
        "open": candidate.stage in (Candidate.Stage.INTERESTED, Candidate.Stage.INTRO_TALK),
    }
    return render(request, "corps/candidate.html", context, status=status)


def _back(area, candidate) -> HttpResponse:
    return redirect("corps:candidate", slug=area.slug, pk=candidate.pk)


@login_required
@require_POST
def candidate_intro_talk(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    candidate = selectors.candidate_for_coordinator(request.user, pk, area=area)
    form = IntroTalkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date of the intro talk."))
        return _back(area, candidate)
    try:
        services.candidate_intro_talk_record(candidate=candidate, by=request.user, on=form.cleaned_data["on"])
    except ValidationError as refused:
        messages.error(request, error_text(refused))
    else:
        messages.success(request, _("The intro talk is noted."))
    return _back(area, candidate)


@login_required
@require_POST
def candidate_stop(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    candidate = selectors.candidate_for_coordinator(request.user, pk, area=area)
    form = CandidateStopForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason."))
        return _back(area, candidate)
    try:
        services.candidate_stop(candidate=candidate, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as refused:
        messages.error(request, error_text(refused))
        return _back(area, candidate)
    messages.success(
        request, _("%(name)s does not continue; their details are deleted tonight.") % {"name": candidate.full_name}
    )
    return redirect("corps:candidates", slug=area.slug)


@login_required
@require_POST
def candidate_accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Accept a candidate (after a confirmation): the invitation with a one-time sign-in link goes out."""
    area = area_for_user(request.user, slug)
    candidate = selectors.candidate_for_coordinator(request.user, pk, area=area)
    if not is_confirmed(request):
        channel = Message.Channel.SMS if candidate.phone else Message.Channel.EMAIL
        return confirm_page(
            request,
            title=_("Accept %(name)s as an ambassador?") % {"name": candidate.full_name},
            what=_(
                "They get an account and a one-time sign-in link, and start with a first-steps checklist. "
                "Someone who already has an account elsewhere is asked to accept the invitation first."
            ),
            counts={channel: 1},
            confirm_label=_("Accept and invite"),
            cancel_url=reverse("corps:candidate", args=[area.slug, candidate.pk]),
            area=area,
        )
    try:
        candidate = services.candidate_accept(candidate=candidate, by=request.user)
    except ValidationError as refused:
        messages.error(request, error_text(refused))
        return _back(area, candidate)
    if candidate.ambassador_id:
        messages.success(request, _("%(name)s is accepted and invited.") % {"name": candidate.full_name})
        return redirect("corps:onboarding", slug=area.slug, pk=candidate.ambassador_id)
    messages.success(
        request, _("%(name)s is accepted and asked to accept the invitation.") % {"name": candidate.full_name}
    )
    return _back(area, candidate)


@login_required
@require_POST
def candidate_profile(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An accepted candidate who said yes to the invitation since: their profile is made now."""
    area = area_for_user(request.user, slug)
    candidate = selectors.candidate_for_coordinator(request.user, pk, area=area)
    if services.candidate_profile_complete(candidate=candidate, by=request.user):
        candidate.refresh_from_db(fields=["ambassador"])
        messages.success(request, _("The profile of %(name)s is started.") % {"name": candidate.full_name})
        return redirect("corps:onboarding", slug=area.slug, pk=candidate.ambassador_id)
    messages.info(request, _("%(name)s has not accepted the invitation yet.") % {"name": candidate.full_name})
    return _back(area, candidate)


# The board moves a new ambassador on: accepted → trained → active.
NEXT_STATUS = {
    Ambassador.Status.ACCEPTED: Ambassador.Status.TRAINED,
    Ambassador.Status.TRAINED: Ambassador.Status.ACTIVE,
}


@login_required
@require_POST
def ambassador_advance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    ambassador = ambassador_for_coordinator(request.user, pk, area=area)
    status = NEXT_STATUS.get(ambassador.status)
    if status is None or request.POST.get("status") != status:
        messages.error(request, _("%(name)s is already moved on.") % {"name": ambassador.user.full_name})
        return redirect("corps:candidates", slug=area.slug)
    if not is_confirmed(request):
        titles = {
            Ambassador.Status.TRAINED: _("Mark %(name)s as trained?"),
            Ambassador.Status.ACTIVE: _("Make %(name)s an active ambassador?"),
        }
        return confirm_page(
            request,
            title=titles[status] % {"name": ambassador.user.full_name},
            what=_("Only active ambassadors are proposed for visits.") if status == Ambassador.Status.ACTIVE else "",
            confirm_label=_("Confirm"),
            cancel_url=reverse("corps:candidates", args=[area.slug]),
            area=area,
        )
    ambassador_set_status(ambassador=ambassador, status=status, by=request.user)
    messages.success(
        request,
        _("%(name)s is now: %(status)s.")
        % {"name": ambassador.user.full_name, "status": ambassador.get_status_display()},
    )
    return redirect("corps:candidates", slug=area.slug)


@login_required
def onboarding(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A new ambassador's first steps and mentor."""
    area = area_for_user(request.user, slug)
    ambassador = ambassador_for_coordinator(request.user, pk, area=area)
    current = selectors.onboarding_for_ambassador(ambassador=ambassador)
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in (*current.STEPS, "first_visit_with", "mentor")}
    form = OnboardingForm(request.POST or None, ambassador=ambassador, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.onboarding_save(ambassador=ambassador, by=request.user, **form.cleaned_data)
            except ValidationError as refused:
                form.add_error(None, error_text(refused))
            else:
                messages.success(request, _("The first steps are saved."))
                return redirect("corps:onboarding", slug=area.slug, pk=ambassador.pk)
        status = 400
    context = {
        "area": area,
        "ambassador": ambassador,
        "onboarding": current,
        "form": form,
        "next_status": NEXT_STATUS.get(ambassador.status),
    }
    return render(request, "corps/onboarding.html", context, status=status)
