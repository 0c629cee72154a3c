"""Writes for the ambassador corps."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Membership, User
from apps.accounts.services import ambassador_invite
from apps.core.policy import Perm, can
from apps.corps.models import Candidate, Onboarding
from apps.organisation.models import Area, Entrance
from apps.visits.models import LANGUAGE_CODES, Ambassador
from apps.visits.services import ambassador_create

# --- Recruitment and onboarding (issue 17, points 1 and 2) ----------------------------------------------

Stage = Candidate.Stage


def candidate_is_known(*, area: Area, email: str, phone: str) -> bool:
    """Is this e-mail address or mobile number already a candidate or an ambassador of the area?"""
    if not email and not phone:
        return False
    contact = Q()
    person = Q()
    if email:
        contact |= Q(email__iexact=email)
        person |= Q(user__email__iexact=email)
    if phone:
        contact |= Q(phone=phone)
        person |= Q(user__phone=phone)
    return (
        Candidate.objects.filter(contact, area=area).exists() or Ambassador.objects.filter(person, area=area).exists()
    )


def _clean_fields(*, area: Area, entrance: Entrance | None, languages: list[str]) -> list[str]:
    if entrance is not None and entrance.estate.area_id != area.pk:
        raise ValidationError(_("Choose an entrance of the area."))
    return [code for code in dict.fromkeys(languages) if code in LANGUAGE_CODES]


def candidate_submit(
    *,
    area: Area,
    full_name: str,
    email: str,
    phone: str,
    entrance: Entrance | None,
    languages: list[str],
    motivation: str,
) -> Candidate | None:
    """Someone came forward on the public page and consented. A person already known in the area (as a
    candidate or an ambassador) gets no second row: None, and the page thanks them all the same."""
    email = email.strip().lower()
    languages = _clean_fields(area=area, entrance=entrance, languages=languages)
    if candidate_is_known(area=area, email=email, phone=phone):
        return None
    candidate = Candidate(
        area=area,
        full_name=full_name.strip(),
        email=email,
        phone=phone,
        entrance=entrance,
        languages=languages,
        motivation=motivation.strip(),
        channel=Candidate.Channel.WEB_FORM,
        consent_at=timezone.now(),
    )
    candidate.full_clean()
    try:
        with transaction.atomic():  # two posts at once: the unique constraints keep one
            candidate.save()
    except IntegrityError:
        return None
    return candidate


@transaction.atomic
def candidate_create(
    *,
    area: Area,
    by: User,
    full_name: str,
    channel: str,
    email: str = "",
    phone: str = "",
    entrance: Entrance | None = None,
    languages: list[str] | None = None,
    motivation: str = "",
    note: str = "",
    interested_on: datetime.date | None = None,
) -> Candidate:
    """The coordinator adds someone met in person, through a poster or at an information meeting."""
    if not can(by, Perm.CANDIDATE_MANAGE, area):
        raise PermissionDenied
    if channel == Candidate.Channel.WEB_FORM:
        raise ValidationError(_("Only the public page adds candidates from the public page."))
    email = email.strip().lower()
    languages = _clean_fields(area=area, entrance=entrance, languages=languages or [])
    if candidate_is_known(area=area, email=email, phone=phone):
        raise ValidationError(_("This e-mail address or mobile number is already a candidate or an ambassador here."))
    candidate = Candidate(
        area=area,
        full_name=full_name.strip(),
        email=email,
        phone=phone,
        entrance=entrance,
        languages=languages,
        motivation=motivation.strip(),
        channel=channel,
        note=note.strip(),
        interested_on=interested_on or timezone.localdate(),
        created_by=by,
    )
    candidate.full_clean()
    candidate.save()
    return candidate


def _locked(candidate: Candidate, by: User) -> Candidate:
    if not can(by, Perm.CANDIDATE_MANAGE, candidate):
        raise PermissionDenied
    return Candidate.objects.select_for_update().select_related("area").get(pk=candidate.pk)


@transaction.atomic
def candidate_note_save(*, candidate: Candidate, by: User, note: str) -> Candidate:
    candidate = _locked(candidate, by)
    candidate.note = note.strip()
    candidate.full_clean()
    candidate.save(update_fields=["note", "updated_at"])
    return candidate


@transaction.atomic
def candidate_intro_talk_record(*, candidate: Candidate, by: User, on: datetime.date) -> Candidate:
    """The intro talk was held: the candidate moves on (or the date is corrected)."""
    candidate = _locked(candidate, by)
    if candidate.stage not in (Stage.INTERESTED, Stage.INTRO_TALK):
        raise ValidationError(_("The candidate is already decided on."))
    if on > timezone.localdate() or on < candidate.interested_on:
        raise ValidationError(_("The date must be between the day they came forward and today."))
    candidate.stage = Stage.INTRO_TALK
    candidate.intro_talk_on = on
    candidate.save(update_fields=["stage", "intro_talk_on", "updated_at"])
    return candidate


@transaction.atomic
def candidate_stop(*, candidate: Candidate, by: User, reason: str) -> Candidate:
    """The candidate does not continue; the nightly retention run deletes them."""
    candidate = _locked(candidate, by)
    if candidate.stage not in (Stage.INTERESTED, Stage.INTRO_TALK):
        raise ValidationError(_("The candidate is already decided on."))
    if reason not in Candidate.StopReason.values:
        raise ValidationError(_("Unknown reason."))
    candidate.stage = Stage.NOT_CONTINUING
    candidate.stop_reason = reason
    candidate.decided_on = timezone.localdate()
    candidate.save(update_fields=["stage", "stop_reason", "decided_on", "updated_at"])
    return candidate


@transaction.atomic
def candidate_accept(*, candidate: Candidate, by: User) -> Candidate:
    """Accept the candidate: they are invited as an ambassador of the area (an account and a one-time sign-in
    link for a new person; someone with an account elsewhere is asked and says yes themselves), and their
    profile starts as accepted with their languages and channel, and a first-steps checklist."""
    candidate = _locked(candidate, by)
    if candidate.stage not in (Stage.INTERESTED, Stage.INTRO_TALK):
        raise ValidationError(_("The candidate is already decided on."))
    user = ambassador_invite(
        area=candidate.area, full_name=candidate.full_name, email=candidate.email, phone=candidate.phone, by=by
    )
    candidate.stage = Stage.ACCEPTED
    candidate.decided_on = timezone.localdate()
    candidate.user = user
    candidate.save(update_fields=["stage", "decided_on", "user", "updated_at"])
    _profile_create(candidate=candidate, by=by)
    return candidate


@transaction.atomic
def candidate_profile_complete(*, candidate: Candidate, by: User) -> bool:
    """An accepted candidate who had an account elsewhere said yes to the area: their profile is made now.
    False while they have not (yet) accepted the invitation."""
    candidate = _locked(candidate, by)
    if not candidate.awaits_invitation:
        return candidate.ambassador_id is not None
    return _profile_create(candidate=candidate, by=by)


def _profile_create(*, candidate: Candidate, by: User) -> bool:
    user = candidate.user
    if (
        user is None
        or not Membership.objects.filter(user=user, area=candidate.area, role=Membership.Role.AMBASSADOR).exists()
    ):
        return False
    ambassador = Ambassador.objects.filter(user=user, area=candidate.area).first()
    if ambassador is None:
        ambassador = ambassador_create(
            area=candidate.area,
            user=user,
            by=by,
            status=Ambassador.Status.ACCEPTED,
            status_since=candidate.decided_on,
            started_on=candidate.decided_on,
            languages=candidate.languages,
            recruited_via=_recruited_via(candidate.channel),
        )
    Onboarding.objects.get_or_create(ambassador=ambassador, defaults={"intro_talk_on": candidate.intro_talk_on})
    candidate.ambassador = ambassador
    candidate.save(update_fields=["ambassador", "updated_at"])
    return True


def _recruited_via(channel: str) -> str:
    # The public page is an advert of its own kind; the profile's channels know posters and adverts.
    if channel == Candidate.Channel.WEB_FORM:
        return Ambassador.RecruitedVia.POSTER_ADVERT
    return channel


@transaction.atomic
def onboarding_save(
    *,
    ambassador: Ambassador,
    by: User,
    intro_talk_on: datetime.date | None,
    expectations_on: datetime.date | None,
    first_visit_on: datetime.date | None,
    first_visit_with: Ambassador | None,
    business_card_on: datetime.date | None,
    mentor: Ambassador | None,
) -> Onboarding:
    """Tick (date) or untick the first steps of a new ambassador and choose their mentor: an active
    ambassador of the same area, not themselves (so is the experienced one of the first visit)."""
    if not can(by, Perm.AMBASSADOR_MANAGE, ambassador):
        raise PermissionDenied
    for other in (mentor, first_visit_with):
        if other is not None and (
            other.area_id != ambassador.area_id or other.pk == ambassador.pk or other.status != Ambassador.Status.ACTIVE
        ):
            raise ValidationError(_("Choose an active ambassador of the area other than the new one."))
    today = timezone.localdate()
    if any(day and day > today for day in (intro_talk_on, expectations_on, first_visit_on, business_card_on)):
        raise ValidationError(_("A step cannot be ticked for a day still to come."))
    onboarding, _created = Onboarding.objects.select_for_update().get_or_create(ambassador=ambassador)
    onboarding.intro_talk_on = intro_talk_on
    onboarding.expectations_on = expectations_on
    onboarding.first_visit_on = first_visit_on
    onboarding.first_visit_with = first_visit_with
    onboarding.business_card_on = business_card_on
    onboarding.mentor = mentor
    onboarding.full_clean()
    onboarding.save()
    return onboarding
