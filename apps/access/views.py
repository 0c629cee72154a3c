"""The start pages of each role: where a person lands after signing in; and the area's undelivered
messages (apps.access.outbox). They sit on the top floor because they read other apps (pending
invitations, a board member's estates, newcomers and accounts); `core` keeps the shell and the outbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.access.outbox import (
    mask_address,
    other_channel,
    undelivered_in_area,
    undelivered_message_in_area,
    undelivered_retry,
    undelivered_send_by_other_channel,
)
from apps.accounts.selectors import membership_invitations_pending
from apps.audit.http import access_record_for_request
from apps.audit.models import AccessLogEntry
from apps.core.models import Message
from apps.core.policy import Perm, Role, areas_with_role, board_estate_ids, can, is_programme_lead, requires
from apps.organisation.selectors import area_for_user, estates_with_figures


def landings_for(user) -> list[tuple[str, str]]:
    """The start pages this user may open, as (label, url), in the order roles are listed."""
    landings = [
        (_("Coordinator: %(area)s") % {"area": area}, reverse("organisation:area_detail", args=[area.slug]))
        for area in areas_with_role(user, Role.COORDINATOR)
    ]
    if can(user, Perm.AMBASSADOR_HOME):
        landings.append((_("Ambassador"), reverse("visits:mine")))
    if can(user, Perm.BOARD_HOME):
        landings.append((_("Board member"), reverse("access:board_home")))
    if can(user, Perm.INTERVIEWER_HOME):
        landings.append((_("Interviewer"), reverse("access:interviewer_home")))
    # Issue 18: a programme lead follows their organisation's survey rounds (no area, no person's data).
    if is_programme_lead(user):
        landings.append((_("Programme lead"), reverse("surveys:round_list")))
    if user.is_staff:
        landings.append((_("Administration"), reverse("admin:index")))
    return landings


@login_required
def home(request: HttpRequest) -> HttpResponse:
    landings = landings_for(request.user)
    # An invitation to another area is asked about here, on the first page after signing in.
    invitations = list(membership_invitations_pending(user=request.user).order_by("area__name"))
    if len(landings) == 1 and not invitations:
        return redirect(landings[0][1])
    return render(request, "access/home.html", {"landings": landings, "invitations": invitations})


@requires(Perm.AMBASSADOR_HOME)
def ambassador_home(request: HttpRequest) -> HttpResponse:
    """The ambassador's first landing page, kept for links sent before "My visits" replaced it."""
    return redirect("visits:mine")


@require_safe
@requires(Perm.BOARD_HOME)
def board_home(request: HttpRequest) -> HttpResponse:
    # Figures only, never people: board members land on the dashboard of their first estate (it links
    # to their others); a board membership without estates yet says so.
    estates = estates_with_figures(estates=board_estate_ids(request.user))
    if estates:
        return redirect("dashboards:board_estate", pk=estates[0].pk)
    return render(request, "access/board_home.html")


@requires(Perm.INTERVIEWER_HOME)
def interviewer_home(request: HttpRequest) -> HttpResponse:
    return render(request, "access/interviewer_home.html", {"areas": areas_with_role(request.user, Role.INTERVIEWER)})


# --- Messages that could not be delivered -------------------------------------------------------------


@login_required
@require_safe
def undelivered(request: HttpRequest, area_slug: str) -> HttpResponse:
    """The area's messages that failed or still wait: to whom, how, when, why; never a secret's text."""
    area = area_for_user(request.user, area_slug)
    rows = list(undelivered_in_area(area=area))
    for row in rows:
        row.masked_address = mask_address(row.address)
        row.other_channel = other_channel(row)
    # Who the messages were for is personal data: the view is logged like the other people pages.
    newcomers = {(area.pk, row.to_newcomer_id) for row in rows if row.to_newcomer_id}
    people = {(area.pk, row.to_user_id) for row in rows if row.to_user_id}
    access_record_for_request(request, kind=AccessLogEntry.SubjectKind.NEWCOMER, subjects=sorted(newcomers))
    access_record_for_request(request, kind=AccessLogEntry.SubjectKind.PERSON, subjects=sorted(people))
    return render(request, "access/undelivered.html", {"area": area, "rows": rows})


@login_required
@require_POST
def undelivered_retry_view(request: HttpRequest, area_slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, area_slug)
    message = undelivered_message_in_area(area=area, pk=pk)
    try:
        undelivered_retry(message=message)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The message will be sent again now."))
    return redirect("access:undelivered", area_slug=area.slug)


@login_required
@require_POST
def undelivered_other_channel_view(request: HttpRequest, area_slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, area_slug)
    message = undelivered_message_in_area(area=area, pk=pk)
    try:
        sent = undelivered_send_by_other_channel(message=message)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if sent.channel == Message.Channel.EMAIL:
            messages.success(request, _("The message is sent by e-mail instead."))
        else:
            messages.success(request, _("The message is sent by SMS instead."))
    return redirect("access:undelivered", area_slug=area.slug)
