"""The permission policy: the one place that answers "may this user do X to this object?".

Every view asks it, through `ensure`, `get_for_user` or the `requires` decorator. Deny by default:
a permission without a rule, an anonymous or inactive user, or an object the rule does not know is
refused.

This is the engine and the vocabulary (`Perm`, `Role`); it names no model of another app. The rules
that do name models are on the top floor, in `apps/access/rules.py`, which registers them (and where
a user's memberships come from) when the app is ready; read that file for who may do what.
"""

from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

from apps.core.roles import Role

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
    # SupportConversation: the coordinators of the ambassador's area only (never the ambassador themselves).
    SUPPORT_CONVERSATION_MANAGE = "support_conversation.manage"
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
    # Newcomer: correct language, phone, e-mail and "do not contact" (coordinators of its area; never
    # once anonymised).
    NEWCOMER_CORRECT = "newcomer.correct"
    # User: the same for a volunteer, board member or interviewer, by a coordinator of every area they
    # work in (someone also in another area is for an administrator).
    PERSON_PERSONAL_DATA = "person.personal_data"
    # Welcome folder (WelcomeFolder or PrintBatch): the coordinator of its area edits, previews,
    # publishes and prints it.
    FOLDER_MANAGE = "folder.manage"
    # Visit: its personal folder (PDF), for the ambassador who holds the visit and the area's coordinator.
    VISIT_FOLDER_DOWNLOAD = "visit.folder_download"
    # Time registration. No object: an ambassador's own "My hours" page (the areas with it switched on).
    HOURS_MINE = "hours.mine"
    # HourEntry: the ambassador who logged it changes it until it is approved.
    HOUR_ENTRY_EDIT_OWN = "hour_entry.edit_own"
    # HourEntry: the coordinator of its area approves or rejects it.
    HOUR_ENTRY_DECIDE = "hour_entry.decide"
    # --- Recognition (issue 17 point 5) ---
    # Area or Ambassador: the coordinators of the area see the figures, set the thank-yous and print an
    # ambassador's certificate.
    RECOGNITION_MANAGE = "recognition.manage"

    # --- The ambassador corps: training (issue 17) ---
    # Training and TrainingTopic: the coordinators of their area plan sessions, take attendance, edit topics.
    TRAINING_MANAGE = "training.manage"
    # --- The ambassador corps: recruitment and onboarding (apps/corps) ---
    # Candidate (or the Area, to list and add them): the coordinators of its area see and move candidates
    # (personal data from the public page) and follow new ambassadors' first steps.
    CANDIDATE_MANAGE = "candidate.manage"
    # --- Across areas (issue 18) ---
    # SurveyRound: its pooled figures, trends, report and research export — aggregates and pseudonymised
    # answers only, never a name, address, phone or free text.
    SURVEY_ROUND_VIEW = "survey_round.view"


# --- Registry: filled by the top floor (apps/access) when the apps are ready -----------------------

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}
_membership_source: Callable[[Any], Iterable[Any]] | None = None


def rule(perm: Perm):
    """Register the check for one permission; a second check for the same permission is an error."""

    def register(check: Rule) -> Rule:
        if perm in _RULES and _RULES[perm] is not check:
            raise ImproperlyConfigured(f"The permission {perm} already has a rule.")
        _RULES[perm] = check
        return check

    return register


def membership_source(load: Callable[[Any], Iterable[Any]]) -> Callable[[Any], Iterable[Any]]:
    """Register where a user's memberships come from: rows with `role`, `area`, `area_id` and `estates`."""
    global _membership_source
    _membership_source = load
    return load


def permissions_without_rule() -> list[Perm]:
    """Permissions nobody registered a rule for: they are refused to everyone (see `checks.py`)."""
    return [perm for perm in Perm if perm not in _RULES]


def has_membership_source() -> bool:
    return _membership_source is not None


# --- Roles: the user's memberships, asked through the registered source ------------------------------


def memberships(user) -> list[Any]:
    """The user's memberships, loaded once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        if _membership_source is None:
            # Loud, not an empty list: "no memberships" would quietly skip two-factor for coordinators.
            raise ImproperlyConfigured("No membership source is registered; is apps.access installed?")
        cached = list(_membership_source(user))
        user._memberships_cache = cached
    return cached


def areas_with_role(user, role: str) -> list[Any]:
    return [m.area for m in memberships(user) if m.role == role]


def has_role(user, role: str, area: Model | None = None) -> bool:
    return any(m.role == role and (area is None or m.area_id == area.pk) for m in memberships(user))


def is_coordinator_of(user, area: Model | None) -> bool:
    if area is None:
        return False
    return user.is_superuser or has_role(user, Role.COORDINATOR, area)


def two_factor_required(user) -> bool:
    """Coordinators and admins see many people's data, programme leads a whole organisation's figures:
    their sessions need a confirmed TOTP code."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.is_staff or has_role(user, Role.COORDINATOR) or is_programme_lead(user)


def board_estate_ids(user) -> set[int]:
    return {estate.pk for m in memberships(user) if m.role == Role.BOARD for estate in m.estates.all()}


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


# --- Issue 18: the programme lead (evaluator), a role per housing organisation, not per area -------------

_programme_lead_check: Callable[[Any], bool] | None = None


def programme_lead_check(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """Register how to tell whether a user is programme lead of any housing organisation."""
    global _programme_lead_check
    _programme_lead_check = check
    return check


def has_programme_lead_check() -> bool:
    return _programme_lead_check is not None


def is_programme_lead(user) -> bool:
    """Programme lead of at least one housing organisation (which ones is for the rules); once per request."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_programme_lead_cache", None)
    if cached is None:
        if _programme_lead_check is None:
            # Loud, as for memberships: "not a programme lead" would quietly skip their two-factor.
            raise ImproperlyConfigured("No programme-lead check is registered; is apps.access installed?")
        cached = bool(_programme_lead_check(user))
        user._programme_lead_cache = cached
    return cached
