"""Pages for network meetings: the coordinator plans, invites, takes attendance and writes minutes at a desk
(or on a phone in the meeting room); the ambassador answers with one tap, from the list or from the link
in the invitation, which works without signing in.

Thin views: every object named in a URL comes through the policy, input through a form, every write
through one service.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.confirm import confirm_page, is_confirmed, needs_confirmation
from apps.core.errors import error_text
from apps.core.policy import Perm, get_for_user, is_coordinator_of, requires
from apps.core.services import channel_for_ambassador, message_channel_counts
from apps.meetings import selectors, services
from apps.meetings.forms import (
    ActionItemForm,
    AnswerForm,
    AttendanceForm,
    MeetingForm,
    MinutesForm,
    SeriesEditForm,
    SeriesEndForm,
    SeriesForm,
    SuggestionForm,
)
from apps.meetings.ics import meeting_ics
from apps.meetings.models import Invitation, NetworkMeeting
from apps.meetings.tokens import InvalidMeetingLink, ics_token, invitation_from_answer_token, invitation_from_ics_token
from apps.organisation.selectors import area_for_user

# Earlier meetings listed on the area's page; the attendance overview covers the whole history.
PAST_MEETINGS = 24


# --- The ambassador (phone) -----------------------------------------------------------------------------


def _my_invitation(request: HttpRequest, pk: int) -> Invitation:
    queryset = Invitation.objects.select_related("meeting__area", "ambassador__area")
    return get_for_user(request.user, Perm.INVITATION_ANSWER, queryset, pk=pk)


@requires(Perm.MEETINGS_MINE)
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """ "Meetings": the ambassador's upcoming meetings with one-tap answers, and the minutes of past ones."""
    meetings = selectors.my_meetings(user=request.user)
    for invitation in meetings.upcoming:
        invitation.ics_token = ics_token(invitation=invitation)
    context = {
        "upcoming": meetings.upcoming,
        "past": meetings.with_minutes,
        "answers": AnswerForm.base_fields["answer"].choices,
    }
    return render(request, "meetings/mine.html", context)


@requires(Perm.MEETINGS_MINE)
@require_POST
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _my_invitation(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes, no or maybe."))
        return redirect("meetings:mine")
    try:
        services.invitation_answer(invitation=invitation, answer=form.cleaned_data["answer"])
    except ValidationError as refused:
        messages.error(request, error_text(refused))
    else:
        messages.success(request, _thanks(form.cleaned_data["answer"]))
    return redirect("meetings:mine")


def _thanks(answer: str) -> str:
    if answer == Invitation.Answer.YES:
        return _("Thank you — we look forward to seeing you.")
    if answer == Invitation.Answer.NO:
        return _("Thank you for letting us know. We hope to see you another time.")
    return _("Thank you. Answer again when you know.")


@requires(Perm.MEETINGS_MINE)
@require_POST
def suggest(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _my_invitation(request, pk)
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a short suggestion (at most 300 characters)."))
        return redirect("meetings:mine")
    try:
        services.agenda_suggest(
            meeting=invitation.meeting, ambassador=invitation.ambassador, text=form.cleaned_data["text"]
        )
    except ValidationError as refused:
        messages.error(request, error_text(refused))
    else:
        messages.success(request, _("Thank you — the coordinator sees your suggestion."))
    return redirect("meetings:mine")


def _token_refused(request: HttpRequest) -> HttpResponse:
    """Forged, damaged, too old, or sent to someone else: one clear page, and nothing is changed."""
    return render(request, "meetings/token_refused.html", status=400)


@never_cache  # the address is the key: a shared phone's history or a proxy must not keep the page
@require_http_methods(["GET", "POST"])
def answer_by_token(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation: no sign-in, the signed token names the invitation.

    Signed in as someone else, the link is refused: it was sent to another person.
    """
    try:
        invitation = invitation_from_answer_token(token=token, user=request.user)
    except InvalidMeetingLink:
        return _token_refused(request)
    meeting = invitation.meeting
    status = 200
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_answer(invitation=invitation, answer=form.cleaned_data["answer"])
            except ValidationError as refused:
                messages.error(request, error_text(refused))
                status = 400
            else:
                messages.success(request, _thanks(form.cleaned_data["answer"]))
                return redirect("meetings:answer", token=token)
        else:
            status = 400
    context = {
        "invitation": invitation,
        "meeting": meeting,
        "ics_token": ics_token(invitation=invitation),
        "answers": AnswerForm.base_fields["answer"].choices,
        "closed": meeting.is_cancelled or meeting.starts_at <= timezone.now(),
    }
    return render(request, "meetings/answer.html", context, status=status)


@never_cache
@require_GET
def ics(request: HttpRequest, token: str) -> HttpResponse:
    """The meeting as a calendar file, linked from the invitation (the outbox carries no attachments)."""
    try:
        invitation = invitation_from_ics_token(token=token, user=request.user)
    except InvalidMeetingLink:
        return _token_refused(request)
    response = HttpResponse(meeting_ics(meeting=invitation.meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{invitation.meeting.pk}.ics"'
    return response


@login_required
@require_GET
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Published minutes, for the ambassadors invited to the meeting and the area's coordinators."""
    meeting = get_for_user(
        request.user, Perm.MEETING_MINUTES_VIEW, NetworkMeeting.objects.select_related("area"), pk=pk
    )
    if not meeting.minutes_published and not is_coordinator_of(request.user, meeting.area):
        raise Http404
    context = {"meeting": meeting, "action_items": selectors.meeting_action_items(meeting=meeting)}
    return render(request, "meetings/minutes.html", context)


# --- The coordinator (desktop) --------------------------------------------------------------------------


@login_required
def area_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The area's meetings, upcoming (cancelled ones marked) and the latest past ones, with the active series."""
    area = area_for_user(request.user, slug)
    context = {
        "area": area,
        "upcoming": selectors.meetings_upcoming(area=area).select_related("series"),
        "past": selectors.meetings_past(area=area)[:PAST_MEETINGS],
        "series_list": selectors.series_of_area(area=area),
    }
    return render(request, "meetings/area_list.html", context)


@login_required
def meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(area=area, by=request.user, **form.meeting_fields())
        except ValidationError as refused:
            form.add_error(None, error_text(refused))
        else:
            messages.success(request, _("The meeting is planned. Invite the ambassadors when you are ready."))
            return redirect("meetings:detail", slug=area.slug, pk=meeting.pk)
    status = 400 if form.errors else 200
    return render(request, "meetings/meeting_form.html", {"area": area, "form": form}, status=status)


@login_required
def series_new(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.meeting_series_create(area=area, by=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, error_text(refused))
        else:
            count = series.meetings.count()
            messages.success(
                request,
                ngettext("%(count)d meeting is planned.", "%(count)d meetings are planned.", count) % {"count": count},
            )
            return redirect("meetings:series", slug=area.slug, pk=series.pk)
    status = 400 if form.errors else 200
    context = {"area": area, "form": form, "plan_months": settings.MEETING_SERIES_PLAN_MONTHS}
    return render(request, "meetings/series_form.html", context, status=status)


def _counts(users) -> dict[str, int]:
    """Messages by channel to ambassadors (one per entry), by the outbox's rules."""
    return message_channel_counts(users=[(channel_for_ambassador(user), user) for user in users])


def _confirm_cancel(
    request, area, *, meetings, title: str, what: str, cancel_url: str, confirm_label: str
) -> HttpResponse | None:
    """The confirmation page before cancelling `meetings`, saying who is told; None once confirmed or when
    nothing would be cancelled.

    A cancellation cannot be undone, so it is confirmed even when it tells one person or nobody: this page
    is the only confirmation (the buttons carry no script confirm of their own, which asked a second time).
    """
    meetings = list(meetings)
    if is_confirmed(request) or not meetings:
        return None
    counts = _counts(selectors.cancel_recipients(meetings=meetings))
    if not sum(counts.values()):
        what = _("Nobody is invited, so nobody gets a message.")
    return confirm_page(
        request, title=title, what=what, counts=counts, cancel_url=cancel_url, confirm_label=confirm_label, area=area
    )


def _series_page(request, area, series, *, form=None, end_form=None, status=200) -> HttpResponse:
    context = {
        "area": area,
        "series": series,
        "form": form or SeriesEditForm(series=series),
        "end_form": end_form or SeriesEndForm(initial={"ends_on": series.ends_on or timezone.localdate()}),
        "upcoming": selectors.meetings_upcoming(area=area).filter(series=series),
        "plan_months": settings.MEETING_SERIES_PLAN_MONTHS,
    }
    return render(request, "meetings/series.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def series(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The series: its rhythm, how far it is planned, its coming meetings; change it here."""
    area = area_for_user(request.user, slug)
    series = selectors.series_in_area(user=request.user, area=area, pk=pk)
    if request.method == "GET":
        return _series_page(request, area, series)
    form = SeriesEditForm(request.POST, series=series)
    if form.is_valid():
        ends_on = form.cleaned_data.get("ends_on")
        if ends_on is not None and (series.ends_on is None or ends_on < series.ends_on):
            confirm = _confirm_cancel(
                request,
                area,
                meetings=selectors.series_meetings_after(series=series, ends_on=ends_on),
                title=_("Save the series and cancel its meetings after the last day?"),
                what=_("A message that the meeting is cancelled."),
                cancel_url=reverse("meetings:series", args=[area.slug, series.pk]),
                confirm_label=_("Save"),
            )
            if confirm is not None:
                return confirm
        try:
            services.meeting_series_update(series=series, by=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, error_text(refused))
        else:
            messages.success(request, _("The series is saved."))
            return redirect("meetings:series", slug=area.slug, pk=series.pk)
    return _series_page(request, area, series, form=form, status=400)


@login_required
@require_POST
def series_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """End the series on a day: the meetings after it are cancelled and their invited ambassadors told."""
    area = area_for_user(request.user, slug)
    series = selectors.series_in_area(user=request.user, area=area, pk=pk)
    form = SeriesEndForm(request.POST)
    if form.is_valid() and form.cleaned_data["ends_on"] >= timezone.localdate():
        confirm = _confirm_cancel(
            request,
            area,
            meetings=selectors.series_meetings_after(series=series, ends_on=form.cleaned_data["ends_on"]),
            title=_("End the series and cancel its meetings after the last day?"),
            what=_("A message that the meeting is cancelled."),
            cancel_url=reverse("meetings:series", args=[area.slug, series.pk]),
            confirm_label=_("End the series"),
        )
        if confirm is not None:
            return confirm
    if form.is_valid():
        try:
            cancelled = services.meeting_series_end(series=series, by=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, error_text(refused))
        else:
            count = len(cancelled)
            messages.success(
                request,
                ngettext(
                    "The series ends. %(count)d meeting after the last day is cancelled.",
                    "The series ends. %(count)d meetings after the last day are cancelled.",
                    count,
                )
                % {"count": count},
            )
            return redirect("meetings:series", slug=area.slug, pk=series.pk)
    return _series_page(request, area, series, end_form=form, status=400)


def _detail_page(request, area, meeting, *, minutes_form=None, action_form=None, preview="", status=200):
    invitations = list(selectors.meeting_invitations(meeting=meeting))
    counts = {choice: 0 for choice in Invitation.Answer.values}
    for invitation in invitations:
        counts[invitation.answer] += 1
    attendance_form = AttendanceForm(
        initial={"present": [i.pk for i in invitations if i.attended]},
        invitations=selectors.meeting_invitations(meeting=meeting),
    )
    context = {
        "area": area,
        "meeting": meeting,
        "invitations": invitations,
        "counts": counts,
        "answers": Invitation.Answer,
        "suggestions": selectors.meeting_suggestions(meeting=meeting),
        "action_items": selectors.meeting_action_items(meeting=meeting),
        "attendance_form": attendance_form,
        "minutes_form": minutes_form or MinutesForm(initial={"markdown": meeting.minutes_markdown}),
        "action_form": action_form or ActionItemForm(area=area),
        "preview": preview,
        "started": meeting.starts_at <= timezone.now(),
        # attendance_record takes attendance from the day of the meeting on
        "attendance_open": timezone.localtime(meeting.starts_at).date() <= timezone.localdate(),
    }
    return render(request, "meetings/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    return _detail_page(request, area, selectors.meeting_in_area(user=request.user, area=area, pk=pk))


@login_required
@require_POST
def invite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    meeting = selectors.meeting_in_area(user=request.user, area=area, pk=pk)
    counts = _counts(selectors.invite_new_recipients(meeting=meeting))
    if not meeting.is_cancelled and meeting.starts_at > timezone.now() and needs_confirmation(request, counts):
        return confirm_page(
            request,
            title=_("Invite the ambassadors?"),
            what=_("An invitation to %(title)s with a link to answer.") % {"title": meeting.title},
            counts=counts,
            cancel_url=reverse("meetings:detail", args=[area.slug, meeting.pk]),
            area=area,
        )
    try:
        invitations = services.meeting_invite(meeting=meeting)
    except ValidationError as refused:
        messages.error(request, error_text(refused))
    else:
        count = len(invitations)
        messages.success(
            request,
            ngettext("%(count)d ambassador is invited.", "%(count)d ambassadors are invited.", count)
            % {"count": count},
        )
    return redirect("meetings:detail", slug=area.slug, pk=meeting.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    meeting = selectors.meeting_in_area(user=request.user, area=area, pk=pk)
    if not meeting.is_cancelled:
        confirm = _confirm_cancel(
            request,
            area,
            meetings=[meeting],
            title=_("Cancel the meeting?"),
            what=_("A message that %(title)s is cancelled.") % {"title": meeting.title},
            cancel_url=reverse("meetings:detail", args=[area.slug, meeting.pk]),
            confirm_label=_("Cancel the meeting"),
        )
        if confirm is not None:
            return confirm
    try:
        services.meeting_cancel(meeting=meeting, by=request.user)
    except ValidationError as refused:
        messages.error(request, error_text(refused))
    else:
        messages.success(request, _("The meeting is cancelled and everyone invited is told."))
    return redirect("meetings:detail", slug=area.slug, pk=meeting.pk)


@login_required
@require_POST
def attendance(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    meeting = selectors.meeting_in_area(user=request.user, area=area, pk=pk)
    form = AttendanceForm(request.POST, invitations=meeting.invitations.all())
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors["present"])))
        return _detail_page(request, area, meeting, status=400)
    present = form.cleaned_data["present"]
    try:
        services.attendance_record(meeting=meeting, present_ids=[i.ambassador_id for i in present], by=request.user)
    except ValidationError as refused:
        messages.error(request, error_text(refused))
    else:
        count = len(present)
        messages.success(
            request,
            ngettext("Attendance saved: %(count)d came.", "Attendance saved: %(count)d came.", count)
            % {"count": count},
        )
    return redirect("meetings:detail", slug=area.slug, pk=meeting.pk)


@login_required
@require_POST
def minutes_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Save, publish or only preview the minutes (`action` is the button the coordinator pressed)."""
    area = area_for_user(request.user, slug)
    meeting = selectors.meeting_in_area(user=request.user, area=area, pk=pk)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, area, meeting, minutes_form=form, status=400)
    action = request.POST.get("action", "save")
    if action == "preview":
        preview = services.minutes_render(form.cleaned_data["markdown"])
        return _detail_page(request, area, meeting, minutes_form=form, preview=preview)
    try:
        services.minutes_save(meeting=meeting, markdown=form.cleaned_data["markdown"], publish=action == "publish")
    except ValidationError as refused:
        messages.error(request, error_text(refused))
    else:
        if action == "publish":
            messages.success(request, _("The minutes are published to the invited ambassadors."))
        else:
            messages.success(request, _("The minutes are saved."))
    return redirect("meetings:detail", slug=area.slug, pk=meeting.pk)


@login_required
@require_POST
def action_item_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    meeting = selectors.meeting_in_area(user=request.user, area=area, pk=pk)
    form = ActionItemForm(request.POST, area=area)
    if not form.is_valid():
        return _detail_page(request, area, meeting, action_form=form, status=400)
    services.action_item_add(meeting=meeting, **form.cleaned_data)
    messages.success(request, _("The action item is added."))
    return redirect("meetings:detail", slug=area.slug, pk=meeting.pk)


@login_required
@require_POST
def action_item_done(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    """Tick an action item done, or open it again (`done` is "1" or "0")."""
    area = area_for_user(request.user, slug)
    meeting = selectors.meeting_in_area(user=request.user, area=area, pk=pk)
    # The meeting came through the policy; its items are reached only through it.
    item = get_object_or_404(meeting.action_items, pk=item_pk)
    services.action_item_set_done(item=item, done=request.POST.get("done") == "1")
    return redirect(f"{reverse('meetings:detail', args=[area.slug, meeting.pk])}#actions-heading")


@login_required
@require_GET
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    context = {"area": area, "o": selectors.attendance_overview(area=area)}
    return render(request, "meetings/overview.html", context)
