"""Training: topics, sessions with attendance, who lacks a training and whose should be refreshed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.corps.selectors import (
    ambassador_required_trainings_done,
    training_ambassadors,
    training_overview,
    trainings_missing,
)
from apps.corps.services import training_create
from apps.organisation.models import Area
from apps.visits.models import Ambassador, Training, TrainingTopic

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def make_ambassador(make_user, area):
    counter = iter(range(1, 10_000))

    def make(*, name: str | None = None, in_area=None, status: str = Ambassador.Status.ACTIVE) -> Ambassador:
        n = next(counter)
        the_area = in_area or area
        user = make_user(full_name=name or f"Ambassador {n:03d}")
        membership_grant(user=user, area=the_area, role=Membership.Role.AMBASSADOR)
        return Ambassador.objects.create(user=user, area=the_area, status=status)

    return make


@pytest.fixture
def role_topic(area) -> TrainingTopic:
    return TrainingTopic.objects.create(area=area, name="Rollen og dens grænser", refresh_months=24, required=True)


@pytest.fixture
def facilities_topic(area) -> TrainingTopic:
    return TrainingTopic.objects.create(area=area, name="Områdets faciliteter og regler", required=True)


def _session(topic, held_on, *attendees) -> Training:
    training = Training.objects.create(area=topic.area, topic=topic, title=topic.name, held_on=held_on)
    training.ambassadors.set(attendees)
    return training


# --- The rules ------------------------------------------------------------------------------------------


def test_an_ambassador_who_never_attended_lacks_the_topic(make_ambassador, role_topic):
    ali = make_ambassador()
    [item] = trainings_missing(ambassadors=[ali], topics=[role_topic], today=TODAY)
    assert item.missing == [ali] and item.refresh == []


def test_a_planned_session_does_not_count_as_had(make_ambassador, role_topic):
    ali = make_ambassador()
    _session(role_topic, TODAY + datetime.timedelta(days=1), ali)
    [item] = trainings_missing(ambassadors=[ali], topics=[role_topic], today=TODAY)
    assert item.missing == [ali]


def test_refresh_is_due_from_the_refresh_date_on_not_the_day_before(make_ambassador, role_topic):
    ali = make_ambassador()
    _session(role_topic, datetime.date(2024, 6, 15), ali)  # refresh after 24 months: due on 15.06.2026
    [before] = trainings_missing(ambassadors=[ali], topics=[role_topic], today=datetime.date(2026, 6, 14))
    [on_the_day] = trainings_missing(ambassadors=[ali], topics=[role_topic], today=datetime.date(2026, 6, 15))
    assert before.refresh == [] and before.missing == []
    assert on_the_day.refresh == [ali]


def test_the_last_session_attended_counts_for_the_refresh(make_ambassador, role_topic):
    ali = make_ambassador()
    _session(role_topic, datetime.date(2023, 1, 10), ali)
    _session(role_topic, datetime.date(2025, 1, 10), ali)
    overview = training_overview(ambassadors=[ali], topics=[role_topic], today=TODAY)
    [state] = overview.rows[0].states
    assert state.last == datetime.date(2025, 1, 10) and not state.refresh_due


def test_a_topic_without_refresh_period_is_never_due_again(make_ambassador, facilities_topic):
    ali = make_ambassador()
    _session(facilities_topic, datetime.date(2010, 1, 1), ali)
    [item] = trainings_missing(ambassadors=[ali], topics=[facilities_topic], today=TODAY)
    assert item.missing == [] and item.refresh == []


def test_another_topics_session_does_not_count(make_ambassador, role_topic, facilities_topic):
    ali = make_ambassador()
    _session(facilities_topic, datetime.date(2026, 1, 1), ali)
    [role, facilities] = trainings_missing(ambassadors=[ali], topics=[role_topic, facilities_topic], today=TODAY)
    assert role.missing == [ali] and facilities.missing == []


def test_required_trainings_done_needs_every_required_topic(make_ambassador, role_topic, facilities_topic, area):
    optional = TrainingTopic.objects.create(area=area, name="At møde tilflyttere fra andre kulturer")
    ali = make_ambassador(status=Ambassador.Status.ACCEPTED)
    _session(role_topic, datetime.date(2026, 1, 1), ali)
    assert not ambassador_required_trainings_done(ali, today=TODAY)
    _session(facilities_topic, datetime.date(2026, 2, 1), ali)
    assert ambassador_required_trainings_done(ali, today=TODAY)  # the optional topic is not needed
    assert optional.trainings.count() == 0


def test_required_trainings_done_ignores_planned_sessions_and_other_areas_topics(
    make_ambassador, role_topic, other_area
):
    TrainingTopic.objects.create(area=other_area, name="Elsewhere", required=True)
    ali = make_ambassador(status=Ambassador.Status.ACCEPTED)
    _session(role_topic, TODAY + datetime.timedelta(days=3), ali)
    assert not ambassador_required_trainings_done(ali, today=TODAY)
    assert ambassador_required_trainings_done(ali, today=TODAY + datetime.timedelta(days=3))


# --- The page -------------------------------------------------------------------------------------------


def _world(make_ambassador, topics, count: int) -> None:
    for n in range(count):
        ambassador = make_ambassador()
        for topic in topics:
            _session(topic, timezone.localdate() - datetime.timedelta(days=100 * (n + 1)), ambassador)


def test_the_training_page_shows_who_lacks_and_who_is_due(
    client, coordinator, make_ambassador, role_topic, facilities_topic
):
    due = make_ambassador(name="Dorte Due")
    lacking = make_ambassador(name="Lars Lacking")
    make_ambassador(name="Lene Left", status=Ambassador.Status.LEFT)
    _session(role_topic, timezone.localdate() - datetime.timedelta(days=800), due)
    _session(facilities_topic, timezone.localdate() - datetime.timedelta(days=10), due, lacking)
    client.force_login(coordinator)
    response = client.get(reverse("corps:trainings", args=[role_topic.area.slug]))
    assert response.status_code == 200
    by_topic = {item.topic: item for item in response.context["overview"].by_topic}
    assert by_topic[role_topic].missing == [lacking]
    assert by_topic[role_topic].refresh == [due]
    assert by_topic[facilities_topic].missing == []
    assert "Lene Left" not in response.content.decode()


def test_the_training_page_takes_the_same_queries_for_more_ambassadors_and_sessions(
    client, coordinator, make_ambassador, role_topic, facilities_topic, django_assert_num_queries
):
    client.force_login(coordinator)
    url = reverse("corps:trainings", args=[role_topic.area.slug])
    _world(make_ambassador, [role_topic], 1)
    client.get(url)  # warm the session and translations
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _world(make_ambassador, [role_topic, facilities_topic], 6)
    TrainingTopic.objects.create(area=role_topic.area, name="Tredje emne", refresh_months=36)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_coordinator_of_another_area_cannot_open_the_training_page(client, other_coordinator, area):
    client.force_login(other_coordinator)
    assert client.get(reverse("corps:trainings", args=[area.slug])).status_code == 403


def test_an_ambassador_cannot_open_the_training_page(client, ambassador, area):
    client.force_login(ambassador)
    assert client.get(reverse("corps:trainings", args=[area.slug])).status_code == 403


# --- Sessions and attendance ----------------------------------------------------------------------------


def test_a_coordinator_records_a_session_with_attendance_and_the_topic_as_title(
    client, coordinator, make_ambassador, role_topic
):
    ali, anne = make_ambassador(), make_ambassador()
    client.force_login(coordinator)
    response = client.post(
        reverse("corps:training_new", args=[role_topic.area.slug]),
        {"topic": role_topic.pk, "title": "", "held_on": "2026-03-01", "attendees": [ali.pk, anne.pk]},
    )
    assert response.status_code == 302
    training = Training.objects.get()
    assert training.title == role_topic.name and training.area == role_topic.area
    assert set(training.ambassadors.all()) == {ali, anne}


def test_a_session_needs_a_title_or_a_topic(client, coordinator, area):
    client.force_login(coordinator)
    response = client.post(reverse("corps:training_new", args=[area.slug]), {"held_on": "2026-03-01"})
    assert response.status_code == 400
    assert not Training.objects.exists()


def test_an_ambassador_of_another_area_cannot_be_ticked_as_attending(
    client, coordinator, make_ambassador, role_topic, other_area
):
    ali = make_ambassador()
    stranger = make_ambassador(in_area=other_area)
    training = _session(role_topic, datetime.date(2026, 3, 1), ali)
    client.force_login(coordinator)
    response = client.post(
        reverse("corps:training_edit", args=[role_topic.area.slug, training.pk]),
        {"topic": role_topic.pk, "held_on": "2026-03-01", "attendees": [ali.pk, stranger.pk]},
    )
    assert response.status_code == 400
    assert list(training.ambassadors.all()) == [ali]
    assert not stranger.trainings.exists()


def test_the_service_refuses_an_attendee_of_another_area(coordinator, make_ambassador, role_topic, other_area):
    stranger = make_ambassador(in_area=other_area)
    with pytest.raises(ValidationError):
        training_create(area=role_topic.area, by=coordinator, topic=role_topic, held_on=TODAY, attendees=[stranger])
    assert not Training.objects.exists()


def test_another_areas_coordinator_cannot_edit_the_session_through_their_own_area(
    client, other_coordinator, make_ambassador, role_topic, other_area
):
    ali = make_ambassador()
    training = _session(role_topic, datetime.date(2026, 3, 1), ali)
    client.force_login(other_coordinator)
    response = client.post(
        reverse("corps:training_edit", args=[other_area.slug, training.pk]),
        {"title": "Hacked", "held_on": "2026-03-02", "attendees": []},
    )
    assert response.status_code == 403
    training.refresh_from_db()
    assert training.title == role_topic.name and list(training.ambassadors.all()) == [ali]


def test_another_areas_coordinator_cannot_tick_this_areas_ambassadors_into_their_session(
    client, other_coordinator, make_ambassador, other_area
):
    ali = make_ambassador()
    client.force_login(other_coordinator)
    response = client.post(
        reverse("corps:training_new", args=[other_area.slug]),
        {"title": "Intro", "held_on": "2026-03-01", "attendees": [ali.pk]},
    )
    assert response.status_code == 400
    assert not ali.trainings.exists() and not Training.objects.exists()


def test_a_topic_of_another_area_cannot_be_chosen(client, coordinator, area, other_area):
    elsewhere = TrainingTopic.objects.create(area=other_area, name="Elsewhere")
    client.force_login(coordinator)
    response = client.post(
        reverse("corps:training_new", args=[area.slug]), {"topic": elsewhere.pk, "held_on": "2026-03-01"}
    )
    assert response.status_code == 400
    assert not Training.objects.exists()


def test_editing_keeps_an_attendee_who_has_left_since(client, coordinator, make_ambassador, role_topic):
    gone = make_ambassador(status=Ambassador.Status.LEFT)
    training = _session(role_topic, datetime.date(2024, 3, 1), gone)
    client.force_login(coordinator)
    response = client.post(
        reverse("corps:training_edit", args=[role_topic.area.slug, training.pk]),
        {"topic": role_topic.pk, "title": "Rollen", "held_on": "2024-03-01", "attendees": [gone.pk]},
    )
    assert response.status_code == 302
    assert list(training.ambassadors.all()) == [gone]


def test_deleting_a_session_asks_first(client, coordinator, make_ambassador, role_topic):
    training = _session(role_topic, datetime.date(2026, 3, 1), make_ambassador())
    client.force_login(coordinator)
    url = reverse("corps:training_delete", args=[role_topic.area.slug, training.pk])
    response = client.post(url)
    assert response.status_code == 200 and Training.objects.filter(pk=training.pk).exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302 and not Training.objects.filter(pk=training.pk).exists()


def test_another_areas_coordinator_cannot_delete_the_session(client, other_coordinator, role_topic, other_area):
    training = _session(role_topic, datetime.date(2026, 3, 1))
    client.force_login(other_coordinator)
    for slug in (other_area.slug, role_topic.area.slug):
        response = client.post(reverse("corps:training_delete", args=[slug, training.pk]), {"confirm": "1"})
        assert response.status_code == 403
    assert Training.objects.filter(pk=training.pk).exists()


# --- Topics ---------------------------------------------------------------------------------------------


def test_a_coordinator_adds_and_edits_a_topic(client, coordinator, area):
    client.force_login(coordinator)
    response = client.post(
        reverse("corps:topic_new", args=[area.slug]),
        {"name": "At møde tilflyttere fra andre kulturer", "refresh_months": "36"},
    )
    assert response.status_code == 302
    topic = TrainingTopic.objects.get(area=area)
    assert topic.refresh_months == 36 and not topic.required
    response = client.post(
        reverse("corps:topic_edit", args=[area.slug, topic.pk]),
        {"name": topic.name, "refresh_months": "", "required": "on"},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.refresh_months is None and topic.required


def test_a_topic_name_is_unique_in_the_area(client, coordinator, role_topic):
    client.force_login(coordinator)
    response = client.post(reverse("corps:topic_new", args=[role_topic.area.slug]), {"name": role_topic.name})
    assert response.status_code == 400
    assert TrainingTopic.objects.count() == 1


def test_another_areas_coordinator_cannot_edit_the_topic(client, other_coordinator, role_topic, other_area):
    client.force_login(other_coordinator)
    response = client.post(
        reverse("corps:topic_edit", args=[other_area.slug, role_topic.pk]), {"name": "Hacked", "required": ""}
    )
    assert response.status_code == 403
    role_topic.refresh_from_db()
    assert role_topic.name == "Rollen og dens grænser" and role_topic.required


# --- The ambassador's own profile -----------------------------------------------------------------------


def test_an_ambassador_sees_the_sessions_they_attended_on_their_profile(client, make_ambassador, role_topic):
    ali, anne = make_ambassador(name="Ali"), make_ambassador(name="Anne")
    _session(role_topic, datetime.date(2025, 5, 1), ali)
    Training.objects.create(area=role_topic.area, title="Kun for Anne", held_on=datetime.date(2025, 6, 1))
    Training.objects.get(title="Kun for Anne").ambassadors.set([anne])
    _session(role_topic, timezone.localdate() + datetime.timedelta(days=5), ali)  # planned: not yet had
    client.force_login(ali.user)
    response = client.get(reverse("visits:my_profile"))
    assert response.status_code == 200
    assert [t.held_on for t in response.context["trainings"]] == [datetime.date(2025, 5, 1)]
    assert "Kun for Anne" not in response.content.decode()


# --- The demo -------------------------------------------------------------------------------------------


def test_the_demo_has_ambassadors_lacking_a_required_training_and_some_due_a_refresher(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo")
    area = Area.objects.get(slug="demo")
    topics = list(TrainingTopic.objects.filter(area=area).order_by("name"))
    assert len(topics) == 3
    assert not Training.objects.filter(area=area, topic=None).exists()
    by_topic = trainings_missing(
        ambassadors=list(training_ambassadors(area=area)), topics=topics, today=timezone.localdate()
    )
    assert any(item.missing for item in by_topic if item.topic.required)
    assert any(item.refresh for item in by_topic)


def test_the_held_sessions_are_listed_newest_first_and_the_planned_soonest_first(client, coordinator, role_topic):
    today = timezone.localdate()
    for days in (-400, -10, -200, 30, 5):
        _session(role_topic, today + datetime.timedelta(days=days))
    client.force_login(coordinator)
    response = client.get(reverse("corps:trainings", args=[role_topic.area.slug]))
    assert [(s.held_on - today).days for s in response.context["past"]] == [-10, -200, -400]
    assert [(s.held_on - today).days for s in response.context["upcoming"]] == [5, 30]
