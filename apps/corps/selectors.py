"""Reads of the corps pages, shared with other pages (a recruitment board may ask whether the required
training is done)."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from apps.core.policy import Perm
from apps.organisation.models import Area
from apps.organisation.selectors import get_in_area
from apps.visits.models import Ambassador, Training, TrainingTopic

# --- Training -------------------------------------------------------------------------------------------


def training_ambassadors(*, area: Area) -> QuerySet[Ambassador]:
    """The ambassadors training is about: accepted, trained, active and paused (not those who left)."""
    return (
        Ambassador.objects.filter(area=area)
        .exclude(status=Ambassador.Status.LEFT)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def training_topics_of(*, area: Area) -> QuerySet[TrainingTopic]:
    return TrainingTopic.objects.filter(area=area).order_by("name")


def trainings_of(*, area: Area) -> QuerySet[Training]:
    """The area's sessions, newest first, each with its topic and `attendee_count`."""
    # An explicit order: Meta.ordering is not applied to a query with an aggregate.
    return (
        Training.objects.filter(area=area)
        .select_related("topic")
        .annotate(attendee_count=Count("ambassadors"))
        .order_by("-held_on", "title")
    )


def training_for_coordinator(user, pk: int, *, area: Area) -> Training:
    """A session named in the URL of `area`: 404 if missing, 403 unless the user coordinates its area
    (which must be `area`)."""
    return get_in_area(user, Perm.TRAINING_MANAGE, Training.objects.select_related("topic", "area"), area=area, pk=pk)


def training_topic_for_coordinator(user, pk: int, *, area: Area) -> TrainingTopic:
    return get_in_area(user, Perm.TRAINING_MANAGE, TrainingTopic.objects.select_related("area"), area=area, pk=pk)


def training_refresh_due_on(*, topic: TrainingTopic, last: datetime.date | None) -> datetime.date | None:
    """The day a topic is due again after a session on `last`: the refresh period later (None: never)."""
    if last is None or topic.refresh_months is None:
        return None
    return last + relativedelta(months=topic.refresh_months)


@dataclass(frozen=True)
class TrainingState:
    """One ambassador and one topic: the last session of it they attended (held by `today`), and whether
    they lack it or are due a refresher (from the refresh date on)."""

    topic: TrainingTopic
    last: datetime.date | None
    due_on: datetime.date | None
    today: datetime.date

    @property
    def missing(self) -> bool:
        return self.last is None

    @property
    def refresh_due(self) -> bool:
        return self.due_on is not None and self.due_on <= self.today


@dataclass
class AmbassadorTraining:
    ambassador: Ambassador
    states: list[TrainingState]  # in the order of the topics


@dataclass
class TopicTraining:
    topic: TrainingTopic
    missing: list[Ambassador] = field(default_factory=list)
    refresh: list[Ambassador] = field(default_factory=list)


@dataclass
class TrainingOverview:
    topics: list[TrainingTopic]
    rows: list[AmbassadorTraining]  # the matrix: one row per ambassador, one state per topic
    by_topic: list[TopicTraining]  # who lacks each topic, whose training of it should be refreshed


def trainings_last_attended(
    *, ambassadors: Iterable[Ambassador], topics: Iterable[TrainingTopic], today: datetime.date
) -> dict[tuple[int, int], datetime.date]:
    """(ambassador id, topic id) → the day of the last session of the topic they attended, held by `today`
    (a planned session is not yet had). One query, whatever the number of ambassadors and sessions."""
    rows = (
        Training.ambassadors.through.objects.filter(
            ambassador_id__in=[a.pk for a in ambassadors],
            training__topic_id__in=[t.pk for t in topics],
            training__held_on__lte=today,
        )
        .values("ambassador_id", "training__topic_id")
        .annotate(last=Max("training__held_on"))
        .order_by()
    )
    return {(row["ambassador_id"], row["training__topic_id"]): row["last"] for row in rows}


def training_overview(
    *, ambassadors: Sequence[Ambassador], topics: Sequence[TrainingTopic], today: datetime.date
) -> TrainingOverview:
    """Who has had which topic, who lacks it and whose training of it should be refreshed."""
    ambassadors, topics = list(ambassadors), list(topics)
    last = trainings_last_attended(ambassadors=ambassadors, topics=topics, today=today)
    by_topic = {topic.pk: TopicTraining(topic=topic) for topic in topics}
    rows = []
    for ambassador in ambassadors:
        states = []
        for topic in topics:
            when = last.get((ambassador.pk, topic.pk))
            state = TrainingState(
                topic=topic, last=when, due_on=training_refresh_due_on(topic=topic, last=when), today=today
            )
            if state.missing:
                by_topic[topic.pk].missing.append(ambassador)
            elif state.refresh_due:
                by_topic[topic.pk].refresh.append(ambassador)
            states.append(state)
        rows.append(AmbassadorTraining(ambassador=ambassador, states=states))
    return TrainingOverview(topics=topics, rows=rows, by_topic=list(by_topic.values()))


def trainings_missing(
    *, ambassadors: Sequence[Ambassador], topics: Sequence[TrainingTopic], today: datetime.date
) -> list[TopicTraining]:
    """Per topic: the ambassadors who have not had it yet, and those whose last session of it is at least
    the topic's refresh period ago."""
    return training_overview(ambassadors=ambassadors, topics=topics, today=today).by_topic


def ambassador_required_trainings_done(ambassador: Ambassador, *, today: datetime.date | None = None) -> bool:
    """Has the ambassador attended a session (held by today) of every topic of their area that is required
    for new ambassadors? Once is enough here: a refresher that is due does not undo "trained"."""
    today = today or timezone.localdate()
    attended = Training.objects.filter(topic=OuterRef("pk"), ambassadors=ambassador, held_on__lte=today)
    lacking = TrainingTopic.objects.filter(area_id=ambassador.area_id, required=True).filter(~Exists(attended))
    return not lacking.exists()
