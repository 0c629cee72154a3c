"""Writes of time registration, and the payroll export's two formats."""

import csv
import datetime
import io
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.csv_safety import csv_safe
from apps.hours.models import HOURS_STEP, MAX_HOURS_A_DAY, HourEntry, HoursSettings, Payroll
from apps.hours.selectors import PayrollLine, hours_settings_for
from apps.organisation.models import Area
from apps.visits.models import Ambassador


def hours_settings_save(*, area: Area, enabled: bool, minutes_per_visit: int) -> HoursSettings:
    settings, _created = HoursSettings.objects.get_or_create(area=area)
    settings.enabled = enabled
    settings.minutes_per_visit = minutes_per_visit
    settings.full_clean()
    settings.save(update_fields=["enabled", "minutes_per_visit", "updated_at"])
    return settings


def payroll_number_set(*, ambassador: Ambassador, number: str) -> None:
    """Give the ambassador a payroll number; an empty one removes it."""
    number = number.strip()
    if not number:
        Payroll.objects.filter(ambassador=ambassador).delete()
        return
    Payroll.objects.update_or_create(ambassador=ambassador, defaults={"number": number})


def _check_entry(*, ambassador: Ambassador, day: datetime.date, hours: Decimal, kind: str, entry_pk=None) -> None:
    settings = hours_settings_for(area=ambassador.area)
    if not settings.enabled:
        raise ValidationError(_("Time registration is not switched on in this area."))
    if ambassador.status == Ambassador.Status.LEFT:
        raise ValidationError(_("You no longer volunteer in this area."))
    if kind == HourEntry.Kind.VISITS and settings.visits_count_as_time:
        raise ValidationError(_("Visits count as time by themselves in this area; log only other work."))
    if day > timezone.localdate():
        raise ValidationError(_("Hours can only be logged for today or earlier."))
    if hours <= 0 or hours > MAX_HOURS_A_DAY or hours % HOURS_STEP:
        raise ValidationError(_("Give the hours in quarters of an hour, between 0.25 and 24."))
    logged = (
        HourEntry.objects.filter(ambassador=ambassador, date=day)
        .exclude(pk=entry_pk)
        .exclude(status=HourEntry.Status.REJECTED)
        .aggregate(total=Sum("hours"))["total"]
        or 0
    )
    if logged + hours > MAX_HOURS_A_DAY:
        raise ValidationError(_("A day has at most 24 hours; you have already logged %(hours)s.") % {"hours": logged})


@transaction.atomic
def hour_entry_create(*, ambassador: Ambassador, date: datetime.date, hours: Decimal, kind: str) -> HourEntry:
    # Two phones at once must not both pass the day's 24-hour check: the ambassador's row is the lock.
    ambassador = Ambassador.objects.select_for_update().select_related("area").get(pk=ambassador.pk)
    _check_entry(ambassador=ambassador, day=date, hours=hours, kind=kind)
    entry = HourEntry(area=ambassador.area, ambassador=ambassador, date=date, hours=hours, kind=kind)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def hour_entry_update(*, entry: HourEntry, date: datetime.date, hours: Decimal, kind: str) -> HourEntry:
    """Change an entry until it is approved; a rejected one goes back to the coordinator."""
    ambassador = Ambassador.objects.select_for_update().select_related("area").get(pk=entry.ambassador_id)
    entry = HourEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_locked:
        raise ValidationError(_("These hours are approved and can no longer be changed."))
    _check_entry(ambassador=ambassador, day=date, hours=hours, kind=kind, entry_pk=entry.pk)
    entry.date, entry.hours, entry.kind = date, hours, kind
    entry.status, entry.reason, entry.decided_by, entry.decided_at = HourEntry.Status.SUBMITTED, "", None, None
    entry.full_clean()
    entry.save(update_fields=["date", "hours", "kind", "status", "reason", "decided_by", "decided_at", "updated_at"])
    return entry


@transaction.atomic
def hour_entries_approve(*, area: Area, entry_ids: list[int], by) -> int:
    """Approve the area's waiting entries among `entry_ids`; others (another area's, decided) are left alone."""
    return HourEntry.objects.filter(area=area, pk__in=entry_ids, status=HourEntry.Status.SUBMITTED).update(
        status=HourEntry.Status.APPROVED, decided_by=by, decided_at=timezone.now(), updated_at=timezone.now()
    )


@transaction.atomic
def hour_entry_reject(*, entry: HourEntry, by, reason: str) -> HourEntry:
    entry = HourEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != HourEntry.Status.SUBMITTED:
        raise ValidationError(_("Only hours waiting for approval can be rejected."))
    if not reason.strip():
        raise ValidationError(_("Say why the hours are rejected."))
    entry.status, entry.reason, entry.decided_by, entry.decided_at = (
        HourEntry.Status.REJECTED,
        reason.strip(),
        by,
        timezone.now(),
    )
    entry.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])
    return entry


def _danish(hours: Decimal) -> str:
    return f"{hours:.2f}".replace(".", ",")


def payroll_csv(*, lines: list[PayrollLine]) -> bytes:
    """The month for payroll as Danish Excel reads it: UTF-8 with BOM, semicolons, decimal commas; no cell
    can start a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([csv_safe(v) for v in (_("Name"), _("Payroll number"), _("Hours"), _("Visits"))])
    for line in lines:
        writer.writerow([csv_safe(line.name), csv_safe(line.payroll_number), _danish(line.hours), line.visits])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def payroll_json(*, area: Area, month: datetime.date, lines: list[PayrollLine]) -> str:
    """The same lines for a payroll system: hours as a decimal string (no float rounding)."""
    document = {
        "area": area.slug,
        "month": f"{month:%Y-%m}",
        "lines": [
            {"name": line.name, "payroll_number": line.payroll_number, "hours": str(line.hours), "visits": line.visits}
            for line in lines
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
