"""The SMS gateway, which is outside the building: a backend that keeps what it was given in memory and
refuses everything while `down` is set (the simulated outage)."""

from apps.core.sms import BaseSmsBackend, SmsGatewayError


class OutageSmsBackend(BaseSmsBackend):
    outbox: list[dict] = []
    down = False
    refused = 0

    def send(self, *, to: str, body: str, reference: str) -> None:
        if OutageSmsBackend.down:
            OutageSmsBackend.refused += 1
            raise SmsGatewayError("gateway unreachable (simulated outage)")
        OutageSmsBackend.outbox.append({"to": to, "body": body, "reference": reference})

    @classmethod
    def reset(cls) -> None:
        cls.outbox.clear()
        cls.down = False
        cls.refused = 0
