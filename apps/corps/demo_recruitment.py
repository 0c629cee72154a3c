"""The demo area's recruitment (called from `seed_demo`): candidates in every stage, some from the public
page and some met by the coordinator, and two new ambassadors (one accepted, one trained) with their first
steps partly ticked and a mentor.

Written directly (no services): this is history. Every random choice is drawn from the seeded generator the
command passes, in a fixed order.
"""

import datetime
import random

from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.corps.models import Candidate, Onboarding
from apps.organisation.models import Area, Entrance
from apps.visits.models import Ambassador, AmbassadorStatusChange

Stage = Candidate.Stage

# name, e-mail, phone, languages, channel, stage, days since they came forward, a few words on why
CANDIDATES = [
    (
        "Amal Hussein",
        "amal@example.org",
        "",
        ["ar", "da"],
        "web_form",
        Stage.INTERESTED,
        3,
        "Jeg flyttede selv hertil for to år siden og vil gerne hjælpe nye naboer.",
    ),
    ("Emre Kaya", "", "+4520100201", ["tr", "da"], "web_form", Stage.INTERESTED, 9, "Har tid om aftenen."),
    ("Lise Bech", "lise@example.org", "", ["da"], "information_meeting", Stage.INTERESTED, 12, ""),
    (
        "Yusuf Abdi",
        "",
        "+4520100202",
        ["so", "da", "en"],
        "personal_request",
        Stage.INTRO_TALK,
        25,
        "Kender mange i opgangen.",
    ),
    ("Grete Nielsen", "grete@example.org", "+4520100203", ["da", "de"], "poster_advert", Stage.INTRO_TALK, 30, ""),
    (
        "Oksana Melnyk",
        "oksana@example.org",
        "",
        ["uk", "en"],
        "web_form",
        Stage.NOT_CONTINUING,
        40,
        "Vil gerne lære flere at kende.",
    ),
]

# The two new ambassadors: name, e-mail, phone, languages, channel, status, days since accepted.
NEW_AMBASSADORS = [
    ("Nadia Rahimi", "nadia@demo.dk", "+4520100211", ["fa", "da"], "web_form", Ambassador.Status.ACCEPTED, 10),
    ("Thomas Lund", "thomas@demo.dk", "", ["da", "en"], "information_meeting", Ambassador.Status.TRAINED, 35),
]


def recruitment_demo_build(*, area: Area, coordinator: User, rng: random.Random) -> dict[str, int]:
    today = timezone.localdate()
    entrances = list(Entrance.objects.filter(estate__area=area).order_by("pk"))
    now = timezone.now()
    for name, email, phone, languages, channel, stage, days, why in CANDIDATES:
        came = today - datetime.timedelta(days=days)
        Candidate.objects.create(
            area=area,
            full_name=name,
            email=email,
            phone=phone,
            entrance=rng.choice(entrances) if entrances and rng.random() < 0.7 else None,
            languages=languages,
            motivation=why,
            channel=channel,
            stage=stage,
            stop_reason=Candidate.StopReason.NO_TIME if stage == Stage.NOT_CONTINUING else "",
            interested_on=came,
            intro_talk_on=came + datetime.timedelta(days=rng.randrange(3, 10)) if stage != Stage.INTERESTED else None,
            decided_on=today - datetime.timedelta(days=2) if stage == Stage.NOT_CONTINUING else None,
            consent_at=now - datetime.timedelta(days=days) if channel == "web_form" else None,
            created_by=None if channel == "web_form" else coordinator,
            note="Ringede, ikke truffet." if stage == Stage.INTERESTED and channel != "web_form" else "",
        )
    mentors = list(Ambassador.objects.filter(area=area, status=Ambassador.Status.ACTIVE).order_by("pk"))
    for name, email, phone, languages, channel, status, days in NEW_AMBASSADORS:
        accepted_on = today - datetime.timedelta(days=days)
        came = accepted_on - datetime.timedelta(days=rng.randrange(14, 30))
        user = User.objects.create_user(email=email, password=None, full_name=name, phone=phone)
        Membership.objects.create(user=user, area=area, role=Membership.Role.AMBASSADOR)
        ambassador = Ambassador.objects.create(
            user=user,
            area=area,
            languages=languages,
            status=status,
            status_since=accepted_on if status == Ambassador.Status.ACCEPTED else today - datetime.timedelta(days=5),
            started_on=accepted_on,
            recruited_via=channel,
        )
        AmbassadorStatusChange.objects.create(ambassador=ambassador, status="accepted", on=accepted_on, by=coordinator)
        if status == Ambassador.Status.TRAINED:
            AmbassadorStatusChange.objects.create(
                ambassador=ambassador, status="trained", on=ambassador.status_since, by=coordinator
            )
        Candidate.objects.create(
            area=area,
            full_name=name,
            email=email,
            phone=phone,
            languages=languages,
            channel=channel,
            stage=Stage.ACCEPTED,
            interested_on=came,
            intro_talk_on=came + datetime.timedelta(days=7),
            decided_on=accepted_on,
            consent_at=now - datetime.timedelta(days=days + 30) if channel == "web_form" else None,
            created_by=None if channel == "web_form" else coordinator,
            user=user,
            ambassador=ambassador,
        )
        mentor = rng.choice(mentors) if mentors else None
        trained = status == Ambassador.Status.TRAINED
        Onboarding.objects.create(
            ambassador=ambassador,
            intro_talk_on=came + datetime.timedelta(days=7),
            expectations_on=accepted_on,
            first_visit_on=today - datetime.timedelta(days=3) if trained else None,
            first_visit_with=mentor if trained else None,
            business_card_on=None,
            mentor=mentor,
        )
    return {"candidates": len(CANDIDATES) + len(NEW_AMBASSADORS)}
