"""A personal-data search is logged as what kind of thing was searched for, never as the text: an
erased person's name must not stay in the append-only log, nor show on the access-log page."""

import pytest
from django.db import connection
from django.urls import reverse

from apps.audit.models import AccessLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def carla(client, coordinator):
    client.force_login(coordinator)
    return client


def _audit_text() -> str:
    """Every column of every row of both audit tables, as the database holds them."""
    chunks = []
    with connection.cursor() as cursor:
        for table in ("audit_accesslogentry", "audit_accesslogsubject"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return " ".join(chunks).lower()


def _name_parts(name: str) -> list[str]:
    return [part.lower() for part in name.split()]


@pytest.fixture
def zainab(make_newcomer, tenancy):
    # A name with no part that the log's own words (e.g. "newcomer") could hold; at Testvej 101, 101-0001.
    return make_newcomer(name="Zainab Qureshi", phone="+4561234567", email="zq@example.org", tenancy=tenancy)


def test_a_search_for_a_full_name_stores_the_category_and_no_part_of_the_name(carla, area, zainab):
    name = zainab.name

    response = carla.get(reverse("privacy:search", args=[area.slug]), {"q": name})

    assert [n.pk for n in response.context["newcomers"]] == [zainab.pk]
    entry = AccessLogEntry.objects.get()
    assert (entry.view_name, entry.search, entry.actor_label) == (
        "privacy:search",
        "name",
        response.wsgi_request.user.email,
    )
    assert entry.path == reverse("privacy:search", args=[area.slug])
    stored = _audit_text()
    assert not [part for part in _name_parts(name) if part in stored]


@pytest.mark.parametrize(
    ("typed", "category"),
    [("+45 61 23 45 67", "phone"), ("zq@example.org", "email"), ("101-0001", "tenancy"), ("Testvej 101", "address")],
)
def test_a_search_is_logged_as_what_was_searched_for(carla, area, zainab, typed, category):
    carla.get(reverse("privacy:search", args=[area.slug]), {"q": typed})

    entry = AccessLogEntry.objects.get()  # she was found
    assert entry.search == category and "?" not in entry.path
    assert typed.lower() not in _audit_text()


def test_the_access_log_page_does_not_show_what_was_searched_for(carla, area, zainab):
    carla.get(reverse("privacy:search", args=[area.slug]), {"q": zainab.name})

    page = carla.get(reverse("audit:area_log", args=[area.slug])).content.decode()

    assert "privacy:search" in page
    assert not [part for part in _name_parts(zainab.name) if part in page.lower()]


def test_erasing_a_newcomer_leaves_no_trace_of_their_name_in_the_log(carla, area, zainab):
    name, newcomer = zainab.name, zainab
    carla.get(reverse("privacy:search", args=[area.slug]), {"q": name})
    carla.get(reverse("privacy:search", args=[area.slug]), {"q": name.split()[-1]})
    carla.get(reverse("privacy:newcomer", args=[area.slug, newcomer.pk]))

    carla.post(reverse("privacy:newcomer_erase", args=[area.slug, newcomer.pk]), {"confirm": "on"})

    newcomer.refresh_from_db()
    assert newcomer.name == "" and AccessLogEntry.objects.filter(action="erase").count() == 1
    assert AccessLogEntry.objects.filter(view_name="privacy:search").count() == 2
    assert not [part for part in _name_parts(name) if part in _audit_text()]
