"""The world of the simulated year: one area of Gellerup's size, its people, and the housing
organisation's monthly move-in lists. Everything is built through the apps' own services."""

import csv
import datetime
import io
import random
from dataclasses import dataclass, field

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant, user_create
from apps.core.phones import phone_normalise
from apps.organisation.models import Area, Estate, HousingOrganisation, Tenancy
from apps.organisation.services import (
    NewTenancy,
    area_create,
    estate_create,
    housing_organisation_create,
    tenancies_bulk_create,
)
from apps.visits.models import Ambassador
from apps.visits.services import activity_create, ambassador_create

# (estate number, name, street, tenancies): 2,611 tenancies in all, as in Gellerup.
ESTATES = [
    ("4", "Gellerupparken afd. 4", "Gudrunsvej", 1200),
    ("5", "Gellerupparken afd. 5", "Dortesvej", 700),
    ("8", "Toveshøj", "Toveshøjvej", 711),
]
PER_ENTRANCE = 24
DOORS = ("tv", "th", "mf")

FIRST_NAMES = {
    "da": ["Mette", "Lars", "Sofie", "Jonas", "Ida", "Mads", "Freja", "Kasper", "Anna", "Peter"],
    "ar": ["Amina", "Omar", "Fatima", "Yusuf", "Layla", "Khalid", "Mariam", "Hassan", "Noor", "Samir"],
    "so": ["Hodan", "Abdi", "Faadumo", "Mahad", "Ayaan", "Liban", "Sahra", "Warsame", "Ifrah", "Nuur"],
    "tr": ["Elif", "Mehmet", "Zeynep", "Emre", "Ayşe", "Murat", "Selin", "Burak", "Deniz", "Kerem"],
    "en": ["Emily", "James", "Grace", "Daniel", "Chloe", "Ryan", "Olivia", "Ethan", "Hannah", "Lucas"],
}
LAST_NAMES = {
    "da": ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen"],
    "ar": ["Haddad", "Khalil", "Mansour", "Saleh", "Nasser", "Darwish", "Hamdan", "Qasim"],
    "so": ["Warsame", "Farah", "Abdullahi", "Yusuf", "Osman", "Mohamed", "Hirsi", "Jama"],
    "tr": ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın", "Öztürk", "Arslan"],
    "en": ["Smith", "Brown", "Wilson", "Taylor", "Clarke", "Walker", "Hughes", "Wright"],
}
LANGUAGE_WORDS = {"da": "dansk", "ar": "arabisk", "so": "somali", "tr": "tyrkisk", "en": "engelsk"}
LANGUAGE_WEIGHTS = {"da": 35, "ar": 30, "so": 15, "tr": 12, "en": 8}
HEADER = ["Afdeling", "Lejemålsnr.", "Adresse", "Indflytningsdato", "Navn", "Telefon", "E-mail", "Sprog"]


@dataclass
class Person:
    """A household moving in, as the housing organisation knows it."""

    tenancy: Tenancy
    move_in: datetime.date
    name: str
    phone: str  # 8 digits, as the tenancy system writes it: "22 33 44 55"
    language: str
    email: str = ""

    @property
    def e164(self) -> str:
        return "+45" + self.phone.replace(" ", "")


@dataclass
class World:
    rng: random.Random
    organisation: HousingOrganisation
    area: Area
    estates: list[Estate]
    coordinator: object
    board: list
    ambassadors: list[Ambassador]
    activities: list
    free_tenancies: list[Tenancy]
    people: list[Person] = field(default_factory=list)
    used_names: set[str] = field(default_factory=set)
    used_phones: set[str] = field(default_factory=set)

    # --- people -------------------------------------------------------------------------------------

    def unique_name(self, language: str) -> str:
        """A full name nobody else has, and that is no part of another's: a second "Ida Pedersen" becomes
        "Ida Sofie Pedersen", never "Ida Pedersen-Sørensen" (which a search for the first would find)."""
        first, last = self.rng.choice(FIRST_NAMES[language]), self.rng.choice(LAST_NAMES[language])
        name = f"{first} {last}"
        while name in self.used_names:
            name = f"{first} {self.rng.choice(FIRST_NAMES[language])} {last}"
        self.used_names.add(name)
        return name

    def unique_phone(self) -> str:
        """A Danish number the app takes as valid (phonenumbers' rules refuse e.g. 230…: the import drops them)."""
        while True:
            digits = f"2{self.rng.randrange(10**7):07d}"
            if digits not in self.used_phones and phone_normalise(digits):
                self.used_phones.add(digits)
                return " ".join(digits[i : i + 2] for i in range(0, 8, 2))

    def ambassador_add(self, *, full_name: str, phone: str, languages: list[str], user=None) -> Ambassador:
        if user is None:
            user = user_create(email=None, full_name=full_name, phone=phone)
            membership_grant(user=user, area=self.area, role=Membership.Role.AMBASSADOR)
        home = self.free_tenancies.pop()
        ambassador = ambassador_create(
            area=self.area, user=user, by=self.coordinator, languages=languages, visits_per_month=8, home_tenancy=home
        )
        self.ambassadors.append(ambassador)
        return ambassador

    # --- move-ins -----------------------------------------------------------------------------------

    def move_ins(self, *, month: datetime.date, listed_on: datetime.date, count: int) -> list[Person]:
        """`count` households moving in during `month`, each 5–40 days before the list is sent."""
        last = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
        first = max(month, listed_on - datetime.timedelta(days=40))
        last = min(last, listed_on - datetime.timedelta(days=5))
        people = []
        for _ in range(count):
            language = self.rng.choices(list(LANGUAGE_WEIGHTS), weights=list(LANGUAGE_WEIGHTS.values()))[0]
            name = self.unique_name(language)
            person = Person(
                tenancy=self.free_tenancies.pop(),
                move_in=first + datetime.timedelta(days=self.rng.randrange((last - first).days + 1)),
                name=name,
                phone=self.unique_phone(),
                language=language,
                email=f"{name.split()[0].lower()}{len(self.people)}@example.org" if self.rng.random() < 0.3 else "",
            )
            people.append(person)
        self.people += people
        return people

    def list_csv(self, people: list[Person]) -> bytes:
        """The housing organisation's move-in list: semicolon-separated, Danish headers and dates."""
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        for person in people:
            tenancy = person.tenancy
            entrance = tenancy.entrance
            writer.writerow(
                [
                    tenancy.estate.number,
                    tenancy.number,
                    f"{entrance.street} {entrance.house_number}, {tenancy.floor}. {tenancy.door}",
                    person.move_in.strftime("%d-%m-%Y"),
                    person.name,
                    person.phone,
                    person.email,
                    LANGUAGE_WORDS[person.language],
                ]
            )
        return buffer.getvalue().encode("utf-8")


def world_build(*, rng: random.Random) -> World:
    organisation = housing_organisation_create(slug="brabrand", name="Brabrand Boligforening")
    # The organisation keeps contact data six months and visit details nine: within the year, both expire.
    organisation.retention_contact_months = 6
    organisation.retention_visit_months = 9
    organisation.save(update_fields=["retention_contact_months", "retention_visit_months"])
    area = area_create(slug="gellerup", name="Gellerup og Toveshøj")
    estates = []
    new = []
    for number, name, street, count in ESTATES:
        estate = estate_create(organisation=organisation, area=area, number=number, name=name)
        estates.append(estate)
        for i in range(count):
            new.append(
                NewTenancy(
                    estate_id=estate.pk,
                    number=f"{number}-{i + 1:04d}",
                    street=street,
                    house_number=str(i // PER_ENTRANCE + 1),
                    floor=str(i % PER_ENTRANCE // len(DOORS)),
                    door=DOORS[i % len(DOORS)],
                    postcode="8220",
                    city="Brabrand",
                )
            )
    tenancies_bulk_create(tenancies=new)
    tenancies = list(Tenancy.objects.filter(estate__area=area).select_related("estate", "entrance").order_by("pk"))
    assert len(tenancies) == 2611
    rng.shuffle(tenancies)

    coordinator = user_create(email="koordinator@gellerup.example", full_name="Karin Koordinator", phone="+4540000001")
    membership_grant(user=coordinator, area=area, role=Membership.Role.COORDINATOR)
    board = []
    for i, estate in enumerate(estates[:2]):
        member = user_create(email=f"bestyrelse{i}@gellerup.example", full_name=f"Bestyrelsesmedlem {i + 1}")
        membership_grant(user=member, area=area, role=Membership.Role.BOARD, estates=[estate])
        board.append(member)
    world = World(
        rng=rng,
        organisation=organisation,
        area=area,
        estates=estates,
        coordinator=coordinator,
        board=board,
        ambassadors=[],
        activities=[],
        free_tenancies=tenancies,
    )
    for full_name, languages in [
        ("Hanne Ambassadør", ["da"]),
        ("Ahmad Ambassadør", ["da", "ar"]),
        ("Ubah Ambassadør", ["da", "so"]),
        ("Serkan Ambassadør", ["da", "tr"]),
        ("Rania Ambassadør", ["da", "ar", "en"]),
        ("Jens Ambassadør", ["da", "en"]),
        ("Khadra Ambassadør", ["da", "so", "ar"]),
    ]:
        world.ambassador_add(
            full_name=full_name, phone="+45" + world.unique_phone().replace(" ", ""), languages=languages
        )
    for name in ("Lektiecafé", "Madklub", "Fodbold for alle"):
        world.activities.append(activity_create(area=area, by=coordinator, name=name))
    return world
