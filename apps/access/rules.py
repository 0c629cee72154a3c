"""Who may do what: the rules of the permission policy, in one file to read.

The engine (`Perm`, `Role`, `can`, `ensure`, `get_for_user`, `requires`) lives in `apps/core/policy.py`
and names no model; these rules name the models of every app, so they live on the top floor and are
registered when `apps.access` is ready. Deny by default: a permission without a rule here, an anonymous
or inactive user, or an object the rule does not know is refused. A new permission gets its `Perm` in
core and its rule here (a system check and `tests/access/test_registry.py` fail until it has one).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.accounts.models import Membership, MembershipInvitation, ProgrammeLead, User
from apps.core.policy import (
    Perm,
    Role,
    board_estate_ids,
    has_role,
    is_coordinator_of,
    is_programme_lead,
    membership_source,
    memberships,
    programme_lead_check,
    rule,
)
from apps.corps.models import Candidate
from apps.folders.models import PrintBatch, WelcomeFolder
from apps.hours.models import HourEntry
from apps.meetings.models import Invitation, MeetingSeries, NetworkMeeting
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Estate
from apps.surveys.models import Invitation as SurveyInvitation
from apps.surveys.models import Survey, SurveyRound
from apps.visits.models import Activity, Ambassador, Referral, SupportConversation, Training, TrainingTopic, Visit


@membership_source
def _memberships(user):
    """A user's memberships with their area and (for board members) estates, read once per request."""
    # The area's time registration settings come along for the ambassador's menu (apps/hours).
    # Whether they are also a programme lead (issue 18) comes in the same query, for two-factor and the menu.
    return (
        Membership.objects.filter(user=user)
        .select_related("area__hours_settings")
        .prefetch_related("estates")
        .annotate(user_is_programme_lead=Exists(ProgrammeLead.objects.filter(user_id=OuterRef("user_id"))))
    )


# --- Rules ------------------------------------------------------------------------------------------


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
    return isinstance(ambassador, Ambassador) and (
        ambassador.user_id == user.pk or is_coordinator_of(user, ambassador.area)
    )


@rule(Perm.SUPPORT_CONVERSATION_MANAGE)
def _support_conversation_manage(user, conversation) -> bool:
    return isinstance(conversation, SupportConversation) and is_coordinator_of(user, conversation.ambassador.area)


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
    # A meeting, or a series of them: the area's coordinators plan both.
    return isinstance(meeting, NetworkMeeting | MeetingSeries) and is_coordinator_of(user, meeting.area)


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


@rule(Perm.NEWCOMER_CORRECT)
def _newcomer_correct(user, newcomer) -> bool:
    return (
        isinstance(newcomer, Newcomer)
        and newcomer.anonymised_at is None
        and is_coordinator_of(user, newcomer.tenancy.estate.area)
    )


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


@rule(Perm.HOURS_MINE)
def _hours_mine(user, obj) -> bool:
    return has_role(user, Role.AMBASSADOR)


@rule(Perm.HOUR_ENTRY_EDIT_OWN)
def _hour_entry_edit_own(user, entry) -> bool:
    if not isinstance(entry, HourEntry):
        return False
    ambassador = entry.ambassador
    return (
        ambassador.user_id == user.pk
        and ambassador.status != Ambassador.Status.LEFT
        and has_role(user, Role.AMBASSADOR, entry.area)
        and not entry.is_locked
    )


@rule(Perm.HOUR_ENTRY_DECIDE)
def _hour_entry_decide(user, entry) -> bool:
    return isinstance(entry, HourEntry) and is_coordinator_of(user, entry.area)


# --- Recognition (issue 17 point 5) ---


@rule(Perm.RECOGNITION_MANAGE)
def _recognition_manage(user, obj) -> bool:
    if isinstance(obj, Ambassador):
        return is_coordinator_of(user, obj.area)
    return isinstance(obj, Area) and is_coordinator_of(user, obj)


# --- The ambassador corps: training (issue 17) -----------------------------------------------------------


@rule(Perm.TRAINING_MANAGE)
def _training_manage(user, obj) -> bool:
    return isinstance(obj, Training | TrainingTopic) and is_coordinator_of(user, obj.area)


# --- The ambassador corps: recruitment and onboarding (apps/corps) ---


@rule(Perm.CANDIDATE_MANAGE)
def _candidate_manage(user, obj) -> bool:
    if isinstance(obj, Area):
        return is_coordinator_of(user, obj)
    return isinstance(obj, Candidate) and is_coordinator_of(user, obj.area)


# --- Across areas (issue 18) ---


@rule(Perm.SURVEY_ROUND_VIEW)
def _survey_round_view(user, obj) -> bool:
    # An admin, a programme lead of the round's organisation, or someone who coordinates every area in it.
    if not isinstance(obj, SurveyRound):
        return False
    if user.is_superuser:
        return True
    if is_programme_lead(user) and obj.organisation_id in _lead_organisation_ids(user):
        return True
    area_ids = {survey.area_id for survey in obj.surveys.all()}
    coordinated = {m.area_id for m in memberships(user) if m.role == Role.COORDINATOR}
    return bool(area_ids) and area_ids <= coordinated


# --- Issue 18: the programme lead (evaluator) ---


def _lead_organisation_ids(user) -> frozenset[int]:
    """The organisations `user` is programme lead of, asked once per request (kept on the user object as
    the memberships are): the list of rounds asks the rule of every round, and must not cost a query each."""
    cached = getattr(user, "_programme_lead_organisations", None)
    if cached is None:
        cached = frozenset(ProgrammeLead.objects.filter(user=user).order_by().values_list("organisation_id", flat=True))
        user._programme_lead_organisations = cached
    return cached


@programme_lead_check
def _is_programme_lead(user) -> bool:
    """Whether the user is programme lead of any organisation. A member of an area already has the answer on
    their memberships (`_memberships` reads it in the same query), so only someone without one asks again."""
    rows = memberships(user)
    if rows:
        return rows[0].user_is_programme_lead
    return bool(_lead_organisation_ids(user))  # the same query the round rule needs next
