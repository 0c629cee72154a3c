"""Signed callbacks from outside: the HS256 JSON Web Token GatewayAPI puts in X-Gwapi-Signature.

Verified with the standard library only (hmac, constant-time compare); any token that is not exactly an
HS256 JWT signed with our secret, or that has expired, is refused. No secret: nothing is accepted."""

import base64
import binascii
import hashlib
import hmac
import json
import time


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def jwt_hs256_claims(token: str, *, secret: str) -> dict | None:
    """The claims of a valid HS256 token signed with `secret`; None for anything else."""
    if not secret or not token or token.count(".") != 2:
        return None
    header_part, payload_part, signature_part = token.split(".")
    try:
        header = json.loads(_b64decode(header_part))
        signature = _b64decode(signature_part)
        # Only HS256: a token that names another algorithm ("none", RS256) is never taken on its word.
        if not isinstance(header, dict) or header.get("alg") != "HS256":
            return None
        expected = hmac.new(secret.encode(), f"{header_part}.{payload_part}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(signature, expected):
            return None
        claims = json.loads(_b64decode(payload_part))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(claims, dict):
        return None
    expires = claims.get("exp")
    if expires is not None and (not isinstance(expires, int | float) or expires < time.time()):
        return None
    return claims


def jwt_hs256_encode(claims: dict, *, secret: str) -> str:
    """A token as the gateway signs it (for tests and for trying the webhook by hand)."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = f"{part(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{part(json.dumps(claims).encode())}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{part(signature)}"
