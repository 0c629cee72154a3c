"""GatewayAPI: the request the backend sends (HTTP mocked at urllib, it leaves the building), the id it
keeps, and the delivery reports the webhook accepts only with a valid HS256 signature."""

import base64
import io
import json
import time
import urllib.error

import pytest
from django.db import transaction
from django.urls import reverse

from apps.core.models import Message
from apps.core.services import message_queue
from apps.core.webhooks import jwt_hs256_claims, jwt_hs256_encode

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "shared-secret-of-the-account"


class FakeResponse(io.BytesIO):
    status = 200

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def gatewayapi(settings, monkeypatch):
    """The real backend, with urlopen answering as GatewayAPI does; records each request."""
    settings.SMS_BACKEND = "apps.core.sms.GatewayApiSmsBackend"
    settings.GATEWAYAPI_TOKEN = "tok"
    settings.GATEWAYAPI_URL = "https://gatewayapi.com/rest/mtsms"
    settings.GATEWAYAPI_CALLBACK_URL = "https://nabo.example/hooks/sms/gatewayapi/"
    settings.GATEWAYAPI_WEBHOOK_SECRET = SECRET
    gateway = {"requests": [], "answer": lambda: FakeResponse(json.dumps({"ids": [421332671]}).encode())}

    def urlopen(request, timeout):
        gateway["requests"].append(request)
        return gateway["answer"]()

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    return gateway


def _queue(user, key="reminder:1"):
    with transaction.atomic():
        return message_queue(channel="sms", to_user=user, subject="", body="Husk mødet", idempotency_key=key)


def _report(client, claims, *, secret=SECRET, token=None):
    token = token if token is not None else jwt_hs256_encode(claims, secret=secret)
    headers = {"HTTP_X_GWAPI_SIGNATURE": token} if token else {}
    # The unsigned body says something else: only the signed claims count.
    body = json.dumps({**claims, "status": "DELIVERED"})
    return client.post(reverse("core:gatewayapi_webhook"), body, content_type="application/json", **headers)


def test_the_backend_posts_gatewayapis_json_and_keeps_its_id(ambassador, gatewayapi):
    message = _queue(ambassador)

    [request] = gatewayapi["requests"]
    assert request.full_url == "https://gatewayapi.com/rest/mtsms"
    assert request.get_header("Authorization") == "Basic " + base64.b64encode(b"tok:").decode()
    assert json.loads(request.data) == {
        "sender": "Naboamb",
        "message": "Husk mødet",
        "recipients": [{"msisdn": int(ambassador.phone.lstrip("+"))}],
        "userref": "reminder:1",
        "callback_url": "https://nabo.example/hooks/sms/gatewayapi/",
    }
    message.refresh_from_db()
    assert (message.status, message.gateway_id) == (Message.Status.SENT, "421332671")


def test_an_invalid_number_fails_at_once_and_a_server_error_is_retried(ambassador, gatewayapi):
    def refuse():
        body = io.BytesIO(json.dumps({"code": "0x0212", "message": "Invalid recipient"}).encode())
        raise urllib.error.HTTPError("https://gatewayapi.com/rest/mtsms", 422, "Unprocessable", {}, body)

    gatewayapi["answer"] = refuse
    refused = _queue(ambassador, key="a")
    refused.refresh_from_db()
    assert refused.status == Message.Status.FAILED
    assert "Invalid recipient" in refused.last_error

    def down():
        raise urllib.error.HTTPError("https://gatewayapi.com/rest/mtsms", 503, "Unavailable", {}, io.BytesIO())

    gatewayapi["answer"] = down
    waiting = _queue(ambassador, key="b")
    waiting.refresh_from_db()
    assert (waiting.status, waiting.last_error) == (Message.Status.PENDING, "SmsGatewayError: gateway answered 503")


def test_a_signed_delivered_report_marks_the_message_delivered_once(client, ambassador, gatewayapi):
    message = _queue(ambassador)
    claims = {"id": 421332671, "msisdn": 4520100001, "status": "DELIVERED", "userref": "reminder:1"}

    assert _report(client, claims).status_code == 200
    assert _report(client, claims).status_code == 200  # the gateway may report twice

    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED


@pytest.mark.parametrize("status", ["UNDELIVERABLE", "REJECTED", "EXPIRED"])
def test_an_undelivered_report_fails_the_message_with_the_reason(client, ambassador, gatewayapi, status):
    message = _queue(ambassador)
    assert _report(client, {"id": 421332671, "status": status}).status_code == 200
    message.refresh_from_db()
    assert (message.status, message.last_error) == (Message.Status.FAILED, f"not delivered: {status}")


def test_a_report_on_the_way_leaves_the_message_sent(client, ambassador, gatewayapi):
    message = _queue(ambassador)
    assert _report(client, {"id": 421332671, "status": "BUFFERED"}).status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_a_report_without_gateway_id_is_found_by_our_reference(client, ambassador, gatewayapi):
    message = _queue(ambassador)
    assert _report(client, {"userref": "reminder:1", "status": "DELIVERED"}).status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED


@pytest.mark.parametrize(
    "token",
    [
        "",  # no signature
        jwt_hs256_encode({"id": 421332671, "status": "UNDELIVERABLE"}, secret="a-guess"),
        jwt_hs256_encode({"id": 421332671, "status": "UNDELIVERABLE", "exp": int(time.time()) - 60}, secret=SECRET),
        # "alg": "none" with no signature: never taken on its word.
        "eyJhbGciOiAibm9uZSJ9.eyJpZCI6IDQyMTMzMjY3MSwgInN0YXR1cyI6ICJVTkRFTElWRVJBQkxFIn0.",
        "not-a-token",
    ],
)
def test_a_report_without_a_valid_signature_is_refused_and_changes_nothing(client, ambassador, gatewayapi, token):
    message = _queue(ambassador)
    response = _report(client, {"id": 421332671, "status": "UNDELIVERABLE"}, token=token)
    assert response.status_code == 403
    message.refresh_from_db()
    assert (message.status, message.last_error) == (Message.Status.SENT, "")


def test_no_secret_configured_refuses_every_report(client, ambassador, gatewayapi, settings):
    message = _queue(ambassador)
    settings.GATEWAYAPI_WEBHOOK_SECRET = ""
    assert _report(client, {"id": 421332671, "status": "UNDELIVERABLE"}, secret="").status_code == 403
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_the_token_check_reads_a_standard_hs256_token():
    # The example token of the JWT standard's introduction (jwt.io), signed by another implementation.
    token = (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
        ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    )
    assert jwt_hs256_claims(token, secret="your-256-bit-secret") == {
        "sub": "1234567890",
        "name": "John Doe",
        "iat": 1516239022,
    }
    assert jwt_hs256_claims(token, secret="another-secret") is None
