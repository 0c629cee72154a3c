"""The demo area has thanked a few of its ambassadors (called from `seed_demo`): the highest visit milestone
each of the busiest two has passed, and the first anniversary of one who started over a year ago.

Written directly (no services): this is history. Every random choice is drawn from the seeded generator the
command passes, in a fixed order.
"""

import datetime
import random

from django.utils import timezone

from apps.core.models import Message
from apps.core.services import channel_for_ambassador
from apps.corps import recognition
from apps.corps.models import DEFAULT_VISIT_MILESTONES, ThankYou, milestones_parse
from apps.corps.selectors import visits_made
from apps.organisation.models import Area
from apps.visits.models import Ambassador


def recognition_demo_build(*, area: Area, rng: random.Random) -> dict[str, int]:
    today = timezone.localdate()
    ambassadors = list(
        Ambassador.objects.filter(area=area, status=Ambassador.Status.ACTIVE).select_related("user").order_by("pk")
    )
    made = visits_made(ambassadors=ambassadors)
    milestones = milestones_parse(DEFAULT_VISIT_MILESTONES)
    thanks = []
    busiest = sorted(ambassadors, key=lambda a: (-made.get(a.pk, (0, 0))[0], a.pk))[:2]
    for ambassador in busiest:
        passed = [n for n in milestones if n <= made.get(ambassador.pk, (0, 0))[0]]
        if passed:
            thanks.append((ambassador, ThankYou.Kind.VISITS, passed[-1], rng.randrange(3, 40)))
    for ambassador in ambassadors:
        years = recognition.full_years(ambassador.started_on, today)
        if years >= 1:
            days = (today - recognition.anniversary(ambassador.started_on, years)).days
            thanks.append((ambassador, ThankYou.Kind.ANNIVERSARY, years, days))
            break
    for ambassador, kind, milestone, days_ago in thanks:
        sent_at = timezone.now() - datetime.timedelta(days=days_ago)
        user = ambassador.user
        message = Message.objects.create(
            idempotency_key=f"thank-you:{ambassador.pk}:{kind}:{milestone}",
            channel=channel_for_ambassador(user),
            to_user=user,
            address=user.phone or user.email,
            subject=f"Tak fra {area.name}",
            body=f"Kære {user.full_name}, tak for din indsats som naboambassadør i {area.name}!",
            area=area,
            status=Message.Status.SENT,
            attempts=1,
            queued_at=sent_at,
            sent_at=sent_at,
        )
        ThankYou.objects.create(ambassador=ambassador, kind=kind, milestone=milestone, sent_at=sent_at, message=message)
    return {"thank_yous": len(thanks)}
