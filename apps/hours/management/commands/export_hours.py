"""The month's approved hours for payroll, one line per ambassador, on standard output.

python manage.py export_hours --area SLUG --month YYYY-MM [--format csv|json]
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from apps.hours.selectors import month_parse, month_payroll
from apps.hours.services import payroll_csv, payroll_json
from apps.organisation.models import Area


class Command(BaseCommand):
    help = "Export an area's approved hours of one month for payroll (CSV for Excel, or JSON)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--area", required=True, help="the area's short name (slug)")
        parser.add_argument("--month", required=True, help="the month, YYYY-MM")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, area: str, month: str, format: str, **options) -> None:
        found = Area.objects.filter(slug=area).first()
        if found is None:
            raise CommandError(f"No area has the short name {area!r}.")
        try:
            first_day = month_parse(month)
        except ValueError:
            raise CommandError(f"Give the month as YYYY-MM, e.g. 2026-11 (not {month!r}).") from None
        lines = month_payroll(area=found, month=first_day)
        if format == "json":
            self.stdout.write(payroll_json(area=found, month=first_day, lines=lines))
            return
        # The bytes as they are (BOM, CRLF): the file goes straight to Excel.
        out = getattr(self.stdout, "_out", sys.stdout)
        buffer = getattr(out, "buffer", None)
        data = payroll_csv(lines=lines)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            out.write(data.decode("utf-8"))
