"""The area's undelivered messages: what the coordinator sees (never a secret's text, never another
area's), the new try and the other channel, and what is refused (an opted-out or anonymised newcomer, an
expired sign-in link). Every refusal changes nothing."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.core.models import Message
from apps.core.services import REDACTED, channels_failing

pytestmark = pytest.mark.django_db


def _failed(*, area, to_user=None, to_newcomer=None, key="m", channel="sms", **values) -> Message:
    recipient = to_user or to_newcomer
    return Message.objects.create(
        channel=channel,
        to_user=to_user,
        to_newcomer=to_newcomer,
        address=recipient.phone if channel == "sms" else recipient.email,
        subject="Husk",
        body=values.pop("body", "Husk besøget på Vænget 3"),
        idempotency_key=key,
        area=area,
        status=values.pop("status", Message.Status.FAILED),
        attempts=values.pop("attempts", 5),
        last_error=values.pop("last_error", "gave up after 5 attempts: SmsGatewayError: gateway down"),
        **values,
    )


def _page(client, area):
    return client.get(reverse("access:undelivered", args=[area.slug]))


def _post(client, area, message, action):
    return client.post(reverse(f"access:{action}", args=[area.slug, message.pk]), follow=True)


def test_the_page_lists_the_areas_failed_messages_masked_and_logs_the_view(client, coordinator, ambassador, area):
    _failed(area=area, to_user=ambassador)
    client.force_login(coordinator)

    page = _page(client, area).content.decode()

    assert ambassador.full_name in page
    assert ambassador.phone not in page and ambassador.phone[-2:] in page  # partly masked
    assert "gateway down" in page
    assert AccessLogEntry.objects.filter(actor=coordinator, area=area, view_name="access:undelivered").exists()


def test_a_secret_is_never_shown(client, coordinator, ambassador, area):
    _failed(area=area, to_user=ambassador, body="Log ind: https://x/accounts/link/SECRET/", sensitive=True)
    client.force_login(coordinator)
    assert "SECRET" not in _page(client, area).content.decode()


def test_another_areas_messages_are_not_listed_nor_reachable(
    client, coordinator, other_coordinator, ambassador, area, other_area, sms_outbox
):
    message = _failed(area=area, to_user=ambassador)
    client.force_login(other_coordinator)

    assert ambassador.full_name not in _page(client, other_area).content.decode()
    for action in ("undelivered_retry", "undelivered_other_channel"):
        response = client.post(reverse(f"access:{action}", args=[other_area.slug, message.pk]))
        assert response.status_code == 404
    assert client.get(reverse("access:undelivered", args=[area.slug])).status_code == 403
    assert Message.objects.get() == message and Message.objects.get().status == Message.Status.FAILED
    assert sms_outbox == []


def test_retry_sends_again_with_a_fresh_give_up_window(
    client, coordinator, ambassador, area, sms_outbox, django_capture_on_commit_callbacks
):
    message = _failed(area=area, to_user=ambassador, queued_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        _post(client, area, message, "undelivered_retry")

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert timezone.now() - message.queued_at < datetime.timedelta(minutes=1)
    assert [sent["to"] for sent in sms_outbox] == [ambassador.phone]


def test_send_by_email_instead_uses_the_current_address(
    client, coordinator, ambassador, area, mailoutbox, django_capture_on_commit_callbacks
):
    message = _failed(area=area, to_user=ambassador)
    ambassador.email = "ny@example.dk"
    ambassador.save(update_fields=["email"])
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        _post(client, area, message, "undelivered_other_channel")
        _post(client, area, message, "undelivered_other_channel")  # a second click sends nothing more

    assert [mail.to for mail in mailoutbox] == [["ny@example.dk"]]
    assert mailoutbox[0].body == "Husk besøget på Vænget 3"
    assert Message.objects.get(channel="email").area == area


def test_the_other_channel_is_refused_without_an_address(client, coordinator, ambassador, area):
    message = _failed(area=area, to_user=ambassador)
    ambassador.email = None
    ambassador.save(update_fields=["email"])
    client.force_login(coordinator)

    response = _post(client, area, message, "undelivered_other_channel")

    assert "Der er ingen e-mailadresse at sende til." in [str(m) for m in response.context["messages"]]
    assert Message.objects.count() == 1


@pytest.mark.parametrize("why", ["do_not_contact", "anonymised"])
def test_nothing_is_sent_again_to_a_newcomer_who_opted_out_or_was_anonymised(
    client, coordinator, newcomer, area, why, sms_outbox
):
    message = _failed(area=area, to_newcomer=newcomer)
    if why == "do_not_contact":
        newcomer.do_not_contact = True
    else:
        newcomer.anonymised_at = timezone.now()
    newcomer.save()
    client.force_login(coordinator)

    for action in ("undelivered_retry", "undelivered_other_channel"):
        _post(client, area, message, action)

    assert Message.objects.get() == message
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and sms_outbox == []


def test_an_expired_sign_in_link_is_never_sent_again(client, coordinator, ambassador, area, sms_outbox):
    message = _failed(
        area=area,
        to_user=ambassador,
        key="login-link:7",
        body=REDACTED,
        sensitive=True,
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
        last_error="the link expired before it could be sent",
    )
    client.force_login(coordinator)

    response = _post(client, area, message, "undelivered_retry")
    _post(client, area, message, "undelivered_other_channel")

    assert "Linket er udløbet; send et nyt fra siden Personer." in [str(m) for m in response.context["messages"]]
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and Message.objects.count() == 1 and sms_outbox == []


def test_coordinators_see_a_banner_when_sms_keeps_failing(client, coordinator, ambassador, area):
    cache.clear()
    for i in range(3):
        _failed(area=area, to_user=ambassador, key=f"f{i}", sending_since=timezone.now())
    client.force_login(coordinator)

    page = client.get(reverse("organisation:area_detail", args=[area.slug])).content.decode()

    assert channels_failing() == ["sms"]
    assert reverse("access:undelivered", args=[area.slug]) in page


def test_no_banner_for_failures_of_more_than_an_hour_ago(ambassador, area):
    cache.clear()
    for i in range(3):
        _failed(area=area, to_user=ambassador, key=f"f{i}", sending_since=timezone.now() - datetime.timedelta(hours=2))
    assert channels_failing() == []


def test_messages_sent_for_an_area_carry_it(client, coordinator, area, make_ambassador, make_newcomer):
    """The invitation's sign-in link and the visit's hand-over both belong to the area (so its coordinators
    see them if they fail); a sign-in link also carries its expiry."""
    from apps.accounts.services import ambassador_invite
    from apps.visits.services import visits_assign

    ambassador_invite(area=area, full_name="Nina Ny", phone="+4520100099", by=coordinator)
    link = Message.objects.get(idempotency_key__startswith="login-link:")
    assert link.area == area and link.expires_at is not None

    ambassador, newcomer = make_ambassador(name="Ali"), make_newcomer(days_ago=3)
    visits_assign(area=area, assignments=[(newcomer.pk, ambassador.pk)], by=coordinator)
    assert Message.objects.get(idempotency_key__startswith="visit-assigned:").area == area


def test_a_message_waiting_after_a_failed_try_is_listed_at_once_with_its_next_try(
    client, coordinator, ambassador, area
):
    """What the outage banner speaks of is on the page it links to, not only an hour later."""
    next_try = timezone.localtime() + datetime.timedelta(minutes=5)
    _failed(area=area, to_user=ambassador, status=Message.Status.PENDING, attempts=2, next_attempt_at=next_try)
    _failed(area=area, to_user=ambassador, key="fresh", status=Message.Status.PENDING, attempts=0, last_error="")
    client.cookies["django_language"] = "en"
    client.force_login(coordinator)

    page = _page(client, area).content.decode()

    assert f"Next try at {next_try:%H:%M}" in page
    assert page.count("Try again") == 1  # the message not yet tried is on its way, not listed
