"""Every write of the corps pages. Permission checks happen here, through the policy."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.policy import Perm, can
from apps.organisation.models import Area
from apps.visits.models import Ambassador, Training, TrainingTopic

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
