"""Recognition: the figures per ambassador, the daily thank-yous and the certificate.

The users come from tests/conftest.py: `ambassador` (Ali, with a mobile number) is an ambassador of `area`,
`coordinator` coordinates it, `other_coordinator` coordinates `other_area`."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from apps.accounts.models import Membership
from apps.accounts.services import membership_grant
from apps.audit.models import AccessLogEntry
from apps.core.models import Message
from apps.corps.models import RecognitionSettings, ThankYou
from apps.corps.selectors import recognition_rows, recognition_settings_for
from apps.corps.services import recognition_settings_save
from apps.corps.tasks import recognition_send_thank_yous
from apps.meetings.models import Invitation, NetworkMeeting
from apps.newcomers.models import Newcomer
from apps.organisation.models import Entrance, Tenancy
from apps.visits.models import Ambassador, AmbassadorStatusChange, Attempt, Training, Visit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def ali(ambassador, area) -> Ambassador:
    """Ali: an ambassador of `area` for half a year, no history rows (active since he started)."""
    return Ambassador.objects.create(user=ambassador, area=area, started_on=_ago(180), status_since=_ago(180))


@pytest.fixture
def make_profile(make_user, area):
    counter = iter(range(1, 1000))

    def make(*, in_area=None, **profile) -> Ambassador:
        n = next(counter)
        the_area = in_area or area
        user = make_user(full_name=f"Recognised {n}", phone=f"+45317{n:05d}")
        membership_grant(user=user, area=the_area, role=Membership.Role.AMBASSADOR)
        return Ambassador.objects.create(user=user, area=the_area, **profile)

    return make


def _visits(ambassador: Ambassador, count: int, *, days_ago: int = 2, tries: int = 1) -> None:
    """`count` visits the ambassador went to `days_ago` days ago (history, written directly)."""
    estate = ambassador.area.estates.order_by("number").first()
    entrance = Entrance.objects.create(estate=estate, street="Takvej", house_number=f"{ambassador.pk}-{days_ago}")
    for n in range(count):
        tenancy = Tenancy.objects.create(estate=estate, entrance=entrance, number=f"T-{ambassador.pk}-{days_ago}-{n}")
        newcomer = Newcomer.objects.create(tenancy=tenancy, move_in_date=_ago(days_ago + 10), name=f"Ny {n}")
        visit = Visit.objects.create(
            area=ambassador.area,
            estate=estate,
            move_in_date=newcomer.move_in_date,
            newcomer=newcomer,
            ambassador=ambassador,
            due_date=_ago(days_ago),
        )
        for _ in range(tries):
            Attempt.objects.create(
                visit=visit,
                ambassador=ambassador,
                recorded_by=ambassador.user,
                outcome=Attempt.Outcome.NOT_HOME_FOLDER_LEFT,
                visited_on=_ago(days_ago),
            )


def _meeting(area, *, attended: dict[Ambassador, bool | None]) -> None:
    starts = timezone.now() - datetime.timedelta(days=7)
    meeting = NetworkMeeting.objects.create(
        area=area, title="Netværksmøde", starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    for ambassador, came in attended.items():
        Invitation.objects.create(meeting=meeting, ambassador=ambassador, attended=came)


def _row(area, ambassador):
    rows = recognition_rows(area=area, today=TODAY, settings=recognition_settings_for(area=area))
    return next(row for row in rows if row.ambassador.pk == ambassador.pk)


def _send(capture) -> None:
    """The real beat task, eager; the messages it queues are delivered after commit (to the locmem SMS)."""
    with capture(execute=True):
        recognition_send_thank_yous.delay()


# --- Figures -------------------------------------------------------------------------------------------------


def test_months_active_count_only_the_active_periods(make_profile, area):
    ambassador = make_profile(started_on=_ago(400), status=Ambassador.Status.ACTIVE)
    for status, days in [("active", 400), ("paused", 300), ("active", 100)]:  # 100 days, a pause, 100 days
        AmbassadorStatusChange.objects.create(ambassador=ambassador, status=status, on=_ago(days))
    assert _row(area, ambassador).months_active == 6  # 200 days


def test_months_active_without_history_run_from_the_start_to_the_status(make_profile, area):
    still = make_profile(started_on=_ago(92))
    gone = make_profile(started_on=_ago(400), status=Ambassador.Status.LEFT, status_since=_ago(339))
    assert _row(area, still).months_active == 3
    assert _row(area, gone).months_active == 2  # 61 days, then left


def test_visits_made_count_each_visit_once_and_only_the_ambassadors_own(ali, make_profile, area):
    _visits(ali, 3, tries=2)
    _visits(make_profile(), 4)
    assert _row(area, ali).visits_made == 3


def test_meetings_attended_count_the_meetings_they_came_to(ali, make_profile, area):
    anne = make_profile()
    _meeting(area, attended={ali: True, anne: False})
    _meeting(area, attended={ali: True, anne: None})
    assert (_row(area, ali).meetings_attended, _row(area, anne).meetings_attended) == (2, 0)


def test_next_milestone_is_the_next_number_of_visits_and_the_next_anniversary(ali, area):
    _visits(ali, 12)
    row = _row(area, ali)
    assert (row.next_visit_milestone, row.visits_to_go) == (25, 13)
    assert (row.next_anniversary, row.next_anniversary_years) == (
        ali.started_on.replace(year=ali.started_on.year + 1),
        1,
    )


# --- Thank-yous ------------------------------------------------------------------------------------------------


def test_a_visit_milestone_is_thanked_once_by_sms(ali, sms_outbox, django_capture_on_commit_callbacks):
    _visits(ali, 11, days_ago=3)
    _send(django_capture_on_commit_callbacks)
    _send(django_capture_on_commit_callbacks)
    assert list(ThankYou.objects.values_list("ambassador_id", "kind", "milestone")) == [(ali.pk, "visits", 10)]
    assert len(sms_outbox) == 1
    assert sms_outbox[0]["to"] == ali.user.phone
    assert "10" in sms_outbox[0]["body"]


def test_the_thank_you_speaks_the_ambassadors_language(ali, sms_outbox, django_capture_on_commit_callbacks):
    ali.user.language = "en"
    ali.user.save(update_fields=["language"])
    _visits(ali, 10)
    _send(django_capture_on_commit_callbacks)
    assert sms_outbox[0]["body"].startswith("Dear Ali Ambassador, you have now made 10 welcome visits")


def test_the_thank_you_is_danish_by_default(ali, sms_outbox, django_capture_on_commit_callbacks):
    _visits(ali, 10)
    _send(django_capture_on_commit_callbacks)
    assert sms_outbox[0]["body"].startswith("Kære Ali Ambassador")


def test_an_anniversary_is_thanked(make_profile, django_capture_on_commit_callbacks):
    ambassador = make_profile(started_on=_ago(365 + 3))
    _send(django_capture_on_commit_callbacks)
    thank_you = ThankYou.objects.get()
    assert (thank_you.ambassador_id, thank_you.kind, thank_you.milestone) == (ambassador.pk, "anniversary", 1)
    assert Message.objects.get(pk=thank_you.message_id).idempotency_key == f"thank-you:{ambassador.pk}:anniversary:1"


def test_an_old_anniversary_or_milestone_is_not_sent_as_backlog(ali, make_profile, django_capture_on_commit_callbacks):
    make_profile(started_on=_ago(2 * 365 + 60))  # two years and two months: the day passed long ago
    _visits(ali, 30, days_ago=45)
    _send(django_capture_on_commit_callbacks)
    assert not ThankYou.objects.exists()
    assert not Message.objects.exists()


def test_a_jump_over_two_milestones_thanks_the_higher_only_and_never_the_lower_later(
    ali, django_capture_on_commit_callbacks
):
    _visits(ali, 26, days_ago=3)
    _send(django_capture_on_commit_callbacks)
    _send(django_capture_on_commit_callbacks)
    assert list(ThankYou.objects.values_list("milestone", flat=True)) == [25]


def test_no_thank_you_where_the_area_turned_them_off(
    ali, area, coordinator, sms_outbox, django_capture_on_commit_callbacks
):
    recognition_settings_save(
        area=area, by=coordinator, thank_yous=False, visit_milestones="10, 25", anniversaries=True
    )
    _visits(ali, 10)
    _send(django_capture_on_commit_callbacks)
    assert not ThankYou.objects.exists()
    assert not sms_outbox


def test_switching_on_again_does_not_thank_what_was_reached_while_off(
    ali, area, coordinator, django_capture_on_commit_callbacks
):
    recognition_settings_save(area=area, by=coordinator, thank_yous=False, visit_milestones="10", anniversaries=True)
    _visits(ali, 10, days_ago=5)
    recognition_settings_save(area=area, by=coordinator, thank_yous=True, visit_milestones="10", anniversaries=True)
    _send(django_capture_on_commit_callbacks)
    assert not ThankYou.objects.exists()
    assert RecognitionSettings.objects.get(area=area).thank_yous_since == TODAY


def test_an_ambassador_who_left_is_not_thanked(ali, django_capture_on_commit_callbacks):
    Ambassador.objects.filter(pk=ali.pk).update(status=Ambassador.Status.LEFT)
    _visits(ali, 10)
    _send(django_capture_on_commit_callbacks)
    assert not ThankYou.objects.exists()


def test_a_paused_ambassador_is_thanked_on_the_anniversary_and_a_closed_account_is_not(
    make_profile, django_capture_on_commit_callbacks
):
    paused = make_profile(started_on=_ago(365 + 1), status=Ambassador.Status.PAUSED, status_since=_ago(20))
    closed = make_profile(started_on=_ago(365 + 1))
    closed.user.is_active = False
    closed.user.save(update_fields=["is_active"])
    _send(django_capture_on_commit_callbacks)
    assert list(ThankYou.objects.values_list("ambassador_id", flat=True)) == [paused.pk]


def test_beat_runs_the_thank_yous_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["corps-send-thank-yous"]
    assert entry["task"] == recognition_send_thank_yous.name
    assert entry["schedule"].hour == {10}


# --- The page ------------------------------------------------------------------------------------------------


def test_coordinator_sees_the_figures_and_the_thank_yous_sent(
    client, coordinator, ali, area, django_capture_on_commit_callbacks
):
    _visits(ali, 10)
    _send(django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    response = client.get(reverse("corps:recognition", args=[area.slug]))
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert (row.ambassador, row.visits_made, row.next_visit_milestone) == (ali, 10, 25)
    assert [t.milestone for t in row.thank_yous] == [10]
    assert reverse("corps:certificate", args=[area.slug, ali.pk]) in response.content.decode()


def test_the_page_asks_the_same_queries_for_many_ambassadors(
    client, coordinator, area, make_profile, django_assert_num_queries
):
    client.force_login(coordinator)
    url = reverse("corps:recognition", args=[area.slug])
    for _ in range(2):
        _visits(make_profile(), 2)
    client.get(url)  # the session and the memberships are warm
    with django_assert_num_queries(12) as few:
        client.get(url)
    for _ in range(5):
        ambassador = make_profile()
        _visits(ambassador, 3)
        _meeting(area, attended={ambassador: True})
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("who", ["other_coordinator", "ambassador", "board_member"])
def test_only_the_areas_coordinators_open_the_page(client, area, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("corps:recognition", args=[area.slug])).status_code == 403


def test_coordinator_saves_the_settings(client, coordinator, area):
    client.force_login(coordinator)
    response = client.post(
        reverse("corps:recognition_settings", args=[area.slug]),
        {"thank_yous": "on", "visit_milestones": "50,5; 20", "anniversaries": ""},
    )
    assert response.status_code == 302
    saved = RecognitionSettings.objects.get(area=area)
    assert (saved.thank_yous, saved.visit_milestones, saved.anniversaries) == (True, "5, 20, 50", False)


def test_milestones_that_are_not_numbers_are_refused(client, coordinator, area):
    client.force_login(coordinator)
    client.post(reverse("corps:recognition_settings", args=[area.slug]), {"visit_milestones": "ti, 25"})
    assert not RecognitionSettings.objects.exists()


@pytest.mark.parametrize("slug", ["area", "other_area"])
def test_another_areas_coordinator_changes_no_settings(client, other_coordinator, area, other_area, slug, request):
    """Through the area's URL: refused. Through their own: only their own area's settings change."""
    client.force_login(other_coordinator)
    target = request.getfixturevalue(slug)
    client.post(reverse("corps:recognition_settings", args=[target.slug]), {"visit_milestones": "1"})
    assert not RecognitionSettings.objects.filter(area=area).exists()


# --- The certificate -------------------------------------------------------------------------------------------


def _pdf_text(response) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_certificate_of_one_who_left_tells_the_period_the_work_and_who_signs(client, coordinator, ali, area):
    Ambassador.objects.filter(pk=ali.pk).update(status=Ambassador.Status.LEFT, status_since=_ago(10))
    _visits(ali, 7)
    _meeting(area, attended={ali: True})
    training = Training.objects.create(area=area, title="Rollen og dens grænser", held_on=_ago(170))
    ali.trainings.add(training)
    client.force_login(coordinator)
    response = client.get(reverse("corps:certificate", args=[area.slug, ali.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response)
    for expected in ["Ali Ambassador", area.name, "Rollen og dens grænser", "Carla Coordinator", "naboambassadør"]:
        assert expected in text
    assert "Velkomstbesøg" in text and " 7" in text
    log = AccessLogEntry.objects.get()
    assert (log.actor_id, log.area_id, log.action, log.view_name) == (
        coordinator.pk,
        area.pk,
        "export",
        "corps:certificate",
    )


def test_the_certificate_in_english(client, coordinator, ali, area):
    client.force_login(coordinator)
    response = client.get(reverse("corps:certificate", args=[area.slug, ali.pk]) + "?lang=en")
    assert "has been a neighbour ambassador" in _pdf_text(response)


@pytest.mark.parametrize("who", ["other_coordinator", "ambassador"])
def test_nobody_else_gets_the_certificate(client, ali, area, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("corps:certificate", args=[area.slug, ali.pk]))
    assert response.status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_another_areas_coordinator_gets_no_certificate_through_their_own_area(
    client, other_coordinator, other_area, ali
):
    client.force_login(other_coordinator)
    response = client.get(reverse("corps:certificate", args=[other_area.slug, ali.pk]))
    assert response.status_code in (403, 404)
    assert response.get("Content-Type") != "application/pdf"
    assert not AccessLogEntry.objects.exists()


def test_the_ambassadors_profile_offers_the_certificate(client, coordinator, ali, area):
    client.force_login(coordinator)
    response = client.get(reverse("visits:ambassador_edit", args=[area.slug, ali.pk]))
    assert reverse("corps:certificate", args=[area.slug, ali.pk]) in response.content.decode()
