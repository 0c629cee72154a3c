"""Bench data for welcome visits: 50,000 tenancies, 200 ambassadors and 100,000 visits in PostgreSQL.

    createdb -h 127.0.0.1 -U postgres nabo_visits_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nabo_visits_bench .venv/bin/python bench/visits_data.py
    DATABASE_URL=... .venv/bin/python bench/visits_data.py --tenancies 50000 --ambassadors 200 --visits 100000 --areas 10

It migrates the database, then writes one housing organisation ("bench") with `--areas` areas of five
estates each; entrances of twelve flats; one coordinator per area and the ambassadors spread evenly over
the areas; one newcomer per visit, their move-ins spread over the last `--years` years (so a tenancy has
had about two households); and visits whose state follows their age: the last two weeks mostly open or
waiting, older ones mostly closed (met, folder left, not at home, declined, moved away) with a few
forgotten and overdue; attempts to match, and referrals to five activities per area. The small tables
go through bulk_create, the big ones through COPY. Fictional data; the same seed gives the same rows.
Run it on an empty database (it refuses when the "bench" organisation exists): drop and create it to
start again.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "naboambassador.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import Membership, User  # noqa: E402
from apps.newcomers.models import Newcomer  # noqa: E402
from apps.organisation.models import Area, Entrance, Estate, HousingOrganisation, Tenancy  # noqa: E402
from apps.visits.models import Activity, Ambassador, Attempt, Referral, Visit  # noqa: E402

SLUG = "bench"
ESTATES_PER_AREA = 5
FLATS_PER_ENTRANCE = 12  # four floors, three doors
FLOORS, DOORS = ["st", "1", "2", "3"], ["tv", "mf", "th"]
STREETS = (
    "Lærkebakken Solsikkestien Vibevej Stærevej Mågevej Kløvermarken Bøgeparken Egeløkken Rønnebærhaven Æblehaven "
    "Pilevej Hyldebærvej Tjørnevang Syrenparken Granhøjen Birkevang Engtoften Skovbrynet Havrevej Rugmarken"
).split()
FIRST_NAMES = (
    "Amina Ahmed Ali Fatima Mohammed Hassan Leyla Yusuf Zeynep Mehmet Emine Hodan Abdi Farah Sahra Maryam Omar "
    "Anne Mette Hanne Lone Susanne Jens Peter Lars Henrik Søren Mads Jørgen Birgitte Kirsten Ida Freja Emma Noah"
).split()
LAST_NAMES = (
    "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Yılmaz Kaya Demir Şahin Hassan "
    "Ali Mohamed Warsame Ahmadi Khan Hussain Nowak Kovalenko Al-Sayed Haddad Nørgaard"
).split()
# Newcomers' languages and how common they are.
LANGUAGES = {"da": 45, "ar": 15, "tr": 10, "so": 8, "en": 6, "ur": 4, "fa": 4, "pl": 3, "uk": 3, "": 2}
ACTIVITIES = ["Madklub", "Lektiecafé", "Gåklub", "Fællesspisning", "Fitness"]
# How visits older than 45 days ended.
OLD_ENDINGS = {"contact": 60, "folder_left": 18, "not_home_limit": 6, "declined": 8, "moved_away": 4, "open": 1}


def copy_rows(model, fields: list[str], rows) -> int:
    """COPY rows (tuples in the order of `fields`) into the model's table."""
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in fields)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def reset_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


def _ending(rng: random.Random, *, age: int) -> str:
    """How a visit to a newcomer who moved in `age` days ago stands today (the rng draws are the data's)."""
    if age <= 14:
        return "waiting" if rng.random() < 0.2 else ("tried" if rng.random() < 0.3 else "open")
    if age <= 45:
        return rng.choices(["contact", "folder_left", "declined", "open"], [50, 25, 5, 20])[0]
    return rng.choices(list(OLD_ENDINGS), list(OLD_ENDINGS.values()))[0]


def _outcomes(
    rng: random.Random, *, ending: str, assigned_on: datetime.date, move_in: datetime.date, today: datetime.date
) -> list[tuple[str, datetime.date]]:
    """The attempts (outcome, day) that led to `ending`."""
    outcomes: list[tuple[str, datetime.date]] = []
    day = min(max(assigned_on + datetime.timedelta(days=rng.randint(1, 10)), move_in), today)
    if ending == "contact":
        if rng.random() < 0.3:
            outcomes.append(("not_home_nothing_left", day))
            day = min(day + datetime.timedelta(days=rng.randint(2, 6)), today)
        outcomes.append((rng.choice(["met_talked", "met_briefly"]), day))
    elif ending in ("folder_left", "not_home_limit"):
        for n in range(3):
            left = ending == "folder_left" and n == 0
            outcomes.append(("not_home_folder_left" if left else "not_home_nothing_left", day))
            day = min(day + datetime.timedelta(days=rng.randint(2, 7)), today)
    elif ending in ("declined", "moved_away"):
        outcomes.append((ending, day))
    elif ending == "tried":
        outcomes.append(("not_home_folder_left", day))
    return outcomes


def build(*, tenancies: int, ambassadors: int, visits: int, areas: int, years: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    counts: dict[str, int] = {}

    organisation = HousingOrganisation.objects.create(name="Boligselskabet Bench", slug=SLUG)
    area_list = [Area.objects.create(name=f"Bench område {i + 1}", slug=f"{SLUG}-{i + 1}") for i in range(areas)]
    estates = Estate.objects.bulk_create(
        [
            Estate(organisation=organisation, area=area, number=f"{a + 1}{e + 1:02d}", name=f"Afdeling {a + 1}.{e + 1}")
            for a, area in enumerate(area_list)
            for e in range(ESTATES_PER_AREA)
        ]
    )
    # Entrances: enough for the tenancies, dealt round-robin over the estates.
    entrance_count = -(-tenancies // FLATS_PER_ENTRANCE)
    entrances = Entrance.objects.bulk_create(
        [
            Entrance(
                estate=estates[i % len(estates)],
                street=STREETS[(i // len(estates)) % len(STREETS)],
                house_number=str(i // len(estates) // len(STREETS) + 1),
                postcode="5220",
                city="Odense SØ",
            )
            for i in range(entrance_count)
        ],
        batch_size=5000,
    )
    counts["entrances"] = len(entrances)

    # Tenancies (COPY): (id, estate, entrance) kept for the newcomers and ambassadors' homes.
    first_tenancy = next_id(Tenancy)
    tenancy_rows = []
    for i in range(tenancies):
        entrance = entrances[i // FLATS_PER_ENTRANCE]
        flat = i % FLATS_PER_ENTRANCE
        tenancy_rows.append(
            (
                first_tenancy + i,
                now,
                now,
                entrance.estate_id,
                entrance.pk,
                f"T{i + 1:06d}",
                FLOORS[flat // 3],
                DOORS[flat % 3],
            )
        )
    counts["tenancies"] = copy_rows(
        Tenancy, ["id", "created_at", "updated_at", "estate", "entrance", "number", "floor", "door"], tenancy_rows
    )
    reset_sequence(Tenancy)
    estate_area = {estate.pk: estate.area_id for estate in estates}
    tenancies_by_area: dict[int, list[tuple]] = {}
    for row in tenancy_rows:
        tenancies_by_area.setdefault(estate_area[row[3]], []).append(row)

    # People: a coordinator per area, the ambassadors spread over the areas. Nobody signs in with a
    # password (the load script makes sessions), so the passwords are unusable and cost no hashing.
    coordinators = User.objects.bulk_create(
        [
            User(email=f"coordinator-{i + 1}@bench.invalid", full_name=f"Koordinator {i + 1}", password="!")
            for i in range(areas)
        ]
    )
    ambassador_users = User.objects.bulk_create(
        [
            User(
                email=f"ambassador-{i + 1}@bench.invalid",
                phone=f"+4521{i:06d}",
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                password="!",
            )
            for i in range(ambassadors)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, area=area, role=Membership.Role.COORDINATOR)
            for user, area in zip(coordinators, area_list, strict=True)
        ]
        + [
            Membership(user=user, area=area_list[i % areas], role=Membership.Role.AMBASSADOR)
            for i, user in enumerate(ambassador_users)
        ]
    )
    other_languages = [code for code in LANGUAGES if code not in ("da", "")]
    profiles = []
    for i, user in enumerate(ambassador_users):
        area = area_list[i % areas]
        home = rng.choice(tenancies_by_area[area.pk])
        profiles.append(
            Ambassador(
                user=user,
                area=area,
                home_tenancy_id=home[0],
                languages=["da"] + ([rng.choice(other_languages)] if rng.random() < 0.6 else []),
                visits_per_month=rng.randint(4, 10),
                status=Ambassador.Status.ACTIVE if rng.random() < 0.9 else Ambassador.Status.PAUSED,
                started_on=today - datetime.timedelta(days=rng.randint(30, 365 * years)),
                recruited_via=rng.choice(Ambassador.RecruitedVia.values),
            )
        )
    profiles = Ambassador.objects.bulk_create(profiles)
    home_estate = {row[0]: row[3] for rows in tenancies_by_area.values() for row in rows}
    Ambassador.covered_estates.through.objects.bulk_create(
        [
            Ambassador.covered_estates.through(ambassador_id=profile.pk, estate_id=home_estate[profile.home_tenancy_id])
            for profile in profiles
        ]
    )
    ambassadors_by_area: dict[int, list[Ambassador]] = {}
    for profile in profiles:
        ambassadors_by_area.setdefault(profile.area_id, []).append(profile)
    counts["ambassadors"] = len(profiles)
    activities = Activity.objects.bulk_create(
        [Activity(area=area, name=name, languages=["da"]) for area in area_list for name in ACTIVITIES]
    )
    activities_by_area: dict[int, list[int]] = {}
    for activity in activities:
        activities_by_area.setdefault(activity.area_id, []).append(activity.pk)

    # Newcomers (COPY): the k-th household of a tenancy moved in within the k-th slice of the period, so
    # (tenancy, move-in) stays unique; one visit each.
    span = 365 * years
    per_tenancy = -(-visits // tenancies)
    slot = span // per_tenancy
    language_codes, language_weights = list(LANGUAGES), list(LANGUAGES.values())
    first_newcomer = next_id(Newcomer)
    newcomer_rows = []
    for i in range(visits):
        tenancy = tenancy_rows[i % tenancies]
        k = i // tenancies
        move_in = today - datetime.timedelta(days=span - (k * slot + rng.randrange(slot)))
        newcomer_rows.append(
            (
                first_newcomer + i,
                now,
                now,
                tenancy[0],
                move_in,
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                f"+45{rng.randint(20000000, 99999999)}" if rng.random() < 0.8 else "",
                "",
                rng.choices(language_codes, language_weights)[0],
                False,
                # The move-in list names a household about a week ahead (so the visit is due 14 days
                # after the move-in, as `visit_due_date` makes it); nothing corrected by hand.
                move_in - datetime.timedelta(days=7),
                "[]",
            )
        )
    counts["newcomers"] = copy_rows(
        Newcomer,
        [
            "id",
            "created_at",
            "updated_at",
            "tenancy",
            "move_in_date",
            "name",
            "phone",
            "email",
            "language",
            "do_not_contact",
            "listed_on",
            "corrected_fields",
        ],
        newcomer_rows,
    )
    reset_sequence(Newcomer)

    # Visits, attempts and referrals (COPY).
    first_visit, first_attempt, first_referral = next_id(Visit), next_id(Attempt), next_id(Referral)
    visit_rows, attempt_rows, referral_rows = [], [], []
    user_of = {profile.pk: profile.user_id for profile in profiles}

    def at(day: datetime.date) -> datetime.datetime:
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randint(10, 19), rng.randint(0, 59)))
        )
        return min(moment, now)

    for i, newcomer in enumerate(newcomer_rows):
        visit_id = first_visit + i
        tenancy_id, move_in = newcomer[3], newcomer[4]
        area_id = estate_area[home_estate[tenancy_id]]
        age = (today - move_in).days
        candidates = ambassadors_by_area[area_id]
        ambassador = rng.choice(candidates)
        if ambassador.home_tenancy_id == tenancy_id:
            ambassador = candidates[(candidates.index(ambassador) + 1) % len(candidates)]
        assigned_on = min(move_in + datetime.timedelta(days=rng.randint(-3, 2)), today)
        ending = _ending(rng, age=age)
        holder = None if ending == "waiting" else ambassador.pk
        outcomes = _outcomes(rng, ending=ending, assigned_on=assigned_on, move_in=move_in, today=today)
        closed = ending in ("contact", "folder_left", "not_home_limit", "declined", "moved_away")
        met = ending == "contact"
        closed_at = at(outcomes[-1][1]) if closed else None
        visit_rows.append(
            (
                visit_id,
                now,
                now,
                area_id,
                home_estate[tenancy_id],
                newcomer[0],
                move_in,
                holder,
                "closed" if closed else "open",
                move_in + datetime.timedelta(days=14),
                at(assigned_on) if holder else None,
                closed_at,
                ending if closed else "",
                any(o in ("met_talked", "met_briefly", "not_home_folder_left") for o, _d in outcomes),
                met,
                (outcomes[-1][1] - move_in).days if met else None,
                "",
                "",
                "",  # the visitor's pseudonym is kept only once the ambassador is removed
            )
        )
        for outcome, when in outcomes:
            attempt_rows.append(
                (
                    first_attempt + len(attempt_rows),
                    visit_id,
                    ambassador.pk,
                    user_of[ambassador.pk],
                    at(when),
                    outcome,
                    False,
                    "",
                )
            )
        if met and rng.random() < 0.2:
            referral_rows.append(
                (
                    first_referral + len(referral_rows),
                    now,
                    now,
                    visit_id,
                    rng.choice(activities_by_area[area_id]),
                    "followed_up" if age > 30 else "new",
                    None,
                    None,
                )
            )
    counts["visits"] = copy_rows(
        Visit,
        [
            "id",
            "created_at",
            "updated_at",
            "area",
            "estate",
            "newcomer",
            "move_in_date",
            "ambassador",
            "status",
            "due_date",
            "assigned_at",
            "closed_at",
            "close_reason",
            "folder_delivered",
            "contact_made",
            "days_to_contact",
            "needs_language",
            "staff_request",
            "visitor_pseudonym",
        ],
        visit_rows,
    )
    counts["attempts"] = copy_rows(
        Attempt,
        ["id", "visit", "ambassador", "recorded_by", "recorded_at", "outcome", "do_not_contact", "language"],
        attempt_rows,
    )
    counts["referrals"] = copy_rows(
        Referral,
        ["id", "created_at", "updated_at", "visit", "activity", "status", "followed_up_at", "followed_up_by"],
        referral_rows,
    )
    for model in (Visit, Attempt, Referral):
        reset_sequence(model)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenancies", type=int, default=50_000)
    parser.add_argument("--ambassadors", type=int, default=200)
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--areas", type=int, default=10)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (COPY is PostgreSQL's).")
    call_command("migrate", verbosity=0)
    if HousingOrganisation.objects.filter(slug=SLUG).exists():
        sys.exit("Bench data already present: drop and create the database to start again.")
    started = time.perf_counter()
    with transaction.atomic():
        counts = build(
            tenancies=args.tenancies,
            ambassadors=args.ambassadors,
            visits=args.visits,
            areas=args.areas,
            years=args.years,
            seed=args.seed,
        )
    with connection.cursor() as cursor:
        # As autovacuum would have by the time anyone looks: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    print(", ".join(f"{value:,} {name}" for name, value in counts.items()) + f" in {seconds:.1f} s")


if __name__ == "__main__":
    main()
