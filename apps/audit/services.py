"""Writing the access log. Views call it (through `apps.audit.http.access_record_for_request`) after they
have loaded the personal data they show; services that erase data call `access_record` with their actor."""

from collections import defaultdict
from collections.abc import Iterable

from apps.accounts.models import User
from apps.audit.models import AccessLogEntry, AccessLogSubject
from apps.organisation.models import Area

Kind = AccessLogEntry.SubjectKind
Action = AccessLogEntry.Action


def actor_label(user) -> str:
    return (getattr(user, "email", "") or getattr(user, "phone", "") or str(user.pk))[:254]


def access_record(
    *,
    actor: User,
    path: str,
    view_name: str = "",
    action: str = Action.VIEW,
    kind: str = Kind.NEWCOMER,
    subjects: Iterable[tuple[int, int]] = (),
    area: Area | None = None,
    count: int | None = None,
    search: str = "",
) -> list[AccessLogEntry]:
    """Log that `actor` saw, exported or erased the data of these people, on the page at `path` (the URL's
    name is `view_name`).

    `subjects` are (area id, person id) pairs: one entry per area, so each area's coordinators find the
    views of their own newcomers. A page that shows rows not yet tied to a person (an import preview)
    passes `area` and `count` instead. Pages with nothing on them log nothing.

    A page that shows search results passes what was searched for as `search_category(text)`. `path` comes
    without its query string, which may hold that text (a name, a phone number).
    """
    by_area: dict[int | None, list[int]] = defaultdict(list)
    for area_id, object_id in subjects:
        by_area[area_id].append(object_id)
    common = {
        "actor_id": actor.pk,
        "actor_label": actor_label(actor),
        "action": action,
        "view_name": view_name[:100],
        "path": path[:500],
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
