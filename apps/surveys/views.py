"""Pages for the newcomer survey.

- The newcomer (no sign-in, a phone): the personal link and the QR entry, one question per screen in
  Danish, English, Arabic (right to left) or Turkish.
- The interviewer (and the coordinator): the call list, call outcomes, answers entered from the phone.
- The coordinator (desk): surveys and own questions, invitations, the funnel, the analysis, imports.

Thin views: objects in URLs come through the policy, input through forms, writes through services.
"""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import Membership
from apps.audit.http import access_record_for_request
from apps.core.bidi import direction
from apps.core.confirm import confirm_page, needs_confirmation
from apps.core.errors import error_text
from apps.core.job_status import JobLink, JobStatusView, job_poll_url, job_status_response
from apps.core.policy import Perm, areas_with_role, get_for_user
from apps.core.qr import qr_svg
from apps.core.services import message_channel_counts
from apps.core.small_numbers import SMALL_NUMBER
from apps.core.throttle import client_address, throttle_allows
from apps.organisation.selectors import area_for_user
from apps.surveys import round_cache, round_report, selectors, services
from apps.surveys.analysis import (
    FEW_ANSWERS,
    GROUPS,
    answer_labels,
    figures_for,
    p_text,
    survey_questions,
    survey_report_csv,
)
from apps.surveys.charts import FUNNEL_ROW, STACKED_ROW, TREND_HEIGHT, funnel_bars, stacked_rows, trend_chart
from apps.surveys.content import LANGUAGE_NAMES, survey_language, texts_for
from apps.surveys.forms import CallAttemptForm, ImportForm, InterviewForm, QuestionForm, SurveyForm
from apps.surveys.importing import ImportFileRefused, survey_import_rows
from apps.surveys.models import (
    CONTACT_QUESTION,
    SURVEY_LANGUAGES,
    CallAttempt,
    Invitation,
    Question,
    Response,
    RoundReport,
    Survey,
    SurveyRound,
)
from apps.surveys.pooled import conclusion, round_area_rows, round_figures, round_funnel, verdict
from apps.surveys.round_mask import respondents_masked
from apps.surveys.round_pdf import round_report_request
from apps.surveys.tokens import (
    anonymous_token,
    invitation_from_token,
    qr_url,
    response_from_anonymous_token,
)
from apps.surveys.trends import TREND_GROUPS, areas_side_by_side, question_trends, trend_period, trend_scope_for_user

Role = Membership.Role
# Anonymous responses one device (IP address) may start per survey and hour through the QR code.
QR_STARTS_PER_HOUR = 20


# --- The newcomer (phone, no sign-in) -------------------------------------------------------------------


def _language(request: HttpRequest, *fallbacks: str) -> str:
    """?lang= from the page's language switcher, else the response's or the newcomer's language."""
    chosen = request.POST.get("lang") or request.GET.get("lang")
    for code in (chosen, *fallbacks):
        if code and code[:2] in SURVEY_LANGUAGES:
            return code[:2]
    return "da"


def _public(request: HttpRequest, template: str, language: str, context: dict, status: int = 200) -> HttpResponse:
    context = {
        "lang": language,
        "dir": direction(language),
        "t": texts_for(language),
        "languages": [(code, LANGUAGE_NAMES[code]) for code in SURVEY_LANGUAGES],
        **context,
    }
    return render(request, template, context, status=status)


def _refused(request: HttpRequest, language: str, reason: str) -> HttpResponse:
    """A used, expired, forged or closed link: one clear page, and nothing was stored."""
    return _public(request, "surveys/answer_refused.html", language, {"reason": reason}, status=400)


def _question_page(request, *, survey, response, language, form_url, error="", status=200) -> HttpResponse:
    questions = services.survey_questions_list(survey)
    answers = services.response_answers(response) if response else {}
    current = services.next_question(questions, answers)
    wanted = request.GET.get("q")
    if wanted and wanted in answers:
        # "Back": an answered question that is still asked may be answered again.
        current = next((q for q in questions if q.code == wanted and services.is_asked(q, answers)), current)
    if current is None:
        return _public(request, "surveys/answer_thanks.html", language, {})
    asked = services.may_be_asked(questions, answers)
    position = asked.index(current)
    previous = next((q for q in reversed(asked[:position]) if q.code in answers), None)
    number, total = position + 1, len(asked)
    choices = []
    if current.kind == Question.Kind.ONE_CHOICE:
        choices = [(c["code"], c["texts"].get(language) or c["texts"].get("da", c["code"])) for c in current.choices]
    context = {
        "survey": survey,
        "question": current,
        "question_text": current.text(language),
        "current_value": answers.get(current.code, ""),
        "choices": choices,
        "scale": [str(n) for n in range(1, 8)],
        "progress_text": texts_for(language)["question_of"].format(n=number, total=total),
        "progress_percent": round(100 * (number - 1) / total) if total else 0,
        "previous": previous,
        "form_url": form_url,
        "error": error,
    }
    return _public(request, "surveys/answer_question.html", language, context, status=status)


def _answer_posted(request: HttpRequest, *, survey, response, language: str, form_url: str, store) -> HttpResponse:
    """One screen's answer, posted through a personal or an anonymous link: `store(code, value)` records it.
    Refused links get their page, a refused answer the same question again; the last answer thanks."""
    try:
        step = store(request.POST.get("code", ""), _posted_value(request))
    except services.LinkRefused as refused:
        return _refused(request, language, refused.reason)
    except ValidationError:
        return _question_page(
            request,
            survey=survey,
            response=response,
            language=language,
            form_url=form_url,
            error=texts_for(language)["invalid_answer"],
            status=400,
        )
    if step.completed:
        return _public(request, "surveys/answer_thanks.html", language, {})
    return redirect(f"{form_url}?lang={language}")


@never_cache  # the address is the key: a shared phone's history or a proxy must not keep the page
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The personal link: no sign-in; the token names one invitation and works until it is answered."""
    invitation = invitation_from_token(token=token)
    fallback = invitation.newcomer.language if invitation else ""
    # Only a POST (an answer) records the opening: SMS and mail apps GET links to preview them.
    check = services.invitation_open if request.method == "POST" else services.invitation_check
    try:
        invitation = check(token_invitation=invitation)
    except services.LinkRefused as refused:
        return _refused(request, _language(request, fallback), refused.reason)
    response = services.invitation_response(invitation=invitation)
    language = _language(request, response.language if response else "", fallback)
    form_url = reverse("surveys:answer", args=[token])
    if request.method == "POST":
        return _answer_posted(
            request,
            survey=invitation.survey,
            response=response,
            language=language,
            form_url=form_url,
            store=lambda code, value: services.answer_by_invitation(
                invitation=invitation, code=code, value=value, language=language
            ),
        )
    return _question_page(request, survey=invitation.survey, response=response, language=language, form_url=form_url)


def _posted_value(request: HttpRequest) -> str:
    # The skip button sends no answer; a short text comes from its text box.
    if "skip" in request.POST:
        return ""
    return request.POST.get("value", "")


@never_cache
@require_http_methods(["GET", "POST"])
def qr_start(request: HttpRequest, qr_token: str) -> HttpResponse:
    """The welcome folder's QR code: a short welcome and a start button; answers are anonymous."""
    survey = Survey.objects.select_related("area").filter(qr_token=qr_token).first()
    language = _language(request)
    if survey is None:
        return _refused(request, language, "invalid")
    if not survey.is_running():
        return _refused(request, language, "closed")
    if request.method == "POST":
        # The QR code is public: one device may start a few responses (a family), not hundreds.
        client = client_address(request)
        if not throttle_allows(f"survey-qr:{survey.pk}:{client}", limit=QR_STARTS_PER_HOUR, window_seconds=3600):
            return _public(request, "surveys/answer_refused.html", language, {"reason": "busy"}, status=429)
        try:
            response = services.qr_response_start(survey=survey, language=language)
        except services.LinkRefused as refused:
            return _refused(request, language, refused.reason)
        return redirect(f"{reverse('surveys:anonymous', args=[anonymous_token(response=response)])}?lang={language}")
    return _public(request, "surveys/answer_start.html", language, {"survey": survey})


@never_cache
@require_http_methods(["GET", "POST"])
def anonymous(request: HttpRequest, token: str) -> HttpResponse:
    """An anonymous response begun from the QR code, continued screen by screen."""
    response = response_from_anonymous_token(token=token)
    language = _language(request, response.language if response else "")
    if response is None:
        return _refused(request, language, "invalid")
    if response.completed_at is not None:
        return _refused(request, language, "used")
    form_url = reverse("surveys:anonymous", args=[token])
    if request.method == "POST":
        return _answer_posted(
            request,
            survey=response.survey,
            response=response,
            language=language,
            form_url=form_url,
            store=lambda code, value: services.answer_anonymous(
                response=response, code=code, value=value, language=language
            ),
        )
    if not response.survey.is_running():
        return _refused(request, language, "closed")
    return _question_page(request, survey=response.survey, response=response, language=language, form_url=form_url)


# --- The interviewer ------------------------------------------------------------------------------------


@login_required
@require_GET
def calls_home(request: HttpRequest) -> HttpResponse:
    """The running surveys of the areas where the user interviews (or coordinates)."""
    areas = areas_with_role(request.user, Role.INTERVIEWER) + areas_with_role(request.user, Role.COORDINATOR)
    if not areas:
        raise PermissionDenied
    surveys = selectors.surveys_running_for_interviewer(areas=areas, on_date=timezone.localdate())
    return render(request, "surveys/calls_home.html", {"surveys": surveys})


def _interview_survey(request: HttpRequest, pk: int) -> Survey:
    return get_for_user(request.user, Perm.SURVEY_INTERVIEW, Survey.objects.select_related("area"), pk=pk)


def _interview_invitation(request: HttpRequest, pk: int) -> Invitation:
    queryset = Invitation.objects.select_related("survey__area", "newcomer")
    return get_for_user(request.user, Perm.SURVEY_INTERVIEW, queryset, pk=pk)


@login_required
@require_GET
def call_list(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _interview_survey(request, pk)
    invitations = list(selectors.call_list(survey=survey))
    # Names and phone numbers of the newcomers to call: in the access log.
    access_record_for_request(request, subjects=[(survey.area_id, i.newcomer_id) for i in invitations])
    context = {
        "survey": survey,
        "invitations": invitations,
        "outcome_form": CallAttemptForm(),
        "outcomes": dict(CallAttempt.Outcome.choices),
    }
    return render(request, "surveys/call_list.html", context)


@login_required
@require_POST
def call_record(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _interview_invitation(request, pk)
    form = CallAttemptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what happened on the call."))
    else:
        try:
            services.call_attempt_record(invitation=invitation, by=request.user, outcome=form.cleaned_data["outcome"])
        except ValidationError as refused:
            messages.error(request, error_text(refused))
        else:
            messages.success(request, _("The call is recorded."))
    return redirect("surveys:call_list", pk=invitation.survey_id)


@login_required
@require_http_methods(["GET", "POST"])
def interview(request: HttpRequest, pk: int) -> HttpResponse:
    """The answers given on the phone, entered by the interviewer on the newcomer's behalf."""
    invitation = _interview_invitation(request, pk)
    # Only someone still on the call list: not those who answered, opted out or are finished, whose
    # names the call list hides too.
    try:
        services.invitation_check_callable(invitation)
    except ValidationError as refused:
        messages.error(request, error_text(refused))
        return redirect("surveys:call_list", pk=invitation.survey_id)
    questions = survey_questions(survey=invitation.survey)
    # The newcomer's language unless the interviewer chose another (a link on the page, or the form).
    language = survey_language(
        request.POST.get("language") or request.GET.get("language") or invitation.newcomer.language
    )
    form = InterviewForm(request.POST or None, questions=questions, language=language, initial={"language": language})
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_submit(
                invitation=invitation, by=request.user, answers=form.answers(), language=form.cleaned_data["language"]
            )
        except ValidationError as refused:
            form.add_error(None, error_text(refused))
        else:
            messages.success(request, _("Thank you — the interview is saved."))
            return redirect("surveys:call_list", pk=invitation.survey_id)
    status = 400 if form.errors else 200
    access_record_for_request(request, subjects=[(invitation.survey.area_id, invitation.newcomer_id)])
    context = {
        "invitation": invitation,
        "form": form,
        "language": language,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in SURVEY_LANGUAGES if code != language],
    }
    return render(request, "surveys/interview.html", context, status=status)


# --- The coordinator ------------------------------------------------------------------------------------


@login_required
@require_GET
def survey_list(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    context = {"area": area, "surveys": selectors.surveys_in_area(area=area), "today": timezone.localdate()}
    return render(request, "surveys/survey_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    form = SurveyForm(request.POST or None, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(area=area, by=request.user, **form.survey_fields())
        except ValidationError as refused:
            form.add_error(None, error_text(refused))
        else:
            messages.success(request, _("The survey is created."))
            return redirect("surveys:detail", slug=area.slug, pk=survey.pk)
    status = 400 if form.errors else 200
    return render(request, "surveys/survey_form.html", {"area": area, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    survey = selectors.survey_in_area(user=request.user, area=area, pk=pk)
    form = SurveyForm(request.POST or None, instance=survey, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, by=request.user, **form.survey_fields())
        except ValidationError as refused:
            form.add_error(None, error_text(refused))
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("surveys:detail", slug=area.slug, pk=survey.pk)
    status = 400 if form.errors else 200
    return render(request, "surveys/survey_form.html", {"area": area, "form": form, "survey": survey}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(area=area, by=request.user, **form.question_fields())
        except ValidationError as refused:
            form.add_error(None, error_text(refused))
        else:
            messages.success(request, _("The question is added. Choose it in a survey to ask it."))
            return redirect("surveys:list", slug=area.slug)
    status = 400 if form.errors else 200
    return render(request, "surveys/question_form.html", {"area": area, "form": form}, status=status)


@login_required
@require_GET
def survey_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    survey = selectors.survey_in_area(user=request.user, area=area, pk=pk)
    context = {
        "area": area,
        "survey": survey,
        "questions": _question_rows(survey_questions(survey=survey)),
        "states": selectors.invitation_states(survey=survey),
        "eligible": selectors.eligible_newcomers(survey=survey).exclude(survey_invitations__survey=survey).count(),
        "qr_url": qr_url(survey=survey),
        "qr_svg": qr_svg(qr_url(survey=survey)),
        "running": survey.is_running(),
        "status": survey.status(),
    }
    return render(request, "surveys/survey_detail.html", context)


@login_required
@require_GET
def survey_qr(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The QR code as an SVG file, for the welcome folder's printer."""
    area = area_for_user(request.user, slug)
    survey = selectors.survey_in_area(user=request.user, area=area, pk=pk)
    response = HttpResponse(qr_svg(qr_url(survey=survey)), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-qr.svg"'
    return response


@login_required
@require_POST
def survey_invite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    survey = selectors.survey_in_area(user=request.user, area=area, pk=pk)
    if survey.is_running(timezone.localdate()):
        newcomers = selectors.newcomers_to_invite(survey=survey)
        counts = message_channel_counts(
            newcomers=[(selectors.invitation_channel(newcomer), newcomer) for newcomer in newcomers]
        )
        if needs_confirmation(request, counts):
            return confirm_page(
                request,
                title=_("Send the survey invitations?"),
                what=_("An invitation to the survey in %(area)s with a personal link, in each newcomer's language.")
                % {"area": area.name},
                counts=counts,
                cancel_url=reverse("surveys:detail", args=[area.slug, survey.pk]),
                area=area,
            )
    try:
        count = services.survey_invite(survey=survey, by=request.user)
    except ValidationError as refused:
        messages.error(request, error_text(refused))
    else:
        messages.success(
            request,
            ngettext("%(count)d newcomer is invited.", "%(count)d newcomers are invited.", count) % {"count": count},
        )
    return redirect("surveys:detail", slug=area.slug, pk=survey.pk)


def _funnel_labels() -> dict[str, str]:
    return {
        "in_period": _("Moved in during the period"),
        "with_contact": _("With phone or e-mail"),
        "invited": _("Invited"),
        "reached": _("Reached"),
        "answered": _("Answered"),
        "other": _("Answered another way"),
        "opted_out": _("Asked not to be contacted"),
        "refused": _("Refused"),
        "not_moved_in": _("Had not moved in"),
        "moved_away": _("Had moved away"),
        "wrong_number": _("Wrong number"),
        "no_answer": _("No answer after every call attempt"),
        "dropped_out": _("Started but did not finish"),
        "not_reached_yet": _("Not reached yet"),
    }


@login_required
@require_GET
def funnel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    survey = selectors.survey_in_area(user=request.user, area=area, pk=pk)
    result = selectors.survey_funnel(survey=survey)
    labels = _funnel_labels()
    bars = funnel_bars([(key, labels[key], count) for key, count in result.steps])
    context = {
        "area": area,
        "survey": survey,
        "funnel": result,
        "bars": bars,
        "chart_height": len(bars) * FUNNEL_ROW,
        "reasons": [(labels[key], count) for key, count in result.reasons.items()],
        "sources": dict(Response.Source.choices),
    }
    return render(request, "surveys/funnel.html", context)


def _question_rows(questions: Iterable[Question]) -> list[tuple[Question, str]]:
    """Each question with when it is asked, e.g. "only if question 7 is answered “Yes”", in words: the
    codes that link them are for imports, not for the coordinator."""
    questions = list(questions)
    numbers = {q.code: number for number, q in enumerate(questions, 1)}
    by_code = {q.code: q for q in questions}
    rows = []
    for question in questions:
        condition = ""
        if parent := by_code.get(question.depends_on):
            condition = _("only if question %(number)s is answered “%(answer)s”") % {
                "number": numbers[parent.code],
                "answer": answer_labels(parent).get(question.depends_value, question.depends_value),
            }
        rows.append((question, condition))
    return rows


@login_required
@require_GET
def analysis(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    survey = selectors.survey_in_area(user=request.user, area=area, pk=pk)
    figures, respondents = figures_for(
        responses=Response.objects.filter(survey=survey, completed_at__isnull=False),
        questions=survey_questions(survey=survey),
    )
    ui_language = (translation.get_language() or "da")[:2]
    group_labels = {"all": _("Everyone"), "contact": _("Ambassador contact"), "no_contact": _("No contact")}
    rows = []
    for f in figures:
        if f.question.kind == Question.Kind.SHORT_TEXT:
            continue
        report = f.as_report()
        labels = answer_labels(f.question)
        chart = stacked_rows(
            [(g, group_labels[g], report[g]["n"], report[g]["percent"]) for g in ("all", *GROUPS)], labels
        )
        rows.append(
            {
                "question": f.question,
                "text": f.question.text(ui_language),
                "report": report,
                "labels": labels,
                "chart": chart,
                "chart_height": len(chart) * STACKED_ROW,
                "few": any(0 < report[g]["n"] < FEW_ANSWERS for g in GROUPS),
                "p_text": p_text(report["p_value"]),
            }
        )
    context = {
        "area": area,
        "survey": survey,
        "rows": rows,
        "respondents": respondents,
        "few_respondents": any(respondents[g] < FEW_ANSWERS for g in GROUPS),
        "free_text": selectors.free_text_answers(survey=survey),
    }
    return render(request, "surveys/analysis.html", context)


@login_required
@require_GET
def analysis_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    survey = selectors.survey_in_area(user=request.user, area=area, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-analysis.csv"'
    response.write(survey_report_csv(survey=survey))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def survey_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    survey = selectors.survey_in_area(user=request.user, area=area, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = survey_import_rows(survey=survey, data=form.cleaned_data["file"].read())
        except ImportFileRefused as refused:
            form.add_error("file", str(refused))
    status = 400 if form.errors else 200
    context = {"area": area, "survey": survey, "form": form, "result": result}
    return render(request, "surveys/import.html", context, status=status)


# A chart's part for a line's answers that are not shown (grey, no figure printed on it).
HIDDEN_PART = "hidden"


# --- Survey rounds: the pooled results of several areas (aggregates only, small numbers masked) ------------


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = round_report.rounds_for_user(user=request.user)
    return render(request, "surveys/round_list.html", {"rounds": rounds})


def _round_group_labels() -> dict[str, str]:
    return {"all": _("Everyone"), "contact": _("Ambassador contact"), "no_contact": _("No contact")}


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's funnel per area and pooled, and per question the pooled chart, the tests, what can be
    concluded and the areas' rows. Shown to programme leads too: every figure through the small-number
    rules (`round_area_rows(mask=True)`, `round_report.masked_lines`), never a name or a written answer.
    The figures part is the same for everyone who may see the round: counted and rendered once and kept a
    few minutes (`round_cache`)."""
    survey_round = get_for_user(request.user, Perm.SURVEY_ROUND_VIEW, round_report.round_queryset(), pk=pk)
    html, counted_at = round_cache.cached_part(
        key=f"detail:{survey_round.pk}",
        make=lambda: render_to_string("surveys/includes/round_figures.html", _round_figures_context(survey_round)),
    )
    context = {"round": survey_round, "figures_html": mark_safe(html), "counted_at": counted_at}  # noqa: S308 — our own template
    return render(request, "surveys/round_detail.html", context)


def _round_figures_context(survey_round: SurveyRound) -> dict:
    figures = round_figures(round=survey_round)
    funnel = round_report.funnel_cells(round_funnel(surveys=figures.surveys))
    labels = _funnel_labels()
    pooled_funnel = funnel["pooled"]
    steps = ("in_period", "with_contact", "invited", "reached", "answered")
    table_steps = (*steps, "other")
    # The chart draws only the figures shown: a hidden step is left out of it (the table says "< 5").
    bars = funnel_bars([(key, labels[key], pooled_funnel[key].value) for key in steps if not pooled_funnel[key].hidden])
    area_names = {s.area.slug: s.area.name for s in figures.surveys}
    ui_language = (translation.get_language() or "da")[:2]
    group_labels = _round_group_labels()
    questions = []
    for code, pooled in figures.pooled.items():
        if code == CONTACT_QUESTION:  # it makes the groups: "100 % of those with contact had contact" says nothing
            continue
        lines = round_report.masked_lines(figures, code)
        labels_for_answers = answer_labels(pooled.question)
        shown = [lines[(None, g)] for g in ("all", *GROUPS)]
        # A line with a hidden figure keeps its place in the chart: its shown answers drawn, the hidden ones
        # as one grey "not shown" part (n minus the shown answers, which the table gives anyway); a line whose
        # n is hidden says so. Left out, the other bars would read as the whole answer.
        rows, any_hidden = [], False
        for line in shown:
            if line.n.value == 0:
                continue
            label = group_labels[line.group]
            if line.n.hidden:
                rows.append((line.group, _("%(group)s: not shown, too few answers") % {"group": label}, "", {}))
                continue
            percent = {key: p for key, p in line.percent.items() if p is not None}
            if not line.complete:
                percent[HIDDEN_PART] = max(0, 100 - sum(percent.values()))
                any_hidden = True
            rows.append((line.group, label, line.n.text, percent))
        legend = {**labels_for_answers, HIDDEN_PART: _("Not shown")} if any_hidden else labels_for_answers
        chart = stacked_rows(rows, legend)
        cmh = figures.cmh_p(code)
        the_verdict = verdict(pooled, cmh_p=cmh)
        questions.append(
            {
                "question": pooled.question,
                "text": pooled.question.text(ui_language),
                "labels": labels_for_answers,
                "legend": legend,
                "lines": [(group_labels[line.group], line) for line in shown],
                "chart": chart,
                "chart_height": len(chart) * STACKED_ROW,
                "p_text": p_text(pooled.p_value()),
                "cmh_text": p_text(cmh),
                "verdict": the_verdict,
                "conclusion": conclusion(the_verdict),
                "area_rows": [
                    (area_names.get(row.area) if row.area else _("All areas"), row)
                    for row in round_area_rows(figures, code, mask=True)
                ],
            }
        )
    respondents = respondents_masked(figures.respondents)
    return {
        "round": survey_round,
        "areas": [(s.area.name, funnel["areas"][s.area.slug]) for s in figures.surveys],
        "funnel_steps": [(key, labels[key]) for key in table_steps],
        "pooled_funnel": pooled_funnel,
        "bars": bars,
        "chart_height": len(bars) * FUNNEL_ROW,
        "questions": questions,
        "respondents": respondents,
        "few_respondents": any(figures.respondents[g] < FEW_ANSWERS for g in GROUPS),
        "few_answers": FEW_ANSWERS,
        "group_labels": group_labels,
    }


@login_required
@require_GET
def round_csv(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = get_for_user(request.user, Perm.SURVEY_ROUND_VIEW, round_report.round_queryset(), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-round-{survey_round.pk}-report.csv"'
    text, _counted_at = round_cache.cached_part(
        key=f"csv:{survey_round.pk}", make=lambda: round_report.survey_round_report_csv_masked(round=survey_round)
    )
    response.write(text)
    return response


# --- Issue 18, point 3: trends across the organisation's rounds, and its areas side by side ---------------


def _round_label(survey_round, rounds) -> str:
    """The round's place on the chart: its year, or month and year when two rounds end in the same year."""
    same_year = sum(1 for r in rounds if r.period_end.year == survey_round.period_end.year)
    return survey_round.period_end.strftime("%Y" if same_year == 1 else "%m/%Y")


@login_required
@require_GET
def round_trends(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's rounds over the years and its areas side by side. The figures part depends on the
    rounds and areas the user may see, not on who they are: counted and rendered once and kept a few minutes
    (`round_cache`)."""
    scope = trend_scope_for_user(request.user, slug)
    html, counted_at = round_cache.cached_part(
        key=f"trends:{scope.organisation.pk}:{round_cache.ids_key(scope.rounds)}:{round_cache.ids_key(scope.areas)}",
        make=lambda: render_to_string("surveys/includes/round_trends_figures.html", _round_trends_context(scope)),
    )
    context = {"organisation": scope.organisation, "figures_html": mark_safe(html), "counted_at": counted_at}  # noqa: S308 — our own template
    return render(request, "surveys/round_trends.html", context)


def _round_trends_context(scope) -> dict:
    group_labels = {"contact": _("Ambassador contact"), "no_contact": _("No contact"), "all": _("Everyone")}
    questions = []
    for trend in question_trends(rounds=scope.rounds):
        rounds = [(_round_label(rt.round, scope.rounds), rt.points) for rt in trend.rounds]
        questions.append(
            {
                "question": trend.question,
                "text": trend.question.shown_text,
                "rounds": trend.rounds,
                "chart": trend_chart(rounds, TREND_GROUPS),
                "uncertain": any(p.uncertain and p.shown for rt in trend.rounds for p in rt.points),
            }
        )
    period_start, period_end = trend_period(rounds=scope.rounds)
    return {
        "organisation": scope.organisation,
        "rounds": scope.rounds,
        "questions": questions,
        "groups": [(g, group_labels[g]) for g in TREND_GROUPS],
        "trend_height": TREND_HEIGHT,
        "few_answers": FEW_ANSWERS,
        "small_number": SMALL_NUMBER,
        "period_start": period_start,
        "period_end": period_end,
        "areas": areas_side_by_side(areas=scope.areas, period_start=period_start, period_end=period_end),
    }


# --- Issue 18: the research export of a round -----------------------------------------------------------


@login_required
@require_GET
def round_research_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's anonymised microdata and data dictionary as a zip, for researchers."""
    from apps.audit.models import AccessLogEntry
    from apps.organisation.models import Area
    from apps.surveys.models import SurveyRound
    from apps.surveys.research import research_export

    survey_round = get_for_user(request.user, Perm.SURVEY_ROUND_VIEW, SurveyRound, pk=pk)
    export = research_export(round=survey_round)
    # The respondents' answers leave the app: one export entry per area, for its coordinators to see.
    for area in Area.objects.filter(pk__in=export.by_area):
        access_record_for_request(
            request, action=AccessLogEntry.Action.EXPORT, area=area, count=export.by_area[area.pk]
        )
    response = HttpResponse(export.zip_bytes(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="round-{survey_round.pk}-research.zip"'
    response["Cache-Control"] = "no-store"
    return response


# --- The round's report as a PDF (issue 18) ---------------------------------------------------------------
# Anyone who may view the round may follow and download any of its reports, not only who asked for it: the
# PDF shows what the round shows them (small numbers hidden), and a colleague should not have to ask again.


def _round_report(request: HttpRequest, pk: int, report_pk: int) -> tuple[SurveyRound, RoundReport]:
    """The round through the policy, then the report within it: another round's report is not found."""
    survey_round = get_for_user(request.user, Perm.SURVEY_ROUND_VIEW, SurveyRound, pk=pk)
    return survey_round, get_object_or_404(RoundReport, pk=report_pk, round=survey_round)


def _round_report_status(survey_round: SurveyRound, report: RoundReport) -> JobStatusView:
    """The report as the job-status partial shows it (the page and its polling both use it)."""
    done = report.status == RoundReport.Status.DONE
    progress = report.progress()
    return JobStatusView(
        element_id="round-report-status",
        status=report.status,
        poll_url=job_poll_url(report, reverse("surveys:round_report_status", args=[survey_round.pk, report.pk])),
        waiting=_("Waiting for the report to start…"),
        running=_("Making the report…"),
        progress_label=_("Making the report"),
        percent=report.percent if progress else None,
        progress_text=_("Step %(done)s of %(total)s") % {"done": progress[0], "total": progress[1]} if progress else "",
        note=_("You may leave this page and come back; the report is kept."),
        done=_("The report is ready."),
        failed=report.error or _("The report could not be made."),
        links=[
            JobLink(
                reverse("surveys:round_report_file", args=[survey_round.pk, report.pk]),
                _("Download the PDF"),
                "btn-primary",
            )
        ]
        if done
        else [],
    )


@login_required
@require_POST
def round_report_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the round's report (or find the one being made) and follow it on its status page."""
    survey_round = get_for_user(request.user, Perm.SURVEY_ROUND_VIEW, SurveyRound, pk=pk)
    report = round_report_request(round=survey_round, by=request.user)
    return redirect("surveys:round_report_status", pk=survey_round.pk, report_pk=report.pk)


@login_required
@require_GET
def round_report_status(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """The status page; asked by htmx (its polling) only the partial, which stops polling once finished."""
    survey_round, report = _round_report(request, pk, report_pk)
    status = _round_report_status(survey_round, report)
    if request.headers.get("HX-Request"):
        response = job_status_response(request, status=status)
    else:
        context = {"round": survey_round, "report": report, "job_status": status}
        response = render(request, "surveys/round_report.html", context)
    patch_vary_headers(response, ["HX-Request"])  # the page and its partial share the url
    return response


@login_required
@require_GET
def round_report_file(request: HttpRequest, pk: int, report_pk: int) -> FileResponse:
    survey_round, report = _round_report(request, pk, report_pk)
    if report.status != RoundReport.Status.DONE or not report.pdf:
        raise Http404
    filename = f"naboambassador-runde-{survey_round.pk}.pdf"
    response = FileResponse(
        report.pdf.open("rb"), content_type="application/pdf", as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "private, no-store"
    return response
