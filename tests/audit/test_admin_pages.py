"""The Django admin's pages with personal data write an access-log entry like the app's own pages:
the lists and change pages of newcomers, visits, personal folders, people, ambassadors, memberships and
sign-in links. A search in the admin is logged as its category, and no logged address keeps its query."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import LoginLink, Membership
from apps.accounts.services import membership_grant
from apps.audit.models import AccessLogEntry
from apps.folders.models import Delivery

pytestmark = pytest.mark.django_db

NEWCOMER, PERSON = "newcomer", "person"


@pytest.fixture
def admin_user(make_user):
    return make_user(full_name="Root Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def root(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def delivery(visit, coordinator):
    from apps.folders.demo import folder_build_demo

    version = folder_build_demo(area=visit.area, by=coordinator).versions.get()
    return Delivery.objects.create(newcomer=visit.newcomer, visit=visit, version=version, language="da")


def _subjects(entry) -> set[int]:
    return set(entry.subjects.values_list("object_id", flat=True))


# admin model: (the object shown, whose data it is, the person it names); each entry is in `area`
PAGES = {
    "newcomers_newcomer": (lambda f: f["visit"].newcomer, NEWCOMER, lambda f: f["visit"].newcomer_id),
    "visits_visit": (lambda f: f["visit"], NEWCOMER, lambda f: f["visit"].newcomer_id),
    "folders_delivery": (lambda f: f["delivery"], NEWCOMER, lambda f: f["visit"].newcomer_id),
    "accounts_user": (lambda f: f["ambassador"], PERSON, lambda f: f["ambassador"].pk),
    "visits_ambassador": (lambda f: f["visit"].ambassador, PERSON, lambda f: f["ambassador"].pk),
    "accounts_membership": (lambda f: f["ambassador"].memberships.get(), PERSON, lambda f: f["ambassador"].pk),
    "accounts_loginlink": (lambda f: f["login_link"], PERSON, lambda f: f["ambassador"].pk),
}


@pytest.fixture
def login_link(ambassador):
    return LoginLink.objects.create(user=ambassador, token_hash="0" * 64, channel="sms", expires_at=timezone.now())


@pytest.fixture
def shown(visit, delivery, ambassador, login_link):
    return {"visit": visit, "delivery": delivery, "ambassador": ambassador, "login_link": login_link}


@pytest.mark.parametrize("model", PAGES)
def test_an_admin_change_page_with_personal_data_is_logged(root, admin_user, area, shown, model):
    obj, kind, person = PAGES[model][0](shown), PAGES[model][1], PAGES[model][2](shown)

    response = root.get(reverse(f"admin:{model}_change", args=[obj.pk]))

    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.actor_id, entry.actor_label, entry.action) == (admin_user.pk, admin_user.email, "view")
    assert (entry.view_name, entry.subject_kind, entry.area_id) == (f"admin:{model}_change", kind, area.pk)
    assert _subjects(entry) == {person}


@pytest.mark.parametrize("model", PAGES)
def test_an_admin_list_with_personal_data_is_logged(root, admin_user, area, shown, model):
    person = PAGES[model][2](shown)

    response = root.get(reverse(f"admin:{model}_changelist"))

    assert response.status_code == 200
    entries = list(AccessLogEntry.objects.filter(area=area))
    assert [(e.view_name, e.actor_id, e.action) for e in entries] == [
        (f"admin:{model}_changelist", admin_user.pk, "view")
    ]
    assert person in _subjects(entries[0]) and entries[0].subject_kind == PAGES[model][1]


def test_the_newcomer_list_logs_exactly_the_newcomers_on_the_page(root, admin_user, area, newcomer, make_newcomer):
    second = make_newcomer(name="Second Person")

    root.get(reverse("admin:newcomers_newcomer_changelist"))

    entry = AccessLogEntry.objects.get()
    assert (entry.subject_kind, entry.subject_count, entry.area_id) == (NEWCOMER, 2, area.pk)
    assert _subjects(entry) == {newcomer.pk, second.pk}


def test_an_admin_search_is_logged_as_its_category_without_the_text(root, area, newcomer):
    response = root.get(reverse("admin:newcomers_newcomer_changelist"), {"q": "Amina Newcomer", "o": "1"})

    assert [n.pk for n in response.context["cl"].result_list] == [newcomer.pk]
    entry = AccessLogEntry.objects.get()
    assert entry.search == "name" and entry.path == reverse("admin:newcomers_newcomer_changelist")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_accesslogentry")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert "Amina" not in stored and "q=" not in stored


def test_a_person_is_logged_once_for_each_of_their_areas(root, area, other_area, ambassador):
    membership_grant(user=ambassador, area=other_area, role=Membership.Role.AMBASSADOR)

    root.get(reverse("admin:accounts_user_change", args=[ambassador.pk]))

    entries = AccessLogEntry.objects.order_by("area_id")
    assert [(e.area_id, _subjects(e)) for e in entries] == [
        (area.pk, {ambassador.pk}),
        (other_area.pk, {ambassador.pk}),
    ]


def test_an_admin_page_without_personal_data_logs_nothing(root, area):
    root.get(reverse("admin:organisation_area_changelist"))
    root.get(reverse("admin:organisation_area_change", args=[area.pk]))
    root.get(reverse("admin:newcomers_newcomer_changelist"))  # no newcomers yet

    assert not AccessLogEntry.objects.exists()
