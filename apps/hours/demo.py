"""The demo area pays its ambassadors for their hours (called from `seed_demo`), as Gellerup-Toveshøj does:
time registration is on, the active ambassadors have payroll numbers, last month's hours are approved (one
entry rejected with a reason), and this month's wait for the coordinator.

Written directly (no services): this is history. Every random choice is drawn from the seeded generator the
command passes, in a fixed order.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from apps.hours.models import HourEntry, HoursSettings, Payroll
from apps.organisation.models import Area
from apps.visits.models import Ambassador

KINDS = [HourEntry.Kind.VISITS, HourEntry.Kind.MEETING, HourEntry.Kind.TRAINING, HourEntry.Kind.OTHER]


def hours_demo_build(*, area: Area, coordinator, rng: random.Random) -> dict[str, int]:
    HoursSettings.objects.update_or_create(area=area, defaults={"enabled": True, "minutes_per_visit": 0})
    ambassadors = list(Ambassador.objects.filter(area=area).active().select_related("user").order_by("pk"))
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    decided_at = timezone.now() - datetime.timedelta(days=max(today.day - 1, 1))
    entries = []
    for number, ambassador in enumerate(ambassadors[:6], start=1):
        Payroll.objects.create(ambassador=ambassador, number=f"L-{1000 + number}")
        # Two hours a week last month, approved; a few days this month, waiting.
        for week in range(4):
            day = last_month + datetime.timedelta(days=7 * week + rng.randrange(5))
            entries.append(_entry(ambassador, day, rng, HourEntry.Status.APPROVED, coordinator, decided_at))
        for _ in range(rng.randrange(1, 3)):
            day = this_month + datetime.timedelta(days=rng.randrange(today.day))
            entries.append(_entry(ambassador, day, rng, HourEntry.Status.SUBMITTED, None, None))
    if entries:
        rejected = entries[1]
        rejected.status, rejected.reason = HourEntry.Status.REJECTED, "Mødet blev aflyst den dag."
    HourEntry.objects.bulk_create(entries)
    return {"hour_entries": len(entries)}


def _entry(ambassador, day, rng, status, by, at) -> HourEntry:
    hours = Decimal(rng.choice([1, 1.5, 2, 2.5, 3])).quantize(Decimal("0.01"))
    return HourEntry(
        area=ambassador.area,
        ambassador=ambassador,
        date=day,
        hours=hours,
        kind=rng.choice(KINDS),
        status=status,
        decided_by=by,
        decided_at=at,
    )
