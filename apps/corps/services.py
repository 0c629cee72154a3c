"""Writes of the ambassador corps, one block per part."""

import datetime
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import Membership, User
from apps.accounts.services import ambassador_invite
from apps.core.policy import Perm, can
from apps.core.services import channel_for_ambassador, in_recipients_language, message_queue
from apps.corps import recognition
from apps.corps.models import Candidate, Onboarding, RecognitionSettings, ThankYou, milestones_parse
from apps.corps.selectors import Certificate, recognition_settings_for, visits_made
from apps.organisation.models import Area, Entrance
from apps.visits.models import LANGUAGE_CODES, Ambassador, Training, TrainingTopic
from apps.visits.services import ambassador_create


@transaction.atomic
def recognition_settings_save(
    *, area: Area, by: User, thank_yous: bool, visit_milestones: str, anniversaries: bool
) -> RecognitionSettings:
    """Save how the area thanks its ambassadors. Switching thank-yous on (again) dates it, so milestones
    reached while they were off are never thanked afterwards."""
    if not can(by, Perm.RECOGNITION_MANAGE, area):
        raise PermissionDenied
    current, _created = RecognitionSettings.objects.select_for_update().get_or_create(area=area)
    if thank_yous and not current.thank_yous:
        current.thank_yous_since = timezone.localdate()
    current.thank_yous = thank_yous
    current.visit_milestones = visit_milestones
    current.anniversaries = anniversaries
    current.full_clean()
    current.visit_milestones = ", ".join(str(n) for n in milestones_parse(visit_milestones))  # tidy: "10, 25"
    current.save(update_fields=["thank_yous", "thank_yous_since", "visit_milestones", "anniversaries", "updated_at"])
    return current


def thank_yous_send(*, today: datetime.date | None = None) -> int:
    """The daily job: thank every ambassador (active or paused, with an open account) of an area with
    thank-yous on who passed a visit milestone or an anniversary since the cutoff
    (`recognition.thank_you_cutoff`). Each milestone is thanked once (a unique row, and a keyed message),
    however often this runs. Returns how many thank-yous were new."""
    today = today or timezone.localdate()
    off = RecognitionSettings.objects.filter(thank_yous=False).values_list("area_id", flat=True)
    sent = 0
    for area in Area.objects.exclude(pk__in=off).order_by("pk"):
        sent += thank_yous_send_for_area(area=area, today=today)
    return sent


def thank_yous_send_for_area(*, area: Area, today: datetime.date) -> int:
    settings = recognition_settings_for(area=area)
    if not settings.thank_yous:
        return 0
    cutoff = recognition.thank_you_cutoff(today=today, on_since=settings.thank_yous_since)
    ambassadors = list(
        Ambassador.objects.filter(
            area=area,
            status__in=[Ambassador.Status.ACTIVE, Ambassador.Status.PAUSED],
            user__is_active=True,
        )
        .select_related("user", "area")
        .order_by("pk")
    )
    counts = visits_made(ambassadors=ambassadors, cutoff=cutoff)
    thanked: dict[tuple[int, str], int] = {}
    for ambassador_id, kind, milestone in ThankYou.objects.filter(ambassador__in=ambassadors).values_list(
        "ambassador_id", "kind", "milestone"
    ):
        thanked[(ambassador_id, kind)] = max(milestone, thanked.get((ambassador_id, kind), 0))
    sent = 0
    for ambassador in ambassadors:
        made, before = counts.get(ambassador.pk, (0, 0))
        visits = recognition.visit_milestone_due(
            milestones=settings.milestones,
            before=before,
            now=made,
            thanked=thanked.get((ambassador.pk, ThankYou.Kind.VISITS), 0),
        )
        if visits is not None:
            sent += _thank(ambassador=ambassador, kind=ThankYou.Kind.VISITS, milestone=visits)
        if settings.anniversaries:
            years = recognition.anniversary_due(started_on=ambassador.started_on, today=today, cutoff=cutoff)
            if years is not None and years > thanked.get((ambassador.pk, ThankYou.Kind.ANNIVERSARY), 0):
                sent += _thank(ambassador=ambassador, kind=ThankYou.Kind.ANNIVERSARY, milestone=years)
    return sent


def _thank(*, ambassador: Ambassador, kind: str, milestone: int) -> bool:
    """Record the thank-you and queue its message in one transaction; False when another run was first."""
    try:
        with transaction.atomic():
            thank_you = ThankYou.objects.create(
                ambassador=ambassador, kind=kind, milestone=milestone, sent_at=timezone.now()
            )
            thank_you.message = _thank_you_message(ambassador=ambassador, kind=kind, milestone=milestone)
            thank_you.save(update_fields=["message"])
    except IntegrityError:  # the unique milestone: a run on another worker thanked it a moment ago
        return False
    return True


def _thank_you_message(*, ambassador: Ambassador, kind: str, milestone: int):
    user = ambassador.user
    with in_recipients_language(user):
        values = {"name": user.full_name, "area": ambassador.area.name, "count": milestone}
        if kind == ThankYou.Kind.VISITS:
            body = ngettext(
                "Dear %(name)s, you have now made %(count)d welcome visit as a neighbour ambassador in "
                "%(area)s. Thank you for making your new neighbours feel welcome!",
                "Dear %(name)s, you have now made %(count)d welcome visits as a neighbour ambassador in "
                "%(area)s. Thank you for making your new neighbours feel welcome!",
                milestone,
            )
        else:
            body = ngettext(
                "Dear %(name)s, it is now %(count)d year since you became a neighbour ambassador in %(area)s. "
                "Thank you for all you do for your neighbours!",
                "Dear %(name)s, it is now %(count)d years since you became a neighbour ambassador in %(area)s. "
                "Thank you for all you do for your neighbours!",
                milestone,
            )
        subject = _("Thank you from %(area)s") % values
        body = body % values
    return message_queue(
        channel=channel_for_ambassador(user),
        subject=subject,
        body=body,
        idempotency_key=f"thank-you:{ambassador.pk}:{kind}:{milestone}",
        to_user=user,
        area=ambassador.area,
    )


CERTIFICATE_LANGUAGES = ("da", "en")


def certificate_pdf(*, certificate: Certificate, language: str = "da") -> bytes:
    """The certificate as an A4 PDF (WeasyPrint), in Danish or English."""
    from weasyprint import CSS, HTML  # heavy: imported where it is used

    language = language if language in CERTIFICATE_LANGUAGES else "da"
    with translation.override(language):
        html = render_to_string("corps/certificate_pdf.html", {"c": certificate, "language": language})
    stylesheet = CSS(filename=finders.find("css/certificate.css"))
    return HTML(string=html, base_url=str(Path(django_settings.BASE_DIR))).write_pdf(stylesheets=[stylesheet])


# --- Training -------------------------------------------------------------------------------------------

TRAINING_TOPIC_FIELDS = ("name", "description", "refresh_months", "required")


@transaction.atomic
def training_topic_create(*, area: Area, by: User, **fields) -> TrainingTopic:
    topic = TrainingTopic(area=area, **{name: fields[name] for name in TRAINING_TOPIC_FIELDS if name in fields})
    if not can(by, Perm.TRAINING_MANAGE, topic):
        raise PermissionDenied
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def training_topic_update(*, topic: TrainingTopic, by: User, **fields) -> TrainingTopic:
    if not can(by, Perm.TRAINING_MANAGE, topic):
        raise PermissionDenied
    row = TrainingTopic.objects.select_for_update().get(pk=topic.pk)
    names = [name for name in TRAINING_TOPIC_FIELDS if name in fields]
    for name in names:
        setattr(row, name, fields[name])
    row.full_clean()
    row.save(update_fields=[*names, "updated_at"])
    return row


def _training_attendees_check(*, area: Area, attendees: list[Ambassador]) -> None:
    """Only the area's own ambassadors attend its sessions (a form offers no other; this is the last word)."""
    if any(ambassador.area_id != area.pk for ambassador in attendees):
        raise ValidationError(_("Only ambassadors of this area can attend its training sessions."))


def _training_save(
    training: Training,
    *,
    topic: TrainingTopic | None,
    title: str,
    held_on: datetime.date,
    place: str,
    note: str,
    attendees: Iterable[Ambassador],
) -> Training:
    attendees = list(attendees)
    _training_attendees_check(area=training.area, attendees=attendees)
    training.topic = topic
    # A session is usually called what its topic is called.
    training.title = title.strip() or (topic.name if topic else "")
    training.held_on = held_on
    training.place = place
    training.note = note
    training.full_clean()
    training.save()
    training.ambassadors.set(attendees)
    return training


@transaction.atomic
def training_create(
    *,
    area: Area,
    by: User,
    topic: TrainingTopic | None,
    held_on: datetime.date,
    title: str = "",
    place: str = "",
    note: str = "",
    attendees: Iterable[Ambassador] = (),
) -> Training:
    """A coordinator of the area plans a session (or records one held) with the ambassadors who attended."""
    training = Training(area=area)
    if not can(by, Perm.TRAINING_MANAGE, training):
        raise PermissionDenied
    return _training_save(
        training, topic=topic, title=title, held_on=held_on, place=place, note=note, attendees=attendees
    )


@transaction.atomic
def training_update(
    *,
    training: Training,
    by: User,
    topic: TrainingTopic | None,
    held_on: datetime.date,
    title: str = "",
    place: str = "",
    note: str = "",
    attendees: Iterable[Ambassador] = (),
) -> Training:
    """Change a session and its attendance list (the ticked ambassadors replace the list)."""
    if not can(by, Perm.TRAINING_MANAGE, training):
        raise PermissionDenied
    row = Training.objects.select_for_update().select_related("area").get(pk=training.pk)
    return _training_save(row, topic=topic, title=title, held_on=held_on, place=place, note=note, attendees=attendees)


@transaction.atomic
def training_delete(*, training: Training, by: User) -> None:
    """Delete a session; the ambassadors' attendance of it goes with it."""
    if not can(by, Perm.TRAINING_MANAGE, training):
        raise PermissionDenied
    Training.objects.filter(pk=training.pk).delete()


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
            recruited_via=candidate.channel,
        )
    Onboarding.objects.get_or_create(ambassador=ambassador, defaults={"intro_talk_on": candidate.intro_talk_on})
    candidate.ambassador = ambassador
    candidate.save(update_fields=["ambassador", "updated_at"])
    return True


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
