"""Writes of housing organisations, areas, estates, entrances and tenancies.

Tenancies arrive by the thousand (a move-in list, the demo area), so they are created in bulk: a list of
`NewTenancy` through the ORM anywhere, or on PostgreSQL from a table of them with two set-based INSERTs.
Either way an entrance is found or created from the tenancy's address, an existing tenancy is never
touched, and when one new tenancy is given twice the first one's address wins.
"""

import re
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields

from django.db import connection, transaction
from django.utils import timezone

from apps.organisation.models import Area, Entrance, Estate, HousingOrganisation, Tenancy


def housing_organisation_create(*, slug: str, name: str) -> HousingOrganisation:
    organisation = HousingOrganisation(slug=slug, name=name)
    organisation.full_clean()
    organisation.save()
    return organisation


def area_create(*, slug: str, name: str, description: str = "") -> Area:
    area = Area(slug=slug, name=name, description=description)
    area.full_clean()
    area.save()
    return area


def estate_create(*, organisation: HousingOrganisation, area: Area | None, number: str, name: str) -> Estate:
    """A new estate; its number must be new in the organisation (ValidationError otherwise)."""
    estate = Estate(organisation=organisation, area=area, number=number, name=name)
    estate.full_clean()
    estate.save()
    return estate


def entrance_get_or_create(
    *, estate: Estate, street: str, house_number: str, postcode: str = "", city: str = ""
) -> Entrance:
    """The estate's entrance at this address; a new one takes the postcode and city given."""
    entrance = Entrance.objects.filter(estate=estate, street=street, house_number=house_number).first()
    if entrance is None:
        entrance = Entrance(estate=estate, street=street, house_number=house_number, postcode=postcode, city=city)
        entrance.full_clean()
        entrance.save()
    return entrance


def tenancy_create(*, entrance: Entrance, number: str, floor: str = "", door: str = "") -> Tenancy:
    """A new tenancy in the entrance's estate; its number must be new there (ValidationError otherwise)."""
    tenancy = Tenancy(estate_id=entrance.estate_id, entrance=entrance, number=number, floor=floor, door=door)
    tenancy.full_clean()
    tenancy.save()
    return tenancy


@dataclass(frozen=True)
class NewTenancy:
    """A tenancy to create if its estate has none with this number, with the address of its entrance."""

    estate_id: int
    number: str
    street: str
    house_number: str
    floor: str = ""
    door: str = ""
    postcode: str = ""
    city: str = ""

    @property
    def key(self) -> tuple[int, str]:
        return (self.estate_id, self.number)


TenancyIds = dict[tuple[int, str], int]


def tenancies_bulk_create(*, tenancies: Sequence[NewTenancy], fast: bool | None = None) -> TenancyIds:
    """Create the tenancies that do not exist yet, and their entrances; return the id of every one given.

    A tenancy without street or house number cannot be placed in an entrance: it is not created, and is
    missing from the result unless it existed already. `fast` chooses the PostgreSQL path (None: whenever
    the database is PostgreSQL); both give the same rows.
    """
    if not tenancies:
        return {}
    if fast is None:
        fast = connection.vendor == "postgresql"
    if fast:
        return _tenancies_bulk_create_copy(tenancies)
    return _tenancies_bulk_create_orm(tenancies)


def _tenancy_ids(keys: set[tuple[int, str]]) -> TenancyIds:
    return {
        (estate_id, number): pk
        for pk, estate_id, number in Tenancy.objects.filter(
            estate_id__in={estate_id for estate_id, _n in keys}, number__in={number for _e, number in keys}
        ).values_list("id", "estate_id", "number")
        if (estate_id, number) in keys
    }


def _tenancies_bulk_create_orm(tenancies: Sequence[NewTenancy]) -> TenancyIds:
    """A fixed handful of queries, however many tenancies."""
    ids = _tenancy_ids({t.key for t in tenancies})
    missing: dict[tuple[int, str], NewTenancy] = {}
    for tenancy in tenancies:
        if tenancy.key not in ids and tenancy.key not in missing and tenancy.street and tenancy.house_number:
            missing.setdefault(tenancy.key, tenancy)  # the first one's address is the tenancy's address
    if not missing:
        return ids
    entrances = entrances_find_or_create(tenancies=list(missing.values()))
    now = timezone.now()
    created = Tenancy.objects.bulk_create(
        [
            Tenancy(
                estate_id=t.estate_id,
                entrance_id=entrances[(t.estate_id, t.street, t.house_number)],
                number=t.number,
                floor=t.floor,
                door=t.door,
                created_at=now,
                updated_at=now,
            )
            for t in missing.values()
        ]
    )
    ids.update({(t.estate_id, t.number): t.pk for t in created})
    return ids


def entrances_find_or_create(*, tenancies: Sequence[NewTenancy]) -> dict[tuple[int, str, str], int]:
    """The entrance of each tenancy's address by (estate id, street, house number), created if missing."""
    wanted: dict[tuple[int, str, str], NewTenancy] = {}
    for t in tenancies:
        wanted.setdefault((t.estate_id, t.street, t.house_number), t)
    entrances = {
        (estate_id, street, house_number): pk
        for pk, estate_id, street, house_number in Entrance.objects.filter(
            estate_id__in={key[0] for key in wanted}, street__in={key[1] for key in wanted}
        ).values_list("id", "estate_id", "street", "house_number")
    }
    new = [key for key in wanted if key not in entrances]
    if new:
        created = Entrance.objects.bulk_create(
            [
                Entrance(
                    estate_id=estate_id,
                    street=street,
                    house_number=house_number,
                    postcode=wanted[(estate_id, street, house_number)].postcode,
                    city=wanted[(estate_id, street, house_number)].city,
                )
                for estate_id, street, house_number in new
            ]
        )
        entrances.update({(e.estate_id, e.street, e.house_number): e.pk for e in created})
    return entrances


# --- PostgreSQL: set-based, from a table of new tenancies --------------------------------------------

_NEW_TENANCIES = "organisation_new_tenancies"
# The columns a table of new tenancies has; `ord` orders them, so the first one given wins.
NEW_TENANCY_COLUMNS = ("ord", *(f.name for f in fields(NewTenancy)))
_NEW_TENANCY_TYPES = ["int4", "int8"] + ["text"] * (len(NEW_TENANCY_COLUMNS) - 2)
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _tenancies_bulk_create_copy(tenancies: Sequence[NewTenancy]) -> TenancyIds:
    """COPY the tenancies into a temporary table, then the two INSERTs of `tenancies_create_from_table`.

    In a transaction of its own (or the caller's): in autocommit the ON COMMIT DROP table would be gone
    right after its CREATE, before the COPY (the simulated year found it building its area outside one)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_NEW_TENANCIES}")
        # ON COMMIT DROP: the table never outlives the transaction (the caller's, or this statement's).
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE {_NEW_TENANCIES} (
                ord integer NOT NULL, estate_id bigint NOT NULL, number text NOT NULL,
                street text NOT NULL, house_number text NOT NULL, floor text NOT NULL, door text NOT NULL,
                postcode text NOT NULL, city text NOT NULL
            ) ON COMMIT DROP
            """
        )
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no COPY
        with raw.copy(f"COPY {_NEW_TENANCIES} ({', '.join(NEW_TENANCY_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(_NEW_TENANCY_TYPES)
            for ord_, tenancy in enumerate(tenancies):
                copy.write_row((ord_, *astuple(tenancy)))
        tenancies_create_from_table(table=_NEW_TENANCIES)
        cursor.execute(
            f"""
            SELECT DISTINCT t.estate_id, t.number, t.id
              FROM {_NEW_TENANCIES} n JOIN {Tenancy._meta.db_table} t ON t.estate_id = n.estate_id AND t.number = n.number
            """
        )
        ids = {(estate_id, number): pk for estate_id, number, pk in cursor.fetchall()}
        cursor.execute(f"DROP TABLE {_NEW_TENANCIES}")
    return ids


def tenancies_create_from_table(*, table: str) -> int:
    """PostgreSQL: create the entrances and tenancies listed in a (temporary) table that lack them.

    The table has the columns of NEW_TENANCY_COLUMNS; for one tenancy (or entrance) listed more than once
    the lowest `ord` wins. Lines without street or house number create nothing. Returns the number of
    tenancies created. Two INSERT … SELECT statements, whatever the number of rows.
    """
    if not _IDENTIFIER.match(table):
        raise ValueError(f"Not a table name: {table!r}")
    names = {"new": table, "entrance": Entrance._meta.db_table, "tenancy": Tenancy._meta.db_table}
    # The app's clock, not the database server's now(): time comes from one place (timezone.now).
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH first AS (  -- each missing tenancy's first line with an address: its entrance
                SELECT DISTINCT ON (n.estate_id, n.number) n.*
                  FROM {new} n
                 WHERE n.street <> '' AND n.house_number <> ''
                   AND NOT EXISTS (SELECT 1 FROM {tenancy} t WHERE t.estate_id = n.estate_id AND t.number = n.number)
                 ORDER BY n.estate_id, n.number, n.ord
            )
            INSERT INTO {entrance} (created_at, updated_at, estate_id, street, house_number, postcode, city)
            SELECT DISTINCT ON (f.estate_id, f.street, f.house_number)
                   %s, %s, f.estate_id, f.street, f.house_number, f.postcode, f.city
              FROM first f
             ORDER BY f.estate_id, f.street, f.house_number, f.ord
            ON CONFLICT (estate_id, street, house_number) DO NOTHING
            """.format(**names),
            [now, now],
        )
        cursor.execute(
            """
            INSERT INTO {tenancy} (created_at, updated_at, estate_id, entrance_id, number, floor, door)
            SELECT DISTINCT ON (n.estate_id, n.number)
                   %s, %s, n.estate_id, en.id, n.number, n.floor, n.door
              FROM {new} n
              JOIN {entrance} en ON en.estate_id = n.estate_id AND en.street = n.street AND en.house_number = n.house_number
             ORDER BY n.estate_id, n.number, n.ord
            ON CONFLICT (estate_id, number) DO NOTHING
            """.format(**names),
            [now, now],
        )
        return cursor.rowcount
