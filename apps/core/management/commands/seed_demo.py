"""`python manage.py seed_demo`: a fictional area to try the app with, on a development machine.

Every demo user has the same known password, so the command refuses to run unless DEBUG is on. Each
part of the area is built by a small function; later features add theirs (newcomers, visits, meetings)
to `build_demo` and draw from the same seeded random generator, so the data stays the same on every run.
"""

import datetime
import hashlib
import random
from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Membership, User
from apps.accounts.services import membership_grant, user_create
from apps.core.policy import two_factor_required
from apps.folders.demo import folder_build_demo
from apps.meetings.models import ActionItem, AgendaSuggestion, Invitation, MeetingSeries, NetworkMeeting
from apps.meetings.services import meeting_series_extend, minutes_render, series_dates
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Entrance, Estate, HousingOrganisation, Tenancy
from apps.surveys.demo import survey_demo_build
from apps.visits.models import Activity, Ambassador, Attempt, Referral, Training, Visit

Role = Membership.Role

SEED = 2026
DEMO_PASSWORD = "naboambassador"
DEMO_SLUG = "demo"
POSTCODE, CITY = "5220", "Odense SØ"

# Estate number, name, and its streets with the house numbers of their entrances (all fictional).
ESTATES: list[tuple[str, str, list[tuple[str, range]]]] = [
    ("101", "Lærkebakken", [("Lærkebakken", range(1, 40, 2))]),
    ("102", "Solsikkehaven", [("Solsikkestien", range(2, 32, 2)), ("Kornblomstvænget", range(1, 10, 2))]),
    ("103", "Hyldebærparken", [("Hyldebærstien", range(1, 21, 2))]),
]
FLOORS = ["st", "1", "2", "3"]
DOORS = ["tv", "mf", "th"]


@dataclass(frozen=True)
class DemoUser:
    role: str  # a Membership.Role, or ADMIN for the superuser who has no membership
    full_name: str
    email: str | None = None
    phone: str = ""
    language: str = "da"
    estates: tuple[str, ...] = ()  # board members: the numbers of the estates whose figures they see


ADMIN = "admin"
ROLE_LABELS = {
    Role.COORDINATOR: "Coordinator",
    Role.AMBASSADOR: "Ambassador",
    Role.BOARD: "Board member",
    Role.INTERVIEWER: "Interviewer",
    ADMIN: "Admin (superuser)",
}

# Ambassadors speak Danish, Arabic, Turkish, Somali and English; some have a phone number only and
# sign in with a link by SMS. The numbers are valid Danish mobile numbers so the sign-in form takes them.
DEMO_USERS: list[DemoUser] = [
    DemoUser(Role.COORDINATOR, "Mette Kjærgaard", email="coordinator@demo.dk", phone="+4520100100"),
    DemoUser(Role.AMBASSADOR, "Birthe Holm", email="birthe@demo.dk"),
    DemoUser(Role.AMBASSADOR, "Jens Mikkelsen", phone="+4520100001"),
    DemoUser(Role.AMBASSADOR, "Karen Østergaard", email="karen@demo.dk", phone="+4520100002"),
    DemoUser(Role.AMBASSADOR, "Ahmad Haddad", phone="+4520100003"),
    DemoUser(Role.AMBASSADOR, "Fatima Al-Sayed", email="fatima@demo.dk", phone="+4520100004"),
    DemoUser(Role.AMBASSADOR, "Layla Nasser", phone="+4520100005"),
    DemoUser(Role.AMBASSADOR, "Mehmet Yılmaz", email="mehmet@demo.dk"),
    DemoUser(Role.AMBASSADOR, "Ayşe Demir", phone="+4520100006"),
    DemoUser(Role.AMBASSADOR, "Hodan Warsame", phone="+4520100007"),
    DemoUser(Role.AMBASSADOR, "Abdirahman Farah", email="abdirahman@demo.dk", phone="+4520100008"),
    DemoUser(Role.AMBASSADOR, "Sarah Thompson", email="sarah@demo.dk", language="en"),
    DemoUser(Role.AMBASSADOR, "David Okafor", phone="+4520100009", language="en"),
    DemoUser(Role.BOARD, "Poul Erik Sørensen", email="board1@demo.dk", estates=("101",)),
    DemoUser(Role.BOARD, "Hanne Lindberg", email="board2@demo.dk", estates=("102", "103")),
    DemoUser(Role.INTERVIEWER, "Sofie Lund", email="interviewer@demo.dk"),
    DemoUser(ADMIN, "Demo Admin", email="admin@demo.dk"),
]


def build_organisation() -> HousingOrganisation:
    return HousingOrganisation.objects.create(slug=DEMO_SLUG, name="Boligselskabet Demo")


def build_area() -> Area:
    return Area.objects.create(
        slug=DEMO_SLUG,
        name="Nørrevang Helhedsplan",
        description="Et fiktivt boligområde med tre afdelinger, til at prøve Naboambassadør af.",
    )


def build_estates(*, organisation: HousingOrganisation, area: Area) -> dict[str, Estate]:
    """The estates by number."""
    return {
        number: Estate.objects.create(organisation=organisation, area=area, number=number, name=name)
        for number, name, _streets in ESTATES
    }


def build_tenancies(*, estates: dict[str, Estate], rng: random.Random) -> int:
    """Entrances of four floors with three flats each; in about a third of them the ground floor has
    two flats because the middle one is the bike and laundry room. Returns the number of tenancies."""
    entrances: list[tuple[Entrance, list[str]]] = []
    for number, _name, streets in ESTATES:
        for street, house_numbers in streets:
            for house_number in house_numbers:
                entrance = Entrance(
                    estate=estates[number], street=street, house_number=str(house_number), postcode=POSTCODE, city=CITY
                )
                ground_floor_doors = ["tv", "th"] if rng.random() < 1 / 3 else DOORS
                entrances.append((entrance, ground_floor_doors))
    Entrance.objects.bulk_create([entrance for entrance, _doors in entrances])

    tenancies: list[Tenancy] = []
    next_number = dict.fromkeys(estates, 1)
    for entrance, ground_floor_doors in entrances:
        for floor in FLOORS:
            for door in ground_floor_doors if floor == "st" else DOORS:
                estate_number = entrance.estate.number
                tenancies.append(
                    Tenancy(
                        estate=entrance.estate,
                        entrance=entrance,
                        number=f"{estate_number}-{next_number[estate_number]:04d}",
                        floor=floor,
                        door=door,
                    )
                )
                next_number[estate_number] += 1
    Tenancy.objects.bulk_create(tenancies)
    return len(tenancies)


def build_users(*, area: Area, estates: dict[str, Estate]) -> list[User]:
    users = []
    for spec in DEMO_USERS:
        is_admin = spec.role == ADMIN
        user = user_create(
            email=spec.email,
            full_name=spec.full_name,
            phone=spec.phone,
            language=spec.language,
            password=DEMO_PASSWORD,
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        # The same checks a person's own password gets, so the demo never teaches a weak one.
        validate_password(DEMO_PASSWORD, user=user)
        if not is_admin:
            membership_grant(user=user, area=area, role=spec.role, estates=[estates[number] for number in spec.estates])
        users.append(user)
    return users


# --- Ambassadors, newcomers and welcome visits --------------------------------------------------------

# Name, description, when, where, languages (all fictional).
ACTIVITIES: list[tuple[str, str, str, str, list[str]]] = [
    ("Madklub", "Vi laver mad sammen og spiser bagefter.", "Tirsdage 17–19", "Fælleshuset", ["da", "ar"]),
    (
        "Lektiecafé",
        "Hjælp til lektier for børn og unge.",
        "Mandage og onsdage 15–17",
        "Beboerhuset, 1. sal",
        ["da", "ar", "so"],
    ),
    ("Gåklub", "En rolig gåtur rundt om søen.", "Torsdage 10–11", "Mødested: Fælleshuset", ["da", "tr"]),
    (
        "Fællesspisning",
        "Aftensmad for hele området, 30 kr.",
        "Første fredag i måneden 18–20",
        "Fælleshuset",
        ["da", "en"],
    ),
    ("Fitness", "Gratis træning for beboere.", "Lørdage 9–11", "Kælderen, Lærkebakken 7", ["da"]),
]

# Each demo ambassador: languages, home estate, visits a month, status, how recruited, strengths.
AMBASSADOR_PROFILES: dict[str, tuple[list[str], str, int, str, str, str]] = {
    "Birthe Holm": (["da"], "101", 4, "active", "information_meeting", "Kender alle i Lærkebakken."),
    "Jens Mikkelsen": (["da", "en"], "102", 2, "paused", "personal_request", "Cykelværksted om lørdagen."),
    "Karen Østergaard": (["da", "de"], "103", 3, "active", "poster_advert", "Sidder i afdelingsbestyrelsen."),
    "Ahmad Haddad": (["ar", "da"], "101", 5, "active", "personal_request", "Madklub og fodbold."),
    "Fatima Al-Sayed": (["ar", "da", "en"], "102", 4, "active", "information_meeting", "Lektiecafé."),
    "Layla Nasser": (["ar", "da"], "103", 3, "active", "other", "Strik og kaffe."),
    "Mehmet Yılmaz": (["tr", "da"], "101", 4, "active", "poster_advert", "Gåklub."),
    "Ayşe Demir": (["tr", "da", "ku"], "102", 4, "active", "personal_request", "Fællesspisning."),
    "Hodan Warsame": (["so", "da"], "103", 4, "active", "information_meeting", "Mødregruppe."),
    "Abdirahman Farah": (["so", "ar", "da"], "101", 3, "active", "personal_request", "Lektiehjælp i matematik."),
    "Sarah Thompson": (["en"], "102", 2, "active", "other", "Nyt i Danmark selv for tre år siden."),
    "David Okafor": (["en", "da"], "103", 4, "active", "poster_advert", "Fitness."),
}

# Fictional newcomers by language.
NEWCOMER_NAMES: dict[str, list[str]] = {
    "da": [
        "Lone Jensen",
        "Thomas Nielsen",
        "Maja Hansen",
        "Peter Larsen",
        "Sofie Andersen",
        "Niels Poulsen",
        "Ida Kristensen",
        "Mads Pedersen",
        "Anna Rasmussen",
        "Jonas Christensen",
    ],
    "ar": [
        "Omar Khalil",
        "Mariam Saleh",
        "Yusuf Ibrahim",
        "Noor Hassan",
        "Khaled Mansour",
        "Rania Aziz",
        "Samir Youssef",
    ],
    "tr": ["Emre Kaya", "Zeynep Çelik", "Murat Şahin", "Elif Arslan", "Burak Öztürk"],
    "so": ["Ayaan Mohamed", "Farhan Ali", "Sahra Abdi", "Liban Hussein"],
    "en": ["James Walker", "Emily Clarke", "Grace Mensah"],
    "ur": ["Imran Qureshi", "Sana Malik"],
    "fa": ["Reza Ahmadi", "Leila Karimi"],
    "uk": ["Olena Kovalenko"],
    "pl": ["Katarzyna Nowak"],
}
NEWCOMER_COUNT = 64
NEWCOMER_MONTHS = 6


def build_activities(*, area: Area) -> list[Activity]:
    return Activity.objects.bulk_create(
        [
            Activity(
                area=area,
                name=name,
                description=text,
                schedule=when,
                place=where,
                contact="Mette Kjærgaard, 20 10 01 00",
                languages=languages,
            )
            for name, text, when, where, languages in ACTIVITIES
        ]
    )


def build_ambassadors(*, area: Area, users: list[User], rng: random.Random) -> list[Ambassador]:
    """A profile for each demo ambassador: languages matching the name, a home in one of the estates,
    the home estate covered, a few extra entrances, trainings attended and some business-card opt-ins."""
    today = timezone.localdate()
    trainings = Training.objects.bulk_create(
        [
            Training(area=area, title="Velkommen som naboambassadør", held_on=today - datetime.timedelta(days=400)),
            Training(area=area, title="Den svære samtale ved døren", held_on=today - datetime.timedelta(days=120)),
        ]
    )
    by_name = {user.full_name: user for user in users}
    ambassadors = []
    for name, (languages, estate_number, per_month, status, recruited, strengths) in AMBASSADOR_PROFILES.items():
        tenancies = Tenancy.objects.filter(estate__area=area, estate__number=estate_number).order_by("number")
        home = tenancies[rng.randrange(tenancies.count())]
        started = today - datetime.timedelta(days=rng.randint(60, 900))
        ambassador = Ambassador.objects.create(
            user=by_name[name],
            area=area,
            home_tenancy=home,
            languages=languages,
            visits_per_month=per_month,
            status=status,
            status_since=today - datetime.timedelta(days=20) if status != "active" else started,
            started_on=started,
            recruited_via=recruited,
            strengths=strengths,
            sits_on_board=name == "Karen Østergaard",
            card_show_phone=rng.random() < 0.5,
            card_show_languages=rng.random() < 0.7,
        )
        ambassador.covered_estates.set([home.estate])
        ambassador.covered_entrances.set(rng.sample(list(Entrance.objects.filter(estate__area=area)), 2))
        ambassador.trainings.set(trainings if started < trainings[0].held_on else trainings[1:])
        ambassadors.append(ambassador)
    return ambassadors


# The states a demo visit ends up in, with their weights for newcomers who moved in 30+ days ago.
OLD_STATES = {
    "contact": 50,
    "folder_left": 12,
    "not_home_limit": 5,
    "declined": 7,
    "moved_away": 6,
    "overdue": 8,
    "language_barrier": 3,
    "none": 4,
}
# … and for those who moved in this last month.
RECENT_STATES = {
    "none": 25,
    "assigned": 30,
    "tried_once": 15,
    "contact": 15,
    "language_barrier": 8,
    "language_barrier_reassigned": 7,
}


def build_newcomers_and_visits(
    *, area: Area, ambassadors: list[Ambassador], activities: list[Activity], rng: random.Random
) -> tuple[int, int]:
    """Newcomers over the last months and their visits in every state, with attempts and referrals.
    Written directly (no services): this is history, and the services would text every ambassador."""
    today = timezone.localdate()
    now = timezone.now()
    homes = {ambassador.home_tenancy_id for ambassador in ambassadors}
    tenancies = [t for t in Tenancy.objects.filter(estate__area=area).order_by("number") if t.pk not in homes]
    people = [(code, name) for code, names in NEWCOMER_NAMES.items() for name in names]
    rng.shuffle(people)
    newcomers = []
    for i, tenancy in enumerate(rng.sample(tenancies, NEWCOMER_COUNT)):
        language, name = people[i % len(people)]  # a name may come twice in 64 households; it is fiction
        newcomers.append(
            Newcomer(
                tenancy=tenancy,
                # Two in five moved in this last month: they are what the coordinator works on now.
                move_in_date=today
                - datetime.timedelta(
                    days=rng.randint(0, 29) if rng.random() < 0.4 else rng.randint(30, 30 * NEWCOMER_MONTHS)
                ),
                name=name,
                phone=f"+4571{rng.randint(100000, 999999)}" if rng.random() < 0.75 else "",
                language=language,
            )
        )
    newcomers = Newcomer.objects.bulk_create(newcomers)
    active = [a for a in ambassadors if a.is_active]

    def moment(day: datetime.date) -> datetime.datetime:
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(10, 19), rng.randint(0, 59))))
        return min(at, now)

    def pick(newcomer: Newcomer, exclude: Ambassador | None = None) -> Ambassador:
        fits = [a for a in active if a.home_tenancy_id != newcomer.tenancy_id and a is not exclude]
        speakers = [a for a in fits if newcomer.language in a.languages]
        return rng.choice(speakers or fits)

    visits, attempts_by_visit, interests_by_visit = [], [], []
    for newcomer in newcomers:
        age = (today - newcomer.move_in_date).days
        weights = OLD_STATES if age >= 30 else RECENT_STATES
        state = rng.choices(list(weights), weights=list(weights.values()))[0]
        if state == "none":
            continue
        ambassador = pick(newcomer)
        assigned_on = newcomer.move_in_date + datetime.timedelta(days=rng.randint(-3, 3))
        assigned_on = min(assigned_on, today)
        visit = Visit(
            area=area,
            estate_id=newcomer.tenancy.estate_id,
            newcomer=newcomer,
            move_in_date=newcomer.move_in_date,
            ambassador=ambassador,
            due_date=newcomer.move_in_date + datetime.timedelta(days=settings.VISIT_DUE_DAYS),
            assigned_at=moment(assigned_on),
        )
        attempts: list[tuple[str, datetime.date, Ambassador]] = []
        day = min(max(assigned_on + datetime.timedelta(days=rng.randint(2, 9)), newcomer.move_in_date), today)
        Outcome = Attempt.Outcome
        if state == "contact":
            if rng.random() < 0.3:
                attempts.append((Outcome.NOT_HOME_NOTHING_LEFT, day, ambassador))
                day = min(day + datetime.timedelta(days=rng.randint(2, 6)), today)
            attempts.append(
                (rng.choice([Outcome.MET_TALKED, Outcome.MET_TALKED, Outcome.MET_BRIEFLY]), day, ambassador)
            )
        elif state in ("folder_left", "not_home_limit"):
            for n in range(3):
                left = state == "folder_left" and n == 0
                attempts.append(
                    (Outcome.NOT_HOME_FOLDER_LEFT if left else Outcome.NOT_HOME_NOTHING_LEFT, day, ambassador)
                )
                day = min(day + datetime.timedelta(days=rng.randint(3, 7)), today)
        elif state == "declined":
            attempts.append((Outcome.DECLINED, day, ambassador))
        elif state == "moved_away":
            attempts.append((Outcome.MOVED_AWAY, day, ambassador))
        elif state == "tried_once":
            attempts.append((Outcome.NOT_HOME_FOLDER_LEFT, day, ambassador))
        elif state.startswith("language_barrier"):
            attempts.append((Outcome.LANGUAGE_BARRIER, day, ambassador))
            if state == "language_barrier_reassigned":  # handed to someone else, not yet visited
                visit.ambassador = pick(newcomer, exclude=ambassador)
                visit.assigned_at = moment(day)
            else:  # waiting for an ambassador who speaks the language
                visit.ambassador, visit.assigned_at = None, None
            visit.needs_language = newcomer.language
        # "assigned" and "overdue": no attempt yet.

        last = attempts[-1][0] if attempts else None
        visit.folder_delivered = any(o in (Outcome.NOT_HOME_FOLDER_LEFT, *Attempt.MET) for o, _d, _a in attempts)
        if last in Attempt.MET:
            visit.contact_made = True
            visit.days_to_contact = (attempts[-1][1] - newcomer.move_in_date).days
            visit.close_reason = Visit.CloseReason.CONTACT
        elif state in ("folder_left", "not_home_limit"):
            visit.close_reason = (
                Visit.CloseReason.FOLDER_LEFT if visit.folder_delivered else Visit.CloseReason.NOT_HOME_LIMIT
            )
        elif last == Outcome.DECLINED:
            visit.close_reason = Visit.CloseReason.DECLINED
        elif last == Outcome.MOVED_AWAY:
            visit.close_reason = Visit.CloseReason.MOVED_AWAY
        if visit.close_reason:
            visit.status = Visit.Status.CLOSED
            visit.closed_at = moment(attempts[-1][1])
        visits.append(visit)
        attempts_by_visit.append(attempts)
        chosen = rng.sample(activities, rng.choice([0, 0, 1, 1, 2])) if visit.contact_made else []
        interests_by_visit.append(chosen)

    # The first newcomer who declined also asked not to be contacted again.
    declined = [v for v in visits if v.close_reason == Visit.CloseReason.DECLINED]
    if declined:
        declined[0].newcomer.do_not_contact = True
        declined[0].newcomer.save(update_fields=["do_not_contact"])

    Visit.objects.bulk_create(visits)
    Attempt.objects.bulk_create(
        [
            Attempt(
                visit=visit,
                ambassador=by,
                recorded_by=by.user,
                recorded_at=moment(day),
                outcome=outcome,
                do_not_contact=visit is (declined[0] if declined else None),
            )
            for visit, attempts in zip(visits, attempts_by_visit, strict=True)
            for outcome, day, by in attempts
        ]
    )
    Referral.objects.bulk_create(
        [
            Referral(
                visit=visit,
                activity=activity,
                status=Referral.Status.FOLLOWED_UP if rng.random() < 0.5 else Referral.Status.NEW,
            )
            for visit, chosen in zip(visits, interests_by_visit, strict=True)
            for activity in chosen
        ]
    )
    return len(newcomers), len(visits)


def build_visits(*, area: Area, users: list[User], rng: random.Random) -> dict[str, int]:
    """Activities, ambassador profiles, and newcomers of the last months with visits in every state."""
    activities = build_activities(area=area)
    ambassadors = build_ambassadors(area=area, users=users, rng=rng)
    newcomer_count, visit_count = build_newcomers_and_visits(
        area=area, ambassadors=ambassadors, activities=activities, rng=rng
    )
    return {"activities": len(activities), "newcomers": newcomer_count, "visits": visit_count}


# Meeting history: how each answer tends to turn out at the door of the common room.
MEETING_ANSWERS = {"yes": 60, "no": 18, "maybe": 12, "none": 10}
CAME_GIVEN_ANSWER = {"yes": 0.88, "maybe": 0.5, "no": 0.04, "none": 0.3}
MEETING_MINUTES = """## Nyt fra koordinatoren
* {newcomers} nye beboere siden sidst; velkomstmapperne er genoptrykt.

## Erfaringer fra dørene
* Det virker at komme igen en lørdag formiddag.
* Husk kortet i postkassen, hvis ingen er hjemme.

## Aftaler
* Næste tema: *{theme}*.
"""
MEETING_THEMES = ["Den svære samtale", "Fællesspisning", "Nye sprog i bebyggelsen", "Sommerfest", "Lektiecafé"]


def build_meetings(*, area: Area, rng: random.Random) -> int:
    """A monthly series (first Tuesday, 17:00) with six months of held meetings — answers, attendance,
    published minutes, action items, one cancelled — and the coming ones, the next with answers and
    suggestions. Written directly (no services): this is history, and the services would text everyone.
    One active ambassador has missed the last three, so the overview has someone to show."""
    today = timezone.localdate()
    now = timezone.now()
    series = MeetingSeries.objects.create(
        area=area,
        title="Netværksmøde",
        weekday=MeetingSeries.Weekday.TUESDAY,
        nth=MeetingSeries.Nth.FIRST,
        start_time=datetime.time(17, 0),
        place="Fælleshuset, Søndergården 12",
    )
    ambassadors = list(Ambassador.objects.filter(area=area).select_related("user").order_by("pk"))
    active = [a for a in ambassadors if a.status == Ambassador.Status.ACTIVE]
    absentee = active[-1] if active else None
    past_dates = series_dates(
        series=series, start=today - datetime.timedelta(days=185), until=today - datetime.timedelta(days=1)
    )
    cancelled_date = past_dates[1] if len(past_dates) > 3 else None
    for number, date in enumerate(past_dates):
        starts_at = timezone.make_aware(datetime.datetime.combine(date, series.start_time))
        theme = MEETING_THEMES[number % len(MEETING_THEMES)]
        meeting = NetworkMeeting.objects.create(
            area=area,
            series=series,
            series_date=date,
            title=series.title,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            place=series.place,
            theme=theme,
            agenda="Velkomst og nyt\nErfaringer fra dørene\nTema: " + theme + "\nEventuelt",
        )
        if date == cancelled_date:
            meeting.status = NetworkMeeting.Status.CANCELLED
            meeting.cancelled_at = starts_at - datetime.timedelta(days=2)
            meeting.save(update_fields=["status", "cancelled_at"])
        # Invited: those active on the day (the profile's dates say who was).
        invited = [
            a
            for a in ambassadors
            if a.started_on <= date and (a.status == Ambassador.Status.ACTIVE or a.status_since > date)
        ]
        invitations = []
        for ambassador in invited:
            answer = rng.choices(list(MEETING_ANSWERS), weights=list(MEETING_ANSWERS.values()))[0]
            came = rng.random() < CAME_GIVEN_ANSWER[answer]
            if ambassador == absentee and number >= len(past_dates) - 4:
                answer, came = "maybe", False
            invitations.append(
                Invitation(
                    meeting=meeting,
                    ambassador=ambassador,
                    answer=answer,
                    answered_at=None if answer == "none" else starts_at - datetime.timedelta(days=rng.randint(1, 9)),
                    attended=None if meeting.is_cancelled else came,
                )
            )
        Invitation.objects.bulk_create(invitations)
        if meeting.is_cancelled:
            continue
        markdown_text = MEETING_MINUTES.format(
            newcomers=rng.randint(4, 14), theme=MEETING_THEMES[(number + 1) % len(MEETING_THEMES)]
        )
        meeting.minutes_markdown = markdown_text
        meeting.minutes_html = minutes_render(markdown_text)
        meeting.minutes_published_at = starts_at + datetime.timedelta(days=1)
        meeting.save(update_fields=["minutes_markdown", "minutes_html", "minutes_published_at"])
        ActionItem.objects.bulk_create(
            [
                ActionItem(
                    meeting=meeting,
                    text="Dele plakater ud i opgangene",
                    owner=rng.choice(invited) if invited else None,
                    due_date=date + datetime.timedelta(days=14),
                    done=date + datetime.timedelta(days=14) < today,
                ),
                ActionItem(
                    meeting=meeting, text="Booke fælleshuset til næste gang", owner_name="Mette Kjærgaard", done=True
                ),
            ]
        )
    upcoming = meeting_series_extend(series=series, until=today + datetime.timedelta(days=92))
    theme_evening = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=9), datetime.time(18, 30))
    )
    upcoming += [
        NetworkMeeting.objects.create(
            area=area,
            title="Temaaften: Velkomst på flere sprog",
            starts_at=theme_evening,
            ends_at=theme_evening + datetime.timedelta(hours=2),
            place="Beboerhuset, Bøgevej 3",
            theme="Velkomst på flere sprog",
            agenda="Hvilke sprog taler de nye beboere?\nOversatte velkomstmapper\nHvem kan tage med hvem?",
        )
    ]
    upcoming.sort(key=lambda meeting: meeting.starts_at)
    if upcoming and active:
        next_meeting = upcoming[0]
        Invitation.objects.bulk_create(
            [
                Invitation(
                    meeting=next_meeting,
                    ambassador=ambassador,
                    answer=(answer := rng.choices(list(MEETING_ANSWERS), weights=list(MEETING_ANSWERS.values()))[0]),
                    answered_at=None if answer == "none" else now - datetime.timedelta(hours=rng.randint(1, 48)),
                )
                for ambassador in active
            ]
        )
        AgendaSuggestion.objects.bulk_create(
            [
                AgendaSuggestion(meeting=next_meeting, ambassador=active[0], text="Kan vi få visitkort på arabisk?"),
                AgendaSuggestion(
                    meeting=next_meeting, ambassador=active[1 % len(active)], text="Nøgler til fælleshuset"
                ),
            ]
        )
    return len(past_dates) + len(upcoming)


def build_survey(*, area: Area, rng: random.Random) -> dict[str, int]:
    """The newcomer survey: invitations in every state, call outcomes, a few dozen answers (apps/surveys/demo.py)."""
    interviewer = User.objects.get(memberships__area=area, memberships__role=Role.INTERVIEWER)
    return survey_demo_build(area=area, interviewer=interviewer, rng=rng)


# --- Dashboards: the year before, so boards can compare with the same period last year -------------

HISTORY_NEWCOMERS = 90
HISTORY_MONTHS = (7, 20)  # moved in this many months ago
HISTORY_ENDINGS = {"contact": 55, "folder_left": 18, "not_home_limit": 7, "declined": 12, "moved_away": 8}


def build_dashboards(*, area: Area, rng: random.Random) -> dict[str, int]:
    """Last year's newcomers (7–20 months ago) with closed visits, attempts and interests, and a year of
    network meetings before the series above, so the dashboards' comparison with last year has figures.
    Written directly, like the rest of the history."""
    today = timezone.localdate()
    ambassadors = list(Ambassador.objects.filter(area=area, status=Ambassador.Status.ACTIVE).select_related("user"))
    activities = list(Activity.objects.filter(area=area))
    taken = set(Newcomer.objects.filter(tenancy__estate__area=area).values_list("tenancy_id", "move_in_date"))
    homes = {a.home_tenancy_id for a in ambassadors}
    tenancies = [t for t in Tenancy.objects.filter(estate__area=area).order_by("number") if t.pk not in homes]
    people = [(code, name) for code, names in NEWCOMER_NAMES.items() for name in names]
    newcomers = []
    for tenancy in rng.sample(tenancies, HISTORY_NEWCOMERS):
        moved_in = today - datetime.timedelta(days=rng.randint(30 * HISTORY_MONTHS[0], 30 * HISTORY_MONTHS[1]))
        if (tenancy.pk, moved_in) in taken:
            continue
        language, name = rng.choice(people)
        newcomers.append(
            Newcomer(
                tenancy=tenancy,
                move_in_date=moved_in,
                name=name,
                phone=f"+4571{rng.randint(100000, 999999)}" if rng.random() < 0.7 else "",
                language=language,
            )
        )
    newcomers = Newcomer.objects.bulk_create(newcomers)

    def moment(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randint(10, 19), rng.randint(0, 59)))
        )

    visits, attempts, interests = [], [], []
    Outcome = Attempt.Outcome
    for newcomer in newcomers:
        ambassador = rng.choice([a for a in ambassadors if a.home_tenancy_id != newcomer.tenancy_id])
        ending = rng.choices(list(HISTORY_ENDINGS), weights=list(HISTORY_ENDINGS.values()))[0]
        day = newcomer.move_in_date + datetime.timedelta(days=rng.randint(2, 40))
        outcomes = {
            "contact": [rng.choice([Outcome.MET_TALKED, Outcome.MET_BRIEFLY])],
            "folder_left": [Outcome.NOT_HOME_FOLDER_LEFT, Outcome.NOT_HOME_NOTHING_LEFT, Outcome.NOT_HOME_NOTHING_LEFT],
            "not_home_limit": [Outcome.NOT_HOME_NOTHING_LEFT] * 3,
            "declined": [Outcome.DECLINED],
            "moved_away": [Outcome.MOVED_AWAY],
        }[ending]
        days = [day + datetime.timedelta(days=4 * n) for n in range(len(outcomes))]
        met = ending == "contact"
        visit = Visit(
            area=area,
            estate_id=newcomer.tenancy.estate_id,
            newcomer=newcomer,
            move_in_date=newcomer.move_in_date,
            ambassador=ambassador,
            status=Visit.Status.CLOSED,
            due_date=newcomer.move_in_date + datetime.timedelta(days=settings.VISIT_DUE_DAYS),
            assigned_at=moment(newcomer.move_in_date),
            closed_at=moment(days[-1]),
            close_reason=ending,
            folder_delivered=met or ending == "folder_left",
            contact_made=met,
            days_to_contact=(days[-1] - newcomer.move_in_date).days if met else None,
        )
        visits.append(visit)
        attempts.append([(outcome, when) for outcome, when in zip(outcomes, days, strict=True)])
        interests.append(rng.sample(activities, rng.choice([0, 1, 1, 2])) if met else [])
    Visit.objects.bulk_create(visits)
    Attempt.objects.bulk_create(
        [
            Attempt(
                visit=v, ambassador=v.ambassador, recorded_by=v.ambassador.user, recorded_at=moment(when), outcome=o
            )
            for v, tries in zip(visits, attempts, strict=True)
            for o, when in tries
        ]
    )
    Referral.objects.bulk_create(
        [
            Referral(visit=v, activity=activity, status=Referral.Status.FOLLOWED_UP)
            for v, chosen in zip(visits, interests, strict=True)
            for activity in chosen
        ]
    )

    # Monthly meetings of the year before the series' first (first Tuesday, 17:00), attendance taken.
    meetings = 0
    for months_ago in range(7, 19):
        first = (today.replace(day=1) - datetime.timedelta(days=30 * months_ago)).replace(day=1)
        day = first + datetime.timedelta(days=(1 - first.weekday()) % 7)  # the month's first Tuesday
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 0)))
        minutes = MEETING_MINUTES.format(newcomers=rng.randint(4, 14), theme=rng.choice(MEETING_THEMES))
        meeting = NetworkMeeting.objects.create(
            area=area,
            title="Netværksmøde",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            minutes_markdown=minutes,
            minutes_html=minutes_render(minutes),
            minutes_published_at=starts_at + datetime.timedelta(days=1),
        )
        Invitation.objects.bulk_create(
            [
                Invitation(meeting=meeting, ambassador=a, answer="yes", attended=rng.random() < 0.6)
                for a in ambassadors
                if a.started_on <= day
            ]
        )
        meetings += 1
    return {"history_newcomers": len(newcomers), "history_meetings": meetings}


def build_folder(*, area: Area, users: list[User]) -> int:
    """The welcome folder in Danish, English, Arabic and Turkish, published as version 1."""
    coordinator = next(user for user in users if user.email == "coordinator@demo.dk")
    folder = folder_build_demo(area=area, by=coordinator)
    return folder.versions.count()


def build_demo(*, rng: random.Random) -> dict[str, int]:
    """Build the whole demo area; returns counts to report."""
    organisation = build_organisation()
    area = build_area()
    estates = build_estates(organisation=organisation, area=area)
    tenancy_count = build_tenancies(estates=estates, rng=rng)
    users = build_users(area=area, estates=estates)
    visit_counts = build_visits(area=area, users=users, rng=rng)
    meeting_count = build_meetings(area=area, rng=rng)
    survey_counts = build_survey(area=area, rng=rng)
    dashboard_counts = build_dashboards(area=area, rng=rng)
    folder_versions = build_folder(area=area, users=users)
    return {
        "estates": len(estates),
        "tenancies": tenancy_count,
        "users": len(users),
        "meetings": meeting_count,
        "folder_versions": folder_versions,
        **visit_counts,
        **survey_counts,
        **dashboard_counts,
    }


def demo_totp_key(email: str) -> str:
    """A fixed TOTP secret per demo account (hex), so every run and the README show the same one. Demo only."""
    return hashlib.sha1(f"naboambassador-demo-totp:{email}".encode()).hexdigest()


def build_two_factor() -> list[TOTPDevice]:
    """An authenticator for each demo coordinator and admin, who must give a code at sign-in.

    Idempotent, so a demo seeded before two-factor sign-in existed gets its devices on the next run."""
    devices = []
    emails = [spec.email for spec in DEMO_USERS if spec.email]
    for user in User.objects.filter(email__in=emails).order_by("pk"):
        if two_factor_required(user):
            device, _created = TOTPDevice.objects.get_or_create(
                user=user, name="Demo", defaults={"key": demo_totp_key(user.email), "confirmed": True}
            )
            devices.append(device)
    return devices


def two_factor_table(devices: list[TOTPDevice]) -> list[str]:
    """Each demo coordinator's and admin's key (for an authenticator app) and the code valid now."""
    lines = []
    for device in devices:
        secret = b32encode(device.bin_key).decode()
        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        lines.append(f"{device.user.email}  key {secret}  code now {code:06d}")
    return lines


def login_table() -> list[str]:
    """The demo logins as lines of a plain-text table."""
    rows = [("Role", "Name", "Sign in with", "Password")]
    for spec in DEMO_USERS:
        role = ROLE_LABELS[spec.role]
        if spec.estates:
            role = f"{role} ({', '.join(spec.estates)})"
        if spec.email:
            rows.append((role, spec.full_name, spec.email, DEMO_PASSWORD))
        else:
            # The password form takes an e-mail address; phone-only users get a link by SMS.
            rows.append((role, spec.full_name, spec.phone, "(link by SMS)"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


class Command(BaseCommand):
    help = "Build a fictional demo area with estates, tenancies and users of every role (DEBUG only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo runs only with DEBUG on: every demo user has the same known password.")
        if HousingOrganisation.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("Demo data already present.")
        else:
            try:
                with transaction.atomic():
                    counts = build_demo(rng=random.Random(SEED))
            except (ValidationError, IntegrityError) as exc:
                # E.g. a demo e-mail address or the area's short name is already taken by real data.
                raise CommandError(f"Could not build the demo data, nothing was saved: {exc}") from exc
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo area built: {counts['estates']} estates, {counts['tenancies']} tenancies, "
                    f"{counts['users']} users, {counts['newcomers']} newcomers, {counts['visits']} visits, "
                    f"{counts['activities']} activities, {counts['survey_answers']} survey answers."
                )
            )
        devices = build_two_factor()
        self.print_logins(devices)

    def print_logins(self, devices: list[TOTPDevice]) -> None:
        self.stdout.write("")
        for line in login_table():
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write("Coordinators and admins also type a code from an authenticator app after the password.")
        self.stdout.write("Add the key to any authenticator app, or use the code printed here (valid for about a minute;")
        self.stdout.write("run `make demo-codes` for fresh ones):")
        for line in two_factor_table(devices):
            self.stdout.write(f"  {line}")
        site = settings.SITE_URL
        self.stdout.write("")
        self.stdout.write(f"Open {site}/ and sign in at {site}{reverse('accounts:login')}")
        self.stdout.write(
            f"Phone-only users ask for a link at {site}{reverse('accounts:link_request')}; "
            "the SMS is printed in the runserver console."
        )
        self.stdout.write(f"Django admin: {site}{reverse('admin:index')} (admin@demo.dk)")
