"""The demo area's organisation (called from `seed_demo`): one housing organisation, one area, three estates
with their entrances and some 600 tenancies, all fictional. Built through the organisation's services."""

import random

from apps.organisation.models import Area, Estate, HousingOrganisation
from apps.organisation.services import (
    NewTenancy,
    area_create,
    estate_create,
    housing_organisation_create,
    tenancies_bulk_create,
)

POSTCODE, CITY = "5220", "Odense SØ"

# Estate number, name, and its streets with the house numbers of their entrances (all fictional).
ESTATES: list[tuple[str, str, list[tuple[str, range]]]] = [
    ("101", "Lærkebakken", [("Lærkebakken", range(1, 40, 2))]),
    ("102", "Solsikkehaven", [("Solsikkestien", range(2, 32, 2)), ("Kornblomstvænget", range(1, 10, 2))]),
    ("103", "Hyldebærparken", [("Hyldebærstien", range(1, 21, 2))]),
]
# The demo organisation's second area (issue 18: a survey round across areas), all fictional.
SECOND_AREA_POSTCODE, SECOND_AREA_CITY = "5250", "Odense SV"
SECOND_AREA_ESTATES: list[tuple[str, str, list[tuple[str, range]]]] = [
    ("201", "Egeløkken", [("Egeløkken", range(1, 30, 2))]),
    ("202", "Pilehaven", [("Pilestien", range(2, 26, 2)), ("Vandkantsvej", range(1, 8, 2))]),
]
FLOORS = ["st", "1", "2", "3"]
DOORS = ["tv", "mf", "th"]


def organisation_demo_build(
    *,
    slug: str,
    organisation: HousingOrganisation | None = None,
    name: str = "Nørrevang Helhedsplan",
    description: str = "Et fiktivt boligområde med tre afdelinger, til at prøve Naboambassadør af.",
    estates: list[tuple[str, str, list[tuple[str, range]]]] = ESTATES,
) -> tuple[HousingOrganisation, Area, dict[str, Estate]]:
    """The organisation and the area (both known by `slug`) and the estates by number. Given an
    `organisation`, only a further area of it (known by `slug`) with its `estates`."""
    if organisation is None:
        organisation = housing_organisation_create(slug=slug, name="Boligselskabet Demo")
    area = area_create(slug=slug, name=name, description=description)
    built = {
        number: estate_create(organisation=organisation, area=area, number=number, name=estate_name)
        for number, estate_name, _streets in estates
    }
    return organisation, area, built


def _entrance_addresses(spec: list[tuple[str, str, list[tuple[str, range]]]]) -> list[tuple[str, str, str]]:
    """(estate number, street, house number) of every entrance, in the order they are built."""
    return [
        (number, street, str(house_number))
        for number, _name, streets in spec
        for street, house_numbers in streets
        for house_number in house_numbers
    ]


def tenancies_demo_build(
    *,
    estates: dict[str, Estate],
    rng: random.Random,
    spec: list[tuple[str, str, list[tuple[str, range]]]] = ESTATES,
    postcode: str = POSTCODE,
    city: str = CITY,
) -> int:
    """Entrances of four floors with three flats each; in about a third of them the ground floor has
    two flats because the middle one is the bike and laundry room. Returns the number of tenancies."""
    tenancies: list[NewTenancy] = []
    next_number = dict.fromkeys(estates, 1)
    for estate_number, street, house_number in _entrance_addresses(spec):
        ground_floor_doors = ["tv", "th"] if rng.random() < 1 / 3 else DOORS
        for floor in FLOORS:
            for door in ground_floor_doors if floor == "st" else DOORS:
                tenancies.append(
                    NewTenancy(
                        estate_id=estates[estate_number].pk,
                        number=f"{estate_number}-{next_number[estate_number]:04d}",
                        street=street,
                        house_number=house_number,
                        floor=floor,
                        door=door,
                        postcode=postcode,
                        city=city,
                    )
                )
                next_number[estate_number] += 1
    return len(tenancies_bulk_create(tenancies=tenancies))
