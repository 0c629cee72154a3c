from django.core.cache import cache


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
