import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import LoginLink
from apps.accounts.services import login_link_consume, login_link_create
from apps.core.models import Message

pytestmark = pytest.mark.django_db


def _token_from_sms(sms_outbox) -> str:
    url = next(word for word in sms_outbox[-1]["body"].split() if "/accounts/link/" in word)
    return url.rstrip("/").rsplit("/", 1)[1]


def test_ambassador_gets_a_link_by_sms_and_signs_in_with_it(
    client, ambassador, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:link_request"), {"identifier": "20 10 00 11"})
    assert response.status_code == 302
    assert sms_outbox[-1]["to"] == ambassador.phone
    token = _token_from_sms(sms_outbox)

    confirm_page = client.get(reverse("accounts:link_login", args=[token]))
    assert confirm_page.status_code == 200
    assert "_auth_user_id" not in client.session  # a link preview must not use the link

    response = client.post(reverse("accounts:link_login", args=[token]))
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == ambassador.pk
    assert client.session.get_expiry_age() > 30 * 24 * 3600  # stays signed in on the phone


def test_a_link_works_only_once(client, ambassador):
    _link, token = login_link_create(user=ambassador, channel="sms")
    assert login_link_consume(token=token) == ambassador

    response = client.post(reverse("accounts:link_login", args=[token]))

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_an_expired_link_is_refused_with_a_clear_page(client, ambassador):
    link, token = login_link_create(user=ambassador, channel="sms")
    LoginLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    get_response = client.get(reverse("accounts:link_login", args=[token]))
    post_response = client.post(reverse("accounts:link_login", args=[token]))

    assert get_response.status_code == post_response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_forged_link_is_refused(client, ambassador):
    response = client.post(reverse("accounts:link_login", args=["not-a-real-token"]))
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_link_is_valid_for_fifteen_minutes(ambassador):
    link, _token = login_link_create(user=ambassador, channel="sms")
    assert datetime.timedelta(minutes=14) < link.expires_at - link.created_at <= datetime.timedelta(minutes=15)


def test_unknown_identifier_gets_the_same_answer_and_no_message(client, sms_outbox):
    response = client.post(reverse("accounts:link_request"), {"identifier": "+4529999999"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:link_sent")
    assert sms_outbox == []
    assert not Message.objects.exists()


def test_nonsense_identifier_is_refused_with_a_message(client):
    response = client.post(reverse("accounts:link_request"), {"identifier": "call me maybe"})
    assert response.status_code == 200
    assert response.context["form"].errors["identifier"]


def test_link_requests_are_throttled_per_identifier(client, ambassador, sms_outbox, django_capture_on_commit_callbacks):
    for _ in range(8):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("accounts:link_request"), {"identifier": ambassador.phone})
    assert len(sms_outbox) == 5


def test_user_without_phone_gets_the_link_by_email(client, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:link_request"), {"identifier": coordinator.email})
    assert mailoutbox[-1].to == [coordinator.email]
    assert "/accounts/link/" in mailoutbox[-1].body
