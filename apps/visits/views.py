"""Pages for welcome visits: the ambassador's phone pages and the coordinator's desk pages.

Thin views: every object named in a URL comes through the policy (the visits selectors call it), the
input through a form, and every write through one service.
"""

import copy
import json
import uuid
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import Membership
from apps.audit.http import access_record_for_request
from apps.audit.models import AccessLogEntry
from apps.audit.services import newcomer_subjects
from apps.core.errors import error_text
from apps.core.images import image_content_type
from apps.core.policy import Perm, ensure, get_for_user, memberships, requires
from apps.newcomers.models import Newcomer
from apps.newcomers.services import newcomer_correct
from apps.organisation.selectors import area_for_user
from apps.visits.forms import (
    DIRECT_OUTCOMES,
    LANGUAGE_OUTCOMES,
    ActivityForm,
    AmbassadorCreateForm,
    AmbassadorForm,
    AmbassadorOwnForm,
    AssignmentForm,
    AttemptForm,
    CoordinatorAttemptForm,
    LaterContactForm,
    NewcomerCorrectForm,
    OverviewFilterForm,
    ReassignForm,
    SupportConversationForm,
    VisitFilterForm,
)
from apps.visits.models import Ambassador, Attempt, LaterContact, Referral, Visit, language_name
from apps.visits.offline import offline_pages
from apps.visits.selectors import (
    activities_for_area,
    activity_for_coordinator,
    ambassador_for_coordinator,
    ambassador_profiles,
    ambassador_trainings,
    ambassadors_for_list,
    attempt_key_used,
    contact_grace_cutoff,
    later_contact_for_ambassador,
    later_contacts_undoable,
    met_newcomers,
    met_visit_for_ambassador,
    my_visits,
    newcomer_for_coordinator,
    newcomers_for_area,
    overview,
    referral_for_coordinator,
    referrals_for_area,
    support_conversation_for_coordinator,
    support_conversations_of,
    support_is_due,
    visit_for_ambassador,
    visit_for_coordinator,
    visits_for_area,
)
from apps.visits.services import (
    AttemptAlreadyRecorded,
    activity_create,
    activity_update,
    ambassador_create,
    ambassador_update,
    ambassador_update_own,
    assignment_propose,
    language_kept_by_coordinator,
    later_contact_record,
    later_contact_undo,
    newcomers_waiting,
    referral_follow_up,
    support_conversation_create,
    support_conversation_delete,
    support_conversation_update,
    visit_reassign,
    visit_record_attempt,
    visits_assign,
)

PER_PAGE = 50
# Proposals per batch: a table the coordinator can still read through before confirming.
PROPOSALS_PER_BATCH = 200


# --- The ambassador (phone) -----------------------------------------------------------------------------


@requires(Perm.VISITS_MINE)
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """ "My visits": the ambassador's landing page, open visits by due date, the coordinator to call."""
    areas = [m.area for m in memberships(request.user) if m.role == Membership.Role.AMBASSADOR]
    coordinators = (
        Membership.objects.filter(area__in=areas, role=Membership.Role.COORDINATOR)
        .select_related("user", "area")
        .order_by("area__name", "user__full_name")
    )
    visits = my_visits(ambassador_user=request.user)
    # Closed visits no longer show the newcomer's name or phone: only the open ones are logged.
    access_record_for_request(request, subjects=newcomer_subjects(visits.open))
    context = {
        "visits": visits,
        "coordinators": coordinators,
        "offline_pages": json.dumps(
            offline_pages(open_visits=visits.open, recently_closed=visits.recently_closed, today=visits.today)
        ),
        "offline_grace_days": settings.VISIT_CONTACT_GRACE_DAYS,
    }
    return render(request, "visits/mine.html", context)


def _detail_page(
    request: HttpRequest, visit: Visit, form: AttemptForm, outcome: str, status: int = 200
) -> HttpResponse:
    """Step one lists the outcomes; step two (`outcome` set) asks what that outcome needs."""
    context = {
        "visit": visit,
        "form": form,
        "outcome": outcome,
        "outcome_label": Attempt.Outcome(outcome).label if outcome else "",
        "show_interests": outcome in Attempt.MET,
        "show_do_not_contact": outcome == Attempt.Outcome.DECLINED,
        "show_language": outcome in LANGUAGE_OUTCOMES,
        "outcomes": Attempt.Outcome,
        "direct_choices": [choice for choice in Attempt.Outcome if choice in DIRECT_OUTCOMES],
        "today": timezone.localdate(),
        "offline_grace_days": settings.VISIT_CONTACT_GRACE_DAYS,
    }
    if visit.is_closed and visit.contact_made:
        visit.later_contact_count = visit.later_contacts.count()
        visit.undoable_contact = later_contacts_undoable(user=request.user, visits=[visit]).get(visit.pk)
        context["topics"] = LaterContact.Topic
    return render(request, "visits/detail.html", context, status=status)


@requires(Perm.VISITS_MINE)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One visit. `?outcome=met_talked` (a tapped outcome that needs more) shows the second step."""
    visit = visit_for_ambassador(request.user, pk)
    if visit.is_open:
        access_record_for_request(request, subjects=newcomer_subjects([visit]))
    return _visit_page(request, visit)


def _visit_page(request: HttpRequest, visit: Visit) -> HttpResponse:
    """The visit's page, or the second step of the outcome its `?outcome=` names."""
    outcome = request.GET.get("outcome", "")
    if outcome not in Attempt.Outcome.values or outcome in DIRECT_OUTCOMES or visit.is_closed:
        outcome = ""
    form = AttemptForm(initial={"outcome": outcome}, area=visit.area)
    return _detail_page(request, visit, form, outcome)


def _thanks(visit: Visit, outcome: str) -> str:
    if outcome == Attempt.Outcome.LANGUAGE_BARRIER:
        language = language_name(visit.needs_language) if visit.needs_language else ""
        if language:
            return _("Thank you. The coordinator will find an ambassador who speaks %(language)s.") % {
                "language": language
            }
        return _("Thank you. The coordinator will find an ambassador who speaks the newcomer's language.")
    if visit.is_open:
        return _("Thank you. The visit stays on your list, so you can try again another day.")
    return _("Thank you — the visit is updated.")


@requires(Perm.VISITS_MINE)
@require_POST
def record_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    if request.accepts("application/json") and not request.accepts("text/html"):
        return _record_from_queue(request, pk)
    visit = visit_for_ambassador(request.user, pk)
    form = AttemptForm(request.POST, area=visit.area)
    if not form.is_valid():
        outcome = form.cleaned_data.get("outcome", "") if hasattr(form, "cleaned_data") else ""
        return _detail_page(request, visit, form, outcome if outcome not in DIRECT_OUTCOMES else "", status=400)
    try:
        attempt = visit_record_attempt(visit=visit, by=request.user, **form.attempt())
    except AttemptAlreadyRecorded:
        messages.info(request, _already_recorded())
        return redirect("visits:mine")
    except (ValidationError, PermissionDenied) as refused:
        messages.error(request, error_text(refused))
        return redirect("visits:mine")
    _recorded_messages(request, visit, attempt)
    return redirect("visits:mine")


def _already_recorded() -> str:
    return _("This outcome was already recorded; it was not recorded twice.")


def _queue_answer(status: str, message: str, http_status: int, **more) -> JsonResponse:
    """What the phone's queue (static/js/offline.js) reads: recorded, duplicate or refused, and why."""
    return JsonResponse({"status": status, "message": message, **more}, status=http_status)


def _record_from_queue(request: HttpRequest, pk: int) -> JsonResponse:
    """An outcome the phone queued offline (or sent again after a lost answer), answered in JSON.

    The key is looked up before the visit: an outcome that closed the visit, sent again after the visit
    left the list, is "already recorded", not "not yours"."""
    try:
        key = uuid.UUID(request.POST.get("client_key", ""))
    except ValueError:
        return _queue_answer("refused", _("The phone sent no key for this outcome, so nothing was recorded."), 400)
    if attempt_key_used(user=request.user, client_key=key):
        return _queue_answer("duplicate", _already_recorded(), 200)
    try:
        visit = visit_for_ambassador(request.user, pk)
    except (Http404, PermissionDenied):
        return _queue_answer(
            "refused",
            _(
                "This visit is no longer on your list (it was given to someone else or removed), so nothing was recorded."
            ),
            404,
        )
    form = AttemptForm(request.POST, area=visit.area)
    if not form.is_valid():
        return _queue_answer("refused", " ".join(error for errors in form.errors.values() for error in errors), 400)
    try:
        attempt = visit_record_attempt(visit=visit, by=request.user, **form.attempt())
    except AttemptAlreadyRecorded:
        return _queue_answer("duplicate", _already_recorded(), 200)
    except (ValidationError, PermissionDenied) as refused:
        return _queue_answer("refused", error_text(refused), 409)
    visit.refresh_from_db(fields=["status", "ambassador", "needs_language"])
    # A closed visit's pages leave the phone at once.
    return _queue_answer("recorded", _thanks(visit, attempt.outcome), 201, visit_open=visit.is_open)


def _entered(visit: Visit, outcome: str, ambassador) -> str:
    """What the coordinator who entered an outcome for an ambassador is told happened to the visit."""
    if outcome == Attempt.Outcome.LANGUAGE_BARRIER:
        if visit.needs_language:
            return _("Entered. The visit is waiting on the Assign page for an ambassador who speaks %(language)s.") % {
                "language": language_name(visit.needs_language)
            }
        return _("Entered. The visit is waiting on the Assign page for an ambassador who speaks the language.")
    if visit.is_open:
        return _("Entered. The visit stays with %(ambassador)s for another try.") % {"ambassador": ambassador}
    return _("Entered. The visit is closed.")


def _recorded_messages(request: HttpRequest, visit: Visit, attempt: Attempt, *, entered_for=None) -> None:
    """The thanks after an outcome (or, for a coordinator who entered it for `entered_for`, what happened),
    and a note when a coordinator's language was kept over the door's."""
    visit.refresh_from_db(fields=["status", "ambassador", "needs_language"])
    if entered_for is None:
        messages.success(request, _thanks(visit, attempt.outcome))
    else:
        messages.success(request, _entered(visit, attempt.outcome, entered_for))
    if language_kept_by_coordinator(attempt=attempt):
        messages.info(
            request,
            _("A coordinator has set the newcomer's language to %(language)s; that is kept.")
            % {"language": language_name(visit.newcomer.language)},
        )


@requires(Perm.VISITS_MINE)
def my_profile(request: HttpRequest) -> HttpResponse:
    """The part of the profile that is the ambassador's own. One profile per area they volunteer in."""
    profiles = ambassador_profiles(request.user)
    if not profiles:
        return render(request, "visits/my_profile.html", {"profiles": [], "profile": None})
    profile = next((p for p in profiles if p.area.slug == request.GET.get("area")), profiles[0])
    ensure(request.user, Perm.AMBASSADOR_PROFILE_EDIT_OWN, profile)
    form = AmbassadorOwnForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            try:
                ambassador_update_own(ambassador=profile, by=request.user, **form.cleaned_data)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(request, _("Thank you — your profile is saved."))
                return redirect(f"{reverse('visits:my_profile')}?area={profile.area.slug}")
        status = 400
    else:
        status = 200
    trainings = ambassador_trainings(ambassador=profile, today=timezone.localdate())
    context = {"profiles": profiles, "profile": profile, "form": form, "trainings": trainings}
    return render(request, "visits/my_profile.html", context, status=status)


@login_required
@require_GET
def ambassador_photo(request: HttpRequest, pk: int) -> FileResponse:
    """An ambassador's photo, for themselves and their coordinators only: uploads are not public media."""
    ambassador = get_for_user(
        request.user, Perm.AMBASSADOR_PHOTO_VIEW, Ambassador.objects.select_related("area"), pk=pk
    )
    if not ambassador.photo:
        raise Http404
    file = ambassador.photo.open("rb")
    # The type read from the picture itself, never from the stored name; anything else is not served.
    content_type = image_content_type(file)
    if content_type is None:
        file.close()
        raise Http404
    response = FileResponse(file, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- The phone as an installed web app (static/js/offline.js, static/js/sw.js) -------------------------


# The navbar's blue (static/css/app.css), for the phone's status bar.
THEME_COLOUR = "#0a4aa6"


@require_GET
def web_manifest(request: HttpRequest) -> JsonResponse:
    """What a phone needs to install the ambassador's pages as an app; it opens on "My visits"."""
    icons = [
        {"src": static(f"icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
        for size in (192, 512)
    ] + [
        {
            "src": static(f"icons/icon-maskable-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in (192, 512)
    ]
    manifest = {
        "name": "Naboambassadør",
        "short_name": "Naboamb.",
        "description": "Dine velkomstbesøg – også uden forbindelse",
        "lang": "da",
        "start_url": reverse("visits:mine"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": icons,
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js, served from the site root so that it may control /visits/ (a worker controls only
    pages under the folder it is served from); never cached, so a new version is picked up at once."""
    path = finders.find("js/sw.js")
    response = HttpResponse(Path(path).read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


# At most this many visits' pages in one answer of offline_bundle (the phone asks again for the rest).
OFFLINE_BUNDLE_VISITS = 20


def _as_page_request(request: HttpRequest, url: str) -> HttpRequest:
    """This request as if it asked for `url` (one of the ambassador's own pages), so that the page renders
    and is logged as seen under its own path."""
    path, _, query = url.partition("?")
    page_request = copy.copy(request)
    page_request.path = page_request.path_info = path
    page_request.GET = QueryDict(query)
    page_request.META = {**request.META, "PATH_INFO": path, "QUERY_STRING": query}
    page_request.resolver_match = resolve(path)
    return page_request


@requires(Perm.VISITS_MINE)
@require_GET
def offline_bundle(request: HttpRequest) -> JsonResponse:
    """The pages static/js/offline.js keeps on the phone, many in one answer: `?visit=<pk>` (repeated) for
    those visits' pages, `?mine=1` for "My visits". One compressed answer is a seventh of the same pages
    fetched one by one (they share their frame). Only the ambassador's open visits are ever included."""
    visits = my_visits(ambassador_user=request.user)
    pages = offline_pages(open_visits=visits.open, recently_closed=visits.recently_closed, today=visits.today)
    mine_page, visit_pages = pages[0], pages[1:]
    bundle = []
    if request.GET.get("mine"):
        bundle.append({**mine_page, "html": mine(_as_page_request(request, mine_page["url"])).content.decode()})
    asked = set(request.GET.getlist("visit")[:OFFLINE_BUNDLE_VISITS])
    for open_visit in visits.open:
        if str(open_visit.pk) not in asked:
            continue
        # Loaded and logged as seen once, for its page and the second steps of its outcomes alike.
        visit = visit_for_ambassador(request.user, open_visit.pk)
        detail_url = reverse("visits:detail", args=[visit.pk])
        access_record_for_request(_as_page_request(request, detail_url), subjects=newcomer_subjects([visit]))
        for page in visit_pages:
            if page["url"].partition("?")[0] == detail_url:
                html = _visit_page(_as_page_request(request, page["url"]), visit).content.decode()
                bundle.append({**page, "html": html})
    return JsonResponse({"pages": bundle})


@requires(Perm.VISITS_MINE)
@require_GET
def met_list(request: HttpRequest) -> HttpResponse:
    """ "Newcomers you have met" in the last year: the address and the day only, and one tap to note that
    the newcomer contacted the ambassador again."""
    context = {"visits": met_newcomers(ambassador_user=request.user), "topics": LaterContact.Topic}
    return render(request, "visits/met_list.html", context)


def _back_from_later_contact(request: HttpRequest, visit: Visit) -> HttpResponse:
    """Back to the page the tap came from: the visit's page (while it is still shown) or the list."""
    if request.POST.get("back") == "detail" and visit.closed_at >= contact_grace_cutoff():
        return redirect(reverse("visits:detail", args=[visit.pk]) + "#later-contact")
    return redirect(reverse("visits:met_list") + f"#met-{visit.pk}")


@requires(Perm.VISITS_MINE)
@require_POST
def later_contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    visit = met_visit_for_ambassador(request.user, pk)
    form = LaterContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what the newcomer contacted you about."))
        return _back_from_later_contact(request, visit)
    try:
        later_contact_record(visit=visit, by=request.user, topic=form.cleaned_data["topic"])
    except (ValidationError, PermissionDenied) as refused:
        messages.error(request, error_text(refused))
    else:
        messages.success(request, _("Thank you — noted that the newcomer contacted you again."))
    return _back_from_later_contact(request, visit)


@requires(Perm.VISITS_MINE)
@require_POST
def later_contact_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    contact = later_contact_for_ambassador(request.user, pk)
    try:
        later_contact_undo(contact=contact, by=request.user)
    except ValidationError as refused:
        messages.error(request, error_text(refused))
    else:
        messages.success(request, _("Undone: the contact is no longer counted."))
    return _back_from_later_contact(request, contact.visit)


# --- The coordinator (desktop) --------------------------------------------------------------------------


@login_required
def ambassador_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The area's ambassadors with status, dual role and workload; a form starts a missing profile."""
    area = area_for_user(request.user, slug)
    today = timezone.localdate()
    ambassadors = ambassadors_for_list(area=area, today=today)
    with_profile = {a.user_id for a in ambassadors}
    members = [
        m.user
        for m in Membership.objects.filter(area=area, role=Membership.Role.AMBASSADOR)
        .select_related("user")
        .order_by("user__full_name")
        if m.user_id not in with_profile
    ]
    form = AmbassadorCreateForm(request.POST or None, members=members)
    if request.method == "POST":
        if form.is_valid():
            try:
                ambassador = ambassador_create(area=area, user=form.cleaned_data["user"], by=request.user)
            except ValidationError as refused:
                messages.error(request, error_text(refused))
            else:
                messages.success(
                    request, _("The profile of %(name)s is started.") % {"name": ambassador.user.full_name}
                )
                return redirect("visits:ambassador_edit", slug=area.slug, pk=ambassador.pk)
        status = 400
    else:
        status = 200
    context = {
        "area": area,
        "ambassadors": ambassadors,
        "members": members,
        "form": form,
        "today": today,
        "support_months": settings.SUPPORT_CONVERSATION_DUE_MONTHS,
    }
    return render(request, "visits/ambassador_list.html", context, status=status)


@login_required
def ambassador_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    ambassador = ambassador_for_coordinator(request.user, pk, area=area)
    form = AmbassadorForm(request.POST or None, instance=ambassador, area=area)
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in (*AmbassadorForm.Meta.fields, "home_tenancy")}
            try:
                ambassador_update(ambassador=ambassador, by=request.user, **fields)
            except ValidationError as refused:
                messages.error(request, error_text(refused))
            else:
                messages.success(request, _("The profile of %(name)s is saved.") % {"name": ambassador.user.full_name})
                return redirect("visits:ambassador_list", slug=area.slug)
        status = 400
    else:
        status = 200
    return render(
        request, "visits/ambassador_edit.html", {"area": area, "ambassador": ambassador, "form": form}, status=status
    )


def _support_record(request: HttpRequest, area, ambassador: Ambassador) -> None:
    """Support notes are personal data about a volunteer: every page that shows them is logged."""
    access_record_for_request(request, kind=AccessLogEntry.SubjectKind.PERSON, subjects=[(area.pk, ambassador.user_id)])


@login_required
def support_conversations(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An ambassador's support conversations, newest first, and a form to note a new one."""
    area = area_for_user(request.user, slug)
    ambassador = ambassador_for_coordinator(request.user, pk, area=area)
    form = SupportConversationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            support_conversation_create(ambassador=ambassador, by=request.user, **form.cleaned_data)
            messages.success(request, _("The conversation is noted."))
            return redirect("visits:support", slug=area.slug, pk=ambassador.pk)
        status = 400
    conversations = list(support_conversations_of(ambassador=ambassador))
    _support_record(request, area, ambassador)
    last = conversations[0].held_on if conversations else None
    today = timezone.localdate()
    context = {
        "area": area,
        "ambassador": ambassador,
        "conversations": conversations,
        "form": form,
        "support_due": support_is_due(ambassador=ambassador, last=last, today=today),
        "support_months": settings.SUPPORT_CONVERSATION_DUE_MONTHS,
    }
    return render(request, "visits/support.html", context, status=status)


@login_required
def support_conversation_edit(request: HttpRequest, slug: str, pk: int, conversation_pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    ambassador = ambassador_for_coordinator(request.user, pk, area=area)
    conversation = support_conversation_for_coordinator(request.user, conversation_pk, area=area, ambassador=ambassador)
    form = SupportConversationForm(request.POST or None, instance=conversation)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            support_conversation_update(conversation=conversation, by=request.user, **form.cleaned_data)
            messages.success(request, _("The note is saved."))
            return redirect("visits:support", slug=area.slug, pk=ambassador.pk)
        status = 400
    _support_record(request, area, ambassador)
    context = {"area": area, "ambassador": ambassador, "conversation": conversation, "form": form}
    return render(request, "visits/support_edit.html", context, status=status)


@login_required
@require_POST
def support_conversation_delete_view(request: HttpRequest, slug: str, pk: int, conversation_pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    ambassador = ambassador_for_coordinator(request.user, pk, area=area)
    conversation = support_conversation_for_coordinator(request.user, conversation_pk, area=area, ambassador=ambassador)
    support_conversation_delete(conversation=conversation, by=request.user)
    messages.success(request, _("The note is deleted."))
    return redirect("visits:support", slug=area.slug, pk=ambassador.pk)


def _proposals_page(request, area, proposals, form, status=200) -> HttpResponse:
    rows = [(proposal, form.field_for(proposal.newcomer.pk)) for proposal in proposals]
    access_record_for_request(request, subjects=[(area.pk, proposal.newcomer.pk) for proposal in proposals])
    context = {"area": area, "rows": rows, "form": form, "proposed": True, "batch": PROPOSALS_PER_BATCH}
    return render(request, "visits/assign.html", context, status=status)


@login_required
def assign(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose an ambassador for every waiting newcomer; the coordinator changes any and confirms all."""
    area = area_for_user(request.user, slug)
    if request.method == "POST":
        try:
            newcomer_ids = [int(value) for value in request.POST.getlist("newcomer")]
        except ValueError:
            newcomer_ids = []
        # The posted newcomers, proposed again: the reasons are shown again if something is refused.
        proposals = assignment_propose(area=area, newcomers=[Newcomer(pk=pk) for pk in newcomer_ids])
        form = AssignmentForm(
            request.POST, area=area, newcomer_ids=[p.newcomer.pk for p in proposals], initial_choices={}
        )
        if form.is_valid():
            try:
                visits = visits_assign(area=area, assignments=form.assignments(), by=request.user)
            except ValidationError as refused:
                messages.error(request, error_text(refused))
                return _proposals_page(request, area, proposals, form, status=400)
            messages.success(
                request,
                ngettext("%(count)d visit is assigned.", "%(count)d visits are assigned.", len(visits))
                % {"count": len(visits)},
            )
            return redirect("visits:assign", slug=area.slug)
        return _proposals_page(request, area, proposals, form, status=400)
    if request.GET.get("propose"):
        proposals = assignment_propose(area=area, limit=PROPOSALS_PER_BATCH)
        form = AssignmentForm(
            area=area,
            newcomer_ids=[p.newcomer.pk for p in proposals],
            initial_choices={p.newcomer.pk: p.ambassador.pk if p.ambassador else None for p in proposals},
        )
        return _proposals_page(request, area, proposals, form)
    context = {"area": area, "waiting": newcomers_waiting(area=area).count(), "proposed": False}
    return render(request, "visits/assign.html", context)


@login_required
@require_GET
def visit_list(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    # Unfiltered, the list opens on the visits still to be done; "All" is one choice away.
    form = VisitFilterForm(request.GET or {"state": "open"}, area=area)
    filters = form.cleaned_data if form.is_valid() else {}
    visits = visits_for_area(
        area=area,
        estate=filters.get("estate"),
        state=filters.get("state") or None,
        overdue=bool(filters.get("overdue")),
        moved_in_from=filters.get("moved_in_from"),
        moved_in_to=filters.get("moved_in_to"),
    )
    if filters.get("ambassador"):
        visits = visits.filter(ambassador=filters["ambassador"])
    page = Paginator(visits, PER_PAGE).get_page(request.GET.get("page"))
    access_record_for_request(request, subjects=newcomer_subjects(page))
    context = {"area": area, "form": form, "page": page, "today": timezone.localdate(), "query": _query(request)}
    return render(request, "visits/visit_list.html", context)


def _query(request: HttpRequest) -> str:
    """The list's filters, to keep them on the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def reassign(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    visit = visit_for_coordinator(request.user, pk, area=area)
    form = ReassignForm(request.POST or None, area=area, exclude=visit.ambassador)
    if request.method == "POST":
        if form.is_valid():
            try:
                visit_reassign(visit=visit, ambassador=form.cleaned_data["ambassador"], by=request.user)
            except ValidationError as refused:
                form.add_error(None, error_text(refused))
            else:
                messages.success(
                    request,
                    _("The visit to %(address)s is now with %(name)s.")
                    % {
                        "address": visit.newcomer.tenancy.address,
                        "name": form.cleaned_data["ambassador"].user.full_name,
                    },
                )
                return redirect("visits:visit_list", slug=area.slug)
        status = 400
    else:
        status = 200
    access_record_for_request(request, subjects=newcomer_subjects([visit]))
    context = {"area": area, "visit": visit, "form": form, "today": timezone.localdate()}
    return render(request, "visits/reassign.html", context, status=status)


@login_required
def coordinator_record(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The coordinator enters an outcome for the ambassador holding the visit (from paper or a call)."""
    area = area_for_user(request.user, slug)
    visit = visit_for_coordinator(request.user, pk, area=area)
    form = CoordinatorAttemptForm(request.POST or None, area=area)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                ambassador = visit.ambassador
                attempt = visit_record_attempt(visit=visit, by=request.user, **form.attempt())
            except (ValidationError, PermissionDenied) as refused:
                form.add_error(None, error_text(refused))
            else:
                _recorded_messages(request, visit, attempt, entered_for=ambassador)
                return redirect("visits:visit_list", slug=area.slug)
        status = 400
    access_record_for_request(request, subjects=newcomer_subjects([visit]))
    context = {"area": area, "visit": visit, "form": form, "today": timezone.localdate()}
    return render(request, "visits/coordinator_record.html", context, status=status)


@login_required
def newcomer_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The coordinator corrects what was learned: language, phone, e-mail, "do not contact"."""
    area = area_for_user(request.user, slug)
    newcomer = newcomer_for_coordinator(request.user, pk, area=area)
    form = NewcomerCorrectForm(request.POST or None, newcomer=newcomer)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = newcomer_correct(newcomer=newcomer, by=request.user, **form.cleaned_data)
            except ValidationError as refused:
                form.add_error(None, error_text(refused))
            else:
                if changed:
                    messages.success(request, _("The newcomer's details are corrected."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("visits:visit_list", slug=area.slug)
        status = 400
    access_record_for_request(request, subjects=newcomer_subjects([newcomer]))
    context = {"area": area, "newcomer": newcomer, "form": form}
    return render(request, "visits/newcomer_edit.html", context, status=status)


@login_required
@require_GET
def activity_list(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    return render(request, "visits/activity_list.html", {"area": area, "activities": activities_for_area(area=area)})


@login_required
def activity_new(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        activity = activity_create(area=area, by=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s is added.") % {"name": activity.name})
        return redirect("visits:activity_list", slug=area.slug)
    status = 400 if form.errors else 200
    return render(request, "visits/activity_form.html", {"area": area, "form": form, "activity": None}, status=status)


@login_required
def activity_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    activity = activity_for_coordinator(request.user, pk, area=area)
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        activity_update(activity=activity, by=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s is saved.") % {"name": activity.name})
        return redirect("visits:activity_list", slug=area.slug)
    status = 400 if form.errors else 200
    context = {"area": area, "form": form, "activity": activity}
    return render(request, "visits/activity_form.html", context, status=status)


@login_required
@require_GET
def referral_list(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    status = request.GET.get("status", Referral.Status.NEW)
    if status not in Referral.Status.values:
        status = ""
    page = Paginator(referrals_for_area(area=area, status=status or None), PER_PAGE).get_page(request.GET.get("page"))
    access_record_for_request(request, subjects=newcomer_subjects(referral.visit for referral in page))
    context = {"area": area, "page": page, "status": status, "statuses": Referral.Status, "query": _query(request)}
    return render(request, "visits/referral_list.html", context)


@login_required
@require_POST
def referral_follow_up_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    area = area_for_user(request.user, slug)
    referral = referral_for_coordinator(request.user, pk, area=area)
    referral_follow_up(referral=referral, by=request.user)
    messages.success(request, _("Marked as followed up."))
    return redirect(f"{reverse('visits:referral_list', args=[area.slug])}?{_query(request)}")


@login_required
@require_GET
def overview_page(request: HttpRequest, slug: str) -> HttpResponse:
    area = area_for_user(request.user, slug)
    form = OverviewFilterForm(request.GET, area=area)
    figures = None
    if form.is_valid():
        figures = overview(
            area=area,
            estate=form.cleaned_data["estate"],
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
        )
    context = {"area": area, "form": form, "o": figures}
    if figures is not None:
        # The figures link to the lists behind them, with the same estate and period.
        estate = form.cleaned_data["estate"]
        start, end = form.cleaned_data["period_start"].isoformat(), form.cleaned_data["period_end"].isoformat()
        context["newcomer_query"] = urlencode(
            {"estate": estate.pk if estate else "", "period_start": start, "period_end": end}
        )
        context["visit_query"] = urlencode(
            {"estate": estate.pk if estate else "", "moved_in_from": start, "moved_in_to": end}
        )
        context["estate_query"] = urlencode({"estate": estate.pk if estate else ""})
    return render(request, "visits/overview.html", context, status=200 if figures else 400)


@login_required
@require_GET
def newcomer_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The newcomers behind the overview's figures (moved in within the period, met within N days …)."""
    area = area_for_user(request.user, slug)
    form = OverviewFilterForm(request.GET, area=area)
    if not form.is_valid():
        return render(request, "visits/newcomer_list.html", {"area": area, "form": form, "page": None}, status=400)
    visited = {"1": True, "0": False}.get(request.GET.get("visited", ""))
    within = request.GET.get("within", "")
    newcomers = newcomers_for_area(
        area=area,
        estate=form.cleaned_data["estate"],
        moved_in_from=form.cleaned_data["period_start"],
        moved_in_to=form.cleaned_data["period_end"],
        visited=visited,
        visited_within=int(within) if within in {"14", "30"} else None,
    )
    page = Paginator(newcomers, PER_PAGE).get_page(request.GET.get("page"))
    access_record_for_request(request, subjects=[(area.pk, newcomer.pk) for newcomer in page])
    context = {"area": area, "form": form, "page": page, "visited": visited, "within": within, "query": _query(request)}
    return render(request, "visits/newcomer_list.html", context)
