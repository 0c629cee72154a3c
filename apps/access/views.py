"""The start pages of each role: where a person lands after signing in. They sit on the top floor
because they read other apps (pending invitations, a board member's estates); `core` keeps the shell."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.accounts.selectors import membership_invitations_pending
from apps.core.policy import Perm, Role, areas_with_role, board_estate_ids, can, requires
from apps.organisation.selectors import estates_with_figures


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
