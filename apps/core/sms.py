"""Pluggable SMS backends, chosen by settings.SMS_BACKEND (like Django's e-mail backends)."""

import base64
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsGatewayError(Exception):
    """The gateway could not take the message now; delivery is retried later."""


class SmsRefused(Exception):
    """The gateway refused this message for good (an invalid number): it is failed at once, not retried."""


class BaseSmsBackend:
    def send(self, *, to: str, body: str, reference: str) -> str | None:
        """Send one SMS; returns the gateway's id for it when the gateway gives one.

        Raises SmsGatewayError for what may heal (retried later), SmsRefused for what never will."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Development: print the SMS so the one-time link can be copied from the terminal."""

    def send(self, *, to: str, body: str, reference: str) -> None:
        print(f"--- SMS to {to} ({reference}) ---\n{body}\n---", flush=True)


class LocmemSmsBackend(BaseSmsBackend):
    """Tests: keep sent messages in memory, like django.core.mail.outbox."""

    outbox: list[dict] = []

    def send(self, *, to: str, body: str, reference: str) -> None:
        LocmemSmsBackend.outbox.append({"to": to, "body": body, "reference": reference})


class HttpGatewaySmsBackend(BaseSmsBackend):
    """Production: POST JSON to the gateway configured by SMS_GATEWAY_URL / SMS_GATEWAY_TOKEN.

    The reference (the outbox's idempotency key) lets a gateway that supports it drop duplicates.
    """

    def send(self, *, to: str, body: str, reference: str) -> None:
        payload = json.dumps({"to": to, "from": settings.SMS_SENDER, "text": body, "reference": reference})
        request = urllib.request.Request(
            settings.SMS_GATEWAY_URL,
            data=payload.encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise SmsGatewayError(f"gateway answered {response.status}")
        except (urllib.error.URLError, TimeoutError) as exc:
            raise SmsGatewayError(str(exc)) from exc


class GatewayApiSmsBackend(BaseSmsBackend):
    """GatewayAPI (gatewayapi.com), a Danish SMS gateway: POST /rest/mtsms with the account's API token.

    The reply names the gateway's id of the SMS ({"ids": [id]}), kept on the message so the delivery
    report sent to GATEWAYAPI_CALLBACK_URL (the webhook `core:gatewayapi_webhook`) finds it. `userref`
    carries the outbox's idempotency key as a second way to find it.
    """

    def send(self, *, to: str, body: str, reference: str) -> str | None:
        payload = {
            "sender": settings.SMS_SENDER,
            "message": body,
            "recipients": [{"msisdn": int(to.lstrip("+"))}],
            "userref": reference,
        }
        if settings.GATEWAYAPI_CALLBACK_URL:
            payload["callback_url"] = settings.GATEWAYAPI_CALLBACK_URL
        request = urllib.request.Request(
            settings.GATEWAYAPI_URL,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                # GatewayAPI's documented token scheme: HTTP Basic, the token as user name, no password.
                "Authorization": "Basic " + base64.b64encode(f"{settings.GATEWAYAPI_TOKEN}:".encode()).decode(),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            # 400 and 422: the request (the number, the text) is wrong and stays wrong. 401/403 (a wrong
            # token), 429 and 5xx can heal once someone fixes the setting or the gateway is back.
            if exc.code in (400, 422):
                raise SmsRefused(f"gateway refused the message ({exc.code}): {_gateway_reason(exc)}") from exc
            raise SmsGatewayError(f"gateway answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise SmsGatewayError(str(exc)) from exc
        ids = answer.get("ids") or []
        return str(ids[0]) if ids else None


def _gateway_reason(error: urllib.error.HTTPError) -> str:
    """GatewayAPI's error body is {"code": …, "message": …}; the message, never the request, is kept."""
    try:
        return str(json.loads(error.read() or b"{}").get("message", ""))[:200]
    except (ValueError, AttributeError):
        return ""


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
