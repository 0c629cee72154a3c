"""Everything stored about one person, gathered for a data-subject request (access, export, erasure).

The export is plain data (dicts, lists, strings), so the same result becomes the page, the JSON file and
the PDF. Each section says what it is; labels are translated, values are as stored.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Membership, User
from apps.audit.models import AccessLogEntry, AccessLogSubject
from apps.core.models import Message
from apps.core.policy import Perm, get_for_user
from apps.corps.models import Candidate
from apps.folders.models import Delivery
from apps.hours.models import HourEntry, Payroll
from apps.meetings.models import AgendaSuggestion, Invitation
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area
from apps.organisation.selectors import get_in_area
from apps.surveys.models import Answer, CallAttempt, ResponseLink
from apps.surveys.models import Invitation as SurveyInvitation
from apps.visits.models import Ambassador, Attempt, SupportConversation, Visit

SEARCH_LIMIT = 25


def _when(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def newcomer_in_area(*, user: User, area: Area, pk: int) -> Newcomer:
    """The newcomer named in the URL of `area`: 404 if missing, 403 unless the user may see their data there."""
    return get_in_area(
        user,
        Perm.NEWCOMER_PERSONAL_DATA,
        Newcomer.objects.select_related("tenancy__entrance", "tenancy__estate__area"),
        area=area,
        area_of=lambda newcomer: newcomer.tenancy.estate.area_id,
        pk=pk,
    )


def person_in_area(*, user: User, area: Area, pk: int) -> User:
    """A volunteer, board member or interviewer named in the URL of `area`, who has a role there: 404 if
    missing, 403 unless the user may see their data (the person may work in several areas)."""
    person = get_for_user(user, Perm.PERSON_PERSONAL_DATA, User, pk=pk)
    if not person.memberships.filter(area=area).exists():
        raise PermissionDenied
    return person


def newcomers_search(*, area: Area, query: str) -> QuerySet[Newcomer]:
    query = query.strip()
    if not query:
        return Newcomer.objects.none()
    return (
        Newcomer.objects.in_area(area)
        .filter(
            Q(name__icontains=query)
            | Q(phone__icontains=query.replace(" ", ""))
            | Q(email__icontains=query)
            | Q(tenancy__number__iexact=query)
            | Q(tenancy__entrance__street__icontains=query)
        )
        .select_related("tenancy__entrance", "tenancy__estate")
        .order_by("-move_in_date", "pk")[:SEARCH_LIMIT]
    )


def people_search(*, area: Area, query: str) -> QuerySet[User]:
    query = query.strip()
    if not query:
        return User.objects.none()
    return (
        User.objects.filter(memberships__area=area)
        .filter(Q(full_name__icontains=query) | Q(email__icontains=query) | Q(phone__icontains=query.replace(" ", "")))
        .distinct()
        .order_by("full_name", "pk")[:SEARCH_LIMIT]
    )


def _access_log(kind: str, object_id: int) -> list[dict]:
    entries = AccessLogEntry.objects.filter(
        pk__in=AccessLogSubject.objects.filter(kind=kind, object_id=object_id).values("entry_id")
    ).order_by("at", "pk")
    return [
        {_("When"): _when(e.at), _("Who"): e.actor_label, _("What"): e.get_action_display(), _("Page"): e.view_name}
        for e in entries
    ]


def _messages(messages: QuerySet[Message]) -> list[dict]:
    return [
        {
            "when": _when(m.created_at),
            "channel": m.get_channel_display(),
            "to": m.address,
            "subject": m.subject,
            # Sign-in links are blanked once sent; what is left is shown as it is stored.
            "text": m.body,
            "status": m.get_status_display(),
        }
        for m in messages.order_by("created_at", "pk")
    ]


def newcomer_data(*, newcomer: Newcomer) -> dict:
    """All that is stored about one newcomer household."""
    tenancy = newcomer.tenancy
    visits = (
        Visit.objects.filter(newcomer=newcomer)
        .select_related("ambassador__user")
        .prefetch_related("referrals__activity")
        .order_by("created_at", "pk")
    )
    attempts = (
        Attempt.objects.filter(visit__newcomer=newcomer)
        .select_related("ambassador__user", "recorded_by")
        .order_by("recorded_at")
    )
    return {
        "kind": "newcomer",
        "exported_at": _when(timezone.now()),
        "sections": {
            _("Newcomer"): {
                _("Name"): newcomer.name,
                _("Phone"): newcomer.phone,
                _("E-mail"): newcomer.email,
                _("Language"): newcomer.language,
                _("Address"): tenancy.address,
                _("Tenancy"): tenancy.number,
                _("Estate"): str(tenancy.estate),
                _("Moved in"): _when(newcomer.move_in_date),
                _("Do not contact"): newcomer.do_not_contact,
                _("Registered"): _when(newcomer.created_at),
                _("Anonymised"): _when(newcomer.anonymised_at),
            },
            _("Welcome visits"): [
                {
                    _("Status"): visit.get_status_display(),
                    _("Due"): _when(visit.due_date),
                    _("Ambassador"): visit.ambassador.user.full_name if visit.ambassador else "",
                    _("Outcome"): visit.get_close_reason_display(),
                    _("Closed"): _when(visit.closed_at),
                    _("Met the newcomer"): visit.contact_made,
                    _("Folder delivered"): visit.folder_delivered,
                    _("Asks to be contacted by staff about"): visit.staff_request,
                    _("Interested in"): ", ".join(r.activity.name for r in visit.referrals.all()),
                }
                for visit in visits
            ],
            _("Attempts"): [
                {
                    _("When"): _when(a.recorded_at),
                    _("Outcome"): a.get_outcome_display(),
                    _("Ambassador"): a.ambassador.user.full_name if a.ambassador else "",
                    _("Day of the visit"): _when(a.day),
                    _("Language"): a.language,
                    _("Who"): a.recorded_by.full_name if a.entered_for_ambassador else "",
                }
                for a in attempts
            ],
            # Which details a coordinator corrected, by whom and when (the values are the ones above).
            _("Corrections"): [
                {_("When"): _when(c.at), _("Who"): c.by.full_name if c.by else "", _("What"): c.field_labels}
                for c in newcomer.corrections.select_related("by").order_by("at", "pk")
            ],
            _("Survey invitations"): [
                {
                    _("Survey"): i.survey.title,
                    _("Channel"): i.get_channel_display(),
                    _("Sent"): _when(i.sent_at),
                    _("Reminders"): i.reminders_sent,
                    _("Link opened"): _when(i.opened_at),
                    _("Answered"): _when(i.answered_at),
                }
                for i in SurveyInvitation.objects.filter(newcomer=newcomer).select_related("survey").order_by("pk")
            ],
            _("Survey calls"): [
                {_("When"): _when(c.called_at), _("Outcome"): c.get_outcome_display()}
                for c in CallAttempt.objects.filter(invitation__newcomer=newcomer).order_by("called_at", "pk")
            ],
            # Answers are theirs while linked; once the contact group is settled the link is cut and the
            # answers can no longer be found from the person (they are pseudonymous from then on).
            _("Survey answers still linked to the newcomer"): [
                {_("Survey"): a.response.survey.title, _("Question"): a.question.code, _("Answer"): a.value}
                for a in Answer.objects.filter(
                    response_id__in=ResponseLink.objects.filter(newcomer=newcomer).values("response_id")
                )
                .select_related("response__survey", "question")
                .order_by("response_id", "pk")
            ],
            _("Welcome folders made"): [
                {
                    _("Made"): _when(d.finished_at if d.status == Delivery.Status.DONE else None),
                    _("Version"): d.version.number,
                    _("Language"): d.language,
                    _("PDF kept"): bool(d.pdf),
                }
                for d in Delivery.objects.filter(newcomer=newcomer).select_related("version").order_by("pk")
            ],
            _("Messages sent"): _messages(Message.objects.filter(to_newcomer=newcomer)),
            _("Who has seen the data"): _access_log(AccessLogEntry.SubjectKind.NEWCOMER, newcomer.pk),
        },
    }


def person_data(*, user: User) -> dict:
    """All that is stored about a volunteer, board member or interviewer (their own data, not others')."""
    memberships = Membership.objects.filter(user=user).select_related("area").prefetch_related("estates")
    profiles = Ambassador.objects.filter(user=user).select_related("area", "home_tenancy__entrance")
    visits = Visit.objects.filter(ambassador__user=user).select_related("estate").order_by("due_date", "pk")
    invitations = (
        Invitation.objects.filter(ambassador__user=user).select_related("meeting").order_by("meeting__starts_at")
    )
    return {
        "kind": "person",
        "exported_at": _when(timezone.now()),
        "sections": {
            _("Person"): {
                _("Name"): user.full_name,
                _("E-mail"): user.email or "",
                _("Mobile number"): user.phone,
                _("Language"): user.language,
                _("Active"): user.is_active,
                _("Joined"): _when(user.date_joined),
                _("Last sign-in"): _when(user.last_login),
            },
            _("Roles"): [
                {
                    _("Area"): m.area.name,
                    _("Role"): m.get_role_display(),
                    _("Estates"): ", ".join(str(e) for e in m.estates.all()),
                }
                for m in memberships
            ],
            _("Ambassador profiles"): [
                {
                    _("Area"): p.area.name,
                    _("Status"): p.get_status_display(),
                    _("Started"): _when(p.started_on),
                    _("Home"): p.home_tenancy.address if p.home_tenancy else "",
                    _("Languages"): ", ".join(p.languages),
                    _("Visits a month"): p.visits_per_month,
                    _("Strengths and interests"): p.strengths,
                    _("Photo"): bool(p.photo),
                    _("Card shows photo"): p.card_show_photo,
                    _("Card shows phone"): p.card_show_phone,
                    _("Card shows languages"): p.card_show_languages,
                }
                for p in profiles
            ],
            # The visits they made, without the newcomers' data (that is the newcomers', not theirs).
            _("Visits"): [
                {
                    _("Estate"): str(v.estate),
                    _("Due"): _when(v.due_date),
                    _("Status"): v.get_status_display(),
                    _("Outcome"): v.get_close_reason_display(),
                }
                for v in visits
            ],
            _("Payroll numbers"): [
                {_("Area"): p.ambassador.area.name, _("Payroll number"): p.number}
                for p in Payroll.objects.filter(ambassador__user=user).select_related("ambassador__area")
            ],
            _("Hours"): [
                {
                    _("Area"): h.area.name,
                    _("Date"): _when(h.date),
                    _("Hours"): str(h.hours),
                    _("What"): h.get_kind_display(),
                    _("Status"): h.get_status_display(),
                    _("Reason"): h.reason,
                }
                for h in HourEntry.objects.filter(ambassador__user=user).select_related("area").order_by("date", "pk")
            ],
            _("Network meetings"): [
                {
                    _("Meeting"): i.meeting.title,
                    _("When"): _when(i.meeting.starts_at),
                    _("Answer"): i.get_answer_display(),
                    _("Attended"): i.attended,
                }
                for i in invitations
            ],
            _("Agenda suggestions"): [
                {_("When"): _when(s.created_at), _("Suggestion"): s.text}
                for s in AgendaSuggestion.objects.filter(ambassador__user=user).order_by("created_at")
            ],
            # What coordinators noted about them (the right of access covers it; only coordinators export it).
            _("Support conversations"): [
                {
                    _("Area"): c.ambassador.area.name,
                    _("Held on"): _when(c.held_on),
                    _("Strengths"): c.strengths,
                    _("Interests"): c.interests,
                    _("Visits a month wanted"): c.visits_per_month_wanted,
                    _("Phone contact with newcomers"): c.get_phone_display(),
                    _("Languages"): ", ".join(c.languages),
                    _("Note"): c.note,
                    _("Next conversation"): _when(c.next_on),
                }
                for c in SupportConversation.objects.filter(ambassador__user=user)
                .select_related("ambassador__area")
                .order_by("held_on", "pk")
            ],
            # What they wrote when they came forward to be an ambassador (apps/corps).
            _("As a candidate"): [
                {
                    _("Area"): c.area.name,
                    _("Name"): c.full_name,
                    _("E-mail"): c.email,
                    _("Mobile number"): c.phone,
                    _("Languages"): ", ".join(c.languages),
                    _("A few words on why"): c.motivation,
                    _("Channel"): c.get_channel_display(),
                    _("Stage"): c.get_stage_display(),
                    _("Interested since"): _when(c.interested_on),
                    _("Consent given"): _when(c.consent_at),
                    _("Note"): c.note,
                }
                for c in Candidate.objects.about_person(user).select_related("area").order_by("interested_on", "pk")
            ],
            _("Messages sent"): _messages(Message.objects.filter(to_user=user)),
            _("Pages with personal data they opened"): [
                {_("When"): _when(e.at), _("Page"): e.view_name, _("People"): e.subject_count}
                for e in AccessLogEntry.objects.filter(actor=user).order_by("at", "pk")
            ],
            _("Who has seen the data"): _access_log(AccessLogEntry.SubjectKind.PERSON, user.pk),
        },
    }
