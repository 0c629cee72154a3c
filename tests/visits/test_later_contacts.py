"""Contact after the visit: the ambassador notes in one tap that a newcomer they met contacted them again,
on the visit's page or on "Newcomers you have met"; undo within a few minutes; the overview's figure."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.visits.models import Ambassador, Attempt, LaterContact, Visit
from apps.visits.offline import offline_pages
from apps.visits.selectors import MET_NEWCOMERS_DAYS, met_newcomers, my_visits, overview
from apps.visits.services import later_contact_record, visit_record_attempt

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def ali(client, ambassador):
    client.cookies["django_language"] = "en"
    client.force_login(ambassador)
    return client


@pytest.fixture
def met_visit(visit, ambassador) -> Visit:
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.MET_TALKED)
    visit.refresh_from_db()
    return visit


def _closed_days_ago(visit: Visit, days: int) -> None:
    Visit.objects.filter(pk=visit.pk).update(closed_at=timezone.now() - datetime.timedelta(days=days))


def _tap(client, visit, topic="home", back="met"):
    return client.post(reverse("visits:later_contact_new", args=[visit.pk]), {"topic": topic, "back": back})


def test_one_tap_on_the_visit_page_records_a_contact_with_topic_and_day(ali, met_visit, ambassador):
    page = ali.get(reverse("visits:detail", args=[met_visit.pk])).content.decode()
    assert "Contacted me again" in page and "Practical help in the home" in page

    response = _tap(ali, met_visit, topic="activity", back="detail")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("visits:detail", args=[met_visit.pk]))
    [contact] = met_visit.later_contacts.all()
    assert (contact.topic, contact.contacted_on, contact.recorded_by) == ("activity", timezone.localdate(), ambassador)


def test_a_tap_from_the_visit_page_after_the_grace_period_returns_to_the_list(ali, met_visit, settings):
    _closed_days_ago(met_visit, settings.VISIT_CONTACT_GRACE_DAYS + 1)
    response = _tap(ali, met_visit, back="detail")
    assert response["Location"] == reverse("visits:met_list") + f"#met-{met_visit.pk}"
    assert met_visit.later_contacts.count() == 1


def test_each_contact_is_a_row_so_the_count_grows(ali, met_visit):
    _tap(ali, met_visit, topic="home")
    _tap(ali, met_visit, topic="area")
    assert met_visit.later_contacts.count() == 2
    assert "Contacted you again 2 times" in ali.get(reverse("visits:met_list")).content.decode()


def test_a_double_tap_of_the_same_topic_records_one_contact(ali, met_visit):
    _tap(ali, met_visit, topic="home")
    _tap(ali, met_visit, topic="home")
    assert met_visit.later_contacts.count() == 1


def test_unknown_topic_records_nothing(ali, met_visit):
    response = _tap(ali, met_visit, topic="the neighbours' cats")
    assert response.status_code == 302
    assert not LaterContact.objects.exists()


def test_visit_without_contact_offers_no_tap_and_refuses_one(ali, visit, ambassador):
    visit_record_attempt(visit=visit, by=ambassador, outcome=Attempt.Outcome.DECLINED)
    assert "Contacted me again" not in ali.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert _tap(ali, visit).status_code == 404
    assert not LaterContact.objects.exists()


def test_open_visit_refuses_a_later_contact(ali, visit):
    assert _tap(ali, visit).status_code == 404
    assert not LaterContact.objects.exists()


def test_after_the_grace_period_the_list_shows_address_and_day_but_no_name_or_phone(ali, met_visit, settings):
    _closed_days_ago(met_visit, settings.VISIT_CONTACT_GRACE_DAYS + 30)
    page = ali.get(reverse("visits:met_list")).content.decode()
    assert "Testvej 101 1" in page
    assert "Amina" not in page and "+4561111111" not in page

    _tap(ali, met_visit)
    assert met_visit.later_contacts.count() == 1


def test_visits_met_more_than_a_year_ago_are_not_listed_nor_accepted(ali, met_visit):
    _closed_days_ago(met_visit, MET_NEWCOMERS_DAYS + 1)
    assert "Testvej 101 1" not in ali.get(reverse("visits:met_list")).content.decode()
    assert _tap(ali, met_visit).status_code == 404
    assert not LaterContact.objects.exists()


def test_newcomer_who_asked_not_to_be_contacted_is_not_listed(ali, met_visit):
    met_visit.newcomer.__class__.objects.filter(pk=met_visit.newcomer_id).update(do_not_contact=True)
    assert "Testvej 101 1" not in ali.get(reverse("visits:met_list")).content.decode()
    assert _tap(ali, met_visit).status_code == 404


def test_ambassador_who_left_can_no_longer_record(ali, met_visit, ambassador_profile):
    Ambassador.objects.filter(pk=ambassador_profile.pk).update(status=Ambassador.Status.LEFT)
    assert _tap(ali, met_visit).status_code == 404
    assert not LaterContact.objects.exists()


def test_undo_within_the_time_removes_the_contact(ali, met_visit):
    _tap(ali, met_visit)
    contact = met_visit.later_contacts.get()
    assert "Undo the last one" in ali.get(reverse("visits:met_list")).content.decode()

    response = ali.post(reverse("visits:later_contact_undo", args=[contact.pk]), {"back": "met"})

    assert response.status_code == 302
    assert not LaterContact.objects.exists()


def test_undo_after_the_time_is_refused_and_keeps_the_contact(ali, met_visit, settings):
    _tap(ali, met_visit)
    contact = met_visit.later_contacts.get()
    LaterContact.objects.filter(pk=contact.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(minutes=settings.LATER_CONTACT_UNDO_MINUTES + 1)
    )
    assert "Undo the last one" not in ali.get(reverse("visits:met_list")).content.decode()

    ali.post(reverse("visits:later_contact_undo", args=[contact.pk]))

    assert LaterContact.objects.filter(pk=contact.pk).exists()


def test_met_list_takes_two_queries_at_any_size(met_visit, ambassador, django_assert_num_queries):
    later_contact_record(visit=met_visit, by=ambassador, topic="home")
    with django_assert_num_queries(2):
        visits = met_newcomers(ambassador_user=ambassador)
        for visit in visits:
            str(visit.newcomer.tenancy.entrance), visit.later_contact_count, visit.undoable_contact
    assert visits[0].later_contact_count == 1


def test_overview_counts_relationships_continuing_after_the_visit(area, met_visit, ambassador, coordinator):
    later_contact_record(visit=met_visit, by=ambassador, topic="home")
    later_contact_record(visit=met_visit, by=ambassador, topic="activity")
    today = timezone.localdate()

    figures = overview(area=area, period_start=today - datetime.timedelta(days=365), period_end=today)

    assert (figures.continuing.count, figures.continuing.total) == (1, 1)
    by_topic = {row.state: row.count for row in figures.continuing_by_topic}
    assert by_topic == {"home": 1, "activity": 1, "area": 0, "personal": 0, "other": 0}


def test_overview_page_shows_the_figure(client, area, met_visit, ambassador, coordinator):
    later_contact_record(visit=met_visit, by=ambassador, topic="personal")
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)
    page = client.get(reverse("visits:overview", args=[area.slug])).content.decode()
    assert "Relationships continuing after the visit" in page
    assert "1 of 1 newcomers met contacted their ambassador again" in page


def test_no_offline_kept_page_shows_later_contacts(met_visit, ambassador):
    """The closed visit's page and the list are never kept on the phone, and "My visits" shows no contacts,
    so recording one changes no kept page."""
    mine = my_visits(ambassador_user=ambassador)
    before = offline_pages(open_visits=mine.open, recently_closed=mine.recently_closed, today=mine.today)

    later_contact_record(visit=met_visit, by=ambassador, topic="home")

    mine = my_visits(ambassador_user=ambassador)
    after = offline_pages(open_visits=mine.open, recently_closed=mine.recently_closed, today=mine.today)
    assert after == before
    urls = {page["url"].partition("?")[0] for page in after}
    assert reverse("visits:met_list") not in urls
    assert reverse("visits:detail", args=[met_visit.pk]) not in urls
