"""Writes for visits: proposing and confirming assignments, recording attempts, and the reminders.

Every write runs in a transaction; messages go through the outbox (`message_queue`), whose row is
written in the same transaction and delivered after commit, each with an idempotency key so that a
second run of any job sends nothing twice.
"""

import datetime
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import Membership, User
from apps.core.images import image_clean, image_read, stored_file_delete_on_commit
from apps.core.models import Message
from apps.core.policy import Perm, can
from apps.core.services import channel_for_ambassador, channel_for_coordinator, in_recipients_language, message_queue
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area
from apps.visits.models import (
    LANGUAGE_CODES,
    Activity,
    Ambassador,
    AmbassadorStatusChange,
    Attempt,
    LaterContact,
    Referral,
    SupportConversation,
    Visit,
    language_name,
)
from apps.visits.selectors import ambassadors_with_load, count_subquery, newcomers_waiting

# --- Assignment ---------------------------------------------------------------------------------------


@dataclass
class Proposal:
    """The best ambassador for one newcomer (None when nobody fits) and why, in the user's language."""

    newcomer: Newcomer
    ambassador: Ambassador | None
    reasons: list[str]


# How close an ambassador lives to (or covers) the newcomer's home; higher is better.
SAME_ENTRANCE, SAME_ESTATE, COVERS_ENTRANCE, COVERS_ESTATE, ELSEWHERE = 4, 3, 2, 1, 0


def _nearness(ambassador: Ambassador, newcomer: Newcomer) -> int:
    tenancy = newcomer.tenancy
    home = ambassador.home_tenancy
    if home is not None and home.entrance_id == tenancy.entrance_id:
        return SAME_ENTRANCE
    if home is not None and home.estate_id == tenancy.estate_id:
        return SAME_ESTATE
    if tenancy.entrance_id in ambassador.covered_entrance_ids:
        return COVERS_ENTRANCE
    if tenancy.estate_id in ambassador.covered_estate_ids:
        return COVERS_ESTATE
    return ELSEWHERE


def _nearness_reason(nearness: int) -> str | None:
    return {
        SAME_ENTRANCE: _("Lives in the same entrance."),
        SAME_ESTATE: _("Lives in the same estate."),
        COVERS_ENTRANCE: _("Covers this entrance."),
        COVERS_ESTATE: _("Covers this estate."),
    }.get(nearness)


def assignment_propose(
    *,
    area: Area,
    newcomers: Iterable[Newcomer] | None = None,
    today: datetime.date | None = None,
    limit: int = 200,
) -> list[Proposal]:
    """Propose the best active ambassador for each waiting newcomer, oldest move-in first.

    An ambassador fits unless they live in the newcomer's own household, or the visit came back after a
    language barrier and they do not speak that language or were the one who met the barrier. Among
    those who fit and have capacity left this calendar month (visits assigned this month < visits a
    month), the best is, in order: speaks the newcomer's language; lives in the same entrance > same
    estate > covers the entrance > covers the estate; fewest open visits; then the lowest id, so the same
    data always gives the same proposal. Proposals within the batch count against capacity and open
    visits as if confirmed.

    Queries: newcomers, earlier language barriers, ambassadors with their counts, covered estates, covered
    entrances — five, however many newcomers and ambassadors there are.
    """
    today = today or timezone.localdate()
    waiting = newcomers_waiting(area=area)
    if newcomers is not None:
        waiting = waiting.filter(pk__in=[newcomer.pk for newcomer in newcomers])
    # The language a returned visit needs (set after a language barrier).
    # The language learned at the door most recently, and when, so the reason can say where it came from.
    door = Attempt.objects.filter(visit__newcomer=OuterRef("pk")).exclude(language="").order_by("-recorded_at", "-pk")
    waiting = waiting.annotate(
        visit_needs_language=Visit.objects.open().filter(newcomer=OuterRef("pk")).values("needs_language")[:1],
        door_language=door.values("language")[:1],
        door_visited_on=door.values("visited_on")[:1],
        door_recorded_at=door.values("recorded_at")[:1],
    )
    newcomer_list = list(waiting[:limit])
    if not newcomer_list:
        return []
    # Whoever met a language barrier at this door is not proposed for it again.
    barred: dict[int, set[int]] = {}
    for newcomer_id, ambassador_id in Attempt.objects.filter(
        visit__status=Visit.Status.OPEN,
        visit__newcomer__in=[newcomer.pk for newcomer in newcomer_list],
        outcome=Attempt.Outcome.LANGUAGE_BARRIER,
        ambassador__isnull=False,
    ).values_list("visit__newcomer_id", "ambassador_id"):
        barred.setdefault(newcomer_id, set()).add(ambassador_id)

    ambassadors = list(
        ambassadors_with_load(area=area, today=today)
        .filter(status=Ambassador.Status.ACTIVE)
        .prefetch_related("covered_estates", "covered_entrances")
        .order_by("pk")
    )
    for ambassador in ambassadors:
        ambassador.covered_estate_ids = {estate.pk for estate in ambassador.covered_estates.all()}
        ambassador.covered_entrance_ids = {entrance.pk for entrance in ambassador.covered_entrances.all()}

    proposals = []
    for newcomer in newcomer_list:
        proposal = _propose_one(newcomer, ambassadors, barred=barred.get(newcomer.pk, set()))
        if proposal.ambassador is not None:
            # Count the proposal as if confirmed, so the batch spreads the work and respects capacity.
            proposal.ambassador.open_visits += 1
            proposal.ambassador.assigned_this_month += 1
        proposals.append(proposal)
    return proposals


def _propose_one(newcomer: Newcomer, ambassadors: list[Ambassador], *, barred: set[int]) -> Proposal:
    language = newcomer.visit_needs_language or newcomer.language
    required_language = newcomer.visit_needs_language
    fitting = [
        ambassador
        for ambassador in ambassadors
        if ambassador.home_tenancy_id != newcomer.tenancy_id
        and ambassador.pk not in barred
        and (not required_language or required_language in ambassador.languages)
    ]
    if not fitting:
        if required_language:
            reason = _("No active ambassador speaks %(language)s.") % {"language": language_name(required_language)}
        else:
            reason = _("No active ambassador fits this newcomer.")
        return Proposal(newcomer, None, [reason])
    with_capacity = [a for a in fitting if a.assigned_this_month < a.visits_per_month]
    if not with_capacity:
        return Proposal(newcomer, None, [_("Every ambassador who fits has no capacity left this month.")])

    def rank(ambassador: Ambassador) -> tuple:
        speaks = bool(language) and language in ambassador.languages
        return (not speaks, -_nearness(ambassador, newcomer), ambassador.open_visits, ambassador.pk)

    best = min(with_capacity, key=rank)
    reasons = []
    if language and language in best.languages:
        reasons.append(_speaks_reason(newcomer, language))
    elif language:
        reasons.append(_("No ambassador with capacity speaks %(language)s.") % {"language": language_name(language)})
    nearness = _nearness_reason(_nearness(best, newcomer))
    if nearness:
        reasons.append(nearness)
    left = best.visits_per_month - best.assigned_this_month
    reasons.append(
        ngettext("Has %(left)d visit left this month.", "Has %(left)d visits left this month.", left) % {"left": left}
    )
    reasons.append(
        ngettext("Has %(count)d open visit.", "Has %(count)d open visits.", best.open_visits)
        % {"count": best.open_visits}
    )
    return Proposal(newcomer, best, reasons)


def _speaks_reason(newcomer: Newcomer, language: str) -> str:
    """ "Speaks Arabic.", or with the day it was learned when the newcomer's language came from a door."""
    if getattr(newcomer, "door_language", None) == language:
        day = newcomer.door_visited_on or timezone.localdate(newcomer.door_recorded_at)
        return _("Speaks %(language)s (learned at the door %(day)s).") % {
            "language": language_name(language),
            "day": _date(day),
        }
    return _("Speaks %(language)s.") % {"language": language_name(language)}


def _check_can_hold(*, ambassador: Ambassador, newcomer: Newcomer, area: Area) -> None:
    if ambassador.area_id != area.pk or not ambassador.is_active:
        raise ValidationError(_("%(name)s is not an active ambassador in this area.") % {"name": ambassador})
    if ambassador.home_tenancy_id is not None and ambassador.home_tenancy_id == newcomer.tenancy_id:
        raise ValidationError(_("An ambassador is never assigned to their own household."))


def visit_due_date(*, newcomer: Newcomer, assigned_on: datetime.date) -> datetime.date:
    """The day a welcome visit to `newcomer`, given to an ambassador on `assigned_on`, is due.

    `VISIT_DUE_DAYS` after the later of the move-in and the day the household came on a list (a list
    that arrives weeks late must not make its visits overdue at once), and never sooner than
    `VISIT_MIN_DAYS_TO_DUE` after the assignment (a proposal confirmed late, a visit handed over).
    The figures of the evaluation still count from the move-in (`Visit.days_to_contact`).
    """
    known_from = max(newcomer.move_in_date, newcomer.listed_on)
    return max(
        known_from + datetime.timedelta(days=settings.VISIT_DUE_DAYS),
        assigned_on + datetime.timedelta(days=settings.VISIT_MIN_DAYS_TO_DUE),
    )


def visits_move_in_follow(*, newcomer_ids: list[int]) -> int:
    """The newcomers' move-in dates were corrected (a later move-in list): their visits follow; returns how many.

    Every visit takes the new copy of the date and a contact's days from move-in are counted from it. An
    open visit's due date follows `visit_due_date` (as of the day it was last given, or made); one an
    ambassador holds is never made due sooner under them. A visit already in step is left alone.
    """
    visits = list(
        Visit.objects.select_for_update(of=("self",))
        .select_related("newcomer")
        .filter(newcomer_id__in=newcomer_ids)
        .exclude(move_in_date=F("newcomer__move_in_date"))
    )
    now = timezone.now()
    for visit in visits:
        shift = (visit.newcomer.move_in_date - visit.move_in_date).days
        visit.move_in_date = visit.newcomer.move_in_date
        if visit.days_to_contact is not None:
            # A meeting before the corrected move-in (keys handed over early) counts as on the day.
            visit.days_to_contact = max(0, visit.days_to_contact - shift)
        if visit.is_open:
            given_on = timezone.localdate(visit.assigned_at or visit.created_at)
            due = visit_due_date(newcomer=visit.newcomer, assigned_on=given_on)
            visit.due_date = max(visit.due_date, due) if visit.ambassador_id else due
        visit.updated_at = now
    Visit.objects.bulk_update(visits, ["move_in_date", "days_to_contact", "due_date", "updated_at"])
    return len(visits)


def _give_visit(*, visit: Visit, ambassador: Ambassador) -> None:
    """Hand a locked, open visit to an ambassador and queue their message (sent after commit).

    A visit handed over close to (or past) its due date gets the new ambassador the same minimum time."""
    visit.ambassador = ambassador
    visit.assigned_at = timezone.now()
    due = visit_due_date(newcomer=visit.newcomer, assigned_on=timezone.localdate(visit.assigned_at))
    visit.due_date = max(visit.due_date, due)
    visit.save(update_fields=["ambassador", "assigned_at", "due_date", "updated_at"])
    visit_assigned_notify(visit=visit)


@transaction.atomic
def visits_assign(*, area: Area, assignments: list[tuple[int, int]], by: User) -> list[Visit]:
    """Confirm proposals all at once: (newcomer id, ambassador id) pairs. Creates the newcomer's open visit
    (due as `visit_due_date` says) or hands the waiting one over. All or nothing."""
    if not can(by, Perm.AREA_MANAGE, area):
        raise PermissionDenied
    newcomer_ids = [newcomer_id for newcomer_id, _ambassador_id in assignments]
    if len(set(newcomer_ids)) != len(newcomer_ids):
        raise ValidationError(_("Each newcomer can be assigned only once."))
    # Lock the newcomers so two coordinators confirming at once cannot both create a visit.
    newcomers = {
        newcomer.pk: newcomer
        for newcomer in Newcomer.objects.in_area(area)
        .select_for_update(of=("self",))
        .select_related("tenancy__estate")
        .filter(pk__in=newcomer_ids)
    }
    ambassadors = Ambassador.objects.select_related("user").in_bulk(
        {ambassador_id for _newcomer_id, ambassador_id in assignments}
    )
    open_visits = {
        visit.newcomer_id: visit for visit in Visit.objects.open().select_for_update().filter(newcomer_id__in=newcomers)
    }
    visits = []
    for newcomer_id, ambassador_id in assignments:
        newcomer = newcomers.get(newcomer_id)
        ambassador = ambassadors.get(ambassador_id)
        if newcomer is None:
            raise ValidationError(_("A newcomer is not in this area."))
        if ambassador is None:
            raise ValidationError(_("An ambassador does not exist."))
        if newcomer.do_not_contact:
            raise ValidationError(_("%(newcomer)s has asked not to be contacted.") % {"newcomer": newcomer})
        _check_can_hold(ambassador=ambassador, newcomer=newcomer, area=area)
        visit = open_visits.get(newcomer_id)
        if visit is None:
            visit = Visit(
                area=area,
                estate=newcomer.tenancy.estate,
                newcomer=newcomer,
                move_in_date=newcomer.move_in_date,
                due_date=visit_due_date(newcomer=newcomer, assigned_on=timezone.localdate()),
            )
            visit.full_clean(exclude=["ambassador", "assigned_at"])
            visit.save()
        elif visit.ambassador_id == ambassador.pk:
            visits.append(visit)
            continue
        else:
            visit.newcomer = newcomer  # already loaded and locked
        _give_visit(visit=visit, ambassador=ambassador)
        visits.append(visit)
    return visits


@transaction.atomic
def visit_reassign(*, visit: Visit, ambassador: Ambassador, by: User) -> Visit:
    """Give an open visit to another ambassador (or to the same one again: then nothing happens)."""
    if not can(by, Perm.VISIT_MANAGE, visit):
        raise PermissionDenied
    visit = Visit.objects.select_for_update(of=("self",)).select_related("newcomer", "area").get(pk=visit.pk)
    if visit.is_closed:
        raise ValidationError(_("This visit is closed; it cannot be reassigned."))
    if visit.newcomer.do_not_contact:
        raise ValidationError(_("%(newcomer)s has asked not to be contacted.") % {"newcomer": visit.newcomer})
    _check_can_hold(ambassador=ambassador, newcomer=visit.newcomer, area=visit.area)
    if visit.ambassador_id != ambassador.pk:
        _give_visit(visit=visit, ambassador=ambassador)
    return visit


# --- Attempts ----------------------------------------------------------------------------------------


class AttemptAlreadyRecorded(Exception):
    """The phone sent an outcome whose key is already recorded: nothing new is recorded."""


@dataclass(frozen=True)
class PhoneClock:
    """When the phone says the outcome was recorded, and what its clock said when it sent it."""

    recorded_at: datetime.datetime
    sent_at: datetime.datetime


def phone_time(clock: PhoneClock, *, now: datetime.datetime, earliest: datetime.datetime | None) -> datetime.datetime:
    """The phone's time of recording on the server's clock.

    A phone's clock may be wrong by minutes or years; its error is the same when recording and when
    sending, so the server moves the recorded time by the difference between the phone's "now" and its
    own. Never in the future, never before the visit was assigned (a clock changed in between)."""
    corrected = clock.recorded_at + (now - clock.sent_at)
    if earliest is not None:
        corrected = max(corrected, earliest)
    return min(corrected, now)


@transaction.atomic
def visit_record_attempt(
    *,
    visit: Visit,
    by: User,
    outcome: str,
    interests: Iterable[Activity] = (),
    staff_request: str = "",
    do_not_contact: bool = False,
    language: str = "",
    visited_on: datetime.date | None = None,
    client_key: uuid.UUID | None = None,
    phone_clock: PhoneClock | None = None,
) -> Attempt:
    """Record what happened at the door, and close or return the visit as the outcome says.

    met (talked or briefly) → closed, contact made, folder delivered. Not at home → counts towards
    `VISIT_MAX_NOT_HOME_ATTEMPTS`, after which the visit closes ("folder left" if the folder went in the
    mailbox at least once, else "not at home"). Language barrier → the visit goes back to the coordinator
    for an ambassador who speaks the newcomer's language. Declined → closed, and with `do_not_contact`
    the newcomer is never contacted again. Moved away → closed.

    The ambassador holding the visit records it from their phone; the area's coordinator may enter it for
    them (from paper or a phone call), with the day it happened (`visited_on`, not in the future, not
    before the move-in or the assignment). `language` is the language the newcomer speaks, as learned at
    the door: it becomes the newcomer's language unless a coordinator corrected that, and a language
    barrier asks for it.

    The visit row is locked first, so of two phones recording at once one waits for the other and then
    finds the visit closed or the same outcome just recorded: nothing is recorded twice.

    From the phone: `client_key` is the key the phone made for this form; sent again (an outcome queued
    offline, a lost answer, a stale tab) it raises AttemptAlreadyRecorded and records nothing.
    `phone_clock` dates an outcome recorded offline by the phone's clock, corrected (see `phone_time`).
    """
    staff_request = _attempt_input_check(
        outcome=outcome, staff_request=staff_request, do_not_contact=do_not_contact, language=language
    )
    visit = (
        Visit.objects.select_for_update(of=("self",)).select_related("area", "newcomer", "ambassador").get(pk=visit.pk)
    )
    interests = list(interests)
    # Checked with the visit locked, before anything else: a replay of an outcome that closed the visit
    # is "already recorded", not "closed".
    if client_key is not None and Attempt.objects.filter(recorded_by=by, client_key=client_key).exists():
        raise AttemptAlreadyRecorded
    now = timezone.now()
    recorded_at = phone_time(phone_clock, now=now, earliest=visit.assigned_at) if phone_clock else now
    _attempt_allowed_check(visit=visit, by=by, outcome=outcome, interests=interests, at=recorded_at)
    _visited_on_check(visit=visit, visited_on=visited_on)

    attempt = Attempt.objects.create(
        visit=visit,
        ambassador=visit.ambassador,
        recorded_by=by,
        recorded_at=recorded_at,
        outcome=outcome,
        do_not_contact=do_not_contact,
        language=language,
        visited_on=visited_on,
        client_key=client_key,
    )
    if language:
        _newcomer_language_learned(newcomer=visit.newcomer, language=language)
    Referral.objects.bulk_create(
        [Referral(visit=visit, activity=activity) for activity in interests], ignore_conflicts=True
    )
    changed = ["updated_at"]
    if staff_request:
        visit.staff_request = staff_request
        changed.append("staff_request")
    _outcome_apply(
        visit=visit,
        outcome=outcome,
        do_not_contact=do_not_contact,
        changed=changed,
        day=visited_on or timezone.localdate(recorded_at),
        language=language,
    )
    visit.save(update_fields=changed)
    return attempt


def _attempt_input_check(*, outcome: str, staff_request: str, do_not_contact: bool, language: str) -> str:
    """What can be refused before the visit is locked; returns the staff request, trimmed."""
    if outcome not in Attempt.Outcome.values:
        raise ValidationError(_("Choose one of the outcomes."))
    if language and language not in LANGUAGE_CODES:
        raise ValidationError(_("Choose one of the languages."))
    if do_not_contact and outcome != Attempt.Outcome.DECLINED:
        raise ValidationError(_("“Do not contact again” goes with “declined”."))
    staff_request = (staff_request or "").strip()
    if len(staff_request) > 500:
        raise ValidationError(_("Keep the request to staff under 500 characters."))
    return staff_request


def _attempt_allowed_check(
    *, visit: Visit, by: User, outcome: str, interests: list[Activity], at: datetime.datetime
) -> None:
    """What can be refused only with the visit locked: who records, a closed visit, a double tap.

    The ambassador holding the visit records; the area's coordinator may enter an outcome for them, but
    only on a visit an ambassador holds (a waiting visit has nobody whose visit it was)."""
    holder = can(by, Perm.VISIT_RECORD, visit)
    if not holder and not can(by, Perm.VISIT_MANAGE, visit):
        raise PermissionDenied(_("This visit is not yours, so nothing was recorded."))
    if visit.is_closed:
        raise ValidationError(_("This visit is already closed, so nothing was recorded."))
    if not holder and visit.ambassador is None:
        raise ValidationError(
            _("This visit waits for an ambassador; assign it first, then enter the outcome for them.")
        )
    # Around the attempt's own time: two phones that queued the same outcome offline send it later.
    window = datetime.timedelta(seconds=settings.VISIT_DUPLICATE_ATTEMPT_SECONDS)
    if visit.attempts.filter(outcome=outcome, recorded_at__range=(at - window, at + window)).exists():
        raise ValidationError(
            _("This outcome was just recorded for this visit, perhaps from another phone; it was not recorded twice.")
        )
    if any(activity.area_id != visit.area_id or not activity.is_active for activity in interests):
        raise ValidationError(_("Choose activities of this area."))


def _visited_on_check(*, visit: Visit, visited_on: datetime.date | None) -> None:
    """The day a visit happened, when entered later: today or earlier, not before move-in or assignment."""
    if visited_on is None:
        return
    if visited_on > timezone.localdate():
        raise ValidationError(_("The day of the visit cannot be in the future."))
    earliest = visit.newcomer.move_in_date
    if visit.assigned_at is not None:
        earliest = max(earliest, timezone.localdate(visit.assigned_at))
    if visited_on < earliest:
        raise ValidationError(
            _("The day of the visit cannot be before %(day)s (the move-in or the assignment).")
            % {"day": _date(earliest)}
        )


def _newcomer_language_learned(*, newcomer: Newcomer, language: str) -> None:
    """The language learned at the door becomes the newcomer's, unless a coordinator corrected it."""
    if newcomer.language != language and "language" not in newcomer.corrected_fields:
        newcomer.language = language
        newcomer.save(update_fields=["language", "updated_at"])


def language_kept_by_coordinator(*, attempt: Attempt) -> bool:
    """The language learned at the door differs from the one a coordinator corrected, which was kept."""
    newcomer = attempt.visit.newcomer
    return bool(attempt.language) and attempt.language != newcomer.language and "language" in newcomer.corrected_fields


def _outcome_apply(
    *, visit: Visit, outcome: str, do_not_contact: bool, changed: list[str], day: datetime.date, language: str
) -> None:
    """Close or return the visit as the outcome says (the attempt itself is already saved)."""
    Outcome = Attempt.Outcome
    if outcome in Attempt.MET:
        visit.contact_made = visit.folder_delivered = True
        visit.days_to_contact = (day - visit.newcomer.move_in_date).days
        changed += ["contact_made", "folder_delivered", "days_to_contact"]
        _close(visit, Visit.CloseReason.CONTACT, changed)
    elif outcome in Attempt.NOT_HOME:
        if outcome == Outcome.NOT_HOME_FOLDER_LEFT and not visit.folder_delivered:
            visit.folder_delivered = True
            changed.append("folder_delivered")
        if visit.attempts.filter(outcome__in=Attempt.NOT_HOME).count() >= settings.VISIT_MAX_NOT_HOME_ATTEMPTS:
            reason = Visit.CloseReason.FOLDER_LEFT if visit.folder_delivered else Visit.CloseReason.NOT_HOME_LIMIT
            _close(visit, reason, changed)
    elif outcome == Outcome.LANGUAGE_BARRIER:
        # Back to the coordinator's "waiting" list; the next proposal requires the newcomer's language.
        visit.ambassador = None
        visit.assigned_at = None
        visit.needs_language = language or visit.newcomer.language
        changed += ["ambassador", "assigned_at", "needs_language"]
    elif outcome == Outcome.DECLINED:
        if do_not_contact and not visit.newcomer.do_not_contact:
            visit.newcomer.do_not_contact = True
            visit.newcomer.save(update_fields=["do_not_contact", "updated_at"])
        _close(visit, Visit.CloseReason.DECLINED, changed)
    elif outcome == Outcome.MOVED_AWAY:
        _close(visit, Visit.CloseReason.MOVED_AWAY, changed)


def _close(visit: Visit, reason: str, changed: list[str]) -> None:
    visit.status = Visit.Status.CLOSED
    visit.close_reason = reason
    visit.closed_at = timezone.now()
    changed += ["status", "close_reason", "closed_at"]


# --- Profiles, activities, referrals -----------------------------------------------------------------


@transaction.atomic
def ambassador_create(*, area: Area, user: User, by: User, **fields) -> Ambassador:
    """The coordinator creates the profile of a person who has the ambassador role in the area."""
    if not can(by, Perm.AREA_MANAGE, area):
        raise PermissionDenied
    if not Membership.objects.filter(user=user, area=area, role=Membership.Role.AMBASSADOR).exists():
        raise ValidationError(_("%(name)s is not an ambassador in this area.") % {"name": user})
    m2m = {name: fields.pop(name) for name in ("covered_estates", "covered_entrances", "trainings") if name in fields}
    ambassador = Ambassador(area=area, user=user, **fields)
    ambassador.full_clean()
    ambassador.save()
    for name, values in m2m.items():
        getattr(ambassador, name).set(values)
    AmbassadorStatusChange.objects.create(
        ambassador=ambassador, status=ambassador.status, on=ambassador.status_since, by=by
    )
    return ambassador


@transaction.atomic
def ambassador_set_status(
    *, ambassador: Ambassador, status: str, by: User, since: datetime.date | None = None, reason: str = ""
) -> Ambassador:
    """Move an ambassador along (accepted, trained, active), pause, reactivate or end them; proposals only
    pick active ones. A paused ambassador keeps their open visits (the coordinator sees them and may
    reassign); when someone leaves, their open visits go back to waiting for an ambassador. Each change is
    dated in the ambassador's history, a departure with its reason."""
    if not can(by, Perm.AMBASSADOR_MANAGE, ambassador):
        raise PermissionDenied
    if status not in Ambassador.Status.values:
        raise ValidationError(_("Unknown status."))
    if reason and (status != Ambassador.Status.LEFT or reason not in Ambassador.LeftReason.values):
        raise ValidationError(_("Unknown reason."))
    if status != ambassador.status:
        since = since or timezone.localdate()
        ambassador.status = status
        ambassador.status_since = since
        ambassador.save(update_fields=["status", "status_since", "updated_at"])
        AmbassadorStatusChange.objects.create(ambassador=ambassador, status=status, on=since, reason=reason, by=by)
        if status == Ambassador.Status.LEFT:
            # Someone who left can no longer open their visits: the open ones wait for a new ambassador.
            Visit.objects.open().filter(ambassador=ambassador).update(
                ambassador=None, assigned_at=None, updated_at=timezone.now()
            )
    return ambassador


# What the ambassador may change on their own profile; everything else is the coordinator's.
AMBASSADOR_OWN_FIELDS = (
    "languages",
    "visits_per_month",
    "card_show_photo",
    "card_show_phone",
    "card_show_languages",
)
AMBASSADOR_COORDINATOR_FIELDS = (
    "home_tenancy",
    "status_since",
    "started_on",
    "recruited_via",
    "languages",
    "visits_per_month",
    "strengths",
    "sits_on_board",
)
AMBASSADOR_M2M_FIELDS = ("covered_estates", "covered_entrances", "trainings")
ACTIVITY_FIELDS = ("name", "description", "schedule", "place", "contact", "languages", "is_active")


def _save_fields(instance, fields: dict, allowed: tuple[str, ...]):
    """Write the allowed fields to a fresh, locked copy of the row (a bound ModelForm has already changed
    the instance it was given, so that copy cannot tell what changed)."""
    row = type(instance).objects.select_for_update().get(pk=instance.pk)
    names = [name for name in allowed if name in fields]
    for name in names:
        setattr(row, name, fields[name])
    row.full_clean()
    row.save(update_fields=[*names, "updated_at"])
    return row


# A profile photo is shown small on the business card: a phone photo of a few MB is plenty, and 800 px on
# the long side is sharp at card size. It is stored as new bytes under a random name (see apps/core/images.py).
PHOTO_MAX_BYTES = 3 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MAX_SIDE = 800


@transaction.atomic
def ambassador_update_own(
    *, ambassador: Ambassador, by: User, photo: UploadedFile | Literal[False] | None = None, **fields
) -> Ambassador:
    """The ambassador edits their languages, capacity, business-card opt-ins and photo.

    `photo` is a newly uploaded file, False to remove the current photo, or None to keep it."""
    if not can(by, Perm.AMBASSADOR_PROFILE_EDIT_OWN, ambassador):
        raise PermissionDenied
    row = _save_fields(ambassador, fields, AMBASSADOR_OWN_FIELDS)
    if photo is False:
        ambassador_photo_replace(ambassador=row, data=None)
    elif photo is not None:
        ambassador_photo_replace(ambassador=row, data=image_read(photo, max_bytes=PHOTO_MAX_BYTES))
    return row


def ambassador_photo_replace(*, ambassador: Ambassador, data: bytes | None) -> None:
    """The photo checked and written afresh (or removed, for None); the file it replaces is deleted after
    commit. The caller has checked who may change it (and holds the row)."""
    clean = None
    if data is not None:
        clean = image_clean(data, max_bytes=PHOTO_MAX_BYTES, max_pixels=PHOTO_MAX_PIXELS, max_side=PHOTO_MAX_SIDE)
    stored_file_delete_on_commit(ambassador.photo)
    if clean is None:
        ambassador.photo = None
    else:
        # A random name: the uploaded one may name the person, or claim to be another type (photo.pdf).
        ambassador.photo.save(f"{secrets.token_hex(16)}.{clean.extension}", ContentFile(clean.data), save=False)
    ambassador.save(update_fields=["photo", "updated_at"])


@transaction.atomic
def ambassador_update(
    *, ambassador: Ambassador, by: User, status: str | None = None, left_reason: str = "", **fields
) -> Ambassador:
    """The coordinator edits a profile. A new status goes through `ambassador_set_status`, which dates it."""
    if not can(by, Perm.AMBASSADOR_MANAGE, ambassador):
        raise PermissionDenied
    current = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
    if status is not None and status != current.status:
        ambassador_set_status(
            ambassador=current,
            status=status,
            by=by,
            since=fields.pop("status_since", None),
            reason=left_reason if status == Ambassador.Status.LEFT else "",
        )
    row = _save_fields(current, fields, AMBASSADOR_COORDINATOR_FIELDS)
    for name in AMBASSADOR_M2M_FIELDS:
        if name in fields:
            getattr(row, name).set(fields[name])
    return row


# --- Support conversations ----------------------------------------------------------------------------

SUPPORT_CONVERSATION_FIELDS = (
    "held_on",
    "strengths",
    "interests",
    "visits_per_month_wanted",
    "phone",
    "languages",
    "note",
    "next_on",
)


@transaction.atomic
def support_conversation_create(*, ambassador: Ambassador, by: User, **fields) -> SupportConversation:
    """A coordinator of the ambassador's area notes a support conversation with them."""
    if not can(by, Perm.AMBASSADOR_MANAGE, ambassador):
        raise PermissionDenied
    conversation = SupportConversation(
        ambassador=ambassador,
        recorded_by=by,
        **{name: fields[name] for name in SUPPORT_CONVERSATION_FIELDS if name in fields},
    )
    conversation.full_clean()
    conversation.save()
    return conversation


@transaction.atomic
def support_conversation_update(*, conversation: SupportConversation, by: User, **fields) -> SupportConversation:
    if not can(by, Perm.SUPPORT_CONVERSATION_MANAGE, conversation):
        raise PermissionDenied
    return _save_fields(conversation, fields, SUPPORT_CONVERSATION_FIELDS)


@transaction.atomic
def support_conversation_delete(*, conversation: SupportConversation, by: User) -> None:
    if not can(by, Perm.SUPPORT_CONVERSATION_MANAGE, conversation):
        raise PermissionDenied
    SupportConversation.objects.filter(pk=conversation.pk).delete()


@transaction.atomic
def activity_create(*, area: Area, by: User, **fields) -> Activity:
    if not can(by, Perm.AREA_MANAGE, area):
        raise PermissionDenied
    activity = Activity(area=area, **{name: fields[name] for name in ACTIVITY_FIELDS if name in fields})
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, by: User, **fields) -> Activity:
    if not can(by, Perm.ACTIVITY_MANAGE, activity):
        raise PermissionDenied
    return _save_fields(activity, fields, ACTIVITY_FIELDS)


@transaction.atomic
def referral_follow_up(*, referral: Referral, by: User) -> Referral:
    """Mark a newcomer's interest in an activity as followed up (idempotent)."""
    if not can(by, Perm.REFERRAL_MANAGE, referral):
        raise PermissionDenied
    updated = Referral.objects.filter(pk=referral.pk, status=Referral.Status.NEW).update(
        status=Referral.Status.FOLLOWED_UP, followed_up_at=timezone.now(), followed_up_by=by, updated_at=timezone.now()
    )
    if updated:
        referral.refresh_from_db()
    return referral


# --- Reminders ----------------------------------------------------------------------------------------


def _my_visits_url() -> str:
    try:
        return settings.SITE_URL + reverse("visits:mine")
    except NoReverseMatch:  # the pages are not installed (e.g. a worker without the web app's URLs)
        return settings.SITE_URL + "/"


def _date(day: datetime.date) -> str:
    """A day named in a message. Only due dates still ahead are named (`visit_due_date` keeps a new
    assignment's in the future, the due-soon reminder looks ahead); overdue ones are counted in days."""
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def visit_assigned_notify(*, visit: Visit) -> Message | None:
    """Tell the ambassador they have a new visit. Keyed on visit and ambassador: one message per hand-over."""
    ambassador = visit.ambassador
    user = ambassador.user
    with in_recipients_language(user):
        body = _(
            "Hi %(name)s, you have a new welcome visit at %(address)s (please visit by %(due)s). Your visits: %(url)s"
        ) % {
            "name": user.get_short_name(),
            "address": visit.newcomer.tenancy.address,
            "due": _date(visit.due_date),
            "url": _my_visits_url(),
        }
        subject = _("New welcome visit")
    return message_queue(
        channel=channel_for_ambassador(user),
        subject=subject,
        body=body,
        idempotency_key=f"visit-assigned:{visit.pk}:{ambassador.pk}",
        to_user=user,
        area=visit.area,
    )


def _held_visits() -> QuerySet[Visit]:
    """Open visits someone holds, of newcomers who may be contacted, by ambassadors still in the programme."""
    return (
        Visit.objects.open()
        .filter(ambassador__isnull=False, newcomer__do_not_contact=False)
        .exclude(ambassador__status=Ambassador.Status.LEFT)
    )


def _not_yet_sent(keys: Iterable[str]) -> set[str]:
    """The keys no message has been queued for yet. The outbox's unique key is the real guarantee; this
    only saves work and lets the jobs report what they newly queued."""
    keys = set(keys)
    return keys - set(Message.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))


def _due_key(visit: Visit) -> str:
    return f"visit-due:{visit.pk}:{visit.ambassador_id}:{visit.due_date.isoformat()}"


def _week(today: datetime.date) -> str:
    year, week, _weekday = today.isocalendar()
    return f"{year}-W{week:02d}"


def visits_remind_due_soon(*, today: datetime.date | None = None) -> int:
    """Remind ambassadors of visits due within `VISIT_REMINDER_DAYS_BEFORE_DUE` days (the window also
    catches a day the job did not run). Keyed on visit, ambassador and due date: one reminder per visit
    however often the job runs. Returns the number of messages newly queued."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.VISIT_REMINDER_DAYS_BEFORE_DUE)
    visits = list(
        _held_visits()
        .filter(due_date__gte=today, due_date__lte=horizon)
        .select_related("ambassador__user", "newcomer__tenancy__entrance", "area")
        .order_by("due_date", "pk")
    )
    unsent = _not_yet_sent(_due_key(visit) for visit in visits)
    queued = 0
    for visit in visits:
        if _due_key(visit) not in unsent:
            continue
        user = visit.ambassador.user
        with in_recipients_language(user):
            message = message_queue(
                channel=channel_for_ambassador(user),
                subject=_("Welcome visit due soon"),
                body=_("Hi %(name)s, your welcome visit at %(address)s is due %(due)s. Your visits: %(url)s")
                % {
                    "name": user.get_short_name(),
                    "address": visit.newcomer.tenancy.address,
                    "due": _date(visit.due_date),
                    "url": _my_visits_url(),
                },
                idempotency_key=_due_key(visit),
                to_user=user,
                area=visit.area,
            )
        queued += message is not None
    return queued


def visits_send_ambassador_digests(*, today: datetime.date | None = None) -> int:
    """The weekly digest to each active ambassador with open visits: how many, how many overdue. Keyed on
    the ambassador profile and the ISO week. Returns the number of messages newly queued."""
    today = today or timezone.localdate()
    week = _week(today)
    held = _held_visits().filter(ambassador=OuterRef("pk"))
    ambassadors = list(
        Ambassador.objects.active()
        .select_related("user", "area")
        .annotate(open_count=count_subquery(held), overdue_count=count_subquery(held.filter(due_date__lt=today)))
        .filter(open_count__gt=0)
        .order_by("pk")
    )
    unsent = _not_yet_sent(f"visit-digest:{ambassador.pk}:{week}" for ambassador in ambassadors)
    queued = 0
    for ambassador in ambassadors:
        key = f"visit-digest:{ambassador.pk}:{week}"
        if key not in unsent:
            continue
        user = ambassador.user
        with in_recipients_language(user):
            lines = [
                ngettext(
                    "Hi %(name)s, you have %(count)d open welcome visit in %(area)s.",
                    "Hi %(name)s, you have %(count)d open welcome visits in %(area)s.",
                    ambassador.open_count,
                )
                % {"name": user.get_short_name(), "count": ambassador.open_count, "area": ambassador.area}
            ]
            if ambassador.overdue_count:
                lines.append(
                    ngettext(
                        "%(count)d of them is past its due date.",
                        "%(count)d of them are past their due date.",
                        ambassador.overdue_count,
                    )
                    % {"count": ambassador.overdue_count}
                )
            lines.append(_("Your visits: %(url)s") % {"url": _my_visits_url()})
            message = message_queue(
                channel=channel_for_ambassador(user),
                subject=_("Your welcome visits this week"),
                body="\n".join(lines),
                idempotency_key=key,
                to_user=user,
                area=ambassador.area,
            )
        queued += message is not None
    return queued


# At most this many visits are listed in a coordinator's weekly message; the page has the rest.
OVERDUE_LINES = 20


def _area_visits_url(area: Area) -> str:
    try:
        return settings.SITE_URL + reverse("visits:visit_list", args=[area.slug]) + "?overdue=1"
    except NoReverseMatch:
        return settings.SITE_URL + reverse("organisation:area_detail", args=[area.slug])


def visits_send_overdue_lists(*, today: datetime.date | None = None) -> int:
    """The weekly list of overdue visits to each coordinator of an area that has any (held or waiting).
    Keyed on area, coordinator and ISO week. Returns the number of messages newly queued."""
    today = today or timezone.localdate()
    week = _week(today)
    overdue: dict[int, list[Visit]] = {}
    for visit in (
        Visit.objects.overdue(today)
        .filter(newcomer__do_not_contact=False)
        .select_related("area", "ambassador__user", "newcomer__tenancy__entrance")
        .order_by("area_id", "due_date", "pk")
    ):
        overdue.setdefault(visit.area_id, []).append(visit)
    coordinators = list(
        Membership.objects.filter(role=Membership.Role.COORDINATOR, area_id__in=overdue, user__is_active=True)
        .select_related("user", "area")
        .order_by("area_id", "user_id")
    )
    unsent = _not_yet_sent(f"visit-overdue:{m.area_id}:{m.user_id}:{week}" for m in coordinators)
    queued = 0
    for membership in coordinators:
        key = f"visit-overdue:{membership.area_id}:{membership.user_id}:{week}"
        if key not in unsent:
            continue
        user, visits = membership.user, overdue[membership.area_id]
        with in_recipients_language(user):
            lines = [
                ngettext(
                    "%(count)d welcome visit in %(area)s is past its due date:",
                    "%(count)d welcome visits in %(area)s are past their due date:",
                    len(visits),
                )
                % {"count": len(visits), "area": membership.area}
            ]
            for visit in visits[:OVERDUE_LINES]:
                # "Overdue by N days", never the due date itself: no message names a day already past.
                days = (today - visit.due_date).days
                lines.append(
                    ngettext(
                        "%(address)s, overdue by %(days)d day, %(ambassador)s",
                        "%(address)s, overdue by %(days)d days, %(ambassador)s",
                        days,
                    )
                    % {
                        "address": visit.newcomer.tenancy.address,
                        "days": days,
                        "ambassador": visit.ambassador or _("waiting for an ambassador"),
                    }
                )
            if len(visits) > OVERDUE_LINES:
                lines.append(_("… and %(count)d more.") % {"count": len(visits) - OVERDUE_LINES})
            lines.append(_("All overdue visits: %(url)s") % {"url": _area_visits_url(membership.area)})
            message = message_queue(
                channel=channel_for_coordinator(user),
                subject=_("Overdue welcome visits"),
                body="\n".join(lines),
                idempotency_key=key,
                to_user=user,
                area=membership.area,
            )
        queued += message is not None
    return queued


# --- Contact after the visit ----------------------------------------------------------------------------

# The same topic tapped again on a visit within this many seconds is the same contact (a double tap).
LATER_CONTACT_DOUBLE_TAP_SECONDS = 30


@transaction.atomic
def later_contact_record(*, visit: Visit, by: User, topic: str) -> LaterContact:
    """The newcomer met on `visit` contacted its ambassador again about `topic`: one row, dated today.

    Only the ambassador who met the newcomer notes it (the caller fetched the visit through
    `met_visit_for_ambassador`; checked again here). The visit row is locked, so a double tap from two
    tabs records one contact: the same topic again within LATER_CONTACT_DOUBLE_TAP_SECONDS returns it.
    """
    visit = Visit.objects.select_for_update(of=("self",)).select_related("area", "ambassador").get(pk=visit.pk)
    if not (visit.is_closed and visit.contact_made and can(by, Perm.VISIT_RECORD, visit)):
        raise PermissionDenied
    if topic not in LaterContact.Topic.values:
        raise ValidationError(_("Choose what the newcomer contacted you about."))
    now = timezone.now()
    recent = (
        visit.later_contacts.filter(
            topic=topic,
            recorded_by=by,
            recorded_at__gte=now - datetime.timedelta(seconds=LATER_CONTACT_DOUBLE_TAP_SECONDS),
        )
        .order_by("-recorded_at")
        .first()
    )
    if recent is not None:
        return recent
    contact = LaterContact(visit=visit, topic=topic, recorded_by=by, recorded_at=now, contacted_on=timezone.localdate())
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def later_contact_undo(*, contact: LaterContact, by: User) -> None:
    """Remove a contact tapped by mistake: only by whoever recorded it, within LATER_CONTACT_UNDO_MINUTES."""
    since = timezone.now() - datetime.timedelta(minutes=settings.LATER_CONTACT_UNDO_MINUTES)
    deleted, _rows = LaterContact.objects.filter(pk=contact.pk, recorded_by=by, recorded_at__gte=since).delete()
    if not deleted:
        raise ValidationError(_("This contact can no longer be undone. Ask your coordinator if it is wrong."))
