from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def throttle_allows(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for the key; False once it has been hit more than `limit` times in the window."""
    cache_key = f"throttle:{key}"
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        hits = 1
    return hits <= limit


def client_address(request: HttpRequest) -> str:
    """The visitor's IP address. Behind our reverse proxy (BEHIND_PROXY) that is the last address in
    X-Forwarded-For, the one the proxy itself added; earlier entries are whatever the client sent."""
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")
