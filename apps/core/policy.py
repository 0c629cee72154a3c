"""The permission policy: the one place that answers "may this user do X to this object?".

Every view asks it, through `ensure`, `get_for_user` or the `requires` decorator. Deny by default:
a permission without a rule, an anonymous or inactive user, or an object the rule does not know is
refused. Later apps add their permissions here so the whole policy reads in one file.
"""

from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from apps.accounts.models import Membership, MembershipInvitation, User
from apps.folders.models import PrintBatch, WelcomeFolder
from apps.meetings.models import Invitation, NetworkMeeting
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Estate
from apps.surveys.models import Invitation as SurveyInvitation
from apps.surveys.models import Survey
from apps.visits.models import Activity, Ambassador, Referral, Visit

Role = Membership.Role
M = TypeVar("M", bound=Model)


class Perm(StrEnum):
    # Area-wide work of a coordinator: structure, people, imports, visits, folder, meetings, survey.
    AREA_MANAGE = "area.manage"
    # Read-only figures for one estate (board members of that estate, coordinators of its area).
    ESTATE_VIEW_FIGURES = "estate.view_figures"
    # The landing pages of the roles that have no object of their own yet.
    AMBASSADOR_HOME = "ambassador.home"
    BOARD_HOME = "board.home"
    INTERVIEWER_HOME = "interviewer.home"
    # Change one person's role in an area (invite, resend a sign-in link, end the membership); also a
    # MembershipInvitation of the area that waits for the person's answer (ask them again).
    MEMBERSHIP_MANAGE = "membership.manage"
    # MembershipInvitation: only the person asked accepts or declines it.
    MEMBERSHIP_INVITATION_ANSWER = "membership_invitation.answer"
    # Welcome visits. No object: an ambassador's own "My visits" list.
    VISITS_MINE = "visits.mine"
    # Visit: the ambassador who holds it sees it (the selector hides name and phone once it is closed).
    VISIT_VIEW_OWN = "visit.view_own"
    # Visit: the ambassador who holds it records an attempt (the service refuses closed visits with a message).
    VISIT_RECORD = "visit.record"
    # Visit: the coordinator of the visit's area sees, assigns and reassigns it.
    VISIT_MANAGE = "visit.manage"
    # Ambassador profile: the coordinator of its area edits all of it …
    AMBASSADOR_MANAGE = "ambassador.manage"
    # … the ambassador edits their own part (languages, capacity, card opt-ins, photo).
    AMBASSADOR_PROFILE_EDIT_OWN = "ambassador.profile_edit_own"
    # Ambassador photo: the ambassador themselves and the coordinators of the area (photos are never public media).
    AMBASSADOR_PHOTO_VIEW = "ambassador.photo_view"
    # Activity and Referral: the coordinator of their area.
    ACTIVITY_MANAGE = "activity.manage"
    REFERRAL_MANAGE = "referral.manage"
    # Network meetings. No object: an ambassador's own "Meetings" page.
    MEETINGS_MINE = "meetings.mine"
    # Invitation: the invited ambassador answers it and suggests agenda items (not after leaving).
    INVITATION_ANSWER = "invitation.answer"
    # NetworkMeeting: the coordinator of its area plans, invites, cancels, takes attendance, writes minutes.
    MEETING_MANAGE = "meeting.manage"
    # NetworkMeeting: its minutes, for the ambassadors invited to it and the coordinators of its area.
    MEETING_MINUTES_VIEW = "meeting.minutes_view"
    # Survey: the coordinator of its area builds it, invites, sees the funnel, analysis and free text, imports.
    SURVEY_MANAGE = "survey.manage"
    # Survey (or one of its invitations): the area's interviewers (and coordinator) call and enter answers.
    SURVEY_INTERVIEW = "survey.interview"
    # Data-subject requests. Newcomer: see, export and erase everything stored (coordinators of its area).
    NEWCOMER_PERSONAL_DATA = "newcomer.personal_data"
    # User: the same for a volunteer, board member or interviewer, by a coordinator of every area they
    # work in (someone also in another area is for an administrator).
    PERSON_PERSONAL_DATA = "person.personal_data"
    # Welcome folder (WelcomeFolder or PrintBatch): the coordinator of its area edits, previews,
    # publishes and prints it.
    FOLDER_MANAGE = "folder.manage"
    # Visit: its personal folder (PDF), for the ambassador who holds the visit and the area's coordinator.
    VISIT_FOLDER_DOWNLOAD = "visit.folder_download"


def memberships(user) -> list[Membership]:
    """The user's memberships, loaded once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related("area").prefetch_related("estates")
        )
        user._memberships_cache = cached
    return cached


def areas_with_role(user, role: str) -> list[Area]:
    return [m.area for m in memberships(user) if m.role == role]


def has_role(user, role: str, area: Area | None = None) -> bool:
    return any(m.role == role and (area is None or m.area_id == area.pk) for m in memberships(user))


def is_coordinator_of(user, area: Area | None) -> bool:
    if area is None:
        return False
    return user.is_superuser or has_role(user, Role.COORDINATOR, area)


def two_factor_required(user) -> bool:
    """Coordinators and admins see many people's data: their sessions need a confirmed TOTP code."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.is_staff or has_role(user, Role.COORDINATOR)


def board_estate_ids(user) -> set[int]:
    return {estate.pk for m in memberships(user) if m.role == Role.BOARD for estate in m.estates.all()}


# --- Rules ------------------------------------------------------------------------------------------

_RULES: dict[str, Callable[[Any, Any], bool]] = {}


def rule(perm: Perm):
    def register(check: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
        _RULES[perm] = check
        return check

    return register


@rule(Perm.AREA_MANAGE)
def _area_manage(user, area) -> bool:
    return isinstance(area, Area) and is_coordinator_of(user, area)


@rule(Perm.ESTATE_VIEW_FIGURES)
def _estate_view_figures(user, estate) -> bool:
    if not isinstance(estate, Estate):
        return False
    return estate.pk in board_estate_ids(user) or is_coordinator_of(user, estate.area)


@rule(Perm.AMBASSADOR_HOME)
def _ambassador_home(user, obj) -> bool:
    return has_role(user, Role.AMBASSADOR)


@rule(Perm.BOARD_HOME)
def _board_home(user, obj) -> bool:
    return has_role(user, Role.BOARD)


@rule(Perm.INTERVIEWER_HOME)
def _interviewer_home(user, obj) -> bool:
    return has_role(user, Role.INTERVIEWER)


@rule(Perm.MEMBERSHIP_MANAGE)
def _membership_manage(user, membership) -> bool:
    return isinstance(membership, Membership | MembershipInvitation) and is_coordinator_of(user, membership.area)


@rule(Perm.MEMBERSHIP_INVITATION_ANSWER)
def _membership_invitation_answer(user, invitation) -> bool:
    return isinstance(invitation, MembershipInvitation) and invitation.user_id == user.pk


def _holds_visit(user, visit) -> bool:
    """The user is the visit's ambassador, still an ambassador in its area and has not left."""
    ambassador = visit.ambassador if isinstance(visit, Visit) else None
    return (
        ambassador is not None
        and ambassador.user_id == user.pk
        and ambassador.status != Ambassador.Status.LEFT
        and has_role(user, Role.AMBASSADOR, visit.area)
    )


@rule(Perm.VISITS_MINE)
def _visits_mine(user, obj) -> bool:
    return has_role(user, Role.AMBASSADOR)


@rule(Perm.VISIT_VIEW_OWN)
def _visit_view_own(user, visit) -> bool:
    return _holds_visit(user, visit)


@rule(Perm.VISIT_RECORD)
def _visit_record(user, visit) -> bool:
    return _holds_visit(user, visit)


@rule(Perm.VISIT_MANAGE)
def _visit_manage(user, visit) -> bool:
    return isinstance(visit, Visit) and is_coordinator_of(user, visit.area)


@rule(Perm.AMBASSADOR_MANAGE)
def _ambassador_manage(user, ambassador) -> bool:
    return isinstance(ambassador, Ambassador) and is_coordinator_of(user, ambassador.area)


@rule(Perm.AMBASSADOR_PROFILE_EDIT_OWN)
def _ambassador_profile_edit_own(user, ambassador) -> bool:
    return (
        isinstance(ambassador, Ambassador)
        and ambassador.user_id == user.pk
        and ambassador.status != Ambassador.Status.LEFT
        and has_role(user, Role.AMBASSADOR, ambassador.area)
    )


@rule(Perm.AMBASSADOR_PHOTO_VIEW)
def _ambassador_photo_view(user, ambassador) -> bool:
    return isinstance(ambassador, Ambassador) and (ambassador.user_id == user.pk or is_coordinator_of(user, ambassador.area))


@rule(Perm.ACTIVITY_MANAGE)
def _activity_manage(user, activity) -> bool:
    return isinstance(activity, Activity) and is_coordinator_of(user, activity.area)


@rule(Perm.REFERRAL_MANAGE)
def _referral_manage(user, referral) -> bool:
    return isinstance(referral, Referral) and is_coordinator_of(user, referral.visit.area)


@rule(Perm.MEETINGS_MINE)
def _meetings_mine(user, obj) -> bool:
    return has_role(user, Role.AMBASSADOR)


@rule(Perm.INVITATION_ANSWER)
def _invitation_answer(user, invitation) -> bool:
    if not isinstance(invitation, Invitation):
        return False
    ambassador = invitation.ambassador
    return (
        ambassador.user_id == user.pk
        and ambassador.status != Ambassador.Status.LEFT
        and has_role(user, Role.AMBASSADOR, invitation.meeting.area)
    )


@rule(Perm.MEETING_MANAGE)
def _meeting_manage(user, meeting) -> bool:
    return isinstance(meeting, NetworkMeeting) and is_coordinator_of(user, meeting.area)


@rule(Perm.MEETING_MINUTES_VIEW)
def _meeting_minutes_view(user, meeting) -> bool:
    if not isinstance(meeting, NetworkMeeting):
        return False
    return is_coordinator_of(user, meeting.area) or (
        has_role(user, Role.AMBASSADOR, meeting.area) and meeting.invitations.filter(ambassador__user=user).exists()
    )


def _survey_of(obj):
    if isinstance(obj, SurveyInvitation):
        return obj.survey
    return obj if isinstance(obj, Survey) else None


@rule(Perm.SURVEY_MANAGE)
def _survey_manage(user, survey) -> bool:
    survey = _survey_of(survey)
    return survey is not None and is_coordinator_of(user, survey.area)


@rule(Perm.SURVEY_INTERVIEW)
def _survey_interview(user, survey) -> bool:
    survey = _survey_of(survey)
    return survey is not None and (
        has_role(user, Role.INTERVIEWER, survey.area) or is_coordinator_of(user, survey.area)
    )


@rule(Perm.NEWCOMER_PERSONAL_DATA)
def _newcomer_personal_data(user, newcomer) -> bool:
    return isinstance(newcomer, Newcomer) and is_coordinator_of(user, newcomer.tenancy.estate.area)


@rule(Perm.PERSON_PERSONAL_DATA)
def _person_personal_data(user, person) -> bool:
    if not isinstance(person, User):
        return False
    if user.is_superuser:
        return True
    if person.is_superuser or person.is_staff:
        return False
    theirs = list(Membership.objects.filter(user=person))
    if any(m.role == Role.COORDINATOR for m in theirs):
        return False  # a colleague's account is for an administrator
    areas = {m.area_id for m in theirs}
    coordinated = {m.area_id for m in memberships(user) if m.role == Role.COORDINATOR}
    return bool(areas) and areas <= coordinated


@rule(Perm.FOLDER_MANAGE)
def _folder_manage(user, obj) -> bool:
    return isinstance(obj, WelcomeFolder | PrintBatch) and is_coordinator_of(user, obj.area)


@rule(Perm.VISIT_FOLDER_DOWNLOAD)
def _visit_folder_download(user, visit) -> bool:
    if not isinstance(visit, Visit):
        return False
    if is_coordinator_of(user, visit.area):
        return True
    # The ambassador: while the visit is open, and as long after closing as they still see the newcomer.
    grace = timezone.now() - timedelta(days=settings.VISIT_CONTACT_GRACE_DAYS)
    return _holds_visit(user, visit) and (visit.is_open or (visit.closed_at is not None and visit.closed_at >= grace))


# --- The questions views ask ------------------------------------------------------------------------


def can(user, perm: Perm, obj: Any = None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    check = _RULES.get(perm)
    return bool(check and check(user, obj))


def ensure(user, perm: Perm, obj: Any = None) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied


def get_for_user(user, perm: Perm, queryset: type[M] | QuerySet[M], **lookup) -> M:
    """Fetch the object named in a URL and check the permission: 404 if missing, 403 if not allowed."""
    obj = get_object_or_404(queryset, **lookup)
    ensure(user, perm, obj)
    return obj


def requires(perm: Perm):
    """For views without an object in the URL: sign-in first, then the permission."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            ensure(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
