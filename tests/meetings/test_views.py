"""The meeting pages: the ambassador's one-tap answers (signed in or from the link) and the coordinator's
planning, attendance, minutes and action items."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import Message
from apps.meetings.models import Invitation, NetworkMeeting
from apps.meetings.services import action_item_add, meeting_invite, minutes_save
from apps.meetings.tokens import answer_token, ics_token

pytestmark = pytest.mark.django_db


def _answer_url(invitation) -> str:
    return reverse("meetings:answer", args=[answer_token(invitation=invitation)])


# --- The answer link (no sign-in) -----------------------------------------------------------------------------


def test_answer_link_shows_the_meeting_and_three_buttons_without_signing_in(client, invitation):
    response = client.get(_answer_url(invitation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Netværksmøde" in html and "Beboerhuset" in html
    assert html.count('name="answer"') == 3


def test_answer_link_records_the_answer(client, invitation):
    url = _answer_url(invitation)
    response = client.post(url, {"answer": "yes"})
    assert response.status_code == 302 and response["Location"] == url
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.YES and invitation.answered_at is not None


def test_forged_answer_link_gets_a_clear_page_and_changes_nothing(client, invitation):
    token = answer_token(invitation=invitation)
    response = client.post(reverse("meetings:answer", args=[token[:-2] + "xx"]), {"answer": "yes"})
    assert response.status_code == 400
    assert "meetings/token_refused.html" in [template.name for template in response.templates]
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NONE


def test_an_ics_link_is_not_an_answer_link(client, invitation):
    response = client.post(reverse("meetings:answer", args=[ics_token(invitation=invitation)]), {"answer": "yes"})
    assert response.status_code == 400
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NONE


def test_someone_elses_answer_link_is_refused_to_a_signed_in_ambassador(client, other_ambassador, invitation):
    client.force_login(other_ambassador)
    response = client.post(_answer_url(invitation), {"answer": "no"})
    assert response.status_code == 400
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NONE


def test_answer_link_after_the_start_refuses_kindly(client, english, invitation):
    NetworkMeeting.objects.filter(pk=invitation.meeting_id).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    url = _answer_url(invitation)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'name="answer"' not in page.content.decode()
    response = client.post(url, {"answer": "yes"})
    assert response.status_code == 400
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NONE


def test_ics_link_downloads_a_calendar_entry(client, invitation):
    response = client.get(reverse("meetings:ics", args=[ics_token(invitation=invitation)]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content and b"SUMMARY:Netv" in response.content


def test_forged_ics_link_is_refused(client, invitation):
    assert client.get(reverse("meetings:ics", args=["forged"])).status_code == 400


# --- The ambassador's page --------------------------------------------------------------------------------------


def test_my_meetings_lists_the_invitation_with_three_buttons(client, ambassador, invitation):
    client.force_login(ambassador)
    response = client.get(reverse("meetings:mine"))
    assert response.status_code == 200
    assert list(response.context["upcoming"]) == [invitation]
    assert response.content.decode().count('name="answer"') == 3


def test_one_tap_answer_from_my_meetings(client, ambassador, invitation):
    client.force_login(ambassador)
    response = client.post(reverse("meetings:invitation_answer", args=[invitation.pk]), {"answer": "maybe"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.MAYBE


def test_another_ambassadors_invitation_cannot_be_answered(
    client, other_ambassador, other_ambassador_profile, invitation
):
    client.force_login(other_ambassador)
    response = client.post(reverse("meetings:invitation_answer", args=[invitation.pk]), {"answer": "no"})
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.answer == Invitation.Answer.NONE


def test_ambassador_suggests_an_agenda_item(client, ambassador, invitation):
    client.force_login(ambassador)
    response = client.post(reverse("meetings:suggest", args=[invitation.pk]), {"text": "Fælles kaffe"})
    assert response.status_code == 302
    assert list(invitation.meeting.suggestions.values_list("text", flat=True)) == ["Fælles kaffe"]


def test_published_minutes_are_shown_to_the_invited_ambassador(client, ambassador, invitation):
    minutes_save(meeting=invitation.meeting, markdown="## Decided\n\n- more coffee", publish=True)
    client.force_login(ambassador)
    response = client.get(reverse("meetings:minutes", args=[invitation.meeting_id]))
    assert response.status_code == 200
    assert "<h2>Decided</h2>" in response.content.decode()


def test_draft_minutes_are_not_shown_to_ambassadors(client, ambassador, invitation):
    minutes_save(meeting=invitation.meeting, markdown="draft", publish=False)
    client.force_login(ambassador)
    assert client.get(reverse("meetings:minutes", args=[invitation.meeting_id])).status_code == 404


def test_minutes_are_refused_to_an_ambassador_not_invited(client, make_ambassador, invitation):
    minutes_save(meeting=invitation.meeting, markdown="secret", publish=True)
    outsider = make_ambassador(name="Omar Outsider")
    client.force_login(outsider.user)
    assert client.get(reverse("meetings:minutes", args=[invitation.meeting_id])).status_code == 403


# --- The coordinator ------------------------------------------------------------------------------------------


def test_coordinator_plans_a_meeting(client, coordinator, area):
    client.force_login(coordinator)
    day = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        reverse("meetings:new", args=[area.slug]),
        {
            "title": "Julemøde",
            "date": day.isoformat(),
            "start": "17:00",
            "end": "19:00",
            "place": "Salen",
            "agenda": "Jul",
        },
    )
    meeting = NetworkMeeting.objects.get(title="Julemøde")
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[area.slug, meeting.pk])
    assert timezone.localtime(meeting.starts_at).hour == 17 and meeting.area == area


def test_meeting_in_the_past_is_refused_by_the_form(client, coordinator, area):
    client.force_login(coordinator)
    day = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reverse("meetings:new", args=[area.slug]),
        {"title": "Old", "date": day.isoformat(), "start": "17:00", "end": "19:00", "place": "Salen"},
    )
    assert response.status_code == 400
    assert not NetworkMeeting.objects.exists()


def test_coordinator_starts_a_series(client, coordinator, area):
    client.force_login(coordinator)
    until = timezone.localdate() + datetime.timedelta(days=100)
    response = client.post(
        reverse("meetings:series_new", args=[area.slug]),
        {
            "title": "Netværk",
            "nth": 1,
            "weekday": 1,
            "start_time": "17:00",
            "duration_minutes": 120,
            "place": "Huset",
            "invite_days_before": 10,
            "ends_on": until.isoformat(),
        },
    )
    assert response.status_code == 302
    assert NetworkMeeting.objects.filter(area=area, series__title="Netværk").count() >= 3


def test_invite_button_invites_the_active_ambassadors(
    client, coordinator, area, meeting, ambassador_profile, other_ambassador_profile
):
    client.force_login(coordinator)
    response = client.post(reverse("meetings:invite", args=[area.slug, meeting.pk]), {"confirm": "1"})
    assert response.status_code == 302
    assert meeting.invitations.count() == 2
    assert Message.objects.filter(idempotency_key__startswith=f"meeting-invite:{meeting.pk}:").count() == 2


def test_cancel_asks_once_on_the_server_even_with_nobody_invited_and_then_cancels(
    client, coordinator, area, meeting, english
):
    client.force_login(coordinator)
    client.cookies["django_language"] = "en"
    url = reverse("meetings:cancel", args=[area.slug, meeting.pk])
    detail = client.get(reverse("meetings:detail", args=[area.slug, meeting.pk])).content.decode()
    assert "data-confirm" not in detail  # no second, script-made question before the server's

    asked = client.post(url).content.decode()
    meeting.refresh_from_db()
    assert not meeting.is_cancelled
    assert "Nobody is invited, so nobody gets a message." in asked
    assert 'name="confirm" value="1"' in asked and ">Cancel the meeting</button>" in asked

    client.post(url, {"confirm": "1"})
    meeting.refresh_from_db()
    assert meeting.is_cancelled


def test_coordinator_takes_attendance(
    client, coordinator, area, make_meeting, ambassador_profile, other_ambassador_profile
):
    held = make_meeting(starts_at=timezone.now() + datetime.timedelta(minutes=1))
    meeting_invite(meeting=held)
    ali = held.invitations.get(ambassador=ambassador_profile)
    client.force_login(coordinator)
    response = client.post(reverse("meetings:attendance", args=[area.slug, held.pk]), {"present": [ali.pk]})
    assert response.status_code == 302
    assert dict(held.invitations.values_list("ambassador_id", "attended")) == {
        ambassador_profile.pk: True,
        other_ambassador_profile.pk: False,
    }


def test_minutes_preview_is_sanitised_and_not_saved(client, coordinator, area, meeting):
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings:minutes_edit", args=[area.slug, meeting.pk]),
        {"markdown": "**ok** <script>alert(1)</script>", "action": "preview"},
    )
    assert response.status_code == 200
    assert "<strong>ok</strong>" in response.context["preview"] and "<script>" not in response.context["preview"]
    meeting.refresh_from_db()
    assert meeting.minutes_markdown == ""


def test_minutes_publish(client, coordinator, area, meeting):
    client.force_login(coordinator)
    client.post(
        reverse("meetings:minutes_edit", args=[area.slug, meeting.pk]), {"markdown": "Hej", "action": "publish"}
    )
    meeting.refresh_from_db()
    assert meeting.minutes_published and meeting.minutes_html == "<p>Hej</p>"


def test_coordinator_adds_an_action_item(client, coordinator, area, meeting, ambassador_profile):
    client.force_login(coordinator)
    response = client.post(
        reverse("meetings:action_item_new", args=[area.slug, meeting.pk]),
        {"text": "Bestil kaffe", "owner": ambassador_profile.pk},
    )
    assert response.status_code == 302
    assert meeting.action_items.get().owner == ambassador_profile


def test_another_areas_meeting_is_refused_through_this_area(client, coordinator, area, other_area):
    elsewhere = NetworkMeeting.objects.create(
        area=other_area,
        title="Elsewhere",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        ends_at=timezone.now() + datetime.timedelta(days=3, hours=2),
    )
    client.force_login(coordinator)
    assert client.get(reverse("meetings:detail", args=[area.slug, elsewhere.pk])).status_code == 403


def test_meeting_list_and_overview_queries_do_not_grow(
    client, coordinator, area, make_meeting, django_assert_max_num_queries
):
    for days in range(1, 4):
        make_meeting(starts_at=timezone.now() + datetime.timedelta(days=days))
    client.force_login(coordinator)
    with django_assert_max_num_queries(13):  # +1: the outbox banner's count, cached for the next page
        assert client.get(reverse("meetings:area_list", args=[area.slug])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("meetings:overview", args=[area.slug])).status_code == 200


def test_menu_has_meetings_for_coordinator_and_ambassador(client, coordinator, ambassador, area):
    client.force_login(coordinator)
    urls = [item.url for item in client.get(reverse("meetings:area_list", args=[area.slug])).context["nav_items"]]
    assert reverse("meetings:area_list", args=[area.slug]) in urls
    client.force_login(ambassador)
    urls = [item.url for item in client.get(reverse("meetings:mine")).context["nav_items"]]
    assert reverse("meetings:mine") in urls


def test_coordinator_ticks_an_action_item_done_and_opens_it_again(client, coordinator, area, meeting):
    item = action_item_add(meeting=meeting, text="Bestil kaffe")
    client.force_login(coordinator)
    url = reverse("meetings:action_item_done", args=[area.slug, meeting.pk, item.pk])
    assert client.post(url, {"done": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.done
    client.post(url, {"done": "0"})
    item.refresh_from_db()
    assert not item.done


def test_an_action_item_is_reached_only_through_its_own_meeting(client, coordinator, area, meeting, make_meeting):
    item = action_item_add(meeting=meeting, text="Bestil kaffe")
    another = make_meeting(title="Another")
    client.force_login(coordinator)
    url = reverse("meetings:action_item_done", args=[area.slug, another.pk, item.pk])
    assert client.post(url, {"done": "1"}).status_code == 404
    item.refresh_from_db()
    assert not item.done
