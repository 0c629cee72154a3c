"""Recruitment: the public "become a neighbour ambassador" page and the coordinator's candidate board."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.corps.models import Candidate
from apps.privacy.services import retention_apply
from apps.visits.models import Ambassador, AmbassadorStatusChange

pytestmark = pytest.mark.django_db


def _join(client, area, lang="da", **fields):
    data = {
        "lang": lang,
        "full_name": "Hodan Ahmed",
        "email": "hodan@example.org",
        "phone": "",
        "motivation": "Jeg kan lide at hjælpe",
        "languages": ["so", "da"],
        "consent": "on",
        **fields,
    }
    return client.post(reverse("corps:join", args=[area.slug]), data)


# --- The public page ---------------------------------------------------------------------------------


def test_a_resident_signs_up_and_the_coordinator_gets_a_candidate(client, area):
    entrance = area.estates.get(number="101").entrances.get()
    response = _join(client, area, phone="31 23 45 67", entrance=entrance.pk)

    assert response.status_code == 200
    assert "Tak for din interesse" in response.content.decode()
    candidate = Candidate.objects.get(area=area)
    assert candidate.channel == Candidate.Channel.WEB_FORM
    assert candidate.stage == Candidate.Stage.INTERESTED
    assert candidate.phone == "+4531234567"
    assert candidate.entrance == entrance
    assert candidate.languages == ["so", "da"]
    assert candidate.consent_at is not None
    assert candidate.created_by is None


def test_the_page_speaks_arabic_right_to_left(client, area):
    response = client.get(reverse("corps:join", args=[area.slug]), {"lang": "ar"})

    content = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in content
    assert 'lang="ar"' in content
    assert "bootstrap.rtl.min.css" in content
    assert "كن سفيرًا للجيران" in content


def test_the_page_speaks_turkish_and_english_left_to_right(client, area):
    turkish = client.get(reverse("corps:join", args=[area.slug]), {"lang": "tr"}).content.decode()
    english = client.get(reverse("corps:join", args=[area.slug]), {"lang": "en"}).content.decode()

    assert 'dir="ltr"' in turkish and "Komşu elçisi olun" in turkish
    assert 'dir="ltr"' in english and "Become a neighbour ambassador" in english


def test_the_page_says_who_sees_the_details_and_when_they_are_deleted(client, area):
    content = client.get(reverse("corps:join", args=[area.slug]), {"lang": "en"}).content.decode()

    assert "Only the area's coordinators see it" in content
    assert "12 months" in content


def test_missing_consent_is_a_clear_error_and_stores_nothing(client, area):
    response = _join(client, area, lang="en", consent="")

    assert response.status_code == 400
    assert "Tick the box if we may keep your details" in response.content.decode()
    assert not Candidate.objects.exists()


def test_a_sign_up_without_email_or_mobile_is_refused(client, area):
    response = _join(client, area, lang="tr", email="", phone="")

    assert response.status_code == 400
    assert "E-posta adresinizi veya cep telefonunuzu yazın." in response.content.decode()
    assert not Candidate.objects.exists()


def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(client, area):
    response = _join(client, area, website="http://spam.example")

    assert response.status_code == 200
    assert "Tak for din interesse" in response.content.decode()
    assert not Candidate.objects.exists()


def test_a_second_sign_up_with_the_same_email_makes_no_second_row_and_looks_the_same(client, area):
    first = _join(client, area)
    second = _join(client, area, full_name="Someone Else", email="HODAN@example.org")

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert Candidate.objects.get().full_name == "Hodan Ahmed"


def test_an_ambassador_of_the_area_signing_up_makes_no_candidate(client, area, ambassador):
    Ambassador.objects.create(user=ambassador, area=area)

    response = _join(client, area, email="", phone=ambassador.phone)

    assert response.status_code == 200
    assert not Candidate.objects.exists()


def test_the_same_person_may_sign_up_in_another_area(client, area, other_area):
    _join(client, area)
    _join(client, other_area)

    assert Candidate.objects.filter(email="hodan@example.org").count() == 2


def test_too_many_sign_ups_from_one_address_are_refused(client, area, settings):
    settings.CANDIDATE_JOIN_PER_HOUR = 2
    cache.clear()
    for n in range(2):
        assert _join(client, area, email=f"p{n}@example.org").status_code == 200

    response = _join(client, area, email="p3@example.org")

    assert response.status_code == 429
    assert Candidate.objects.count() == 2


def test_a_script_in_the_text_is_stored_as_text_and_shown_escaped(client, area, coordinator):
    script = "<script>alert('x')</script>"
    _join(client, area, full_name=f"Eve {script}", motivation=script)
    candidate = Candidate.objects.get()
    assert candidate.motivation == script

    client.force_login(coordinator)
    for url in (
        reverse("corps:candidates", args=[area.slug]),
        reverse("corps:candidate", args=[area.slug, candidate.pk]),
    ):
        content = client.get(url).content.decode()
        assert script not in content
        assert "&lt;script&gt;" in content


def test_an_unknown_or_closed_area_has_no_page(client, area):
    assert client.get(reverse("corps:join", args=["nowhere"])).status_code == 404
    area.closed_on = timezone.localdate()
    area.save(update_fields=["closed_on"])

    assert client.get(reverse("corps:join", args=[area.slug])).status_code == 404
    assert _join(client, area).status_code == 404
    assert not Candidate.objects.exists()


# --- The coordinator's board ----------------------------------------------------------------------------


def test_the_coordinator_adds_a_candidate_met_at_an_information_meeting(client, area, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("corps:candidates", args=[area.slug]),
        {
            "full_name": "Mette Madsen",
            "phone": "20 30 40 50",
            "channel": Candidate.Channel.INFORMATION_MEETING,
            "interested_on": timezone.localdate().isoformat(),
            "languages": ["da"],
        },
    )

    candidate = Candidate.objects.get()
    assert response.status_code == 302
    assert candidate.channel == Candidate.Channel.INFORMATION_MEETING
    assert candidate.created_by == coordinator
    assert candidate.consent_at is None


def test_a_candidate_already_known_cannot_be_added_twice(client, area, coordinator, candidate):
    client.force_login(coordinator)
    response = client.post(
        reverse("corps:candidates", args=[area.slug]),
        {
            "full_name": "H. A.",
            "phone": "31234567",
            "channel": Candidate.Channel.PERSONAL_REQUEST,
            "interested_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 400
    assert Candidate.objects.count() == 1


def test_the_board_shows_each_stage_with_counts(client, area, coordinator, make_candidate, make_user):
    today = timezone.localdate()
    make_candidate(full_name="Ida Interested")
    make_candidate(full_name="Tina Talked", stage="intro_talk", intro_talk_on=today)
    make_candidate(full_name="Nils Notnow", stage="not_continuing", stop_reason="no_time", decided_on=today)
    left = Ambassador.objects.create(
        user=make_user(full_name="Lone Left"), area=area, status="left", status_since=today
    )
    AmbassadorStatusChange.objects.create(ambassador=left, status="left", on=today, reason="moved")
    Ambassador.objects.create(
        user=make_user(full_name="Lars Longgone"),
        area=area,
        status="left",
        status_since=today - datetime.timedelta(days=400),
    )
    Ambassador.objects.create(user=make_user(full_name="Tove Trained"), area=area, status="trained")

    client.force_login(coordinator)
    response = client.get(reverse("corps:candidates", args=[area.slug]))

    columns = {column.key: column for column in response.context["columns"]}
    assert [c.full_name for c in columns["interested"].candidates] == ["Ida Interested"]
    assert [c.full_name for c in columns["intro_talk"].candidates] == ["Tina Talked"]
    assert [a.user.full_name for a in columns["trained"].ambassadors] == ["Tove Trained"]
    assert [a.user.full_name for a in columns["left"].ambassadors] == ["Lone Left"]
    assert [c.full_name for c in response.context["stopped"]] == ["Nils Notnow"]
    content = response.content.decode()
    assert "Flyttet" in content
    assert "Lars Longgone" not in content


def test_the_board_asks_the_same_queries_whatever_the_number_of_people(
    client, area, coordinator, make_candidate, make_user, django_assert_num_queries
):
    client.force_login(coordinator)
    url = reverse("corps:candidates", args=[area.slug])
    make_candidate()
    Ambassador.objects.create(user=make_user(), area=area, status="accepted")
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    assert len(first.captured_queries) <= 11
    for n in range(5):
        make_candidate(stage="intro_talk", intro_talk_on=timezone.localdate())
        Ambassador.objects.create(
            user=make_user(), area=area, status=["accepted", "trained", "active", "paused"][n % 4]
        )
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(url)


def test_viewing_a_candidate_is_logged(client, area, coordinator, candidate):
    client.force_login(coordinator)
    client.get(reverse("corps:candidate", args=[area.slug, candidate.pk]))

    entry = AccessLogEntry.objects.get(view_name="corps:candidate")
    assert entry.subject_kind == AccessLogEntry.SubjectKind.CANDIDATE
    assert list(entry.subjects.values_list("object_id", flat=True)) == [candidate.pk]


def test_intro_talk_and_not_continuing_move_the_candidate(client, area, coordinator, candidate):
    client.force_login(coordinator)
    today = timezone.localdate()
    client.post(reverse("corps:candidate_intro_talk", args=[area.slug, candidate.pk]), {"on": today.isoformat()})
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.intro_talk_on) == ("intro_talk", today)

    client.post(reverse("corps:candidate_stop", args=[area.slug, candidate.pk]), {"reason": "changed_mind"})
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.stop_reason, candidate.decided_on) == ("not_continuing", "changed_mind", today)


# --- Three users: the coordinator of the area, the coordinator of another, an ambassador --------------------


@pytest.mark.parametrize("who", ["other_coordinator", "ambassador"])
def test_others_cannot_see_or_move_a_candidate(client, request, area, candidate, who):
    client.force_login(request.getfixturevalue(who))
    before = Candidate.objects.values().get()

    assert client.get(reverse("corps:candidates", args=[area.slug])).status_code == 403
    assert client.get(reverse("corps:candidate", args=[area.slug, candidate.pk])).status_code == 403
    for name, data in [
        ("corps:candidate_intro_talk", {"on": timezone.localdate().isoformat()}),
        ("corps:candidate_accept", {"confirm": "1"}),
        ("corps:candidate_stop", {"reason": "other"}),
        ("corps:candidate", {"note": "hacked"}),
    ]:
        assert client.post(reverse(name, args=[area.slug, candidate.pk]), data).status_code == 403
    assert Candidate.objects.values().get() == before


def test_another_areas_coordinator_cannot_reach_a_candidate_through_their_own_area(
    client, area, other_area, other_coordinator, candidate
):
    client.force_login(other_coordinator)
    before = Candidate.objects.values().get()

    assert client.get(reverse("corps:candidate", args=[other_area.slug, candidate.pk])).status_code == 403
    response = client.post(reverse("corps:candidate_accept", args=[other_area.slug, candidate.pk]), {"confirm": "1"})

    assert response.status_code == 403
    assert Candidate.objects.values().get() == before


# --- Retention and erasure ---------------------------------------------------------------------------------


def test_retention_deletes_who_did_not_continue_and_old_open_candidates(make_candidate, settings):
    settings.CANDIDATE_KEEP_MONTHS = 12
    today = timezone.localdate()
    stopped = make_candidate(stage="not_continuing", stop_reason="no_reply", decided_on=today)
    old = make_candidate(interested_on=today - datetime.timedelta(days=400))
    recent = make_candidate(interested_on=today - datetime.timedelta(days=100))

    run = retention_apply(today=today)

    assert run.counts["candidates_deleted"] == 2
    assert list(Candidate.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Candidate.objects.filter(pk__in=[stopped.pk, old.pk]).exists()
