from datetime import date

from django.db.models import Q, QuerySet

from apps.audit.models import AccessLogEntry, AccessLogSubject
from apps.newcomers.models import Newcomer
from apps.organisation.models import Area


def access_log_for_area(
    *,
    area: Area,
    person: str = "",
    actor: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AccessLogEntry]:
    """The area's entries, newest first, narrowed to views of one newcomer (name, phone or e-mail as
    typed), to one staff member or volunteer (e-mail or phone), or to dates."""
    entries = AccessLogEntry.objects.filter(area=area)
    if person:
        newcomer_ids = (
            Newcomer.objects.filter(tenancy__estate__area=area)
            .filter(Q(name__icontains=person) | Q(phone__icontains=person) | Q(email__icontains=person))
            .values("pk")
        )
        entries = entries.filter(
            pk__in=AccessLogSubject.objects.filter(
                kind=AccessLogEntry.SubjectKind.NEWCOMER, object_id__in=newcomer_ids
            ).values("entry_id")
        )
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries.order_by("-at", "-pk")
