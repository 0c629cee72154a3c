"""The demo area's welcome visits (called from `seed_demo`): activities, ambassador profiles, newcomers of
the last months with visits in every state, and last year's newcomers with closed visits so the dashboards
can compare with the same period a year before.

Written directly (no services): this is history, and the services would text every ambassador. Every
random choice is drawn from the seeded generator the command passes, in a fixed order, so the demo is the
same on every run.
"""

import datetime
import random
from collections.abc import Callable

from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area, Entrance, Tenancy
from apps.visits.models import (
    Activity,
    Ambassador,
    Attempt,
    LaterContact,
    Referral,
    SupportConversation,
    Training,
    Visit,
)
from apps.visits.services import visit_due_date

Outcome = Attempt.Outcome

# Most move-in lists come a week before the move-in; every LATE_LIST_EVERY-th recent household came on a
# list LATE_LIST_DAYS after moving in, so the overview shows late lists. Not drawn from the generator, so
# the rest of the demo stays as it was.
LIST_AHEAD_DAYS, LATE_LIST_EVERY, LATE_LIST_DAYS = 7, 8, 20

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

ACTIVITY_CONTACT = "Mette Kjærgaard, 20 10 01 00"

# The second demo area's activities and ambassadors (issue 18: a survey round across areas).
SECOND_AREA_ACTIVITIES: list[tuple[str, str, str, str, list[str]]] = [
    ("Kaffeklub", "Kaffe og kage i fælleshuset.", "Onsdage 14–16", "Fælleshuset Egeløkken", ["da", "tr"]),
    ("Lektiehjælp", "Frivillige hjælper med lektier.", "Tirsdage 15–17", "Beboerhuset", ["da", "ar", "so"]),
    ("Havelauget", "Vi passer de fælles bede.", "Lørdage 10–12", "Pilehaven", ["da"]),
]
SECOND_AREA_ACTIVITY_CONTACT = "Lars Bech, 20 10 02 00"
SECOND_AREA_PROFILES: dict[str, tuple[list[str], str, int, str, str, str]] = {
    "Inge Dahl": (["da"], "201", 4, "active", "information_meeting", "Kender Egeløkken."),
    "Yasmin Khalaf": (["ar", "da"], "202", 4, "active", "personal_request", "Lektiehjælp."),
    "Deniz Aksoy": (["tr", "da", "en"], "201", 3, "active", "poster_advert", "Kaffeklub."),
    "Nasra Ali": (["so", "da"], "202", 3, "active", "other", "Havelauget."),
}

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

HISTORY_NEWCOMERS = 90
HISTORY_MONTHS = (7, 20)  # moved in this many months ago
HISTORY_ENDINGS = {"contact": 55, "folder_left": 18, "not_home_limit": 7, "declined": 12, "moved_away": 8}


def visits_demo_build(
    *,
    area: Area,
    users: list[User],
    rng: random.Random,
    profiles: dict[str, tuple[list[str], str, int, str, str, str]] = AMBASSADOR_PROFILES,
    activities: list[tuple[str, str, str, str, list[str]]] = ACTIVITIES,
    activity_contact: str = ACTIVITY_CONTACT,
    support_conversations: list[tuple[int, str, str, str, int | None, str, list[str], str, int | None]] | None = None,
) -> dict[str, int]:
    """Activities, ambassador profiles, and newcomers of the last months with visits in every state. The
    defaults are the first demo area's; another area passes its own ambassadors' `profiles` and activities."""
    if support_conversations is None:
        support_conversations = SUPPORT_CONVERSATIONS
    built_activities = _activities_build(area=area, activities=activities, contact=activity_contact)
    ambassadors = _ambassadors_build(area=area, users=users, rng=rng, profiles=profiles)
    newcomers = _newcomers_build(area=area, ambassadors=ambassadors, rng=rng)
    visit_count = _RecentVisits(area=area, ambassadors=ambassadors, activities=built_activities, rng=rng).build(
        newcomers
    )
    conversations = _support_conversations_build(area=area, conversations=support_conversations)
    return {
        "activities": len(built_activities),
        "newcomers": len(newcomers),
        "visits": visit_count,
        "support_conversations": conversations,
    }


# Days ago, ambassador, strengths, interests, visits a month wanted, phone, languages, note, and the next one
# so many days after it.
# Fixed (not drawn from the generator), so the rest of the demo stays as it was. Karen also sits on the
# tenant board: her page shows the dual-role flag; Jens (paused) has had none for long and is flagged.
SUPPORT_CONVERSATIONS: list[tuple[int, str, str, str, int | None, str, list[str], str, int | None]] = [
    (400, "Jens Mikkelsen", "Praktisk", "Cykler", 2, "not", ["da"], "Vil holde pause efter sommeren.", None),
    (150, "Birthe Holm", "Kender alle", "Madklub", 4, "gives", ["da"], "Trives med rollen.", None),
    (20, "Birthe Holm", "Kender alle", "Madklub, gåklub", 5, "gives", ["da"], "Vil gerne tage flere besøg.", 160),
    (
        45,
        "Karen Østergaard",
        "Rolig, god til at lytte",
        "Haven",
        3,
        "not",
        ["da", "de"],
        "Talte om at være nabo og ikke kontrollant, også når hun sidder i bestyrelsen.",
        135,
    ),
    (
        10,
        "Ahmad Haddad",
        "Taler arabisk og dansk",
        "Fodbold",
        6,
        "gives",
        ["ar", "da"],
        "Vil gerne have besøg hos arabisktalende familier.",
        170,
    ),
]


def _support_conversations_build(*, area: Area, conversations: list) -> int:
    today = timezone.localdate()
    coordinator = Membership.objects.filter(area=area, role=Membership.Role.COORDINATOR).select_related("user").first()
    by_name = {a.user.full_name: a for a in Ambassador.objects.filter(area=area).select_related("user")}
    return len(
        SupportConversation.objects.bulk_create(
            SupportConversation(
                ambassador=by_name[name],
                held_on=today - datetime.timedelta(days=days_ago),
                strengths=strengths,
                interests=interests,
                visits_per_month_wanted=wanted,
                phone=phone,
                languages=languages,
                note=note,
                next_on=today + datetime.timedelta(days=next_in - days_ago) if next_in else None,
                recorded_by=coordinator.user if coordinator else None,
            )
            for days_ago, name, strengths, interests, wanted, phone, languages, note, next_in in conversations
        )
    )


def _activities_build(*, area: Area, activities: list, contact: str) -> list[Activity]:
    return Activity.objects.bulk_create(
        [
            Activity(
                area=area,
                name=name,
                description=text,
                schedule=when,
                place=where,
                contact=contact,
                languages=languages,
            )
            for name, text, when, where, languages in activities
        ]
    )


def _ambassadors_build(
    *, area: Area, users: list[User], rng: random.Random, profiles: dict[str, tuple[list[str], str, int, str, str, str]]
) -> list[Ambassador]:
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
    for name, (languages, estate_number, per_month, status, recruited, strengths) in profiles.items():
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


def _free_tenancies(*, area: Area, ambassadors: list[Ambassador]) -> list[Tenancy]:
    """The area's tenancies by number, without the ambassadors' homes."""
    homes = {ambassador.home_tenancy_id for ambassador in ambassadors}
    return [t for t in Tenancy.objects.filter(estate__area=area).order_by("number") if t.pk not in homes]


def _newcomers_build(*, area: Area, ambassadors: list[Ambassador], rng: random.Random) -> list[Newcomer]:
    """Newcomers of the last six months; two in five moved in this last month."""
    today = timezone.localdate()
    tenancies = _free_tenancies(area=area, ambassadors=ambassadors)
    people = [(code, name) for code, names in NEWCOMER_NAMES.items() for name in names]
    rng.shuffle(people)
    newcomers = []
    for i, tenancy in enumerate(rng.sample(tenancies, NEWCOMER_COUNT)):
        language, name = people[i % len(people)]  # a name may come twice in 64 households; it is fiction
        days_ago = rng.randint(0, 29) if rng.random() < 0.4 else rng.randint(30, 30 * NEWCOMER_MONTHS)
        moved_in = today - datetime.timedelta(days=days_ago)
        late = i % LATE_LIST_EVERY == LATE_LIST_EVERY - 1
        listed_on = min(moved_in + datetime.timedelta(days=LATE_LIST_DAYS), today) if late else None
        newcomers.append(
            Newcomer(
                tenancy=tenancy,
                move_in_date=moved_in,
                listed_on=listed_on or moved_in - datetime.timedelta(days=LIST_AHEAD_DAYS),
                name=name,
                phone=f"+4571{rng.randint(100000, 999999)}" if rng.random() < 0.75 else "",
                language=language,
            )
        )
    return Newcomer.objects.bulk_create(newcomers)


class _RecentVisits:
    """The visits of the last months' newcomers, one state each, with their attempts and referrals."""

    def __init__(self, *, area: Area, ambassadors: list[Ambassador], activities: list[Activity], rng: random.Random):
        self.area = area
        self.active = [a for a in ambassadors if a.is_active]
        self.activities = activities
        self.rng = rng
        self.today = timezone.localdate()
        self.now = timezone.now()

    def moment(self, day: datetime.date) -> datetime.datetime:
        rng = self.rng
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(10, 19), rng.randint(0, 59))))
        return min(at, self.now)

    def pick(self, newcomer: Newcomer, exclude: Ambassador | None = None) -> Ambassador:
        fits = [a for a in self.active if a.home_tenancy_id != newcomer.tenancy_id and a is not exclude]
        speakers = [a for a in fits if newcomer.language in a.languages]
        return self.rng.choice(speakers or fits)

    def build(self, newcomers: list[Newcomer]) -> int:
        visits, attempts_by_visit, interests_by_visit = [], [], []
        for newcomer in newcomers:
            weights = OLD_STATES if (self.today - newcomer.move_in_date).days >= 30 else RECENT_STATES
            state = self.rng.choices(list(weights), weights=list(weights.values()))[0]
            if state == "none":
                continue
            visit, attempts = self.visit(newcomer, state)
            visits.append(visit)
            attempts_by_visit.append(attempts)
            chosen = self.rng.sample(self.activities, self.rng.choice([0, 0, 1, 1, 2])) if visit.contact_made else []
            interests_by_visit.append(chosen)
        # The first newcomer who declined also asked not to be contacted again.
        declined = next((v for v in visits if v.close_reason == Visit.CloseReason.DECLINED), None)
        if declined:
            declined.newcomer.do_not_contact = True
            declined.newcomer.save(update_fields=["do_not_contact"])
        self.save(visits, attempts_by_visit, interests_by_visit, declined)
        return len(visits)

    def visit(self, newcomer: Newcomer, state: str) -> tuple[Visit, list[tuple[str, datetime.date, Ambassador]]]:
        rng, today = self.rng, self.today
        ambassador = self.pick(newcomer)
        assigned_on = min(newcomer.move_in_date + datetime.timedelta(days=rng.randint(-3, 3)), today)
        visit = Visit(
            area=self.area,
            estate_id=newcomer.tenancy.estate_id,
            newcomer=newcomer,
            move_in_date=newcomer.move_in_date,
            ambassador=ambassador,
            due_date=visit_due_date(newcomer=newcomer, assigned_on=assigned_on),
            assigned_at=self.moment(assigned_on),
        )
        day = min(max(assigned_on + datetime.timedelta(days=rng.randint(2, 9)), newcomer.move_in_date), today)
        attempts = self.attempts(state, day, ambassador)
        if state.startswith("language_barrier"):
            if state == "language_barrier_reassigned":  # handed to someone else, not yet visited
                visit.ambassador = self.pick(newcomer, exclude=ambassador)
                visit.assigned_at = self.moment(attempts[-1][1])
                visit.due_date = max(visit.due_date, visit_due_date(newcomer=newcomer, assigned_on=attempts[-1][1]))
            else:  # waiting for an ambassador who speaks the language
                visit.ambassador, visit.assigned_at = None, None
            visit.needs_language = newcomer.language
        self.close(visit, state, attempts)
        return visit, attempts

    def attempts(
        self, state: str, day: datetime.date, ambassador: Ambassador
    ) -> list[tuple[str, datetime.date, Ambassador]]:
        """The attempts that bring a visit to `state`; "assigned" and "overdue" have none yet."""
        rng, today = self.rng, self.today
        attempts: list[tuple[str, datetime.date, Ambassador]] = []
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
        elif state in ONE_ATTEMPT:
            attempts.append((ONE_ATTEMPT[state], day, ambassador))
        return attempts

    def close(self, visit: Visit, state: str, attempts: list[tuple[str, datetime.date, Ambassador]]) -> None:
        """Contact made, folder delivered, and the visit closed when its attempts end it."""
        last = attempts[-1][0] if attempts else None
        visit.folder_delivered = any(o in (Outcome.NOT_HOME_FOLDER_LEFT, *Attempt.MET) for o, _d, _a in attempts)
        if last in Attempt.MET:
            visit.contact_made = True
            visit.days_to_contact = (attempts[-1][1] - visit.move_in_date).days
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
            visit.closed_at = self.moment(attempts[-1][1])

    def save(
        self, visits: list[Visit], attempts_by_visit: list, interests_by_visit: list, declined: Visit | None
    ) -> None:
        Visit.objects.bulk_create(visits)
        Attempt.objects.bulk_create(
            [
                Attempt(
                    visit=visit,
                    ambassador=by,
                    recorded_by=by.user,
                    recorded_at=self.moment(day),
                    outcome=outcome,
                    do_not_contact=visit is declined,
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
                    status=Referral.Status.FOLLOWED_UP if self.rng.random() < 0.5 else Referral.Status.NEW,
                )
                for visit, chosen in zip(visits, interests_by_visit, strict=True)
                for activity in chosen
            ]
        )
        self.later_contacts_save(visits)

    def later_contacts_save(self, visits: list[Visit]) -> None:
        """About a third of the newcomers met called their ambassador again, once to three times. A random
        stream of its own, so the rest of the demo stays as it was."""
        rng = random.Random(len(visits))
        contacts = []
        for visit in visits:
            if not visit.contact_made or rng.random() > 0.35:
                continue
            met_on = timezone.localdate(visit.closed_at)
            for _n in range(rng.choice([1, 1, 2, 3])):
                day = min(met_on + datetime.timedelta(days=rng.randint(3, 60)), self.today)
                contacts.append(
                    LaterContact(
                        visit=visit,
                        topic=rng.choice(LaterContact.Topic.values),
                        contacted_on=day,
                        recorded_by=visit.ambassador.user,
                        recorded_at=self.moment(day),
                    )
                )
        LaterContact.objects.bulk_create(contacts)


# States reached by a single attempt with this outcome.
ONE_ATTEMPT = {
    "declined": Outcome.DECLINED,
    "moved_away": Outcome.MOVED_AWAY,
    "tried_once": Outcome.NOT_HOME_FOLDER_LEFT,
    "language_barrier": Outcome.LANGUAGE_BARRIER,
    "language_barrier_reassigned": Outcome.LANGUAGE_BARRIER,
}


# --- Last year, so boards can compare with the same period a year before ----------------------------


def visits_demo_build_history(*, area: Area, rng: random.Random) -> int:
    """Last year's newcomers (7–20 months ago) with closed visits, attempts and interests. Returns the
    number of newcomers."""
    ambassadors = list(Ambassador.objects.filter(area=area, status=Ambassador.Status.ACTIVE).select_related("user"))
    newcomers = _history_newcomers_build(area=area, ambassadors=ambassadors, rng=rng)
    activities = list(Activity.objects.filter(area=area))

    def moment(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randint(10, 19), rng.randint(0, 59)))
        )

    visits, attempts, interests = [], [], []
    for newcomer in newcomers:
        ambassador = rng.choice([a for a in ambassadors if a.home_tenancy_id != newcomer.tenancy_id])
        ending = rng.choices(list(HISTORY_ENDINGS), weights=list(HISTORY_ENDINGS.values()))[0]
        visit, tries = _history_visit(
            area=area, newcomer=newcomer, ambassador=ambassador, ending=ending, rng=rng, moment=moment
        )
        visits.append(visit)
        attempts.append(tries)
        interests.append(rng.sample(activities, rng.choice([0, 1, 1, 2])) if visit.contact_made else [])
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
    return len(newcomers)


def _history_newcomers_build(*, area: Area, ambassadors: list[Ambassador], rng: random.Random) -> list[Newcomer]:
    today = timezone.localdate()
    taken = set(Newcomer.objects.filter(tenancy__estate__area=area).values_list("tenancy_id", "move_in_date"))
    tenancies = _free_tenancies(area=area, ambassadors=ambassadors)
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
                listed_on=moved_in - datetime.timedelta(days=LIST_AHEAD_DAYS),
                name=name,
                phone=f"+4571{rng.randint(100000, 999999)}" if rng.random() < 0.7 else "",
                language=language,
            )
        )
    return Newcomer.objects.bulk_create(newcomers)


def _history_visit(
    *,
    area: Area,
    newcomer: Newcomer,
    ambassador: Ambassador,
    ending: str,
    rng: random.Random,
    moment: Callable[[datetime.date], datetime.datetime],
) -> tuple[Visit, list[tuple[str, datetime.date]]]:
    """A closed visit that ended in `ending`, and its attempts as (outcome, day)."""
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
        due_date=visit_due_date(newcomer=newcomer, assigned_on=newcomer.move_in_date),
        assigned_at=moment(newcomer.move_in_date),
        closed_at=moment(days[-1]),
        close_reason=ending,
        folder_delivered=met or ending == "folder_left",
        contact_made=met,
        days_to_contact=(days[-1] - newcomer.move_in_date).days if met else None,
    )
    return visit, list(zip(outcomes, days, strict=True))
