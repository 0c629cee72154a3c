"""The demo area's training (called from `seed_demo`): three topics, the two sessions apps/visits/demo.py
made given a topic, and sessions over two years with who attended, so the training page shows ambassadors
who lack a required training and some whose "role and its limits" should be refreshed; two are planned.

Written directly (no services): this is history. Every random choice is drawn from the seeded generator the
command passes, in a fixed order.
"""

import datetime
import random

from django.utils import timezone

from apps.organisation.models import Area
from apps.visits.models import Ambassador, Training, TrainingTopic

ROLE = "Rollen og dens grænser"
FACILITIES = "Områdets faciliteter og regler"
CULTURES = "At møde tilflyttere fra andre kulturer"

# name: (description, refresh after months, required for new ambassadors)
TOPICS: dict[str, tuple[str, int | None, bool]] = {
    ROLE: ("En nabo, ikke en kontrollør: hvad vi gør ved døren, og hvad vi lader være.", 24, True),
    FACILITIES: ("Vaskeri, ejendomskontor, affald og husorden – og hvor man finder svarene.", None, True),
    CULTURES: ("Sprog, tolk og gode vaner, når man byder velkommen på tværs af kulturer.", 36, False),
}

# The sessions apps/visits/demo.py made, by title: their topic.
EXISTING = {"Velkommen som naboambassadør": FACILITIES, "Den svære samtale ved døren": CULTURES}

# (topic, days from today, where, share of the ambassadors who could come that came; planned sessions: none yet)
SESSIONS: list[tuple[str, int, str, float]] = [
    (ROLE, -760, "Beboerhuset, Lærkebakken", 0.9),
    (CULTURES, -640, "Beboerhuset, Lærkebakken", 0.9),
    (ROLE, -330, "Ejendomskontoret, mødelokalet", 0.7),
    (FACILITIES, -60, "Rundtur fra ejendomskontoret", 0.7),
    (ROLE, 21, "Beboerhuset, Lærkebakken", 0.0),
    (FACILITIES, 45, "Rundtur fra ejendomskontoret", 0.0),
]
# New ambassadors are trained in the months around their start.
TRAINED_BEFORE_START = datetime.timedelta(days=60)


def training_demo_build(*, area: Area, rng: random.Random) -> dict[str, int]:
    today = timezone.localdate()
    topics = {
        name: TrainingTopic.objects.create(
            area=area, name=name, description=description, refresh_months=months, required=required
        )
        for name, (description, months, required) in TOPICS.items()
    }
    for title, topic in EXISTING.items():
        Training.objects.filter(area=area, title=title, topic=None).update(topic=topics[topic])
    ambassadors = list(Ambassador.objects.filter(area=area).exclude(status=Ambassador.Status.LEFT).order_by("pk"))
    attended: dict[str, set[int]] = {name: set() for name in TOPICS}
    for training in Training.objects.filter(area=area, topic__isnull=False).select_related("topic"):
        attended[training.topic.name] |= {a.pk for a in training.ambassadors.all()}
    for name, days, place, share in SESSIONS:
        held_on = today + datetime.timedelta(days=days)
        training = Training.objects.create(area=area, topic=topics[name], title=name, held_on=held_on, place=place)
        could = [a for a in ambassadors if a.started_on <= held_on + TRAINED_BEFORE_START]
        if name == FACILITIES:  # the area's own rules are taught once
            could = [a for a in could if a.pk not in attended[name]]
        came = [a for a in could if rng.random() < share]
        training.ambassadors.set(came)
        attended[name] |= {a.pk for a in came}
    return {"training_topics": len(topics), "training_sessions": len(SESSIONS)}
