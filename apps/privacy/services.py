"""Retention and erasure: removing personal data while the figures built on it stay right.

Both keep the rows the figures count (a newcomer's tenancy and move-in date; a visit's estate, dates,
outcome and flags; an ambassador's profile status and dates) and remove what identifies or describes a
person. One set of helpers serves the nightly retention run and a coordinator's erasure request.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from apps.accounts.models import LoginLink, Membership, MembershipInvitation, User
from apps.audit.models import AccessLogEntry
from apps.audit.services import access_record
from apps.core.images import stored_file_delete_on_commit
from apps.core.models import Message
from apps.corps.models import Candidate
from apps.folders.models import BatchFile, Delivery
from apps.hours.models import Payroll
from apps.meetings.models import AgendaSuggestion
from apps.newcomers.models import ImportProblem, Newcomer
from apps.organisation.models import HousingOrganisation
from apps.privacy.models import RetentionRun
from apps.surveys.models import Invitation as SurveyInvitation
from apps.surveys.models import Response
from apps.surveys.services import response_settle
from apps.visits.models import Ambassador, AmbassadorStatusChange, Attempt, SupportConversation, Visit, new_pseudonym

log = logging.getLogger(__name__)


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the month's last day when it has no such day)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- Shared steps -------------------------------------------------------------------------------------


def _newcomers_anonymise(newcomers: QuerySet[Newcomer], *, now: datetime.datetime) -> int:
    """Name, phone, e-mail and language go; tenancy, move-in date and the do-not-contact wish stay.

    Survey answers still linked to them get their contact group fixed and lose the link (pseudonymous from
    then on, and still counted); their personal survey links stop working."""
    ids = list(newcomers.filter(anonymised_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return 0
    # Messages to them carry their phone number or e-mail address and their name.
    Message.objects.filter(to_newcomer_id__in=ids).delete()
    for response in Response.objects.filter(link__newcomer_id__in=ids).only("pk"):
        response_settle(response=response, now=now)
    # Their personal folders carry name and address on the cover; the record of what they got stays.
    for delivery in Delivery.objects.filter(newcomer_id__in=ids).exclude(pdf=""):
        delivery.pdf.delete(save=False)
        Delivery.objects.filter(pk=delivery.pk).update(pdf="")
    SurveyInvitation.objects.filter(newcomer_id__in=ids, expires_at__gt=now).update(expires_at=now)
    return Newcomer.objects.filter(pk__in=ids).update(name="", phone="", email="", language="", anonymised_at=now)


def _visits_anonymise(visits: QuerySet[Visit], *, now: datetime.datetime) -> tuple[int, int]:
    """Who went, each attempt and the staff request go; estate, dates, outcome and flags stay."""
    ids = list(visits.filter(anonymised_at__isnull=True, status=Visit.Status.CLOSED).values_list("pk", flat=True))
    if not ids:
        return 0, 0
    attempts, _by_model = Attempt.objects.filter(visit_id__in=ids).delete()
    _visitor_pseudonym_keep(Visit.objects.filter(pk__in=ids))
    count = Visit.objects.filter(pk__in=ids).update(ambassador=None, staff_request="", anonymised_at=now)
    return count, attempts


def _visitor_pseudonym_keep(visits: QuerySet[Visit]) -> None:
    """Before a visit loses its ambassador: keep their pseudonym, so the figures still count them once."""
    visits.filter(ambassador__isnull=False).update(
        visitor_pseudonym=Subquery(Ambassador.objects.filter(pk=OuterRef("ambassador_id")).values("pseudonym")[:1])
    )


# --- Retention ----------------------------------------------------------------------------------------


def retention_apply(*, today: datetime.date | None = None) -> RetentionRun:
    """Apply every organisation's limits. Safe to run twice: what is anonymised is not counted again."""
    today = today or timezone.localdate()
    now = timezone.now()
    run = RetentionRun.objects.create(run_on=today)
    counts = {"newcomers_anonymised": 0, "visits_anonymised": 0, "attempts_deleted": 0, "import_problems_deleted": 0}
    for organisation in HousingOrganisation.objects.order_by("pk"):
        contact_cutoff = months_before(today, organisation.retention_contact_months)
        visit_cutoff = months_before(today, organisation.retention_visit_months)
        with transaction.atomic():
            expired = Newcomer.objects.filter(
                tenancy__estate__organisation=organisation, move_in_date__lt=contact_cutoff
            )
            # A closed visit's staff request is contact data too; the rest of its details wait for visit_cutoff.
            Visit.objects.filter(newcomer__in=expired.filter(anonymised_at__isnull=True)).exclude(
                staff_request=""
            ).update(staff_request="")
            counts["newcomers_anonymised"] += _newcomers_anonymise(expired, now=now)
            visits, attempts = _visits_anonymise(
                Visit.objects.filter(estate__organisation=organisation, move_in_date__lt=visit_cutoff), now=now
            )
            counts["visits_anonymised"] += visits
            counts["attempts_deleted"] += attempts
            # Problem messages of old imports may quote a line's values.
            deleted, _by_model = ImportProblem.objects.filter(
                run__organisation=organisation, run__created_at__date__lt=contact_cutoff
            ).delete()
            counts["import_problems_deleted"] += deleted
    counts["support_conversations_deleted"] = _support_conversations_expire(today=today)
    counts["candidates_deleted"] = _candidates_expire(today=today)
    run.counts = counts
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    log.info("Retention applied for %s: %s", today, counts)
    return run


def _support_conversations_expire(*, today: datetime.date) -> int:
    """A coordinator's notes on an ambassador go SUPPORT_CONVERSATION_KEEP_MONTHS after they left."""
    cutoff = months_before(today, settings.SUPPORT_CONVERSATION_KEEP_MONTHS)
    deleted, _by_model = SupportConversation.objects.filter(
        ambassador__status=Ambassador.Status.LEFT, ambassador__status_since__lt=cutoff
    ).delete()
    return deleted


def _candidates_expire(*, today: datetime.date) -> int:
    """Candidate ambassadors (apps.corps) who did not continue go at the next run; those never accepted
    (still interested, or accepted but never taking up the invitation) CANDIDATE_KEEP_MONTHS after they came
    forward or were accepted. Accepted ones stay with the profile they lead to (erased with the person)."""
    cutoff = months_before(today, settings.CANDIDATE_KEEP_MONTHS)
    deleted, _by_model = Candidate.objects.filter(
        Q(stage=Candidate.Stage.NOT_CONTINUING)
        | Q(stage__in=[Candidate.Stage.INTERESTED, Candidate.Stage.INTRO_TALK], interested_on__lt=cutoff)
        | Q(stage=Candidate.Stage.ACCEPTED, ambassador__isnull=True, decided_on__lt=cutoff)
    ).delete()
    return deleted


# --- Erasure requests ---------------------------------------------------------------------------------


def newcomer_erase(*, newcomer: Newcomer, actor: User, path: str, view_name: str = "") -> None:
    """Everything that identifies the newcomer goes; their visit still counts, closed as declined.

    The newcomer is marked do-not-contact, so nothing is sent to the household again, and a later move-in
    list never fills the record in again (the import skips anonymised newcomers). The access log records
    that `actor` erased them on the page at `path` (`view_name`).
    """
    now = timezone.now()
    with transaction.atomic():
        for visit in Visit.objects.select_for_update().filter(newcomer=newcomer, status=Visit.Status.OPEN):
            visit.status = Visit.Status.CLOSED
            visit.close_reason = Visit.CloseReason.DECLINED
            visit.closed_at = now
            visit.save(update_fields=["status", "close_reason", "closed_at", "updated_at"])
        Newcomer.objects.filter(pk=newcomer.pk).update(do_not_contact=True)
        # A week's print batch with their cover goes too (the coordinator prints the week again if needed).
        for batch_file in BatchFile.objects.filter(deliveries__newcomer=newcomer).exclude(pdf="").distinct():
            batch_file.pdf.delete(save=False)
            BatchFile.objects.filter(pk=batch_file.pk).update(pdf="")
        _newcomers_anonymise(Newcomer.objects.filter(pk=newcomer.pk), now=now)
        _visits_anonymise(Visit.objects.filter(newcomer=newcomer), now=now)
        access_record(
            actor=actor,
            path=path,
            view_name=view_name,
            action=AccessLogEntry.Action.ERASE,
            subjects=[(newcomer.tenancy.estate.area_id, newcomer.pk)],
        )


def person_erase(*, user: User, actor: User, path: str, view_name: str = "") -> None:
    """A volunteer's, board member's or interviewer's data goes; their past work still counts.

    The account is closed and emptied, profiles keep only status and dates (the "active ambassadors"
    figures), open visits go back to the waiting list, closed ones lose the link to the person.
    The access log keeps the e-mail it recorded: it is the record of who saw what, kept apart; it records
    that `actor` erased them on the page at `path` (`view_name`).
    """
    now = timezone.now()
    areas = list(Membership.objects.filter(user=user).values_list("area_id", flat=True).distinct())
    with transaction.atomic():
        for ambassador in Ambassador.objects.select_for_update().filter(user=user):
            stored_file_delete_on_commit(ambassador.photo)  # once the erasure is committed
            ambassador.photo = None
            ambassador.home_tenancy = None
            ambassador.languages = []
            ambassador.strengths = ""
            ambassador.card_show_photo = ambassador.card_show_phone = ambassador.card_show_languages = False
            if ambassador.status != Ambassador.Status.LEFT:
                ambassador.status = Ambassador.Status.LEFT
                ambassador.status_since = timezone.localdate()
                # The corps' history counts the departure (with no reason: nothing about the person stays).
                AmbassadorStatusChange.objects.create(
                    ambassador=ambassador, status=Ambassador.Status.LEFT, on=ambassador.status_since, by=actor
                )
            ambassador.save()
            ambassador.covered_estates.clear()
            ambassador.covered_entrances.clear()
            # Open visits wait for another ambassador; closed ones keep their outcome and a pseudonym that
            # now leads to nobody (the profile gets a new one), not who went.
            _visitor_pseudonym_keep(Visit.objects.filter(ambassador=ambassador))
            Visit.objects.filter(ambassador=ambassador, status=Visit.Status.OPEN).update(
                ambassador=None, assigned_at=None
            )
            Visit.objects.filter(ambassador=ambassador).update(ambassador=None)
            ambassador.pseudonym = new_pseudonym()
            ambassador.save(update_fields=["pseudonym", "updated_at"])
            Attempt.objects.filter(ambassador=ambassador).update(ambassador=None)
            AgendaSuggestion.objects.filter(ambassador=ambassador).delete()
            SupportConversation.objects.filter(ambassador=ambassador).delete()
            # The hours stay (they were paid, and the books keep them); the number that names the person goes.
            Payroll.objects.filter(ambassador=ambassador).delete()
        # What they wrote when they came forward as a candidate, linked or with their e-mail or number.
        Candidate.objects.about_person(user).delete()
        Message.objects.filter(to_user=user).delete()
        LoginLink.objects.filter(user=user).delete()
        Membership.objects.filter(user=user).delete()
        MembershipInvitation.objects.filter(user=user).delete()
        User.objects.filter(pk=user.pk).update(
            full_name="—",
            email=f"erased-{user.pk}@erased.invalid",
            phone="",
            is_active=False,
            password="!erased",  # an unusable password hash
        )
        access_record(
            actor=actor,
            path=path,
            view_name=view_name,
            action=AccessLogEntry.Action.ERASE,
            kind=AccessLogEntry.SubjectKind.PERSON,
            subjects=[(area_id, user.pk) for area_id in areas],
        )
    log.info("Person %s erased at %s", user.pk, now.isoformat())
