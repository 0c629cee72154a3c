"""Writing the access log. Views call `access_record` after they have loaded the personal data they show."""

from collections import defaultdict
from collections.abc import Iterable

from django.http import HttpRequest

from apps.audit.models import AccessLogEntry, AccessLogSubject
from apps.organisation.models import Area

Kind = AccessLogEntry.SubjectKind
Action = AccessLogEntry.Action


def actor_label(user) -> str:
    return (getattr(user, "email", "") or getattr(user, "phone", "") or str(user.pk))[:254]


def access_record(
    *,
    request: HttpRequest,
    action: str = Action.VIEW,
    kind: str = Kind.NEWCOMER,
    subjects: Iterable[tuple[int, int]] = (),
    area: Area | None = None,
    count: int | None = None,
    search: str = "",
) -> list[AccessLogEntry]:
    """Log that `request.user` saw or exported the data of these people.

    `subjects` are (area id, person id) pairs: one entry per area, so each area's coordinators find the
    views of their own newcomers. A page that shows rows not yet tied to a person (an import preview)
    passes `area` and `count` instead. Pages with nothing on them log nothing.

    A page that shows search results passes what was searched for as `search_category(text)`. The path
    is stored without its query string, which may hold that text (a name, a phone number).
    """
    by_area: dict[int | None, list[int]] = defaultdict(list)
    for area_id, object_id in subjects:
        by_area[area_id].append(object_id)
    match = getattr(request, "resolver_match", None)
    common = {
        "actor_id": request.user.pk,
        "actor_label": actor_label(request.user),
        "action": action,
        "view_name": (match.view_name if match else "")[:100],
        "path": request.path[:500],
        "subject_kind": kind,
        "search": search,
    }
    if not by_area:
        if not count:
            return []
        return [AccessLogEntry.objects.create(area=area, subject_count=count, **common)]
    entries = AccessLogEntry.objects.bulk_create(
        AccessLogEntry(area_id=area_id, subject_count=len(set(ids)), **common) for area_id, ids in by_area.items()
    )
    AccessLogSubject.objects.bulk_create(
        AccessLogSubject(entry=entry, kind=kind, object_id=object_id)
        for entry, ids in zip(entries, by_area.values(), strict=True)
        for object_id in sorted(set(ids))
    )
    return entries


def newcomer_subjects(newcomers: Iterable) -> list[tuple[int, int]]:
    """(area id, newcomer id) pairs from visits or newcomers already loaded with their area."""
    pairs = []
    for item in newcomers:
        if hasattr(item, "newcomer_id"):  # a Visit (or a Referral's visit)
            pairs.append((item.area_id, item.newcomer_id))
        else:
            pairs.append((item.tenancy.estate.area_id, item.pk))
    return pairs
