"""Support conversations: a coordinator's brief notes of talks with each ambassador, for the coordinators
of the ambassador's area only, logged when read; the ambassador list shows the last one and flags who
is due one; the dual role of a board member is flagged on the page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.audit.models import AccessLogEntry, AccessLogSubject
from apps.visits.models import Ambassador, SupportConversation
from apps.visits.services import support_conversation_create

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def _fields(**extra) -> dict:
    return {
        "held_on": TODAY.isoformat(),
        "strengths": "Good listener",
        "interests": "Madklub",
        "visits_per_month_wanted": 3,
        "phone": "not",
        "languages": ["da", "ar"],
        "note": "Wants to visit with a partner at first.",
        "next_on": (TODAY + datetime.timedelta(days=90)).isoformat(),
        **extra,
    }


@pytest.fixture
def carla(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def talk(ambassador_profile, coordinator) -> SupportConversation:
    return support_conversation_create(
        ambassador=ambassador_profile, by=coordinator, held_on=_days_ago(30), note="Likes the madklub"
    )


def _support_url(area, ambassador) -> str:
    return reverse("visits:support", args=[area.slug, ambassador.pk])


def test_coordinator_notes_a_conversation(carla, area, coordinator, ambassador_profile):
    response = carla.post(_support_url(area, ambassador_profile), _fields())

    assert response.status_code == 302
    conversation = SupportConversation.objects.get(ambassador=ambassador_profile)
    assert conversation.recorded_by == coordinator
    assert conversation.languages == ["da", "ar"] and conversation.phone == "not"
    assert conversation.visits_per_month_wanted == 3
    assert "Wants to visit with a partner" in carla.get(_support_url(area, ambassador_profile)).content.decode()


def test_reading_the_notes_is_logged_as_the_ambassadors_personal_data(carla, area, ambassador_profile, talk):
    carla.get(_support_url(area, ambassador_profile))

    entry = AccessLogEntry.objects.get(view_name="visits:support")
    assert entry.subject_kind == AccessLogEntry.SubjectKind.PERSON and entry.area_id == area.pk
    assert list(AccessLogSubject.objects.filter(entry=entry).values_list("object_id", flat=True)) == [
        ambassador_profile.user_id
    ]


def test_a_note_longer_than_the_limit_is_refused(carla, area, ambassador_profile):
    response = carla.post(_support_url(area, ambassador_profile), _fields(note="x" * 1001))

    assert response.status_code == 400
    assert not SupportConversation.objects.exists()


def test_the_next_conversation_cannot_be_before_this_one(carla, area, ambassador_profile):
    response = carla.post(_support_url(area, ambassador_profile), _fields(next_on=_days_ago(1).isoformat()))

    assert response.status_code == 400
    assert not SupportConversation.objects.exists()


def test_coordinator_edits_a_note(carla, area, ambassador_profile, talk):
    url = reverse("visits:support_edit", args=[area.slug, ambassador_profile.pk, talk.pk])
    assert carla.get(url).status_code == 200

    response = carla.post(url, _fields(note="Now wants phone visits too", phone="gives"))

    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.note == "Now wants phone visits too" and talk.phone == "gives"


def test_coordinator_deletes_a_note(carla, area, ambassador_profile, talk):
    response = carla.post(reverse("visits:support_delete", args=[area.slug, ambassador_profile.pk, talk.pk]))

    assert response.status_code == 302
    assert not SupportConversation.objects.exists()


def test_a_note_of_another_ambassador_is_not_found_through_this_ambassadors_url(
    carla, area, ambassador_profile, other_ambassador_profile, talk
):
    url = reverse("visits:support_delete", args=[area.slug, other_ambassador_profile.pk, talk.pk])

    assert carla.post(url).status_code == 404
    assert SupportConversation.objects.filter(pk=talk.pk).exists()


@pytest.mark.parametrize("who", ["ambassador", "board_member", "interviewer", "other_coordinator"])
def test_nobody_but_the_areas_coordinators_reads_or_changes_the_notes(
    request, client, area, ambassador_profile, talk, who
):
    client.force_login(request.getfixturevalue(who))
    urls = [
        ("get", _support_url(area, ambassador_profile)),
        ("post", _support_url(area, ambassador_profile)),
        ("get", reverse("visits:support_edit", args=[area.slug, ambassador_profile.pk, talk.pk])),
        ("post", reverse("visits:support_edit", args=[area.slug, ambassador_profile.pk, talk.pk])),
        ("post", reverse("visits:support_delete", args=[area.slug, ambassador_profile.pk, talk.pk])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, _fields(note="Changed"))
        assert response.status_code == 403, (method, url)
        assert "Likes the madklub" not in response.content.decode()
    talk.refresh_from_db()
    assert talk.note == "Likes the madklub"
    assert SupportConversation.objects.count() == 1
    assert not AccessLogEntry.objects.filter(view_name__startswith="visits:support").exists()


def test_the_ambassadors_own_pages_do_not_show_the_notes(client, ambassador, ambassador_profile, talk):
    client.force_login(ambassador)
    for url in [reverse("visits:my_profile"), reverse("visits:mine")]:
        assert "Likes the madklub" not in client.get(url).content.decode()


def test_a_board_member_of_the_area_is_flagged_for_the_dual_role(carla, area, estate, ambassador, ambassador_profile):
    page = _support_url(area, ambassador_profile)
    assert "dual-role" not in carla.get(page).content.decode()

    membership_grant(user=ambassador, area=area, role=Membership.Role.BOARD, estates=[estate])

    assert "dual-role" in carla.get(page).content.decode()


def test_a_board_seat_in_another_area_is_not_this_areas_dual_role(
    carla, area, other_area, ambassador, ambassador_profile
):
    membership_grant(user=ambassador, area=other_area, role=Membership.Role.BOARD, estates=[other_area.estates.first()])

    assert "dual-role" not in carla.get(_support_url(area, ambassador_profile)).content.decode()


def test_the_ambassador_list_shows_the_last_conversation_and_who_is_due_one(
    carla, area, coordinator, make_ambassador, settings
):
    settings.SUPPORT_CONVERSATION_DUE_MONTHS = 6
    recent = make_ambassador(name="Rita Recent", started_on=_days_ago(800))
    support_conversation_create(ambassador=recent, by=coordinator, held_on=_days_ago(400))
    support_conversation_create(ambassador=recent, by=coordinator, held_on=_days_ago(20))
    overdue = make_ambassador(name="Olga Overdue", started_on=_days_ago(800))
    support_conversation_create(ambassador=overdue, by=coordinator, held_on=_days_ago(200))
    make_ambassador(name="Nils Never", started_on=_days_ago(800))
    make_ambassador(name="Nadia New", started_on=_days_ago(10))
    make_ambassador(name="Lars Left", started_on=_days_ago(800), status=Ambassador.Status.LEFT)

    response = carla.get(reverse("visits:ambassador_list", args=[area.slug]))

    rows = {row.user.full_name: row for row in response.context["ambassadors"]}
    assert rows["Rita Recent"].last_support == _days_ago(20)
    assert rows["Olga Overdue"].last_support == _days_ago(200)
    due = {name for name, row in rows.items() if row.support_due}
    assert due == {"Olga Overdue", "Nils Never"}
    assert response.content.decode().count("support-due") == 2


def test_the_ambassador_list_runs_the_same_queries_whatever_the_number_of_notes(
    carla, area, coordinator, make_ambassador, django_assert_max_num_queries
):
    for n in range(3):
        ambassador = make_ambassador()
        for days in (10, 100, 200):
            support_conversation_create(ambassador=ambassador, by=coordinator, held_on=_days_ago(days + n))
    url = reverse("visits:ambassador_list", args=[area.slug])
    carla.get(url)
    with CaptureQueriesContext(connection) as few:
        carla.get(url)
    for _n in range(3):
        support_conversation_create(ambassador=make_ambassador(), by=coordinator, held_on=_days_ago(5))
    with django_assert_max_num_queries(len(few)):
        carla.get(url)
