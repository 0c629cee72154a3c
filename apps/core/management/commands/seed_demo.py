"""`python manage.py seed_demo`: a fictional area to try the app with, on a development machine.

Every demo user has the same known password, so the command refuses to run unless DEBUG is on. Each
part of the area is built by a small function; later features add theirs (newcomers, visits, meetings)
to `build_demo` and draw from the same seeded random generator, so the data stays the same on every run.
"""

import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts.models import Membership, User
from apps.accounts.services import membership_grant, user_create
from apps.organisation.models import Area, Entrance, Estate, HousingOrganisation, Tenancy

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


def build_demo(*, rng: random.Random) -> dict[str, int]:
    """Build the whole demo area; returns counts to report."""
    organisation = build_organisation()
    area = build_area()
    estates = build_estates(organisation=organisation, area=area)
    tenancy_count = build_tenancies(estates=estates, rng=rng)
    users = build_users(area=area, estates=estates)
    return {"estates": len(estates), "tenancies": tenancy_count, "users": len(users)}


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
                    f"{counts['users']} users."
                )
            )
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write("")
        for line in login_table():
            self.stdout.write(line)
        site = settings.SITE_URL
        self.stdout.write("")
        self.stdout.write(f"Open {site}/ and sign in at {site}{reverse('accounts:login')}")
        self.stdout.write(
            f"Phone-only users ask for a link at {site}{reverse('accounts:link_request')}; "
            "the SMS is printed in the runserver console."
        )
        self.stdout.write(f"Django admin: {site}{reverse('admin:index')} (admin@demo.dk)")
