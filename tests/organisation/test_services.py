"""Organisation services: estates created once per number, tenancies and their entrances created in bulk
the same way on both paths (PostgreSQL's set-based one and the plain ORM one)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.organisation.models import Entrance, Estate, Tenancy
from apps.organisation.services import (
    NewTenancy,
    area_create,
    entrance_get_or_create,
    estate_create,
    tenancies_bulk_create,
    tenancy_create,
)

pytestmark = pytest.mark.django_db

PATHS = [pytest.param(False, id="orm"), pytest.param(True, id="postgres")]


def _new(estate: Estate, number: str, street: str = "Nyvej", house_number: str = "1", **extra) -> NewTenancy:
    return NewTenancy(estate_id=estate.pk, number=number, street=street, house_number=house_number, **extra)


def test_estate_create_makes_an_estate_in_the_area(organisation, area):
    estate = estate_create(organisation=organisation, area=area, number="105", name="Kastanjegården")

    assert Estate.objects.get(pk=estate.pk).area == area
    assert area.estates.filter(number="105", name="Kastanjegården").exists()


def test_estate_create_refuses_a_number_the_organisation_has_in_another_area(organisation, area, other_area):
    before = Estate.objects.count()

    with pytest.raises(ValidationError):
        estate_create(organisation=organisation, area=area, number="201", name="Clash")

    assert Estate.objects.count() == before
    assert Estate.objects.get(organisation=organisation, number="201").area == other_area


def test_area_create_refuses_a_taken_short_name(area):
    with pytest.raises(ValidationError):
        area_create(slug=area.slug, name="Again")


def test_entrance_get_or_create_finds_the_address_before_creating_it(estate):
    known = estate.entrances.get()

    found = entrance_get_or_create(estate=estate, street=known.street, house_number=known.house_number)
    new = entrance_get_or_create(estate=estate, street="Nyvej", house_number="2", postcode="5220", city="Odense")

    assert found == known
    assert estate.entrances.filter(pk=new.pk, street="Nyvej", postcode="5220").exists()
    assert estate.entrances.count() == 2


def test_tenancy_create_places_it_in_the_entrances_estate_once(estate):
    entrance = estate.entrances.get()

    tenancy = tenancy_create(entrance=entrance, number="101-0900", floor="2", door="th")

    assert Tenancy.objects.get(pk=tenancy.pk).estate == estate
    with pytest.raises(ValidationError):
        tenancy_create(entrance=entrance, number="101-0900")
    assert Tenancy.objects.filter(number="101-0900").count() == 1


def test_admin_adds_an_estate_through_the_service(client, make_user, organisation, area):
    client.force_login(make_user(full_name="Root Admin", is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:organisation_estate_add"),
        {"organisation": organisation.pk, "area": area.pk, "number": "109", "name": "Bøgely"},
    )

    estate = Estate.objects.get(organisation=organisation, number="109")
    assert response.status_code == 302
    assert (estate.area, estate.name) == (area, "Bøgely")


@pytest.mark.parametrize("fast", PATHS)
def test_bulk_create_makes_tenancies_and_their_entrances(estate, fast):
    given = [
        _new(
            estate, "101-0100", street="Nyvej", house_number="3", floor="st", door="tv", postcode="5220", city="Odense"
        ),
        _new(
            estate, "101-0101", street="Nyvej", house_number="3", floor="1", door="th", postcode="5220", city="Odense"
        ),
        _new(estate, "101-0102", street="Nyvej", house_number="5"),
    ]

    ids = tenancies_bulk_create(tenancies=given, fast=fast)

    assert set(ids) == {(estate.pk, "101-0100"), (estate.pk, "101-0101"), (estate.pk, "101-0102")}
    first = Tenancy.objects.select_related("entrance").get(pk=ids[(estate.pk, "101-0100")])
    assert (first.entrance.street, first.entrance.house_number, first.floor, first.door) == ("Nyvej", "3", "st", "tv")
    assert (first.entrance.postcode, first.entrance.city) == ("5220", "Odense")
    assert Entrance.objects.filter(estate=estate, street="Nyvej").count() == 2
    assert Tenancy.objects.get(pk=ids[(estate.pk, "101-0101")]).entrance_id == first.entrance_id


@pytest.mark.parametrize("fast", PATHS)
def test_bulk_create_never_touches_an_existing_tenancy(tenancy, fast):
    before = (tenancy.entrance_id, tenancy.floor, tenancy.door)
    entrances = Entrance.objects.count()

    ids = tenancies_bulk_create(
        tenancies=[_new(tenancy.estate, tenancy.number, street="Elsewhere", house_number="9", floor="7")], fast=fast
    )

    assert ids == {(tenancy.estate_id, tenancy.number): tenancy.pk}
    tenancy.refresh_from_db()
    assert (tenancy.entrance_id, tenancy.floor, tenancy.door) == before
    assert Entrance.objects.count() == entrances  # no entrance for an address nobody lives at


@pytest.mark.parametrize("fast", PATHS)
def test_bulk_create_uses_the_existing_entrance_of_an_address(estate, fast):
    entrance = estate.entrances.get()

    ids = tenancies_bulk_create(
        tenancies=[_new(estate, "101-0200", street=entrance.street, house_number=entrance.house_number)], fast=fast
    )

    assert Tenancy.objects.get(pk=ids[(estate.pk, "101-0200")]).entrance == entrance
    assert estate.entrances.count() == 1


@pytest.mark.parametrize("fast", PATHS)
def test_bulk_create_first_address_wins_for_a_tenancy_given_twice(estate, fast):
    ids = tenancies_bulk_create(
        tenancies=[
            _new(estate, "101-0300", street="Første", house_number="1", floor="2"),
            _new(estate, "101-0300", street="Anden", house_number="2", floor="3"),
        ],
        fast=fast,
    )

    created = Tenancy.objects.select_related("entrance").get(pk=ids[(estate.pk, "101-0300")])
    assert (created.entrance.street, created.floor) == ("Første", "2")
    assert Tenancy.objects.filter(estate=estate, number="101-0300").count() == 1
    assert not Entrance.objects.filter(street="Anden").exists()


@pytest.mark.parametrize("fast", PATHS)
def test_bulk_create_skips_a_new_tenancy_without_address(estate, fast):
    before = (Tenancy.objects.count(), Entrance.objects.count())

    ids = tenancies_bulk_create(tenancies=[_new(estate, "101-0400", street="", house_number="")], fast=fast)

    assert ids == {}
    assert (Tenancy.objects.count(), Entrance.objects.count()) == before


def test_both_paths_build_the_same_rows(organisation, area):
    estates = [
        estate_create(organisation=organisation, area=area, number=number, name=number) for number in ("301", "302")
    ]
    given = [
        _new(estate, f"{estate.number}-{n:04d}", street=f"Vej {estate.number}", house_number=str(n % 3), floor=str(n))
        for estate in estates
        for n in range(12)
    ]

    def rows(estate: Estate) -> list[tuple]:
        return list(
            Tenancy.objects.filter(estate=estate)
            .order_by("number")
            .values_list("number", "floor", "door", "entrance__street", "entrance__house_number")
        )

    tenancies_bulk_create(tenancies=[t for t in given if t.estate_id == estates[0].pk], fast=False)
    tenancies_bulk_create(
        tenancies=[
            NewTenancy(**{**t.__dict__, "estate_id": estates[1].pk, "number": t.number.replace("301", "302")})
            for t in given
            if t.estate_id == estates[0].pk
        ],
        fast=True,
    )

    assert [r[1:] for r in rows(estates[0])] == [r[1:] for r in rows(estates[1])]
    assert len(rows(estates[0])) == 12


def test_fast_path_leaves_no_table_behind(estate):
    tenancies_bulk_create(tenancies=[_new(estate, "101-0500")], fast=True)

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('organisation_new_tenancies')")
        assert cursor.fetchone()[0] is None


@pytest.mark.django_db(transaction=True)
def test_fast_path_works_outside_a_transaction(estate):
    """In autocommit the ON COMMIT DROP staging table vanished right after its CREATE, before the COPY
    (found by the simulated year, which builds its area outside any transaction)."""
    ids = tenancies_bulk_create(tenancies=[_new(estate, "101-0600", street="Nyvej", house_number="7")], fast=True)

    assert Tenancy.objects.get(pk=ids[(estate.pk, "101-0600")]).entrance.street == "Nyvej"


def test_fast_path_stamps_rows_by_the_apps_clock(estate, monkeypatch):
    """timezone.now(), not the database server's now(): time comes from one place."""
    moment = timezone.now() - datetime.timedelta(days=3, hours=5)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    ids = tenancies_bulk_create(tenancies=[_new(estate, "101-0700", street="Nyvej", house_number="9")], fast=True)

    tenancy = Tenancy.objects.select_related("entrance").get(pk=ids[(estate.pk, "101-0700")])
    assert (tenancy.created_at, tenancy.updated_at, tenancy.entrance.created_at) == (moment, moment, moment)
