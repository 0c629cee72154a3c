"""The demo corps' two years of history (called from `seed_demo`), so the health page has something to show:
each demo ambassador accepted, trained and made active on their way in, a few pauses along the way, and
former ambassadors who left over the two years with their reasons.

Written directly (no services): this is history, and the services would text every ambassador. Every random
choice is drawn from the seeded generator the command passes, in a fixed order, so the demo is the same on
every run. Each profile's status and `status_since` stay those of its history's last row.
"""

import datetime
import random

from django.utils import timezone

from apps.accounts.services import user_create
from apps.organisation.models import Area, Tenancy
from apps.visits.models import Ambassador, AmbassadorStatusChange

Status = Ambassador.Status
Reason = Ambassador.LeftReason

# Former ambassadors (fictional): name, languages, why they left.
FORMER: list[tuple[str, list[str], str]] = [
    ("Henrik Dahl", ["da"], Reason.MOVED),
    ("Mette Lund", ["da", "en"], Reason.NO_TIME),
    ("Yasmin Karimi", ["fa", "da"], Reason.NO_TIME),
    ("Ole Bruun", ["da"], Reason.HEALTH),
    ("Rukia Hassan", ["so", "da"], Reason.BECAME_STAFF),
    ("Tobias Winther", ["da", "de"], Reason.ROLE),
    ("Nasrin Rahimi", ["fa", "ur", "da"], Reason.MOVED),
]
# About one in three ambassadors with a year or more behind them took a pause of one to three months.
PAUSE_SHARE = 0.35


def _way_in(ambassador: Ambassador, started: datetime.date, rng: random.Random) -> list[AmbassadorStatusChange]:
    """Accepted after the intro talk, trained a little later, active from the day they started."""
    accepted = started - datetime.timedelta(days=rng.randint(21, 45))
    trained = started - datetime.timedelta(days=rng.randint(3, 14))
    return [
        AmbassadorStatusChange(ambassador=ambassador, status=Status.ACCEPTED, on=accepted),
        AmbassadorStatusChange(ambassador=ambassador, status=Status.TRAINED, on=trained),
        AmbassadorStatusChange(ambassador=ambassador, status=Status.ACTIVE, on=started),
    ]


def corps_health_demo_build(*, area: Area, rng: random.Random) -> dict[str, int]:
    """Status history for the demo ambassadors, and former ambassadors who left with a reason."""
    today = timezone.localdate()
    changes: list[AmbassadorStatusChange] = []
    for ambassador in Ambassador.objects.filter(area=area).order_by("pk"):
        changes += _way_in(ambassador, ambassador.started_on, rng)
        # A pause in the past, well after the start and ended well before today.
        if (today - ambassador.started_on).days > 365 and rng.random() < PAUSE_SHARE:
            paused = ambassador.started_on + datetime.timedelta(
                days=rng.randint(90, (today - ambassador.started_on).days - 150)
            )
            back = paused + datetime.timedelta(days=rng.randint(30, 90))
            changes += [
                AmbassadorStatusChange(ambassador=ambassador, status=Status.PAUSED, on=paused),
                AmbassadorStatusChange(ambassador=ambassador, status=Status.ACTIVE, on=back),
            ]
            if ambassador.status == Status.ACTIVE:  # active again since the day they came back
                Ambassador.objects.filter(pk=ambassador.pk).update(status_since=back)
        if ambassador.status != Status.ACTIVE:
            changes.append(
                AmbassadorStatusChange(ambassador=ambassador, status=ambassador.status, on=ambassador.status_since)
            )
    tenancies = list(Tenancy.objects.filter(estate__area=area).order_by("number"))
    for number, (name, languages, reason) in enumerate(FORMER, start=1):
        left = today - datetime.timedelta(days=rng.randint(20, 700))
        started = left - datetime.timedelta(days=rng.randint(120, 540))
        home = tenancies[rng.randrange(len(tenancies))]
        # No password and no membership any more: a former ambassador cannot sign in to the demo.
        user = user_create(email=f"former{number}@demo.dk", full_name=name, password=None)
        ambassador = Ambassador.objects.create(
            user=user,
            area=area,
            home_tenancy=home,
            languages=languages,
            visits_per_month=rng.randint(2, 5),
            status=Status.LEFT,
            status_since=left,
            started_on=started,
        )
        ambassador.covered_estates.set([home.estate])
        changes += _way_in(ambassador, started, rng)
        changes.append(AmbassadorStatusChange(ambassador=ambassador, status=Status.LEFT, on=left, reason=reason))
    AmbassadorStatusChange.objects.bulk_create(changes)
    return {"former_ambassadors": len(FORMER), "status_changes": len(changes)}
