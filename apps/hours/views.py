"""Time registration: the ambassador logs hours on a phone; the area's coordinator approves them in bulk,
rejects with a reason, and downloads the month for payroll.

Thin views: every object named in a URL comes through the policy, input through a form, every write
through one service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.audit.http import access_record_for_request
from apps.audit.models import AccessLogEntry
from apps.core.confirm import confirm_page, is_confirmed
from apps.core.errors import error_text
from apps.core.policy import Perm, requires
from apps.hours import selectors, services
from apps.hours.forms import ApproveForm, HourEntryForm, HoursSettingsForm, PayrollForm, RejectForm
from apps.hours.models import HourEntry
from apps.organisation.selectors import area_for_user
from apps.visits.selectors import ambassador_for_coordinator

# --- The ambassador (phone) -----------------------------------------------------------------------------


@requires(Perm.HOURS_MINE)
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """ "My hours": log hours, and the list of one's own entries with their state."""
    profiles = selectors.my_hour_profiles(request.user)
    form = HourEntryForm(request.POST or None, profiles=profiles)
    status = 200
    if request.method == "POST":
        if not profiles:
            raise PermissionDenied  # no area of theirs registers time
        if form.is_valid():
            try:
                services.hour_entry_create(**form.cleaned_data)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, _("Thank you — your hours are sent to the coordinator."))
                return redirect("hours:mine")
        status = 400
    context = {"profiles": profiles, "form": form, "entries": selectors.my_hour_entries(profiles=profiles)}
    return render(request, "hours/mine.html", context, status=status)


@requires(Perm.HOURS_MINE)
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.hour_entry_for_ambassador(request.user, pk)
    profiles = selectors.my_hour_profiles(request.user)
    initial = {"ambassador": entry.ambassador_id, "date": entry.date, "hours": entry.hours, "kind": entry.kind}
    form = HourEntryForm(request.POST or None, profiles=profiles, initial=initial)
    form.fields["ambassador"].disabled = True  # an entry stays in its area
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {key: form.cleaned_data[key] for key in ("date", "hours", "kind")}
            try:
                services.hour_entry_update(entry=entry, **data)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, _("Thank you — your changes are sent to the coordinator."))
                return redirect("hours:mine")
        status = 400
    return render(request, "hours/entry_edit.html", {"entry": entry, "form": form}, status=status)


# --- The coordinator --------------------------------------------------------------------------------------


def _month(request: HttpRequest):
    try:
        return selectors.month_parse(request.GET.get("month") or request.POST.get("month", ""))
    except ValueError:
        return timezone.localdate().replace(day=1)


def _month_url(area, month) -> str:
    return f"{reverse('hours:area', args=[area.slug])}?month={month:%Y-%m}"


@login_required
@require_http_methods(["GET", "POST"])
def area_hours(request: HttpRequest, slug: str) -> HttpResponse:
    """The month's entries by ambassador; POST approves the ticked ones after a confirmation of how many."""
    area = area_for_user(request.user, slug)
    month = _month(request)
    entries = list(selectors.area_month_entries(area=area, month=month))
    if request.method == "POST":
        waiting = [e.pk for e in entries if e.status == HourEntry.Status.SUBMITTED]
        form = ApproveForm(request.POST, waiting_ids=waiting)
        if not form.is_valid():
            messages.error(request, _("Tick the hours to approve (only hours waiting for approval)."))
            return redirect(_month_url(area, month))
        chosen = form.cleaned_data["entry"]
        if not is_confirmed(request):
            what = ngettext(
                "Approve %(count)d entry of hours? Approved hours are locked.",
                "Approve %(count)d entries of hours? Approved hours are locked.",
                len(chosen),
            ) % {"count": len(chosen)}
            return confirm_page(
                request,
                title=_("Approve hours"),
                what=what,
                cancel_url=_month_url(area, month),
                confirm_label=_("Approve"),
                area=area,
            )
        count = services.hour_entries_approve(area=area, entry_ids=chosen, by=request.user)
        messages.success(
            request, ngettext("%(count)d entry approved.", "%(count)d entries approved.", count) % {"count": count}
        )
        return redirect(_month_url(area, month))
    context = {
        "area": area,
        "month": month,
        "entries": entries,
        "lines": selectors.month_payroll(area=area, month=month),
        "settings_form": HoursSettingsForm(instance=selectors.hours_settings_for(area=area)),
        "ambassadors": selectors.area_ambassadors_with_payroll(area=area),
    }
    return render(request, "hours/area.html", context)


@login_required
@require_POST
def reject(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    entry = selectors.hour_entry_for_coordinator(request.user, pk, area=area)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the hours are rejected."))
    else:
        try:
            services.hour_entry_reject(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            messages.error(request, error_text(refused))
        else:
            messages.success(request, _("The hours are rejected; the ambassador sees why."))
    return redirect(_month_url(area, entry.date.replace(day=1)))


@login_required
@require_POST
def settings(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    form = HoursSettingsForm(request.POST, instance=selectors.hours_settings_for(area=area))
    if form.is_valid():
        services.hours_settings_save(area=area, **form.cleaned_data)
        messages.success(request, _("The time registration settings are saved."))
    else:
        messages.error(request, _("Give the minutes per visit as a number from 0 to 480."))
    return redirect("hours:area", slug=area.slug)


@login_required
@require_POST
def payroll(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    ambassador = ambassador_for_coordinator(request.user, pk, area=area)
    form = PayrollForm(request.POST)
    if form.is_valid():
        services.payroll_number_set(ambassador=ambassador, number=form.cleaned_data["number"])
        messages.success(request, _("The payroll number is saved."))
    else:
        messages.error(request, _("A payroll number has at most 40 characters."))
    return redirect("hours:area", slug=area.slug)


@login_required
@require_GET
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The month for payroll: approved hours only, one line per ambassador."""
    area = area_for_user(request.user, slug)
    month = _month(request)
    lines = selectors.month_payroll(area=area, month=month)
    # Names and payroll numbers leave the app: an export of the volunteers' personal data.
    access_record_for_request(
        request,
        action=AccessLogEntry.Action.EXPORT,
        kind=AccessLogEntry.SubjectKind.PERSON,
        subjects=[(area.pk, line.user_id) for line in lines],
    )
    body = services.payroll_csv(lines=lines)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hours-{area.slug}-{month:%Y-%m}.csv"'
    return response
