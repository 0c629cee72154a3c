"""python manage.py import_tenants PATH --organisation SLUG [--area SLUG] [--mapping JSON] [--create-estates]
[--dry-run] [--format json] — for scheduled drops of move-in lists.

Exit 0 when the file was processed (even with errors in some lines), 2 when it was refused as a whole
(the message on stderr, nothing written), 1 for wrong arguments.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.newcomers.importing import ImportRefused
from apps.newcomers.importing.fields import header_normalise
from apps.newcomers.models import ImportRun
from apps.newcomers.services import import_run_confirm, import_run_create, import_run_execute, import_run_mapping
from apps.organisation.models import Area, HousingOrganisation

REFUSED = 2


class Command(BaseCommand):
    help = "Import a move-in list (CSV or XLSX) of newcomers for a housing organisation."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV or XLSX file.")
        parser.add_argument("--organisation", required=True, help="The housing organisation's short name (slug).")
        parser.add_argument(
            "--area",
            help="The area (slug) the file is for: only its estates are read and written, and estates "
            "created from the file are placed in it. Without it, all the organisation's estates.",
        )
        parser.add_argument(
            "--mapping",
            help='Columns to fields as JSON, by header or column number (0 = first), e.g. \'{"Lejenr": '
            '"tenancy_number", "3": "phone", "Noter": ""}\'. Unnamed columns keep the proposed mapping.',
        )
        parser.add_argument(
            "--create-estates",
            action="store_true",
            help="Create estates the file names but that do not exist (in --area, which it needs).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and count everything, write nothing.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        organisation = HousingOrganisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No housing organisation with the short name {options['organisation']!r}.")
        area = None
        if options["area"]:
            area = Area.objects.filter(slug=options["area"]).first()
            if area is None:
                raise CommandError(f"No area with the short name {options['area']!r}.")
        if options["create_estates"] and area is None:
            raise CommandError("--create-estates needs --area: new estates are placed in that area.")
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        requested = self._mapping_option(options["mapping"])

        try:
            # One transaction: a mapping refused after the file was accepted leaves no run behind either.
            with transaction.atomic():
                run = import_run_create(
                    organisation=organisation,
                    area=area,
                    user=None,
                    filename=path.name,
                    data=data,
                    allow_empty_area=options["create_estates"],
                )
                mapping = import_run_mapping(run=run)
                mapping.update(_mapping_resolve(requested, run.headers))
                run = import_run_confirm(
                    run=run,
                    mapping={index: field for index, field in mapping.items() if field},
                    create_estates=options["create_estates"],
                    dry_run=options["dry_run"],
                    enqueue=False,
                )
        except ImportRefused as exc:
            raise CommandError(exc.message, returncode=REFUSED) from exc
        import_run_execute(run_id=run.pk)
        run.refresh_from_db()
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(run.error_text, returncode=1)
        self._report(run, options["format"])

    def _mapping_option(self, text: str | None) -> dict[str, str]:
        if not text:
            return {}
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"--mapping is not valid JSON: {exc}") from exc
        if not isinstance(value, dict) or not all(isinstance(v, str | None) for v in value.values()):
            raise CommandError('--mapping must be a JSON object of column → field, e.g. {"Lejenr": "tenancy_number"}.')
        return {str(k): v or "" for k, v in value.items()}

    def _report(self, run: ImportRun, fmt: str) -> None:
        problems = [
            {"line": p.line, "column": p.column, "message": p.text, "level": p.level}
            for p in run.problems.order_by("line", "pk")
        ]
        if fmt == "json":
            result = {
                "rows": run.total_rows,
                "created": run.created,
                "updated": run.updated,
                "unchanged": run.unchanged,
                "errors": [_problem_json(p) for p in problems if p["level"] == "error"],
                "warnings": [_problem_json(p) for p in problems if p["level"] == "warning"],
            }
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        prefix = _("Dry run, nothing saved: ") if run.dry_run else ""
        self.stdout.write(
            prefix
            + _("%(rows)s lines: %(created)s newcomers created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"rows": run.total_rows, "created": run.created, "updated": run.updated, "unchanged": run.unchanged}
        )
        for p in problems:
            level = _("error") if p["level"] == "error" else _("warning")
            column = f" [{p['column']}]" if p["column"] else ""
            self.stdout.write(f"{p['line']}{column} {level}: {p['message']}")


def _problem_json(problem: dict) -> dict:
    return {"line": problem["line"], "column": problem["column"], "message": problem["message"]}


def _mapping_resolve(requested: dict[str, str], headers: list[str]) -> dict[int, str]:
    """--mapping keys are column numbers or header texts (matched as the proposal matches them)."""
    by_header = {header_normalise(h): i for i, h in reversed(list(enumerate(headers)))}
    resolved: dict[int, str] = {}
    for key, field in requested.items():
        if key.isdigit():
            index = int(key)
        else:
            index = by_header.get(header_normalise(key))
            if index is None:
                raise CommandError(f"--mapping names a column the file does not have: {key!r}.")
        resolved[index] = field
    return resolved
