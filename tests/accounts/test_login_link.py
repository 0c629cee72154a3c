import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import LoginLink
from apps.accounts.services import login_link_consume, login_link_create
from apps.accounts.tasks import login_link_request_send
from apps.accounts.views import LINK_REQUESTS_PER_ADDRESS
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


def _request_link(client, identifier: str, **headers):
    return client.post(reverse("accounts:link_request"), {"identifier": identifier}, **headers)


def test_known_and_unknown_identifiers_get_the_same_answer_after_the_same_work(
    ambassador, django_capture_on_commit_callbacks
):
    seen = {}
    for identifier in [ambassador.phone, "+4529999999"]:
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as queued:
            response = _request_link(Client(), identifier)
        seen[identifier] = (response.status_code, response["Location"], len(queries), len(queued))
        # Who is registered is looked up by the task after the answer, never in the request.
        assert not [q["sql"] for q in queries if "accounts_" in q["sql"]]

    assert seen[ambassador.phone] == seen["+4529999999"] == (302, reverse("accounts:link_sent"), 0, 1)


def test_link_requests_are_throttled_per_address_across_identifiers(
    client, ambassador, sms_outbox, django_capture_on_commit_callbacks
):
    for n in range(LINK_REQUESTS_PER_ADDRESS):
        _request_link(client, f"+452990{n:04d}", REMOTE_ADDR="198.51.100.7")

    with django_capture_on_commit_callbacks(execute=True):
        refused = _request_link(client, ambassador.phone, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 302 and refused["Location"] == reverse("accounts:link_sent")
    assert sms_outbox == []
    assert not LoginLink.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        _request_link(Client(), ambassador.phone, REMOTE_ADDR="198.51.100.8")
    assert [sms["to"] for sms in sms_outbox] == [ambassador.phone]


def test_behind_the_proxy_the_address_limit_counts_the_address_the_proxy_saw(
    settings, client, ambassador, sms_outbox, django_capture_on_commit_callbacks
):
    settings.BEHIND_PROXY = True
    for n in range(LINK_REQUESTS_PER_ADDRESS):
        # Whatever the client claims in X-Forwarded-For, the proxy's own entry is last.
        _request_link(client, f"+452990{n:04d}", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.9")

    with django_capture_on_commit_callbacks(execute=True):
        _request_link(client, ambassador.phone, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9")

    assert sms_outbox == []


def test_user_without_phone_gets_the_link_by_email(client, coordinator, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:link_request"), {"identifier": coordinator.email})
    assert mailoutbox[-1].to == [coordinator.email]
    assert "/accounts/link/" in mailoutbox[-1].body


def test_a_link_request_task_delivered_twice_sends_one_link(ambassador, sms_outbox, django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            login_link_request_send.apply(kwargs={"phone": ambassador.phone}, task_id="redelivered-task")

    assert len(sms_outbox) == 1
    assert LoginLink.objects.filter(user=ambassador).count() == 1
