"""Writes of the ambassador corps, one block per part."""

import datetime
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import User
from apps.core.policy import Perm, can
from apps.core.services import channel_for_ambassador, in_recipients_language, message_queue
from apps.corps import recognition
from apps.corps.models import RecognitionSettings, ThankYou, milestones_parse
from apps.corps.selectors import Certificate, recognition_settings_for, visits_made
from apps.organisation.models import Area
from apps.visits.models import Ambassador, Training, TrainingTopic


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
    from weasyprint import HTML  # heavy: imported where it is used

    language = language if language in CERTIFICATE_LANGUAGES else "da"
    with translation.override(language):
        html = render_to_string("corps/certificate_pdf.html", {"c": certificate, "language": language})
    return HTML(string=html, base_url=str(Path(django_settings.BASE_DIR))).write_pdf()


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
