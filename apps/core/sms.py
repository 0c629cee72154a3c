"""Pluggable SMS backends, chosen by settings.SMS_BACKEND (like Django's e-mail backends)."""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsGatewayError(Exception):
    """The gateway could not take the message now; delivery is retried later."""


class BaseSmsBackend:
    def send(self, *, to: str, body: str, reference: str) -> None:
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


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
