"""A short-lived cache of what the survey rounds' pages count: the figures part of a round's page, of the
organisation's trends page, and the round's CSV.

Counting a round (`round_figures`, `round_funnel`: the contact group of every response, every answer, the
funnel of every area) and its years (`question_trends`, `areas_side_by_side`) takes 0.1–0.5 s on five years
of ten areas, and rendering the figures another 0.1 s; the answers change slowly (a survey a year per area)
and the figures are the same for everyone allowed to see them (always through the small-number rules). So a
part is made once and kept `ROUND_PAGE_CACHE_SECONDS` (default 300; 0: made on every request) per what it
shows (the round, or the rounds and areas of the trends), the language it was made in and the day; the page
says when it was counted. Nothing is invalidated on writes: a new answer shows once the time has passed, as on
the dashboards (bench/README.md, "Survey rounds").
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation


def cached_part(*, key: str, make: Callable[[], str]) -> tuple[str, datetime.datetime]:
    """The text `make()` returns (HTML or CSV) and when it was made, kept `ROUND_PAGE_CACHE_SECONDS` under
    `key` (what the text depends on besides the language and the day, which are added here)."""
    seconds = settings.ROUND_PAGE_CACHE_SECONDS
    full_key = f"surveys:round-part:v1:{key}:{translation.get_language() or ''}:{timezone.localdate()}"
    if seconds and (kept := cache.get(full_key)) is not None:
        return kept
    made = (make(), timezone.now())
    if seconds:
        cache.set(full_key, made, seconds)
    return made


def ids_key(objects) -> str:
    """Part of a key: the objects' primary keys, sorted."""
    return ",".join(str(pk) for pk in sorted(o.pk for o in objects))
